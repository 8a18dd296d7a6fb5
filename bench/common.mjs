// Small helpers shared by the bench scripts: the command line, medians, the `name value
// unit` output lines, the main-module check, and the emulator's support routes with a
// JSON body (bench/load.mjs has the body-less ones).

import { realpathSync } from 'node:fs';
import { request } from 'node:http';
import { pathToFileURL } from 'node:url';
import v8 from 'node:v8';
import vm from 'node:vm';

/**
 * Reads `--name N` / `--name=N` options of whole numbers over `defaults` (whose keys are
 * the only names accepted); anything else throws with `usage`.
 */
export function parseOptions(argv, defaults, usage) {
  const options = { ...defaults };
  for (let i = 0; i < argv.length; i += 1) {
    const match = /^--([a-z][a-z-]*)(?:=(\d+))?$/.exec(argv[i]);
    const name = match?.[1].replace(/-([a-z])/g, (_, letter) => letter.toUpperCase());
    const value = match?.[2] ?? argv[i + 1];
    if (!match || !Object.hasOwn(defaults, name) || !/^\d+$/.test(value ?? '')) {
      throw new Error(`usage: ${usage}`);
    }
    if (match[2] === undefined) {
      i += 1;
    }
    options[name] = Number(value);
  }
  return options;
}

/** The median of a non-empty list of numbers (the mean of the middle two for even lengths). */
export function median(values) {
  if (values.length === 0) {
    throw new Error('the median of no values');
  }
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** A number with `digits` decimals, as text without exponent notation. */
export function fixed(value, digits = 3) {
  return Number(value).toFixed(digits);
}

/** Prints one figure as a `name value unit` line on stdout. */
export function line(name, value, unit) {
  process.stdout.write(`${name} ${value} ${unit}\n`);
}

/**
 * A function that runs a full garbage collection: `global.gc` under `--expose-gc`, else
 * one obtained by setting the flag at run time, else null (figures are then noisier).
 */
export function findGc() {
  if (typeof globalThis.gc === 'function') {
    return { gc: globalThis.gc, how: 'expose-gc' };
  }
  try {
    v8.setFlagsFromString('--expose-gc');
    const gc = vm.runInNewContext('gc');
    if (typeof gc === 'function') {
      return { gc, how: 'runtime flag' };
    }
  } catch {
    // Not available on this host.
  }
  return { gc: null, how: 'none' };
}

/**
 * The collector a bench runs between timings (`findGc`), or null; says on stderr when
 * Node was not started with --expose-gc, as the figures are then less steady.
 */
export function benchCollector() {
  const { gc, how } = findGc();
  if (how !== 'expose-gc') {
    process.stderr.write(`note: run with node --expose-gc for steadier figures (gc: ${how})\n`);
  }
  return gc;
}

/**
 * Runs a bench script's `main` when `moduleUrl` is the script node was started with;
 * a failure is reported under `name` on stderr and makes the exit code 1.
 */
export async function runIfMain(moduleUrl, name, main) {
  if (!isMainModule(moduleUrl)) return;
  try {
    await main();
  } catch (error) {
    process.stderr.write(`${name}: ${error.stack ?? error}\n`);
    process.exitCode = 1;
  }
}

/** Whether the module at `moduleUrl` is the script node was started with. */
export function isMainModule(moduleUrl) {
  try {
    return moduleUrl === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

/**
 * Calls one of the emulator's support routes (no token) with an optional JSON body, on
 * a connection of its own so that it never shares the keep-alive pool of the calls
 * being measured. Resolves to the parsed answer, or undefined for an empty one.
 */
export function supportJson(url, method, path, body) {
  const { hostname, port } = new URL(url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = payload === undefined
    ? {}
    : { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) };
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path, method, headers, agent: false }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        if (response.statusCode < 200 || response.statusCode > 299) {
          reject(new Error(`emulator ${method} ${path} answered ${response.statusCode}: ${text}`));
          return;
        }
        resolve(text.length > 0 ? JSON.parse(text) : undefined);
      });
    });
    outgoing.on('error', (error) => {
      reject(new Error(`emulator ${method} ${path} failed: ${error.message}`, { cause: error }));
    });
    outgoing.end(payload);
  });
}
