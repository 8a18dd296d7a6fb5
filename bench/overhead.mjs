// Overhead per call: the package's `listRegistrySchedules` against a raw `fetch` of the
// very same URL with the same bearer token and `res.json()`, on a page of 50 schedules
// served by the emulator on loopback.
//
//   node --expose-gc bench/overhead.mjs [--calls 2000] [--rounds 20] [--warmup 200] [--items 50]
//
// `--calls` is the number of calls of each kind. They run interleaved in `--rounds`
// rounds, each of `calls / rounds` package calls and as many raw ones, the two halves
// alternating which goes first, so that both see the same machine (CPU frequency, other
// load, the emulator's own warm-up). Every call is timed on its own; a full collection
// (with --expose-gc) runs between halves, outside the timings, so each half starts from
// the same heap. The emulator runs in a child process, so it never shares the event loop
// with the calls measured; the two processes share the machine's cores.
//
// Before measuring, `--items` schedules are created through the package on the
// emulator's empty registry, and their server-owned fields (status, job dates, errors)
// set through the emulator's PATCH support route, so that the page holds realistic,
// varied schedules; the page is checked to hold exactly that many items, the same ones
// for both kinds of call. Every measured call is checked too (a failed or short answer
// exits 1, so a failing path is never what is measured).
//
// Prints, as `name value unit` lines: the per-call medians of both kinds, the median of
// the per-round ratios (a round's package time over its raw time, each the sum of that
// half's calls), and the target, 1.10.

import { SEED, TOKENS, importPackage, resetEmulator, startEmulatorProcess } from './load.mjs';
import {
  benchCollector, fixed, line, median, parseOptions, runIfMain, supportJson,
} from './common.mjs';
import { schedulesToCreate } from './schedules.mjs';

export const OVERHEAD_TARGET = 1.1;

export const DEFAULTS = Object.freeze({ calls: 2000, rounds: 20, warmup: 200, items: 50 });

const USAGE = 'node --expose-gc bench/overhead.mjs [--calls N] [--rounds N] [--warmup N] ' +
  '[--items N]';

/**
 * Resets the emulator and creates `count` schedules on its empty registry through
 * `client`, each then given server-owned fields (status, job dates, errors) through
 * `PATCH /__emulator/state/schedules/{id}`. Resolves to the created ids, in order.
 */
export async function seedSchedules({ client, url, count, registryId = SEED.emptyRegistryId }) {
  await resetEmulator(url);
  const ids = [];
  for (const { input, server } of schedulesToCreate(count)) {
    const { scheduleUuid } = await client.createRegistrySchedule(registryId, input);
    await supportJson(url, 'PATCH', `/__emulator/state/schedules/${scheduleUuid}`, server);
    ids.push(scheduleUuid);
  }
  await supportJson(url, 'DELETE', '/__emulator/requests');
  return ids;
}

/**
 * The URL and the headers the package sends for `listRegistrySchedules(registryId, page)`,
 * read from a probe client whose `fetch` records them and then calls the global fetch.
 */
export async function packageRequest({ pkg, url, token, registryId, page }) {
  let seen;
  const probe = new pkg.ContainerSecurityClient({
    baseUrl: url,
    token,
    fetch: (target, init) => {
      seen = { url: String(target), headers: { ...init.headers } };
      return fetch(target, init);
    },
  });
  await probe.listRegistrySchedules(registryId, page);
  if (!seen) {
    throw new Error('the probe client never called its fetch');
  }
  return seen;
}

/**
 * Runs the interleaved measurement. `packageCall()` and `rawCall()` each make one call and
 * resolve to the listed items; each answer must hold the `expectedIds`, in order (only
 * the first and last are compared per call, the whole list once before measuring).
 * Resolves to `{ packageMs, rawMs, ratios }`: every call's time, and each round's ratio.
 */
export async function measureOverhead({
  packageCall, rawCall, expectedIds, calls, rounds, warmup, gc = null, between = async () => {},
}) {
  if (!(Number.isInteger(rounds) && rounds > 0 && calls % rounds === 0 && calls >= rounds)) {
    throw new Error(`--calls (${calls}) must be a positive multiple of --rounds (${rounds})`);
  }
  const first = expectedIds[0];
  const last = expectedIds[expectedIds.length - 1];
  const check = (kind, items) => {
    if (items.length !== expectedIds.length || items[0]?.scheduleUuid !== first
      || items[items.length - 1]?.scheduleUuid !== last) {
      throw new Error(`${kind} answered ${items.length} items, not the ${expectedIds.length} ` +
        'seeded schedules');
    }
  };
  // Both answers must list the seeded schedules, in order, before anything is timed.
  for (const [kind, call] of [['package', packageCall], ['raw fetch', rawCall]]) {
    const ids = (await call()).map((item) => item.scheduleUuid);
    if (JSON.stringify(ids) !== JSON.stringify(expectedIds)) {
      throw new Error(`${kind} does not list the seeded schedules: ${ids.length} items`);
    }
  }
  for (let i = 0; i < warmup; i += 1) {
    check('package', await packageCall());
    check('raw fetch', await rawCall());
  }
  await between();

  const perRound = calls / rounds;
  const packageMs = [];
  const rawMs = [];
  const ratios = [];
  const half = async (kind, call, times) => {
    gc?.();
    let total = 0;
    for (let i = 0; i < perRound; i += 1) {
      const started = performance.now();
      const items = await call();
      const elapsed = performance.now() - started;
      check(kind, items);
      times.push(elapsed);
      total += elapsed;
    }
    return total;
  };
  for (let round = 0; round < rounds; round += 1) {
    let packageTotal;
    let rawTotal;
    if (round % 2 === 0) {
      packageTotal = await half('package', packageCall, packageMs);
      rawTotal = await half('raw fetch', rawCall, rawMs);
    } else {
      rawTotal = await half('raw fetch', rawCall, rawMs);
      packageTotal = await half('package', packageCall, packageMs);
    }
    ratios.push(packageTotal / rawTotal);
    await between();
  }
  return { packageMs, rawMs, ratios };
}

/** The figures of a measurement, as `[name, value, unit]` triples. */
export function overheadFigures({ packageMs, rawMs, ratios }, items) {
  return [
    ['overhead_items_per_page', items, 'items'],
    ['overhead_calls_per_kind', packageMs.length, 'calls'],
    ['overhead_package_call_median', fixed(median(packageMs)), 'ms'],
    ['overhead_raw_fetch_median', fixed(median(rawMs)), 'ms'],
    ['overhead_ratio_median', fixed(median(ratios)), 'x'],
    ['overhead_target', fixed(OVERHEAD_TARGET, 2), 'x'],
  ];
}

async function main() {
  const options = parseOptions(process.argv.slice(2), DEFAULTS, USAGE);
  const gc = benchCollector();
  const { pkg } = await importPackage();
  const emulator = await startEmulatorProcess();
  try {
    const token = TOKENS.admin;
    const registryId = SEED.emptyRegistryId;
    const page = { pageNumber: 1, pageSize: Math.max(options.items, 1) };
    const client = new pkg.ContainerSecurityClient({ baseUrl: emulator.url, token });
    const expectedIds = await seedSchedules({ client, url: emulator.url, count: options.items });
    const request = await packageRequest({ pkg, url: emulator.url, token, registryId, page });
    const rawUrl = request.url;
    const rawInit = { headers: { Authorization: `Bearer ${token}` } };
    process.stderr.write(`overhead: ${options.calls} calls of each kind to ${rawUrl}\n`);
    const result = await measureOverhead({
      packageCall: async () => (await client.listRegistrySchedules(registryId, page)).data,
      rawCall: async () => (await (await fetch(rawUrl, rawInit)).json()).data,
      expectedIds,
      calls: options.calls,
      rounds: options.rounds,
      warmup: options.warmup,
      gc,
      // The emulator logs every API request; clearing the log between rounds keeps it
      // from growing through the run (never inside a timed half).
      between: () => supportJson(emulator.url, 'DELETE', '/__emulator/requests'),
    });
    for (const [name, value, unit] of overheadFigures(result, options.items)) {
      line(name, value, unit);
    }
  } finally {
    await emulator.close();
  }
}

await runIfMain(import.meta.url, 'overhead', main);
