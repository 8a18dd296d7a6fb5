// Load figures of the package against the emulator: many concurrent calls through one
// client (checked against the emulator's state and request log: nothing lost, nothing
// duplicated), and many sequential calls with the process's RSS and the wasm module's
// linear memory measured before and after.
//
//   node --expose-gc bench/load.mjs [--concurrent 1000] [--sequential 10000]
//
// It starts its own emulator in a child process (so that the emulator's own memory is not
// in the figures), prints one `name value unit` line per figure on stdout, and exits 1
// when a call failed or a result disagrees with the emulator. 1 MB is 1,048,576 bytes.
//
// The functions are exported for `tests/js/load.test.mjs`, which runs smaller sizes.

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { SEED, TOKENS } from '../tests/emulator/seed.mjs';
import { mulberry32 } from '../tests/js/helpers.mjs';
import { benchCollector, findGc, isMainModule, supportJson } from './common.mjs';

export { SEED, TOKENS, findGc };

export const MB = 1024 * 1024;

const SERVER_PATH = fileURLToPath(new URL('../tests/emulator/server.mjs', import.meta.url));
const DEFAULT_PAGE_SIZE = 50;

// --- loading the package -----------------------------------------------------------------

/**
 * Imports the package by name, retrying for a while: other work in the checkout may be
 * rebuilding `pkg/` (it is replaced in one step, so a retry finds the new one).
 */
export async function importPackage({ attempts = 10, delayMs = 3_000 } = {}) {
  let last;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      const pkg = await import('qualys-cs');
      // The package's own wasm glue: `initSync()` on a loaded module answers its exports,
      // whose `memory` is the module's linear memory.
      const glue = await import(new URL('./qualys_cs.js', import.meta.resolve('qualys-cs')).href);
      const exports = glue.initSync();
      if (!(exports?.memory instanceof WebAssembly.Memory)) {
        throw new Error('initSync() did not answer the loaded module (a second copy of the glue?)');
      }
      return { pkg, wasmMemory: () => exports.memory.buffer.byteLength };
    } catch (error) {
      last = error;
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
  throw last;
}

// Settles a few times with full collections in between, so that garbage of the run
// (responses, promises, closures) is gone before memory is read.
async function settleMemory(gc) {
  for (let round = 0; round < 3; round += 1) {
    await new Promise((resolve) => setImmediate(resolve));
    gc?.();
  }
}

// --- talking to the emulator's support routes (never through the client) -----------------

export const emulatorState = (url) => supportJson(url, 'GET', '/__emulator/state');
export const emulatorRequests = (url) => supportJson(url, 'GET', '/__emulator/requests');
export const clearRequests = (url) => supportJson(url, 'DELETE', '/__emulator/requests');
export const resetEmulator = (url) => supportJson(url, 'POST', '/__emulator/reset');

/**
 * Starts the emulator as a child process on 127.0.0.1 and resolves to `{ url, close }`;
 * `close()` stops it with SIGTERM (SIGKILL after 5 s) and waits for it to exit.
 */
export function startEmulatorProcess({ startupMs = 15_000 } = {}) {
  // The emulator stops when its input pipe closes, so it cannot outlive this process
  // even when this one is killed before it calls `close()`.
  const child = spawn(process.execPath, [SERVER_PATH, '--port', '0', '--exit-with-parent'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the emulator did not start within ${startupMs} ms`));
    }, startupMs);
    const early = (code) => {
      clearTimeout(timer);
      reject(new Error(`the emulator exited with ${code} before listening: ${output}`));
    };
    child.once('exit', early);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (!match) {
        return;
      }
      clearTimeout(timer);
      child.off('exit', early);
      child.stdout.resume();
      resolve({
        url: match[1],
        close: async () => {
          if (child.exitCode === null && child.signalCode === null) {
            child.kill('SIGTERM');
            const guard = setTimeout(() => child.kill('SIGKILL'), 5_000);
            await exited;
            clearTimeout(guard);
          }
        },
      });
    });
  });
}

// --- concurrent load ---------------------------------------------------------------------


function pad(number) {
  return String(number).padStart(2, '0');
}

function scheduleInput(index, updated = false) {
  return {
    name: updated ? `load-schedule-${index} updated` : `load-schedule-${index}`,
    schedule: `${pad(index % 24)}:${pad(updated ? 59 - (index % 60) : index % 60)}`,
    scheduleIntervalInDays: updated ? 2 : 1,
    onDemand: false,
    forceScan: false,
    filters: [{ days: null, repoTags: [{ repo: `load/repo-${index}`, tag: null }] }],
  };
}

function profileInput(index) {
  return {
    profileName: `load-profile-${index}`,
    description: 'created by the load test',
    profileType: 'General',
    isDefault: false,
    config: { performance: { cpuLimitPercent: 10 } },
  };
}

/**
 * The mix of `total` calls (a multiple of 10): 30% schedule listings, 20% schedule
 * creates on the empty registry each followed by an update of what it created, 10%
 * sensor-profile creates each followed by the deletion of what it created, and 10%
 * profile listings.
 */
export function concurrentMix(total) {
  if (!(Number.isInteger(total) && total > 0 && total % 10 === 0)) {
    throw new Error(`the concurrent total must be a positive multiple of 10, not ${total}`);
  }
  return {
    listSchedules: (total * 3) / 10,
    scheduleChains: (total * 2) / 10,
    profileChains: total / 10,
    listProfiles: total / 10,
  };
}

/**
 * Runs `total` calls at once through `client` against a freshly reset emulator at `url`,
 * waits for all of them (at most `deadlineMs`), then checks every result against the
 * emulator's state and request log.
 *
 * Resolves to `{ calls, ok, failed, ms, failures, problems, counts }`: `failures` lists
 * the first failed calls' codes and messages, `problems` every disagreement found (an
 * empty list when nothing was lost or duplicated).
 */
export async function runConcurrent({ client, url, total = 1000, deadlineMs = 45_000 }) {
  const mix = concurrentMix(total);
  await resetEmulator(url);
  const outcomes = [];
  const record = async (kind, index, call) => {
    const entry = { kind, index, ok: false };
    outcomes.push(entry);
    try {
      entry.value = await call();
      entry.ok = true;
    } catch (error) {
      entry.error = error;
    }
    return entry;
  };
  const tasks = [];
  for (let i = 0; i < mix.listSchedules; i += 1) {
    tasks.push(() =>
      record('listSchedules', i, () => client.listRegistrySchedules(SEED.registryId)));
  }
  for (let i = 0; i < mix.listProfiles; i += 1) {
    tasks.push(() => record('listProfiles', i, () => client.listSensorProfiles()));
  }
  for (let i = 0; i < mix.scheduleChains; i += 1) {
    tasks.push(async () => {
      const created = await record('createSchedule', i, () =>
        client.createRegistrySchedule(SEED.emptyRegistryId, scheduleInput(i)),
      );
      if (!created.ok) {
        outcomes.push({ kind: 'updateSchedule', index: i, ok: false, skipped: true });
        return;
      }
      await record('updateSchedule', i, () =>
        client.updateRegistrySchedule(
          SEED.emptyRegistryId,
          created.value.scheduleUuid,
          scheduleInput(i, true),
        ),
      );
    });
  }
  for (let i = 0; i < mix.profileChains; i += 1) {
    tasks.push(async () => {
      const created = await record('createProfile', i, () =>
        client.createSensorProfile(profileInput(i)));
      if (!created.ok) {
        outcomes.push({ kind: 'deleteProfile', index: i, ok: false, skipped: true });
        return;
      }
      await record('deleteProfile', i, () => client.deleteSensorProfile(created.value.profileUuid));
    });
  }
  // Interleaves the kinds, the same way on every run.
  const random = mulberry32(1022);
  for (let i = tasks.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [tasks[i], tasks[j]] = [tasks[j], tasks[i]];
  }

  const started = performance.now();
  let timer;
  const deadline = new Promise((resolve) => {
    timer = setTimeout(() => resolve('deadline'), deadlineMs);
  });
  const settled = await Promise.race([Promise.allSettled(tasks.map((task) => task())), deadline]);
  clearTimeout(timer);
  const ms = Math.round(performance.now() - started);

  const problems = [];
  if (settled === 'deadline') {
    problems.push(`not every call settled within ${deadlineMs} ms (${outcomes.length} started)`);
  }
  const failedOutcomes = outcomes.filter((entry) => !entry.ok);
  const failures = failedOutcomes.slice(0, 10).map((entry) => ({
    kind: entry.kind,
    index: entry.index,
    code: entry.skipped ? 'SKIPPED' : entry.error?.code,
    message: entry.skipped ? 'its create failed' : String(entry.error?.message),
  }));
  if (outcomes.length !== total) {
    problems.push(`${outcomes.length} outcomes were recorded for ${total} calls`);
  }
  const counts = {};
  for (const entry of outcomes) {
    counts[entry.kind] = (counts[entry.kind] ?? 0) + 1;
  }
  const [state, log] = await Promise.all([emulatorState(url), emulatorRequests(url)]);
  problems.push(...checkAgainstEmulator(outcomes, state, log, total));
  return {
    calls: total,
    ok: outcomes.filter((entry) => entry.ok).length,
    failed: total - outcomes.filter((entry) => entry.ok).length,
    ms,
    failures,
    problems,
    counts,
  };
}

function tally(values) {
  const seen = new Map();
  for (const value of values) {
    seen.set(value, (seen.get(value) ?? 0) + 1);
  }
  return seen;
}

function duplicates(values) {
  return [...tally(values)].filter(([, count]) => count > 1).map(([value]) => value);
}

// Compares what the calls answered with what the emulator stored and received.
function checkAgainstEmulator(outcomes, state, log, total) {
  const problems = [];
  const of = (kind) => outcomes.filter((entry) => entry.kind === kind);
  const schedulePath = `/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`;
  const listPath = `/csapi/v1.3/registry/${SEED.registryId}/schedule`;
  const profilePath = '/csapi/v1.3/sensorProfile';

  // Each call reached the emulator exactly once.
  if (log.length !== total) {
    problems.push(`the emulator logged ${log.length} requests for ${total} calls`);
  }
  const unanswered = log.filter((entry) => entry.status !== 200);
  if (unanswered.length > 0) {
    problems.push(`${unanswered.length} requests were not answered 200: ` +
      JSON.stringify(unanswered.slice(0, 3).map(({ method, path, status }) =>
        [method, path, status])));
  }
  const logged = (method, test) =>
    log.filter((entry) => entry.method === method && test(entry.path));
  const expectLogged = (what, entries, count) => {
    if (entries.length !== count) {
      problems.push(`${what}: ${entries.length} requests logged, ${count} calls made`);
    }
  };

  // Schedule listings: the seeded sample, every time.
  const lists = of('listSchedules');
  expectLogged('GET schedules', logged('GET', (path) => path === listPath), lists.length);
  const wrongLists = lists.filter(
    (entry) => entry.ok && !(entry.value.count === 1 && entry.value.data.length === 1
      && entry.value.data[0].scheduleUuid === SEED.scheduleId),
  );
  if (wrongLists.length > 0) {
    problems.push(`${wrongLists.length} schedule listings were not the seeded sample`);
  }

  // Schedule creates: one stored schedule per create, ids unique, each then updated.
  const creates = of('createSchedule').filter((entry) => entry.ok);
  const createdIds = creates.map((entry) => entry.value.scheduleUuid);
  const createPosts = logged('POST', (path) => path === schedulePath);
  expectLogged('POST schedules', createPosts, of('createSchedule').length);
  const postedNames = duplicates(createPosts.map((entry) => entry.body?.name));
  if (postedNames.length > 0) {
    problems.push(`schedules posted more than once: ${postedNames.slice(0, 5).join(', ')}`);
  }
  if (duplicates(createdIds).length > 0) {
    problems.push(`create answers repeat ids: ${duplicates(createdIds).slice(0, 5).join(', ')}`);
  }
  const stored = state.schedules[SEED.emptyRegistryId] ?? [];
  if (stored.length !== creates.length) {
    problems.push(`${stored.length} schedules stored for ${creates.length} successful creates`);
  }
  const storedById = new Map(stored.map((schedule) => [schedule.scheduleUuid, schedule]));
  if (duplicates(stored.map((schedule) => schedule.scheduleUuid)).length > 0) {
    problems.push('the emulator stores two schedules under one id');
  }
  const updates = new Map(of('updateSchedule').map((entry) => [entry.index, entry]));
  for (const create of creates) {
    const schedule = storedById.get(create.value.scheduleUuid);
    if (!schedule) {
      problems.push(`created schedule #${create.index} ${create.value.scheduleUuid} is not stored`);
      continue;
    }
    const updated = updates.get(create.index)?.ok === true;
    const expected = scheduleInput(create.index, updated);
    const fields = (value) =>
      JSON.stringify([value.name, value.schedule, value.scheduleIntervalInDays]);
    if (fields(schedule) !== fields(expected)) {
      problems.push(`schedule #${create.index} is stored as ${fields(schedule)}, ` +
        `expected ${fields(expected)}`);
    }
  }
  const puts = logged('PUT', (path) => path.startsWith(`${schedulePath}/`));
  const sent = (kind) => of(kind).filter((entry) => !entry.skipped).length;
  expectLogged('PUT schedules', puts, sent('updateSchedule'));
  const putIds = puts.map((entry) => entry.path.slice(schedulePath.length + 1));
  if (duplicates(putIds).length > 0 || putIds.some((id) => !storedById.has(id))) {
    problems.push('an update was sent twice, or to a schedule no create made');
  }

  // Profile creates and deletes: each created profile deleted once, none left over.
  const profileCreates = of('createProfile').filter((entry) => entry.ok);
  const profileIds = profileCreates.map((entry) => entry.value.profileUuid);
  if (duplicates(profileIds).length > 0) {
    problems.push('profile create answers repeat ids');
  }
  const profilePosts = logged('POST', (path) => path === profilePath);
  expectLogged('POST profiles', profilePosts, of('createProfile').length);
  const deletes = logged('DELETE', (path) => path.startsWith(`${profilePath}/`));
  expectLogged('DELETE profiles', deletes, sent('deleteProfile'));
  const deletedIds = deletes.map((entry) => entry.path.slice(profilePath.length + 1));
  const created = new Set(profileIds);
  if (duplicates(deletedIds).length > 0 || deletedIds.some((id) => !created.has(id))) {
    problems.push('a profile was deleted twice, or one no create made');
  }
  const seeded = [SEED.defaultProfileId, SEED.registryProfileId];
  const left = state.profiles.map((profile) => profile.profileUuid);
  const deletedOk = new Set(
    of('deleteProfile').filter((entry) => entry.ok).map((entry) => entry.index),
  );
  const expectedLeft = [
    ...seeded,
    ...profileCreates
      .filter((entry) => !deletedOk.has(entry.index))
      .map((entry) => entry.value.profileUuid),
  ];
  if (JSON.stringify([...left].sort()) !== JSON.stringify([...expectedLeft].sort())) {
    problems.push(`profiles left: ${left.length}, expected ${expectedLeft.length}`);
  }

  // Profile listings: consistent pages that start with the two seeded profiles.
  const profileLists = of('listProfiles');
  expectLogged('GET profiles', logged('GET', (path) => path === profilePath), profileLists.length);
  const consistent = ({ count, data }) =>
    count >= 2 && count <= 2 + profileCreates.length
    && data.length === Math.min(count, DEFAULT_PAGE_SIZE)
    && data[0].profileUuid === seeded[0] && data[1].profileUuid === seeded[1];
  const wrongPages = profileLists.filter((entry) => entry.ok && !consistent(entry.value));
  if (wrongPages.length > 0) {
    problems.push(`${wrongPages.length} profile listings were inconsistent pages`);
  }
  return problems;
}

// --- sequential load ---------------------------------------------------------------------

/**
 * Makes `calls` schedule listings one after the other through `client`, after `warmup`
 * calls, and measures RSS and the wasm memory before and after (after full collections
 * when `gc` is given). The emulator's log is cleared every `clearEvery` calls so that it
 * does not grow in an emulator sharing the process.
 *
 * Resolves to `{ calls, failed, ms, rssBefore, rssAfter, wasmBefore, wasmAfter }` (bytes).
 */
export async function runSequential({
  client, url, calls, wasmMemory, gc = null, warmup = 200, clearEvery = 500,
}) {
  await resetEmulator(url);
  let failed = 0;
  let firstFailure;
  const one = async () => {
    try {
      const page = await client.listRegistrySchedules(SEED.registryId);
      if (page.count !== 1 || page.data[0]?.scheduleUuid !== SEED.scheduleId) {
        throw new Error(`unexpected listing ${JSON.stringify(page).slice(0, 200)}`);
      }
      return true;
    } catch (error) {
      firstFailure ??= error;
      return false;
    }
  };
  for (let i = 0; i < warmup; i += 1) {
    await one();
  }
  await clearRequests(url);
  await settleMemory(gc);
  const rssBefore = process.memoryUsage().rss;
  const wasmBefore = wasmMemory();
  const started = performance.now();
  for (let i = 1; i <= calls; i += 1) {
    if (!(await one())) {
      failed += 1;
    }
    if (i % clearEvery === 0) {
      await clearRequests(url);
    }
  }
  const ms = Math.round(performance.now() - started);
  await clearRequests(url);
  await settleMemory(gc);
  return {
    calls,
    failed,
    firstFailure,
    ms,
    rssBefore,
    rssAfter: process.memoryUsage().rss,
    wasmBefore,
    wasmAfter: wasmMemory(),
  };
}

/** A byte count in MB with one decimal, e.g. `1.2`. */
export function inMb(bytes) {
  return Math.round((bytes / MB) * 10) / 10;
}

// --- the command line ----------------------------------------------------------------------

function parseArguments(argv) {
  const options = { concurrent: 1000, sequential: 10_000 };
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--(concurrent|sequential)(?:=(\d+))?$/.exec(argv[i]);
    const value = match?.[2] ?? argv[i + 1];
    if (!match || !/^\d+$/.test(value ?? '')) {
      throw new Error(`usage: node --expose-gc bench/load.mjs [--concurrent N] [--sequential N]`);
    }
    if (match[2] === undefined) {
      i += 1;
    }
    options[match[1]] = Number(value);
  }
  return options;
}

async function main() {
  const options = parseArguments(process.argv.slice(2));
  const gc = benchCollector();
  const { pkg, wasmMemory } = await importPackage();
  const emulator = await startEmulatorProcess();
  const line = (name, value, unit) => process.stdout.write(`${name} ${value} ${unit}\n`);
  let healthy = true;
  try {
    const client = new pkg.ContainerSecurityClient({
      baseUrl: emulator.url, token: TOKENS.admin, retry: false,
    });
    const concurrent = await runConcurrent({
      client, url: emulator.url, total: options.concurrent,
    });
    line('load_concurrent_calls', concurrent.calls, 'calls');
    line('load_concurrent_ok', concurrent.ok, 'calls');
    line('load_concurrent_failed', concurrent.failed, 'calls');
    line('load_concurrent_problems', concurrent.problems.length, 'problems');
    line('load_concurrent_ms', concurrent.ms, 'ms');
    const perSecond = Math.round((concurrent.calls / concurrent.ms) * 1000);
    line('load_concurrent_calls_per_sec', perSecond, 'calls/s');
    for (const problem of concurrent.problems) {
      process.stderr.write(`problem: ${problem}\n`);
    }
    for (const failure of concurrent.failures) {
      process.stderr.write(`failure: ${JSON.stringify(failure)}\n`);
    }
    healthy &&= concurrent.failed === 0 && concurrent.problems.length === 0;

    // The same mix through a client that lets only 16 requests be in flight at once.
    const capped = await runConcurrent({
      client: new pkg.ContainerSecurityClient({
        baseUrl: emulator.url, token: TOKENS.admin, retry: false, maxConcurrency: 16,
      }),
      url: emulator.url,
      total: options.concurrent,
    });
    line('load_concurrent_capped16_failed', capped.failed, 'calls');
    line('load_concurrent_capped16_problems', capped.problems.length, 'problems');
    line('load_concurrent_capped16_ms', capped.ms, 'ms');
    for (const problem of capped.problems) {
      process.stderr.write(`problem (maxConcurrency 16): ${problem}\n`);
    }
    healthy &&= capped.failed === 0 && capped.problems.length === 0;

    const sequential = await runSequential({
      client, url: emulator.url, calls: options.sequential, wasmMemory, gc,
    });
    line('load_sequential_calls', sequential.calls, 'calls');
    line('load_sequential_failed', sequential.failed, 'calls');
    line('load_sequential_ms', sequential.ms, 'ms');
    line('load_sequential_per_call', Math.round((sequential.ms / sequential.calls) * 1000), 'us');
    line('load_sequential_rss_before', inMb(sequential.rssBefore), 'MB');
    line('load_sequential_rss_growth', inMb(sequential.rssAfter - sequential.rssBefore), 'MB');
    line('load_sequential_wasm_before', inMb(sequential.wasmBefore), 'MB');
    line('load_sequential_wasm_growth', inMb(sequential.wasmAfter - sequential.wasmBefore), 'MB');
    if (sequential.firstFailure) {
      process.stderr.write(`first failure: ${sequential.firstFailure.message}\n`);
    }
    healthy &&= sequential.failed === 0;
  } finally {
    await emulator.close();
  }
  process.exitCode = healthy ? 0 : 1;
}

if (isMainModule(import.meta.url)) {
  await main();
}
