// Cold start: in fresh Node processes, the time from the process's start to the first
// call's answer, (a) importing the package by name and making one
// `listRegistrySchedules` call, against (b) a process that imports nothing and makes one
// raw `fetch` of the same URL with the same token, then `res.json()`.
//
//   node bench/coldstart.mjs [--runs 15] [--warmup 2]
//
// Each child is `process.execPath` with a tiny module script (`--input-type=module -e`),
// started in the repository so that `import('qualys-cs')` resolves from its
// node_modules, as an installed package would. The child measures with
// `performance.now()`, whose origin is the process's start, and prints its figures back
// on stdout as one JSON line; the parent also takes the wall time from just before
// `spawn()` to that line, which adds the cost of starting the process. The two kinds run
// in pairs, alternating which goes first, after `--warmup` untimed pairs (which warm the
// file cache and the emulator; the processes measured start cold, the machine does not).
// The emulator runs in its own child process, started once; every answer is checked to be
// the seeded schedule (exit 1 otherwise).

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { SEED, TOKENS, importPackage, startEmulatorProcess } from './load.mjs';
import { fixed, line, median, parseOptions, runIfMain } from './common.mjs';
import { packageRequest } from './overhead.mjs';

export const DEFAULTS = Object.freeze({ runs: 15, warmup: 2 });

const USAGE = 'node bench/coldstart.mjs [--runs N] [--warmup N]';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

const CHILD_TIMEOUT_MS = 20_000;

// Both scripts read their settings from the environment, check the answer, and print
// `{ imported?, answered, scriptStart }` in ms since the process started.
const PACKAGE_SCRIPT = `
const scriptStart = performance.now();
const { ContainerSecurityClient } = await import('qualys-cs');
const imported = performance.now();
const env = process.env;
const client = new ContainerSecurityClient({ baseUrl: env.BENCH_BASE_URL, token: env.BENCH_TOKEN });
const page = await client.listRegistrySchedules(env.BENCH_REGISTRY_ID);
const answered = performance.now();
if (page.data[0]?.scheduleUuid !== env.BENCH_SCHEDULE_ID) {
  throw new Error('unexpected answer: ' + JSON.stringify(page).slice(0, 200));
}
process.stdout.write(JSON.stringify({ scriptStart, imported, answered }) + '\\n');
`;

const RAW_SCRIPT = `
const scriptStart = performance.now();
const env = process.env;
const response = await fetch(env.BENCH_URL, { headers: { Authorization: 'Bearer ' + env.BENCH_TOKEN } });
const page = await response.json();
const answered = performance.now();
if (page.data[0]?.scheduleUuid !== env.BENCH_SCHEDULE_ID) {
  throw new Error('unexpected answer: ' + JSON.stringify(page).slice(0, 200));
}
process.stdout.write(JSON.stringify({ scriptStart, answered }) + '\\n');
`;

export const SCRIPTS = Object.freeze({ package: PACKAGE_SCRIPT, raw: RAW_SCRIPT });

/**
 * Runs one child with `script` and `env` added to this process's environment. Resolves
 * to the child's figures plus `wallMs`, the parent's time from before `spawn()` to the
 * child's line; rejects when the child fails, prints no figures or takes too long.
 */
export function runChild(script, env) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      cwd: REPOSITORY_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let errors = '';
    let figures;
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      output += chunk;
      if (figures === undefined && output.includes('\n')) {
        const wallMs = performance.now() - started;
        try {
          figures = { ...JSON.parse(output.slice(0, output.indexOf('\n'))), wallMs };
        } catch {
          figures = null;
        }
      }
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      errors += chunk;
    });
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code !== 0 || !figures) {
        reject(new Error(`a cold-start child exited with ${code ?? signal}: ${errors || output}`));
        return;
      }
      resolve(figures);
    });
  });
}

/**
 * Runs `runs` pairs of children (package, raw; alternating which goes first) after
 * `warmup` untimed pairs. `env` gives both their settings. Resolves to the lists of
 * per-run figures of each kind, in run order.
 */
export async function measureColdStart({ env, runs, warmup }) {
  const packageRuns = [];
  const rawRuns = [];
  for (let run = 0; run < warmup + runs; run += 1) {
    let packageRun;
    let rawRun;
    if (run % 2 === 0) {
      packageRun = await runChild(SCRIPTS.package, env);
      rawRun = await runChild(SCRIPTS.raw, env);
    } else {
      rawRun = await runChild(SCRIPTS.raw, env);
      packageRun = await runChild(SCRIPTS.package, env);
    }
    if (run >= warmup) {
      packageRuns.push(packageRun);
      rawRuns.push(rawRun);
    }
  }
  return { packageRuns, rawRuns };
}

/** The figures of a measurement, as `[name, value, unit]` triples. */
export function coldStartFigures({ packageRuns, rawRuns }) {
  const of = (list, pick) => median(list.map(pick));
  const paired = (pick) => median(packageRuns.map((run, i) => pick(run) - pick(rawRuns[i])));
  return [
    ['coldstart_runs', packageRuns.length, 'runs'],
    ['coldstart_package_first_call_median', fixed(of(packageRuns, (r) => r.answered), 1), 'ms'],
    ['coldstart_raw_fetch_median', fixed(of(rawRuns, (r) => r.answered), 1), 'ms'],
    ['coldstart_difference_median', fixed(paired((r) => r.answered), 1), 'ms'],
    ['coldstart_package_import_median',
      fixed(of(packageRuns, (r) => r.imported - r.scriptStart), 1), 'ms'],
    ['coldstart_package_call_after_import_median',
      fixed(of(packageRuns, (r) => r.answered - r.imported), 1), 'ms'],
    ['coldstart_node_script_start_median', fixed(of(rawRuns, (r) => r.scriptStart), 1), 'ms'],
    ['coldstart_package_wall_median', fixed(of(packageRuns, (r) => r.wallMs), 1), 'ms'],
    ['coldstart_raw_fetch_wall_median', fixed(of(rawRuns, (r) => r.wallMs), 1), 'ms'],
    ['coldstart_wall_difference_median', fixed(paired((r) => r.wallMs), 1), 'ms'],
  ];
}

async function main() {
  const options = parseOptions(process.argv.slice(2), DEFAULTS, USAGE);
  if (options.runs < 1) {
    throw new Error('--runs must be at least 1');
  }
  const { pkg } = await importPackage();
  const emulator = await startEmulatorProcess();
  try {
    const token = TOKENS.admin;
    // The raw child fetches exactly the URL the package asks for with its defaults.
    const { url } = await packageRequest({
      pkg, url: emulator.url, token, registryId: SEED.registryId, page: undefined,
    });
    const env = {
      BENCH_BASE_URL: emulator.url,
      BENCH_URL: url,
      BENCH_TOKEN: token,
      BENCH_REGISTRY_ID: SEED.registryId,
      BENCH_SCHEDULE_ID: SEED.scheduleId,
    };
    const result = await measureColdStart({ env, runs: options.runs, warmup: options.warmup });
    for (const [name, value, unit] of coldStartFigures(result)) {
      line(name, value, unit);
    }
  } finally {
    await emulator.close();
  }
}

await runIfMain(import.meta.url, 'coldstart', main);
