// Shared helpers of the package's JS tests: the release notes' samples written out as
// the package should expose them, assertions on `ContainerSecurityError`s, a scripted
// `fetch` double, deadlines, and running commands with a time limit.
//
// Nothing here imports the package, so the packaging test can use these helpers without
// loading the workspace's copy of it.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

/** A UUID in its 8-4-4-4-12 form, lower case as the emulator makes them. */
/**
 * Launches the machine's headless Chromium for Playwright, with the flags this kind of
 * machine needs (no sandbox as root, no GPU, nothing fetched from the network on start).
 */
export async function launchChromium() {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Every `code` the package documents, in the order of `index.d.ts`. */
export const DOCUMENTED_ERROR_CODES = [
  'VALIDATION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'PRECONDITION_FAILED',
  'RATE_LIMITED', 'SERVER', 'HTTP', 'NETWORK', 'TIMEOUT', 'ABORTED', 'DECODE',
];

/**
 * The release notes' list sample (the seeded schedule) as the package exposes it:
 * written out here, not derived from the emulator's seed, so the test compares the
 * package with the document. Timestamps are numbers of epoch milliseconds.
 */
export function seedScheduleAsExposed() {
  return {
    scheduleUuid: '633e7b79-c43d-4bb2-bd07-c8a06edc8a4c',
    onDemand: false,
    created: 1674040668619,
    updated: 1674040958610,
    jobStartDate: 1674040958610,
    jobCompletionDate: 1674041047101,
    name: null,
    errors: null,
    schedule: '11:19',
    filters: [
      { repoTags: [{ repo: 'qualysdockerhub/tamilnadu_shubham', tag: null }], days: 0 },
    ],
    additionalFilters: { numberOfTags: 5, sortCriteria: 'createdDate' },
    status: 'Finished',
    jobListingStartDate: 1674040958610,
    jobListingCompletionDate: null,
    jobScanningStartDate: 1674040965940,
    jobScanningCompletionDate: 1674041047101,
    forceScan: true,
    scheduleIntervalInDays: 7,
    weekDay: 'WEDNESDAY',
  };
}

/** The release notes' weekly THURSDAY create sample, made valid JSON. */
export function releaseNotesCreateBody() {
  return {
    filters: [{ days: null, repoTags: [{ repo: 'azuretest', tag: null }] }],
    name: 'Automatic Scan Schedule',
    onDemand: false,
    schedule: '09:30',
    forceScan: true,
    registryType: 'Azure',
    scheduleIntervalInDays: 7,
    additionalFilters: { numberOfTags: 5, sortCriteria: 'createdDate' },
    weekDay: 'THURSDAY',
  };
}

/** The emulator's seeded default sensor profile as the package exposes it. */
export function defaultProfileAsExposed() {
  return {
    profileUuid: '6963d471-7598-4d4d-b95c-e540c75745b2',
    profileName: 'Default General Profile',
    description: 'The profile every general sensor uses unless another is assigned',
    profileType: 'General',
    isDefault: true,
    created: 1672531200000,
    updated: 1675678279909,
    associatedRegistries: [],
    associatedSensors: ['b7e4c1d2-3f5a-4b6c-8d9e-0a1b2c3d4e5f'],
    config: {
      blackoutWindows: [{ day: 'SUNDAY', start: '01:00', end: '03:00' }],
      vulnerabilityManagement: { scanIntervalHours: 24 },
      performance: { cpuLimitPercent: 20 },
    },
    customerTag: 'emulator-only',
  };
}

/** The fields of a schedule that only the server sets. */
export const SERVER_ONLY_SCHEDULE_FIELDS = [
  'scheduleUuid', 'created', 'updated', 'jobStartDate', 'jobCompletionDate', 'errors',
  'status', 'jobListingStartDate', 'jobListingCompletionDate', 'jobScanningStartDate',
  'jobScanningCompletionDate',
];

/** The common error body of the API. */
export function commonErrorBody(status, name, message) {
  return { errorCode: `${status} ${name}`, message, timestamp: 1675678279909 };
}

/** A JSON `Response`, as a gateway would send it. */
export function jsonResponse(status, body, headers = {}) {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}

/**
 * Awaits `promise`, which must reject with a `ContainerSecurityError` (an instance of
 * `ErrorClass`) whose fields include every field of `expected`; returns the error.
 */
export async function rejectsWith(promise, ErrorClass, expected) {
  let error;
  try {
    const value = await promise;
    assert.fail(`expected a rejection with ${expected.code}, but it resolved to ${show(value)}`);
  } catch (caught) {
    if (caught instanceof assert.AssertionError) {
      throw caught;
    }
    error = caught;
  }
  assertErrorFields(error, ErrorClass, expected);
  return error;
}

/** Checks that `error` is an `ErrorClass` whose fields include every field of `expected`. */
export function assertErrorFields(error, ErrorClass, expected) {
  assert.ok(
    error instanceof ErrorClass,
    `expected a ${ErrorClass.name}, got ${error?.constructor?.name}: ${error?.message}`,
  );
  for (const [key, value] of Object.entries(expected)) {
    assert.deepEqual(error[key], value, `error.${key} (the error: ${show(error)})`);
  }
}

/** The fields named by a validation error's issues, in order. */
export function issueFields(error) {
  assert.ok(Array.isArray(error.issues), `issues is an array: ${show(error)}`);
  for (const issue of error.issues) {
    assert.equal(typeof issue.field, 'string');
    assert.equal(typeof issue.message, 'string');
    assert.ok(issue.message.length > 0, 'every issue says what is wrong');
  }
  return error.issues.map((issue) => issue.field);
}

/** Checks that an error is a real `Error` and says nothing of `token` anywhere. */
export function assertRealErrorWithoutToken(error, ErrorClass, token) {
  assert.ok(error instanceof ErrorClass, 'an instance of ContainerSecurityError');
  assert.ok(error instanceof Error, 'an instance of Error');
  assert.equal(error.name, 'ContainerSecurityError');
  assert.equal(typeof error.message, 'string');
  assert.ok(error.message.length > 0, 'the message is not empty');
  assert.equal(typeof error.stack, 'string');
  assert.ok(error.stack.length > 0, 'the stack is not empty');
  const views = {
    message: error.message,
    'String(err)': String(error),
    'JSON.stringify(err)': JSON.stringify(error),
    stack: error.stack,
  };
  for (const [view, text] of Object.entries(views)) {
    assert.ok(!text.includes(token), `${view} must not contain the token: ${text}`);
  }
}

/**
 * A `fetch` double: each call takes the next queued handler `(url, init) => Response`,
 * or goes to the global `fetch` when none is queued, so one client can meet scripted
 * failures and then real answers. Every call is recorded.
 */
export function scriptedFetch() {
  const queue = [];
  const calls = [];
  async function fetchDouble(url, init) {
    calls.push({ url, init });
    const handler = queue.shift();
    return handler ? handler(url, init) : globalThis.fetch(url, init);
  }
  return {
    fetch: fetchDouble,
    calls,
    /** Queues the answer of the next call. */
    next(handler) {
      queue.push(handler);
    },
    /** How many queued answers are still unused. */
    pending: () => queue.length,
  };
}

/** A fetch answer that never comes and ignores the abort signal it is given. */
export function neverSettles() {
  return new Promise(() => {});
}

/** A fetch answer that never comes but rejects, as `fetch` does, when aborted. */
export function neverUntilAborted(url, init) {
  return new Promise((resolve, reject) => {
    const signal = init?.signal;
    if (!signal) {
      return;
    }
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/** Rejects when `promise` has not settled within `ms`; otherwise settles as it does. */
export function withinDeadline(promise, ms, what = 'the call') {
  let timer;
  const deadline = new Promise((resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * How `promise` stands after `ms`: `{ state: 'pending' }`, or its outcome. Used to pin
 * calls that never settle without letting a test hang.
 */
export async function stateAfter(promise, ms) {
  const outcome = promise.then(
    (value) => ({ state: 'fulfilled', value }),
    (reason) => ({ state: 'rejected', reason }),
  );
  let timer;
  const pending = new Promise((resolve) => {
    timer = setTimeout(() => resolve({ state: 'pending' }), ms);
  });
  try {
    return await Promise.race([outcome, pending]);
  } finally {
    clearTimeout(timer);
  }
}

/** Milliseconds a call took. */
export async function timed(promise) {
  const start = performance.now();
  try {
    const value = await promise;
    return { ms: performance.now() - start, value };
  } catch (error) {
    return { ms: performance.now() - start, error };
  }
}

/**
 * A TCP server on 127.0.0.1 that accepts connections and never answers, to test the
 * global fetch's timeout and abort. `close()` cuts every connection.
 */
export async function startSilentServer() {
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('data', () => {});
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    connections: () => sockets.size,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) {
          socket.destroy();
        }
        server.close(() => resolve());
      }),
  };
}

/** Calls one of the emulator's support routes (faults, state patches) with JSON. */
export async function emulatorSupport(emulator, method, path, body) {
  const response = await fetch(`${emulator.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `emulator support ${method} ${path} answered ${response.status}: ${text}`);
  return text.length > 0 ? JSON.parse(text) : undefined;
}

/**
 * Runs a command without a shell and resolves to `{ code, signal, stdout, stderr }`; the
 * command is killed (and the promise rejects) after `timeoutMs`.
 */
export function run(command, args, { cwd, env, timeoutMs = 30_000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd,
      env: env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} took over ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Retries `action` while it throws, `attempts` times in all, `delayMs` apart. */
export async function retry(action, { attempts = 5, delayMs = 2_000 } = {}) {
  let last;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    try {
      return await action(attempt);
    } catch (error) {
      last = error;
      if (attempt < attempts) {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
      }
    }
  }
  throw last;
}

function show(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** mulberry32: a small, fast, seedable PRNG returning floats in [0, 1), so that a
 * generated run is the same every time. */
export function mulberry32(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
