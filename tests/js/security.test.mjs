// Security tests of the built package (imported by name, as its users do) against the
// emulator, a recorder on another port and scripted `fetch` doubles:
//
//   1. the token and the password never leak: every kind of failure is provoked and
//      every place a secret could surface is searched (the error in all its renderings,
//      the hooks' payloads, the console, the client object, the CLI's output);
//   2. the baseUrl rules: https anywhere, plain http only to a loopback host;
//   3. redirects are never followed, so the token never reaches another origin;
//   4. text the server sends is cut and cleaned before it reaches an error;
//   5. hostile Retry-After and X-RateLimit-* headers neither throw nor make nonsense.
//
// Behaviour of the package that is still wrong is pinned with a `FIXME:` comment that
// says what it should be; SECURITY.md lists the same findings (and which were fixed).

import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import util from 'node:util';

import { SEED, TOKENS, USERS, startEmulator, startRecorder } from '../emulator/server.mjs';
import { emulatorSupport, retry, run } from './helpers.mjs';

// Another engineer may be rebuilding pkg/ while this file loads (the build swaps the
// folder in one step), so the import is tried again for a while before giving up.
const { ContainerSecurityClient, ContainerSecurityError, login } = await retry(
  () => import('qualys-cs'),
  { attempts: 10, delayMs: 3_000 },
);

const BOUNDED = { timeout: 20_000 };
const CLI_PATH = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));

// Distinctive secrets: a static token the emulator does not know, a wrong password, and
// (set in `before`) JWTs the emulator's /auth issued. None may surface anywhere.
const STATIC_TOKEN = 'tok-SECRET-1234567890';
const WRONG_PASSWORD = 'pw-SECRET-0987654321';
const UNKNOWN_UUID = '0b5e7c3a-9d1f-4e2a-8b6c-7d8e9f0a1b2c';
const PROFILES_PATH = '/csapi/v1.3/sensorProfile';

// Control characters (C0, DEL, C1): none may reach a message, so a hostile server can
// neither break a log line nor send escape sequences to a terminal.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
// Characters that are not "control" to Unicode but still end a line in JavaScript and
// many log viewers, hide themselves (zero-width marks, the BOM) or reorder the text
// around them when shown (bidi overrides): they become spaces too.
const LINE_OR_BIDI = /[\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/;
const LINE_OR_BIDI_CHARS = [
  '\u2028', '\u2029', '\u200b', '\u200c', '\u200d', '\u200e', '\u200f', '\u202a', '\u202b',
  '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\ufeff',
];
// What the package puts where it found a secret.
const REDACTED = '<redacted>';
// The longest wait an answer can ask for: a day.
const MAX_WAIT_MS = 86_400_000;

let emulator;
let recorder;
let adminJwt;
let noneJwt;

before(async () => {
  emulator = await startEmulator({ port: 0 });
  recorder = await startRecorder();
  adminJwt = await login({ baseUrl: emulator.url, ...USERS.admin });
  noneJwt = await login({ baseUrl: emulator.url, ...USERS.none });
});

beforeEach(() => {
  emulator.reset();
});

after(async () => {
  await emulator?.close();
  await recorder?.close();
});

// ---------------------------------------------------------------------------------------
// Helpers

/** Every secret of the suite, and distinctive parts of them, to search outputs for. */
function secrets() {
  const list = [
    STATIC_TOKEN, 'tok-SECRET', WRONG_PASSWORD, 'pw-SECRET',
    USERS.admin.password, USERS.viewer.password, USERS.none.password,
  ];
  // A JWT cut short (a message limited to N characters) would still give its payload or
  // its signature away, so each part is searched for on its own.
  for (const jwt of [adminJwt, noneJwt]) {
    list.push(jwt, ...jwt.split('.').slice(1));
  }
  return list;
}

/** Fails when `text` holds any secret; says which view and which secret (by index). */
function assertNoSecret(view, text) {
  assert.equal(typeof text, 'string', `${view} is text`);
  const found = secrets().findIndex((secret) => text.includes(secret));
  assert.equal(found, -1, `${view} holds secret #${found}: ${text.slice(0, 2_000)}`);
}

/** Every rendering of an error a program or a logger might show or store. */
function renderings(error) {
  return {
    'error.message': String(error?.message),
    'String(error)': String(error),
    'error.stack': String(error?.stack),
    'JSON.stringify(error)': JSON.stringify(error) ?? '',
    'util.inspect(error)': util.inspect(error, { depth: 10, showHidden: true }),
  };
}

/** Hooks that record their payloads, as a caller's logging would. */
function recordingHooks() {
  const payloads = [];
  return {
    payloads,
    hooks: {
      onRequest: (summary) => payloads.push({ hook: 'onRequest', ...summary }),
      onResponse: (summary) => payloads.push({ hook: 'onResponse', ...summary }),
    },
  };
}

const CONSOLE_METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'];

/**
 * Runs `action` with every console method (and process warnings) captured; resolves to
 * what `action` threw or rejected with, and everything written meanwhile.
 */
async function failureOf(action) {
  const written = [];
  const saved = {};
  for (const name of CONSOLE_METHODS) {
    saved[name] = console[name];
    console[name] = (...args) => written.push(`console.${name}: ${util.format(...args)}`);
  }
  const onWarning = (warning) => written.push(`warning: ${util.inspect(warning)}`);
  process.on('warning', onWarning);
  try {
    let error;
    try {
      const value = await action();
      assert.fail(`expected a failure, but it resolved to ${util.inspect(value)}`);
    } catch (caught) {
      if (caught instanceof assert.AssertionError) throw caught;
      error = caught;
    }
    // A warning is emitted on the next tick; give it the chance to be caught.
    await new Promise((resolve) => setImmediate(resolve));
    return { error, written };
  } finally {
    for (const name of CONSOLE_METHODS) console[name] = saved[name];
    process.off('warning', onWarning);
  }
}

/** Asserts an error's code and that no rendering, hook payload or console line leaks. */
function assertCleanFailure({ error, written }, payloads, code) {
  assert.ok(error instanceof ContainerSecurityError,
    `a ContainerSecurityError, not ${util.inspect(error)}`);
  assert.equal(error.code, code, `the code (message: ${error.message})`);
  for (const [view, text] of Object.entries(renderings(error))) {
    assertNoSecret(view, text);
  }
  assertNoSecret('the hooks\' payloads', JSON.stringify(payloads));
  for (const payload of payloads) {
    const allowed = ['hook', 'method', 'url', 'attempt', 'status', 'durationMs'];
    assert.deepEqual(Object.keys(payload).filter((key) => !allowed.includes(key)), [],
      'a hook is given only the method, URL, attempt, status and duration');
  }
  assertNoSecret('the console', written.join('\n'));
  assert.deepEqual(written, [], 'the package writes nothing to the console');
}

function client(token, extra = {}) {
  return new ContainerSecurityClient({ baseUrl: emulator.url, token, retry: false, ...extra });
}

function fault(body) {
  return emulatorSupport(emulator, 'POST', '/__emulator/faults', body);
}

/** A URL on 127.0.0.1 where nothing listens (a port that was free a moment ago). */
async function deadUrl() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return `http://127.0.0.1:${port}`;
}

/** A fetch double that answers `status` with `body` (JSON unless a string) and headers. */
function answering(status, body, headers = {}) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    const type = typeof body === 'string' ? 'text/plain' : 'application/json';
    return new Response(status === 204 ? null : text,
      { status, headers: { 'content-type': type, ...headers } });
  };
  return { fetch, calls };
}

function viaFetch(fetch, extra = {}) {
  return new ContainerSecurityClient({
    baseUrl: 'https://gateway.qg1.apps.qualys.com', token: STATIC_TOKEN, fetch, retry: false,
    ...extra,
  });
}

const VALID_SCHEDULE = { schedule: '09:30', scheduleIntervalInDays: 7, weekDay: 'THURSDAY' };

// ---------------------------------------------------------------------------------------
// 1. The token and the password never leak

// Every failure a call can meet, each provoked for real: `run(hooks)` makes the call
// (hooks go into every client and login); `setup` queues what the emulator should do.
const FAILURES = [
  // VALIDATION of every input, the secrets given where they do not belong.
  ...[
    ['connectorId', (c) => c.deleteAcrConnector(STATIC_TOKEN)],
    ['arn', (c) => c.deleteAwsConnector(`arn:aws:iam::${STATIC_TOKEN}:role/x`)],
    ['registryId', (c) => c.listRegistrySchedules(adminJwt)],
    ['page', (c) => c.listRegistrySchedules(SEED.registryId, { pageNumber: 0, pageSize: 1001 })],
    ['page as text', (c) => c.listSensorProfiles({ pageNumber: STATIC_TOKEN })],
    ['schedule fields', (c) => c.createRegistrySchedule(SEED.registryId, {
      schedule: STATIC_TOKEN, scheduleIntervalInDays: 7.5, weekDay: adminJwt,
      onDemand: STATIC_TOKEN, name: STATIC_TOKEN.repeat(60),
      filters: [{ days: 3.5, repoTags: [{ repo: '', tag: '' }] }],
      additionalFilters: { numberOfTags: 0, sortCriteria: 7 },
    })],
    ['schedule filters', (c) => c.createRegistrySchedule(SEED.registryId,
      { ...VALID_SCHEDULE, filters: STATIC_TOKEN })],
    ['schedule input not data', (c) => c.createRegistrySchedule(SEED.registryId,
      () => STATIC_TOKEN)],
    ['scheduleId', (c) => c.updateRegistrySchedule(SEED.registryId, STATIC_TOKEN,
      VALID_SCHEDULE)],
    ['registryId of an update', (c) => c.updateRegistrySchedule(STATIC_TOKEN, SEED.scheduleId,
      VALID_SCHEDULE)],
    ['sensorProfileId', (c) => c.getSensorProfile(adminJwt)],
    ['sensorProfileId of an update', (c) => c.updateSensorProfile(STATIC_TOKEN,
      { profileName: 'p' })],
    ['sensorProfileId of a delete', (c) => c.deleteSensorProfile(STATIC_TOKEN)],
    ['profile fields', (c) => c.createSensorProfile({
      profileName: '', description: STATIC_TOKEN.repeat(60),
    })],
    ['__proto__ key', (c) => c.createSensorProfile(
      JSON.parse(`{"profileName":"p","__proto__":{"token":"${STATIC_TOKEN}"}}`))],
    ['options.signal', (c) => c.listSensorProfiles(undefined, { signal: STATIC_TOKEN })],
    ['options.timeoutMs', (c) => c.listSensorProfiles(undefined, { timeoutMs: STATIC_TOKEN })],
    ['paging limit', async (c) => {
      for await (const item of c.sensorProfiles({ limit: STATIC_TOKEN })) return item;
    }],
  ].map(([field, call]) => ({
    name: `VALIDATION: ${field}`,
    code: 'VALIDATION',
    run: (hooks) => call(client(adminJwt, hooks)),
  })),
  {
    name: 'VALIDATION: a token provider answering a token with a newline',
    code: 'VALIDATION',
    run: (hooks) => client(() => `${STATIC_TOKEN}\n`, hooks).listSensorProfiles(),
  },
  {
    name: 'UNAUTHORIZED: a token provider answering no string',
    code: 'UNAUTHORIZED',
    run: (hooks) => client(() => ({ token: STATIC_TOKEN }), hooks).listSensorProfiles(),
  },
  {
    name: 'UNAUTHORIZED: a token provider that throws',
    code: 'UNAUTHORIZED',
    run: (hooks) => client(() => { throw new Error('the vault is sealed'); }, hooks)
      .listSensorProfiles(),
  },
  {
    name: 'UNAUTHORIZED: a token provider that rejects with no Error',
    code: 'UNAUTHORIZED',
    run: (hooks) => client(async () => { throw 'the vault is sealed'; }, hooks)
      .listSensorProfiles(),
  },
  {
    name: 'VALIDATION: login without a user name',
    code: 'VALIDATION',
    run: (hooks) => login({ baseUrl: emulator.url, username: '', password: WRONG_PASSWORD,
      ...hooks }),
  },
  {
    name: 'VALIDATION: login with a password that is not a string',
    code: 'VALIDATION',
    run: (hooks) => login({ baseUrl: emulator.url, username: 'qualys_admin',
      password: { value: WRONG_PASSWORD }, ...hooks }),
  },
  {
    name: 'VALIDATION: login to a plain-http gateway',
    code: 'VALIDATION',
    run: (hooks) => login({ baseUrl: 'http://example.com', username: 'qualys_admin',
      password: WRONG_PASSWORD, ...hooks }),
  },
  {
    name: 'VALIDATION: login with bad settings',
    code: 'VALIDATION',
    run: (hooks) => login({ platform: STATIC_TOKEN, username: 'qualys_admin',
      password: WRONG_PASSWORD, timeoutMs: WRONG_PASSWORD, userAgent: `${WRONG_PASSWORD}\n`,
      ...hooks }),
  },
  // VALIDATION of the constructor's options (thrown synchronously, caught here).
  ...[
    ['baseUrl with the token in its path', () => ({
      baseUrl: `http://example.com/${STATIC_TOKEN}`, token: adminJwt })],
    ['baseUrl with the token as user info', () => ({
      baseUrl: `https://user:${STATIC_TOKEN}@gateway.example`, token: adminJwt })],
    ['baseUrl with the token in a query', () => ({
      baseUrl: `https://gateway.example/?token=${adminJwt}`, token: adminJwt })],
    ['a token with a non-ASCII character', () => ({
      baseUrl: emulator.url, token: `${STATIC_TOKEN}\u00e9` })],
    ['a token with a newline', () => ({ baseUrl: emulator.url, token: `${adminJwt}\r\n` })],
    ['a token that is an object', () => ({ baseUrl: emulator.url, token: { adminJwt } })],
    ['an empty token', () => ({ baseUrl: emulator.url, token: '   ' })],
    ['every plain setting wrong', () => ({
      baseUrl: emulator.url, token: adminJwt, timeoutMs: STATIC_TOKEN, retry: STATIC_TOKEN,
      userAgent: `${STATIC_TOKEN}\n`, maxResponseBytes: STATIC_TOKEN })],
    ['baseUrl and platform', () => ({
      baseUrl: emulator.url, platform: STATIC_TOKEN, token: adminJwt })],
    ['an unknown platform', () => ({ platform: STATIC_TOKEN, token: adminJwt })],
    ['fetch not a function', () => ({ baseUrl: emulator.url, token: adminJwt,
      fetch: STATIC_TOKEN })],
    ['a hook not a function', () => ({ baseUrl: emulator.url, token: adminJwt,
      onRequest: STATIC_TOKEN })],
    ['the JS-side settings wrong', () => ({ baseUrl: emulator.url, token: adminJwt,
      maxConcurrency: STATIC_TOKEN, deadlineMs: STATIC_TOKEN })],
    ['token and credentials', () => ({ baseUrl: emulator.url, token: STATIC_TOKEN,
      credentials: { username: 'qualys_admin', password: WRONG_PASSWORD } })],
    ['credentials without a string user name', () => ({ baseUrl: emulator.url,
      credentials: { username: 5, password: WRONG_PASSWORD } })],
    ['options that are the token', () => STATIC_TOKEN],
  ].map(([what, options]) => ({
    name: `VALIDATION: constructor, ${what}`,
    code: 'VALIDATION',
    run: async () => new ContainerSecurityClient(options()),
  })),
  // The answers of the gateway.
  {
    name: 'UNAUTHORIZED: a static token the gateway does not know',
    code: 'UNAUTHORIZED',
    run: (hooks) => client(STATIC_TOKEN, hooks).listSensorProfiles(),
  },
  {
    name: 'UNAUTHORIZED: a login with a wrong password',
    code: 'UNAUTHORIZED',
    run: (hooks) => login({ baseUrl: emulator.url, username: USERS.admin.username,
      password: WRONG_PASSWORD, ...hooks }),
  },
  {
    name: 'UNAUTHORIZED: a client whose credentials are wrong',
    code: 'UNAUTHORIZED',
    run: (hooks) => new ContainerSecurityClient({ baseUrl: emulator.url, retry: false,
      credentials: { username: USERS.admin.username, password: WRONG_PASSWORD }, ...hooks,
    }).listSensorProfiles(),
  },
  {
    name: 'FORBIDDEN: a role without the permission',
    code: 'FORBIDDEN',
    run: (hooks) => client(noneJwt, hooks).deleteSensorProfile(SEED.defaultProfileId),
  },
  {
    name: 'NOT_FOUND: an unknown profile, with credentials',
    code: 'NOT_FOUND',
    run: (hooks) => new ContainerSecurityClient({ baseUrl: emulator.url, retry: false,
      credentials: USERS.admin, ...hooks }).getSensorProfile(UNKNOWN_UUID),
  },
  {
    name: 'PRECONDITION_FAILED: an ACR connector in use',
    code: 'PRECONDITION_FAILED',
    run: (hooks) => client(adminJwt, hooks).deleteAcrConnector(SEED.associatedAcrConnectorId),
  },
  {
    name: 'PRECONDITION_FAILED: an AWS connector in use',
    code: 'PRECONDITION_FAILED',
    run: (hooks) => client(adminJwt, hooks).deleteAwsConnector(SEED.associatedAwsConnectorArn),
  },
  {
    name: 'RATE_LIMITED: the gateway\'s limiter',
    code: 'RATE_LIMITED',
    setup: () => emulatorSupport(emulator, 'POST', '/__emulator/rate-limit', { limit: 0 }),
    run: (hooks) => client(adminJwt, hooks).listSensorProfiles(),
  },
  {
    name: 'RATE_LIMITED: retried until the attempts run out',
    code: 'RATE_LIMITED',
    setup: () => fault({ status: 429, headers: { 'Retry-After': '0' }, times: 2 }),
    run: (hooks) => client(adminJwt, { ...hooks, retry: { attempts: 2 } })
      .listSensorProfiles(),
  },
  {
    name: 'SERVER: a 500 with the common error body',
    code: 'SERVER',
    setup: () => fault({ status: 500, body: { errorCode: '500 X', message: 'it broke' } }),
    run: (hooks) => client(adminJwt, hooks).listSensorProfiles(),
  },
  {
    name: 'SERVER: a proxy\'s 502 HTML page',
    code: 'SERVER',
    setup: () => fault({ status: 502, body: '<html><body>Bad gateway</body></html>' }),
    run: (hooks) => client(adminJwt, hooks).getSensorProfile(SEED.defaultProfileId),
  },
  {
    name: 'HTTP: a redirect',
    code: 'HTTP',
    setup: () => fault({ redirectTo: `${recorder.url}${PROFILES_PATH}`, status: 307 }),
    run: (hooks) => client(adminJwt, hooks).listSensorProfiles(),
  },
  {
    name: 'HTTP: a 400 from the server',
    code: 'HTTP',
    setup: () => fault({ status: 400,
      body: { errorCode: '400 BAD_REQUEST', message: 'schedule is not idle' } }),
    run: (hooks) => client(adminJwt, hooks).updateRegistrySchedule(SEED.registryId,
      SEED.scheduleId, VALID_SCHEDULE),
  },
  {
    name: 'HTTP: a login redirected',
    code: 'HTTP',
    setup: () => fault({ path: '/auth', redirectTo: `${recorder.url}/auth`, status: 308 }),
    run: (hooks) => login({ baseUrl: emulator.url, ...USERS.admin, ...hooks }),
  },
  {
    name: 'NETWORK: a port nothing listens on',
    code: 'NETWORK',
    run: async (hooks) => client(adminJwt, { ...hooks, baseUrl: await deadUrl() })
      .listSensorProfiles(),
  },
  {
    name: 'NETWORK: a login to a port nothing listens on',
    code: 'NETWORK',
    run: async (hooks) => login({ baseUrl: await deadUrl(), username: 'qualys_admin',
      password: WRONG_PASSWORD, ...hooks }),
  },
  {
    name: 'NETWORK: a fetch that rejects',
    code: 'NETWORK',
    run: (hooks) => client(adminJwt, { ...hooks,
      fetch: async () => { throw new TypeError('fetch failed: socket hang up'); },
    }).listSensorProfiles(),
  },
  {
    name: 'NETWORK: a fetch that resolves to no Response',
    code: 'NETWORK',
    run: (hooks) => client(adminJwt, { ...hooks, fetch: async () => 'no response' })
      .listSensorProfiles(),
  },
  {
    name: 'TIMEOUT: an attempt past its timeoutMs',
    code: 'TIMEOUT',
    setup: () => fault({ delayMs: 5_000 }),
    run: (hooks) => client(adminJwt, { ...hooks, timeoutMs: 100 }).listSensorProfiles(),
  },
  {
    name: 'TIMEOUT: a call past its deadlineMs',
    code: 'TIMEOUT',
    setup: () => fault({ delayMs: 5_000 }),
    run: (hooks) => client(adminJwt, { ...hooks, deadlineMs: 100 }).listSensorProfiles(),
  },
  {
    name: 'TIMEOUT: a login past its timeoutMs',
    code: 'TIMEOUT',
    setup: () => fault({ path: '/auth', delayMs: 5_000 }),
    run: (hooks) => login({ baseUrl: emulator.url, ...USERS.admin, timeoutMs: 100, ...hooks }),
  },
  {
    name: 'ABORTED: the caller\'s signal',
    code: 'ABORTED',
    setup: () => fault({ delayMs: 5_000 }),
    run: (hooks) => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(new Error(STATIC_TOKEN)), 50);
      return client(adminJwt, hooks).listSensorProfiles(undefined,
        { signal: controller.signal });
    },
  },
  {
    name: 'ABORTED: a signal aborted before the call',
    code: 'ABORTED',
    run: (hooks) => client(adminJwt, hooks).listSensorProfiles(undefined,
      { signal: AbortSignal.abort(new Error(STATIC_TOKEN)) }),
  },
  {
    name: 'DECODE: an HTML page where JSON belongs',
    code: 'DECODE',
    setup: () => fault({ status: 200, body: '<html>login page</html>' }),
    run: (hooks) => client(adminJwt, hooks).listSensorProfiles(),
  },
  {
    name: 'DECODE: a field of the wrong type',
    code: 'DECODE',
    setup: () => fault({ status: 200, body: { data: 'not a list', count: 'one' } }),
    run: (hooks) => client(adminJwt, hooks).listSensorProfiles(),
  },
  {
    name: 'DECODE: a login answered with a page, not a token',
    code: 'DECODE',
    setup: () => fault({ path: '/auth', status: 201, body: '<html>Sign in</html>' }),
    run: (hooks) => login({ baseUrl: emulator.url, ...USERS.admin, ...hooks }),
  },
];

describe('1. the token and the password never leak', () => {
  for (const failure of FAILURES) {
    test(failure.name, BOUNDED, async () => {
      await failure.setup?.();
      const { payloads, hooks } = recordingHooks();
      const outcome = await failureOf(() => failure.run(hooks));
      assertCleanFailure(outcome, payloads, failure.code);
    });
  }

  test('a redirect reached no one and the hooks saw the status', BOUNDED, async () => {
    await fault({ redirectTo: `${recorder.url}${PROFILES_PATH}`, status: 302 });
    const { payloads, hooks } = recordingHooks();
    const outcome = await failureOf(() => client(adminJwt, hooks).listSensorProfiles());
    assertCleanFailure(outcome, payloads, 'HTTP');
    assert.deepEqual(payloads.map(({ hook, status }) => [hook, status]),
      [['onRequest', undefined], ['onResponse', 302]]);
  });

  test('the client object shows no token, however it is inspected', BOUNDED, async () => {
    const clients = {
      'a static token': client(STATIC_TOKEN),
      'a JWT': client(adminJwt),
      'a token provider': client(() => adminJwt),
      'credentials': new ContainerSecurityClient({ baseUrl: emulator.url,
        credentials: USERS.admin }),
    };
    // A client that has logged in holds the JWT too: inspect it after a call.
    await clients.credentials.listSensorProfiles();
    await clients['a JWT'].listSensorProfiles();
    for (const [what, each] of Object.entries(clients)) {
      const views = {
        'util.inspect(client)': util.inspect(each),
        'util.inspect(client, showHidden)': util.inspect(each,
          { depth: 10, showHidden: true, getters: true }),
        'JSON.stringify(client)': JSON.stringify(each),
        'Reflect.ownKeys(client)': util.inspect(Reflect.ownKeys(each)),
        '{ ...client }': util.inspect({ ...each }, { depth: 10, showHidden: true }),
        'String(client)': String(each),
        'client.rateLimit': JSON.stringify(each.rateLimit),
      };
      for (const [view, text] of Object.entries(views)) {
        assertNoSecret(`${view} of a client with ${what}`, text);
      }
      assert.equal(JSON.stringify(each), '{}', `nothing to serialise (${what})`);
    }
  });

  test('a token provider that throws rejects with UNAUTHORIZED and sends nothing', BOUNDED,
    async () => {
      const { fetch, calls } = answering(200, { data: [], count: 0 });
      const thrown = new TypeError('the vault is sealed');
      const asked = [];
      // Retries on: a provider's failure is final, and it is not asked again to refresh.
      const failing = viaFetch(fetch, {
        token: (request) => { asked.push(request); throw thrown; },
        retry: { attempts: 3, baseDelayMs: 1 },
      });
      const { error, written } = await failureOf(() => failing.listSensorProfiles());
      assert.ok(error instanceof ContainerSecurityError, util.inspect(error));
      assert.equal(error.code, 'UNAUTHORIZED');
      assert.equal(error.message, 'the token provider failed: the vault is sealed');
      assert.equal(error.cause, thrown, 'the provider\'s own error is the cause');
      assert.equal(error.status, undefined);
      assert.deepEqual(asked, [{ refresh: false }], 'asked once, not asked to refresh');
      assert.equal(calls.length, 0, 'nothing was sent');
      assert.deepEqual(written, []);

      // A rejection with something that is not an Error is quoted as text.
      const rejecting = viaFetch(fetch, { token: async () => { throw 'sealed'; } });
      const second = await failureOf(() => rejecting.listSensorProfiles());
      assert.equal(second.error.code, 'UNAUTHORIZED');
      assert.equal(second.error.message, 'the token provider failed: sealed');
      assert.equal(second.error.cause, 'sealed');
      // A provider that throws the package's own error keeps it as it is.
      const own = new ContainerSecurityError('no token yet', { code: 'VALIDATION' });
      const passing = viaFetch(fetch, { token: () => { throw own; } });
      assert.equal((await failureOf(() => passing.listSensorProfiles())).error, own);
      assert.equal(calls.length, 0, 'still nothing was sent');
    });

  test('a fetch double sees the token only in the Authorization header', BOUNDED, async () => {
    const { fetch, calls } = answering(404, { errorCode: '404 NOT_FOUND', message: 'no' });
    await failureOf(() => viaFetch(fetch).getSensorProfile(UNKNOWN_UUID));
    assert.equal(calls.length, 1);
    const [{ url, init }] = calls;
    assert.equal(init.headers.authorization, `Bearer ${STATIC_TOKEN}`);
    assert.equal(init.redirect, 'manual', 'redirects are not followed');
    const { authorization, ...rest } = init.headers;
    assertNoSecret('the URL', url);
    assertNoSecret('the other headers', JSON.stringify(rest));
    assert.equal(init.body, undefined, 'a GET has no body');
  });

  test('a fetch double sees the password only in the login\'s form body', BOUNDED, async () => {
    const { fetch, calls } = answering(401, { errorCode: '401 UNAUTHORIZED', message: 'no' });
    await failureOf(() => login({ baseUrl: 'https://gateway.qg1.apps.qualys.com',
      username: 'qualys_admin', password: WRONG_PASSWORD, fetch }));
    assert.equal(calls.length, 1);
    const [{ url, init }] = calls;
    assert.equal(url, 'https://gateway.qg1.apps.qualys.com/auth');
    assert.equal(init.method, 'POST');
    assert.equal(init.redirect, 'manual');
    assert.equal(new URLSearchParams(init.body).get('password'), WRONG_PASSWORD);
    assertNoSecret('the headers of a login', JSON.stringify(init.headers));
  });
});

// The package quotes what a server or a fetch implementation says; every secret it sent
// (the token; for a login, the password as given and as the form spells it) is replaced
// by `<redacted>` in the answer before it is decoded, and in every error's texts after.
describe('1b. secrets that a server or a fetch echoes back are redacted', () => {
  /** The failure's code, no secret in any rendering, and `<redacted>` where it stood. */
  function assertRedacted(outcome, code, fields = ['message']) {
    assertCleanFailure(outcome, [], code);
    for (const field of fields) {
      assert.ok(outcome.error[field].includes(REDACTED),
        `${field} shows where the secret was: ${outcome.error[field]}`);
    }
  }

  test('a fetch whose rejection quotes the request', BOUNDED, async () => {
    const outcome = await failureOf(() => viaFetch(async (url, init) => {
      throw new Error(`proxy refused ${url} with ${JSON.stringify(init.headers)}`);
    }).listSensorProfiles());
    assertRedacted(outcome, 'NETWORK');
    // The rest of the rejection is still quoted.
    assert.match(outcome.error.message,
      /^the request failed: Error: proxy refused https:\/\/gateway\.qg1\.apps\.qualys\.com\//);
    assert.ok(outcome.error.message.includes(`"authorization":"Bearer ${REDACTED}"`),
      outcome.error.message);
  });

  test('a server that quotes the Authorization header in its 401', BOUNDED, async () => {
    const outcome = await failureOf(() => viaFetch(async (url, init) => new Response(
      JSON.stringify({ errorCode: init.headers.authorization,
        message: `Token ${init.headers.authorization} is not valid` }),
      { status: 401, headers: { 'content-type': 'application/json' } },
    )).listSensorProfiles());
    assertRedacted(outcome, 'UNAUTHORIZED', ['message', 'serverMessage', 'serverErrorCode']);
    const { error } = outcome;
    assert.equal(error.status, 401);
    assert.equal(error.serverMessage, `Token Bearer ${REDACTED} is not valid`);
    assert.equal(error.serverErrorCode, `Bearer ${REDACTED}`);
    assert.ok(error.message.endsWith(`: Token Bearer ${REDACTED} is not valid`), error.message);
  });

  test('a token from a provider is redacted as well', BOUNDED, async () => {
    const asked = [];
    const outcome = await failureOf(() => viaFetch(async (url, init) => new Response(
      JSON.stringify({ errorCode: '401 X', message: `refused ${init.headers.authorization}` }),
      { status: 401, headers: { 'content-type': 'application/json' } },
    ), { token: (request) => { asked.push(request); return STATIC_TOKEN; } })
      .listSensorProfiles());
    assertRedacted(outcome, 'UNAUTHORIZED', ['message', 'serverMessage']);
    assert.equal(outcome.error.serverMessage, `refused Bearer ${REDACTED}`);
    assert.deepEqual(asked, [{ refresh: false }, { refresh: true }], 'refreshed once after 401');
  });

  test('a success answer whose Content-Type quotes the token', BOUNDED, async () => {
    const outcome = await failureOf(() => viaFetch(async (url, init) => new Response('x', {
      status: 200, headers: { 'content-type': `text/html; ${init.headers.authorization}` },
    })).listSensorProfiles());
    assertRedacted(outcome, 'DECODE');
    assert.ok(outcome.error.message.includes(`\`text/html; Bearer ${REDACTED}\``),
      outcome.error.message);
  });

  test('a success answer whose body quotes the token in a wrong value', BOUNDED, async () => {
    const outcome = await failureOf(() => viaFetch(async (url, init) => new Response(
      JSON.stringify({ data: [], count: init.headers.authorization }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    )).listSensorProfiles());
    assertRedacted(outcome, 'DECODE');
    assert.match(outcome.error.message, /`count`/);
  });

  test('a JWT quoted past the 200-character limit leaves no piece behind', BOUNDED,
    async () => {
      // The JWT straddles the point where the error's message stops quoting: it is
      // redacted before the text is cut, so neither its header nor its payload shows.
      const outcome = await failureOf(() => client(adminJwt, {
        fetch: async (url, init) => new Response(JSON.stringify({ errorCode: '500 X',
          message: `${'y'.repeat(150)} ${init.headers.authorization} broke it` }),
        { status: 500, headers: { 'content-type': 'application/json' } }),
      }).listSensorProfiles());
      assertRedacted(outcome, 'SERVER', ['message', 'serverMessage']);
      const [header, payload] = adminJwt.split('.');
      for (const text of [outcome.error.message, outcome.error.serverMessage]) {
        assert.ok(!text.includes(header) && !text.includes(payload.slice(0, 16)), text);
      }
      assert.equal(outcome.error.serverMessage,
        `${'y'.repeat(150)} Bearer ${REDACTED} broke it`);
    });

  test('a login whose 401 quotes the form body', BOUNDED, async () => {
    const outcome = await failureOf(() => login({
      baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin',
      password: WRONG_PASSWORD,
      fetch: async (url, init) => new Response(`bad credentials: ${init.body}`,
        { status: 401, headers: { 'content-type': 'text/plain' } }),
    }));
    assertRedacted(outcome, 'UNAUTHORIZED', ['message', 'serverMessage']);
    assert.equal(outcome.error.serverMessage,
      `bad credentials: username=qualys_admin&password=${REDACTED}&token=true`);
  });

  test('a login whose 401 quotes the password as given and form-encoded', BOUNDED,
    async () => {
      // A password the form spells differently: both spellings are redacted.
      const password = 'pw SECRET&=+/\u00e9 0987654321';
      const encoded = new URLSearchParams({ password }).toString().slice('password='.length);
      assert.notEqual(encoded, password);
      const outcome = await failureOf(() => login({
        baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin', password,
        fetch: async (url, init) => new Response(JSON.stringify({ errorCode: password,
          message: `refused ${password} (sent as ${init.body})` }),
        { status: 401, headers: { 'content-type': 'application/json' } }),
      }));
      assertRedacted(outcome, 'UNAUTHORIZED', ['message', 'serverMessage', 'serverErrorCode']);
      for (const [view, text] of Object.entries(renderings(outcome.error))) {
        assert.ok(!text.includes(password) && !text.includes(encoded), `${view}: ${text}`);
        assert.ok(!text.includes('pw SECRET') && !text.includes('pw+SECRET'), `${view}: ${text}`);
      }
      assert.equal(outcome.error.serverMessage,
        `refused ${REDACTED} (sent as username=qualys_admin&password=${REDACTED}&token=true)`);
      assert.equal(outcome.error.serverErrorCode, REDACTED);
    });

  test('a login whose fetch rejection quotes the form body', BOUNDED, async () => {
    const outcome = await failureOf(() => login({
      baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin',
      password: WRONG_PASSWORD,
      fetch: async (url, init) => { throw new Error(`cannot send ${init.body}`); },
    }));
    assertRedacted(outcome, 'NETWORK');
    assert.equal(outcome.error.message, 'the request failed: Error: cannot send '
      + `username=qualys_admin&password=${REDACTED}&token=true`);
  });

  test('a credentials client whose login 401 quotes the password', BOUNDED, async () => {
    await fault({ path: '/auth', status: 401,
      body: { errorCode: WRONG_PASSWORD, message: `bad password ${WRONG_PASSWORD}` } });
    const outcome = await failureOf(() => new ContainerSecurityClient({ baseUrl: emulator.url,
      retry: false, credentials: { username: 'qualys_admin', password: WRONG_PASSWORD },
    }).listSensorProfiles());
    assertRedacted(outcome, 'UNAUTHORIZED', ['message', 'serverMessage', 'serverErrorCode']);
    assert.equal(outcome.error.serverMessage, `bad password ${REDACTED}`);
  });

  // A secret cut, escaped or cleaned on its way back is still found: the client takes
  // every spelling of it out before any text is cut.

  test('a fetch rejection that quotes a JWT near its 300-character cut', BOUNDED,
    async () => {
      // A proxy agent quoting the request: the JWT starts around character 165 of the
      // rejection's text, which is cut to 300 characters.
      const outcome = await failureOf(() => client(adminJwt, {
        fetch: async (url, init) => {
          throw new Error(`proxy refused ${url} with ${JSON.stringify(init.headers)}`);
        },
      }).listSensorProfiles());
      assertCleanFailure(outcome, [], 'NETWORK');
      assert.ok(!outcome.error.message.includes(adminJwt), 'the whole JWT never shows');
      // No piece of it either: the rejection is redacted before it is cut.
      assert.ok(!outcome.error.message.includes(adminJwt.slice(0, 40)), outcome.error.message);
      assert.ok(outcome.error.message.includes(`Bearer ${REDACTED}`), outcome.error.message);
    });

  test('a password that JSON escapes, echoed and cut by the message limit', BOUNDED,
    async () => {
      // `"` (like `\`, or `/` where a server writes `\/`) is escaped in a JSON body, so
      // the raw body never holds the password as given; it is only found once decoded.
      const password = 'pw"SECRET"0987654321';
      const outcome = await failureOf(() => login({
        baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin', password,
        fetch: async () => new Response(JSON.stringify({ errorCode: '500 X',
          message: `${'y'.repeat(185)}${password}` }),
        { status: 500, headers: { 'content-type': 'application/json' } }),
      }));
      assert.equal(outcome.error.code, 'SERVER');
      // serverMessage (cut at 500) holds it whole, so it is redacted there...
      assert.equal(outcome.error.serverMessage, `${'y'.repeat(185)}${REDACTED}`);
      assert.ok(!outcome.error.message.includes(password));
      // ...and so is its escaped spelling in the raw body, before the message quotes it.
      assert.ok(!outcome.error.message.includes('pw"SECRET'), outcome.error.message);
      assert.ok(!outcome.error.message.includes('pw\\"SECRET'), outcome.error.message);
    });

  test('a password with a control character, echoed in JSON', BOUNDED, async () => {
    const password = 'pw\tSECRET-0987654321';
    const outcome = await failureOf(() => login({
      baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin', password,
      fetch: async () => new Response(JSON.stringify({ errorCode: '401 X',
        message: `bad ${password}` }),
      { status: 401, headers: { 'content-type': 'application/json' } }),
    }));
    assert.equal(outcome.error.code, 'UNAUTHORIZED');
    assert.ok(!outcome.error.serverMessage.includes(password));
    // The escaped `\t` in the body is one of the password's spellings, so it is taken
    // out before the text is decoded and cleaned.
    assert.equal(outcome.error.serverMessage, `bad ${REDACTED}`);
    assert.ok(!outcome.error.message.includes('SECRET-0987654321'), outcome.error.message);
  });
});

// Inputs the package refuses before it sends anything.
describe('1d. inputs that are refused', () => {
  test('call options that are not an object are refused and nothing is sent', BOUNDED,
    async () => {
      const { fetch, calls } = answering(200, { data: [], count: 0 });
      const refusing = viaFetch(fetch);
      for (const options of [STATIC_TOKEN, 5, true, Symbol('options'), () => ({})]) {
        const outcome = await failureOf(() => refusing.listSensorProfiles(undefined, options));
        assertCleanFailure(outcome, [], 'VALIDATION');
        assert.deepEqual(outcome.error.issues,
          [{ field: 'options', message: 'must be an object { signal?, timeoutMs? }' }],
          `options ${typeof options}`);
        assert.equal(outcome.error.message, 'invalid input: options: must be an object { signal?, timeoutMs? }');
      }
      await assert.rejects(refusing.getSensorProfile(UNKNOWN_UUID, 'x'),
        (error) => error.code === 'VALIDATION' && error.issues[0].field === 'options');
      assert.equal(calls.length, 0, 'nothing was sent');
      // No options, null and an object are still accepted.
      for (const options of [undefined, null, {}]) {
        assert.deepEqual(await refusing.listSensorProfiles(undefined, options),
          { data: [], count: 0 });
      }
      assert.equal(calls.length, 3);
    });

  test('a login answered 201 with JSON instead of a JWT is refused', BOUNDED, async () => {
    await fault({ path: '/auth', status: 201, body: { token: null } });
    const { error } = await failureOf(() => login({ baseUrl: emulator.url, ...USERS.admin }));
    assert.equal(error.code, 'DECODE');
    assert.equal(error.status, 201);
    assert.equal(error.message, 'the login answer carries no token');
  });

  test('a login answer that starts as JSON, HTML or a JSON string is refused', BOUNDED,
    async () => {
      for (const body of ['[]', '["eyJ.a.b"]', '<eyJ.a.b>', '"eyJ.a.b"', '{}']) {
        const { fetch, calls } = answering(201, body);
        const { error } = await failureOf(() => login({
          baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin',
          password: WRONG_PASSWORD, fetch }));
        assert.equal(error.code, 'DECODE', `body ${body}`);
        assert.equal(error.message, 'the login answer carries no token');
        assert.equal(calls.length, 1);
      }
      // A JWT-like body is still the token.
      const { fetch } = answering(201, ' eyJ.a.b\n');
      assert.equal(await login({ baseUrl: 'https://gateway.qg1.apps.qualys.com',
        username: 'qualys_admin', password: WRONG_PASSWORD, fetch }), 'eyJ.a.b');
    });
});

// ---------------------------------------------------------------------------------------
// 1c. The CLI: failing commands print no secret, on either stream

describe('1c. the CLI prints no secret when a command fails', () => {
  let folder;

  before(async () => {
    folder = await mkdtemp(join(tmpdir(), 'qualys-cs-security-'));
  });

  after(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  // The environment of a run: the token (or credentials) only there, never on argv
  // unless a case puts it there on purpose.
  function environment(extra) {
    const env = { ...process.env };
    for (const name of Object.keys(env)) {
      if (name.startsWith('QUALYS_CS_')) delete env[name];
    }
    return { ...env, QUALYS_CS_BASE_URL: emulator.url, ...extra };
  }

  const CLI_FAILURES = [
    { name: 'VALIDATION of an id', code: 'VALIDATION', exit: 2,
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }), args: () => ['profiles', 'get', 'x'] },
    { name: 'VALIDATION of a plain-http gateway', code: 'VALIDATION', exit: 2,
      env: () => ({ QUALYS_CS_TOKEN: adminJwt, QUALYS_CS_BASE_URL: 'http://example.com' }),
      args: () => ['profiles', 'list'] },
    { name: 'VALIDATION of an input file quoting the token', code: 'VALIDATION', exit: 2,
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }),
      setup: () => writeFile(join(folder, 'bad.json'), `{"schedule": "${adminJwt}" ,,}`),
      args: () => ['schedules', 'create', SEED.registryId, '--input', join(folder, 'bad.json')] },
    { name: 'UNAUTHORIZED for an unknown token on the command line', code: 'UNAUTHORIZED',
      exit: 3, env: () => ({}), args: () => ['--token', STATIC_TOKEN, 'profiles', 'list'] },
    { name: 'UNAUTHORIZED for wrong credentials', code: 'UNAUTHORIZED', exit: 3,
      env: () => ({ QUALYS_CS_USERNAME: 'qualys_admin', QUALYS_CS_PASSWORD: WRONG_PASSWORD }),
      args: () => ['profiles', 'list'] },
    { name: 'UNAUTHORIZED for a login with a wrong password', code: 'UNAUTHORIZED', exit: 3,
      env: () => ({ QUALYS_CS_USERNAME: 'qualys_admin', QUALYS_CS_PASSWORD: WRONG_PASSWORD }),
      args: () => ['login'] },
    { name: 'UNAUTHORIZED for a login whose 401 echoes the password', code: 'UNAUTHORIZED',
      exit: 3,
      setup: () => fault({ path: '/auth', status: 401,
        body: { errorCode: '401 UNAUTHORIZED', message: `bad password ${WRONG_PASSWORD}` } }),
      env: () => ({ QUALYS_CS_USERNAME: 'qualys_admin', QUALYS_CS_PASSWORD: WRONG_PASSWORD }),
      args: () => ['login'] },
    { name: 'FORBIDDEN', code: 'FORBIDDEN', exit: 3,
      env: () => ({ QUALYS_CS_TOKEN: noneJwt }), args: () => ['profiles', 'list'] },
    { name: 'NOT_FOUND', code: 'NOT_FOUND', exit: 4,
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }), args: () => ['profiles', 'get', UNKNOWN_UUID] },
    { name: 'PRECONDITION_FAILED', code: 'PRECONDITION_FAILED', exit: 4,
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }),
      args: () => ['connectors', 'delete-acr', SEED.associatedAcrConnectorId] },
    { name: 'SERVER whose message echoes the token', code: 'SERVER', exit: 1,
      setup: () => fault({ status: 500,
        body: { errorCode: '500 X', message: `token ${STATIC_TOKEN} broke it` } }),
      env: () => ({}), args: () => ['--token', STATIC_TOKEN, 'profiles', 'list'] },
    { name: 'HTTP for a redirect', code: 'HTTP', exit: 1,
      setup: () => fault({ redirectTo: `${recorder.url}${PROFILES_PATH}` }),
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }), args: () => ['profiles', 'list'] },
    { name: 'NETWORK', code: 'NETWORK', exit: 1,
      env: async () => ({ QUALYS_CS_TOKEN: adminJwt, QUALYS_CS_BASE_URL: await deadUrl() }),
      args: () => ['profiles', 'list'] },
    { name: 'TIMEOUT', code: 'TIMEOUT', exit: 1,
      setup: () => fault({ delayMs: 10_000, times: 3 }),
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }),
      args: () => ['--timeout-ms', '100', 'profiles', 'list'] },
    { name: 'DECODE', code: 'DECODE', exit: 1,
      setup: () => fault({ status: 200, body: `<html>${adminJwt}</html>` }),
      env: () => ({ QUALYS_CS_TOKEN: adminJwt }), args: () => ['profiles', 'list'] },
  ];

  test('a JWT echoed by the server past the message limit is redacted before it is cut',
    BOUNDED, async () => {
      await fault({ status: 500,
        body: { errorCode: '500 X', message: `token ${adminJwt} broke it` } });
      const { code, stdout, stderr } = await run(process.execPath,
        [CLI_PATH, 'profiles', 'list'],
        { env: environment({ QUALYS_CS_TOKEN: adminJwt }), timeoutMs: 15_000 });
      assert.equal(code, 1);
      assert.equal(stdout, '');
      assert.match(stderr, /^qualys-cs: SERVER: /);
      // The JWT (about 220 characters) is longer than the 200 characters the message
      // quotes; the package redacts it first, so no piece of it is left to escape the
      // CLI's mask.
      assertNoSecret('stderr', stderr);
      const [header, payload] = adminJwt.split('.');
      assert.ok(!stderr.includes(header) && !stderr.includes(payload.slice(0, 16)), stderr);
      assert.ok(stderr.includes(`token ${REDACTED} broke it`), stderr);
    });

  test('a JWT the CLI obtained itself is redacted when echoed', BOUNDED, async () => {
    // The CLI logs in with the credentials of the environment; the gateway hands it this
    // token, then answers the API call with a message that quotes it.
    const issued = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJjbGkifQ.CLI-OBTAINED-SECRET';
    await fault({ path: '/auth', status: 201, body: issued });
    await fault({ status: 500, body: { errorCode: '500 X', message: `token ${issued} broke` } });
    const env = environment({
      QUALYS_CS_USERNAME: 'qualys_admin', QUALYS_CS_PASSWORD: WRONG_PASSWORD,
    });
    const { code, stdout, stderr } = await run(process.execPath,
      [CLI_PATH, 'profiles', 'list'], { env, timeoutMs: 15_000 });
    assert.equal(code, 1);
    assert.equal(stdout, '');
    assert.match(stderr, /^qualys-cs: SERVER: /);
    assertNoSecret('stderr', stderr);
    // The package redacts the token it sent, whoever got it.
    assert.ok(!stderr.includes('CLI-OBTAINED-SECRET') && !stderr.includes(issued), stderr);
    assert.ok(stderr.includes(`token ${REDACTED} broke`), stderr);
  });

  for (const failure of CLI_FAILURES) {
    test(failure.name, BOUNDED, async () => {
      await failure.setup?.();
      const env = environment(await failure.env());
      const { code, stdout, stderr } = await run(process.execPath, [CLI_PATH, ...failure.args()],
        { env, timeoutMs: 15_000 });
      assert.match(stderr, new RegExp(`^qualys-cs: ${failure.code}: `), `stderr: ${stderr}`);
      assert.equal(code, failure.exit, `the exit code (stderr: ${stderr})`);
      assertNoSecret('stdout', stdout);
      assertNoSecret('stderr', stderr);
      assert.equal(stdout, '', 'a failing command prints nothing on stdout');
    });
  }
});

// ---------------------------------------------------------------------------------------
// 2. baseUrl: https anywhere, plain http to a loopback host only

describe('2. the baseUrl rules', () => {
  // Each accepted URL and where the client sends a listing of profiles with it.
  const ACCEPTED = [
    ['https://gateway.qg1.apps.qualys.com', 'https://gateway.qg1.apps.qualys.com'],
    ['https://gateway.qg1.apps.qualys.com/', 'https://gateway.qg1.apps.qualys.com'],
    ['https://gateway.example:8443/base/', 'https://gateway.example:8443/base'],
    ['https://10.0.0.1', 'https://10.0.0.1'],
    ['HTTPS://GATEWAY.EXAMPLE', 'HTTPS://GATEWAY.EXAMPLE'],
    ['http://localhost', 'http://localhost'],
    ['http://localhost:8080/', 'http://localhost:8080'],
    ['http://LOCALHOST:1', 'http://LOCALHOST:1'],
    ['http://127.0.0.1', 'http://127.0.0.1'],
    ['http://127.1.2.3', 'http://127.1.2.3'],
    ['http://127.255.255.255:65535', 'http://127.255.255.255:65535'],
    ['http://[::1]', 'http://[::1]'],
    ['http://[::1]:8080', 'http://[::1]:8080'],
  ];

  const REFUSED = [
    'http://example.com',
    'http://10.0.0.1',
    'http://192.168.1.10:8080',
    'http://128.0.0.1',
    'http://127.0.0.1.evil.example',
    'http://localhost.evil.example',
    'http://127.0.0.1:80.evil.example',
    'http://localhost:8080.evil.example',
    'http://[::1].evil.example',
    'http://127.0.0.1@evil.example',
    'http://evil.example#@127.0.0.1',
    'http://0x7f000001',
    'http://2130706433',
    'http://[::ffff:127.0.0.1]',
    'http://localhost:99999',
    'ftp://x',
    'ws://localhost',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/plain,x',
    'https://user:pw@host',
    'https://user@host',
    'https://host/?q',
    'https://host/#f',
    'https://host\\evil.example',
    'https://',
    'https:///host',
    '//gateway.example',
    'gateway.qg1.apps.qualys.com',
    '',
    'https://gate way.example',
    'https://gateway.example\n.evil',
    'https://gateway.example/\r\nX-Injected: 1',
    'https://gateway.example\t',
    ' https://gateway.example',
  ];

  for (const [baseUrl, sentTo] of ACCEPTED) {
    test(`accepts ${JSON.stringify(baseUrl)}`, BOUNDED, async () => {
      const { fetch, calls } = answering(200, { data: [], count: 0 });
      const accepted = new ContainerSecurityClient({ baseUrl, token: STATIC_TOKEN, fetch });
      await accepted.listSensorProfiles();
      assert.equal(calls[0].url, `${sentTo}${PROFILES_PATH}?pageNumber=1&pageSize=50`);
    });
  }

  function isBaseUrlRefusal(error) {
    assert.ok(error instanceof ContainerSecurityError, util.inspect(error));
    assert.equal(error.code, 'VALIDATION');
    assert.ok(error.issues.some((issue) => issue.field === 'baseUrl'),
      `an issue names baseUrl: ${JSON.stringify(error.issues)}`);
    assert.ok(!CONTROL.test(error.message), 'the message quotes no control character');
    return true;
  }

  for (const baseUrl of REFUSED) {
    test(`refuses ${JSON.stringify(baseUrl)}, at construction and at login`, BOUNDED,
      async () => {
        const { fetch, calls } = answering(200, 'eyJ.a.b');
        // Synchronously: the constructor throws, it does not hand back a failing client.
        assert.throws(() => new ContainerSecurityClient({ baseUrl, token: STATIC_TOKEN, fetch }),
          isBaseUrlRefusal);
        await assert.rejects(login({ baseUrl, username: 'qualys_admin',
          password: WRONG_PASSWORD, fetch }), isBaseUrlRefusal);
        // The credentials client logs in with the same gateway: refused the same way.
        assert.throws(() => new ContainerSecurityClient({ baseUrl, fetch,
          credentials: { username: 'qualys_admin', password: WRONG_PASSWORD } }),
        isBaseUrlRefusal);
        assert.equal(calls.length, 0, 'nothing was sent');
      });
  }

  test('a baseUrl that is not a string is refused', BOUNDED, () => {
    for (const baseUrl of [new URL('https://gateway.example'), 42, ['https://x'], true]) {
      assert.throws(() => new ContainerSecurityClient({ baseUrl, token: STATIC_TOKEN }),
        isBaseUrlRefusal);
    }
  });
});

// ---------------------------------------------------------------------------------------
// 3. Redirects are never followed, so the token stays with the gateway

describe('3. redirects are not followed with the token', () => {
  const REDIRECTS = [301, 302, 303, 307, 308];
  const CALLS = [
    ['GET', PROFILES_PATH, (c) => c.listSensorProfiles()],
    ['DELETE', '/csapi/v1.3/registry/acr/connector',
      (c) => c.deleteAcrConnector(SEED.acrConnectorId)],
    ['POST', PROFILES_PATH, (c) => c.createSensorProfile({ profileName: 'p' })],
    ['PUT', `${PROFILES_PATH}/${SEED.defaultProfileId}`,
      (c) => c.updateSensorProfile(SEED.defaultProfileId, { profileName: 'p' })],
  ];

  for (const status of REDIRECTS) {
    for (const [method, path, call] of CALLS) {
      test(`a ${status} answering a ${method} is an HTTP error and reaches no one`, BOUNDED,
        async () => {
          const seenBefore = recorder.requests().length;
          await fault({ redirectTo: `${recorder.url}${path}`, status });
          // Retries on: a redirect is final, not retried.
          const error = await call(client(adminJwt, { retry: { attempts: 3 } })).then(
            () => assert.fail('resolved'), (caught) => caught);
          assert.ok(error instanceof ContainerSecurityError);
          assert.equal(error.code, 'HTTP');
          assert.equal(error.status, status);
          assert.equal(recorder.requests().length, seenBefore, 'the recorder received nothing');
          const log = emulator.requests();
          assert.equal(log.length, 1, 'one request, not retried, not followed');
          assert.equal(log[0].method, method);
          assert.equal(log[0].status, status);
        });
    }

    test(`a ${status} answering a login is an HTTP error and reaches no one`, BOUNDED,
      async () => {
        const seenBefore = recorder.requests().length;
        await fault({ path: '/auth', redirectTo: `${recorder.url}/auth`, status });
        const error = await login({ baseUrl: emulator.url, ...USERS.admin }).then(
          () => assert.fail('resolved'), (caught) => caught);
        assert.equal(error.code, 'HTTP');
        assert.equal(error.status, status);
        assert.equal(recorder.requests().length, seenBefore, 'the recorder received nothing');
        assert.equal(emulator.requests().length, 1);
      });
  }

  test('a credentials client redirected at its login sends nothing on', BOUNDED, async () => {
    await fault({ path: '/auth', redirectTo: `${recorder.url}/auth`, status: 307 });
    const error = await new ContainerSecurityClient({ baseUrl: emulator.url,
      credentials: USERS.admin }).listSensorProfiles().then(
      () => assert.fail('resolved'), (caught) => caught);
    assert.equal(error.code, 'HTTP');
    assert.equal(error.status, 307);
    assert.deepEqual(recorder.requests(), []);
  });

  test('after every redirect, the recorder saw no request and no Authorization', () => {
    const seen = recorder.requests();
    assert.deepEqual(seen, []);
    assert.ok(!seen.some((request) => request.authorization !== null));
  });
});

// ---------------------------------------------------------------------------------------
// 4. What the server says is cut and cleaned before it reaches an error

describe('4. server messages are cut and cleaned', () => {
  const NASTY = 'start\u0000\r\nAuthorization: Bearer x\r\n\u001b[31mred\u001b[0m\u0007\u0085'
    + '\u2028\u202e\u200b\ufeff';
  const LONG_MESSAGE = `${NASTY}${'y'.repeat(10_000)}`;

  function assertCutAndClean(what, text, max) {
    assert.equal(typeof text, 'string', `${what} is text`);
    assert.ok(text.length <= max, `${what} is at most ${max} characters, not ${text.length}`);
    assert.ok(!CONTROL.test(text), `${what} has no control character: ${JSON.stringify(text)}`);
    assert.ok(!LINE_OR_BIDI.test(text),
      `${what} has no line separator, zero-width or bidi mark: ${JSON.stringify(text)}`);
  }

  /** What a DECODE message says after the field: serde's words, which quote the value. */
  function serdeText(message) {
    const at = message.indexOf(' does not match the API: ');
    assert.ok(at > 0, message);
    return message.slice(at + ' does not match the API: '.length);
  }

  test('a 500 with a 10,000-character hostile common error body', BOUNDED, async () => {
    const { fetch } = answering(500, {
      errorCode: `500 ${NASTY}${'E'.repeat(10_000)}`, message: LONG_MESSAGE, timestamp: 1,
    });
    const { error } = await failureOf(() => viaFetch(fetch).listSensorProfiles());
    assert.equal(error.code, 'SERVER');
    assert.equal(error.status, 500);
    assertCutAndClean('message', error.message, 600);
    assertCutAndClean('serverMessage', error.serverMessage, 600);
    assertCutAndClean('serverErrorCode', error.serverErrorCode, 100);
    assertCutAndClean('String(error)', String(error), 650);
    // The fake header stays words inside one line: it cannot pose as a line of its own.
    assert.ok(error.serverMessage.startsWith('start'), error.serverMessage);
    assert.match(error.serverMessage, /Authorization: Bearer x/);
    assert.ok(error.serverMessage.endsWith('\u2026'), 'a cut message ends with an ellipsis');
    assert.ok(error.message.includes(error.serverMessage.slice(0, 100)),
      'the message quotes the start of it');
    assert.ok(error.stack.split('\n')[0].length <= 650, 'the stack\'s first line is short');
  });

  test('a 502 whose plain-text body is hostile (the same rules)', BOUNDED, async () => {
    const { fetch } = answering(502, LONG_MESSAGE);
    const { error } = await failureOf(() => viaFetch(fetch).listSensorProfiles());
    assert.equal(error.code, 'SERVER');
    assertCutAndClean('message', error.message, 600);
    assertCutAndClean('serverMessage', error.serverMessage, 600);
    assert.equal(error.serverErrorCode, undefined);
  });

  test('a 403 with a hostile message names no made-up permission', BOUNDED, async () => {
    const { fetch } = answering(403, { errorCode: '403 FORBIDDEN',
      message: `User does not have CS.SENSOR_PROFILE.VIEW\r\n${'z'.repeat(5_000)} permission` });
    const { error } = await failureOf(() => viaFetch(fetch).listSensorProfiles());
    assert.equal(error.code, 'FORBIDDEN');
    assertCutAndClean('message', error.message, 600);
    assertCutAndClean('serverMessage', error.serverMessage, 600);
    if (error.permission !== undefined) {
      assert.match(error.permission, /^CS\.[A-Z_]+\.[A-Z_]+$/);
    }
  });

  test('a login 401 with a hostile message', BOUNDED, async () => {
    const { error } = await failureOf(() => login({
      baseUrl: 'https://gateway.qg1.apps.qualys.com', username: 'qualys_admin',
      password: WRONG_PASSWORD,
      fetch: answering(401, { errorCode: `401 ${NASTY}`, message: LONG_MESSAGE }).fetch,
    }));
    assert.equal(error.code, 'UNAUTHORIZED');
    assertCutAndClean('message', error.message, 650);
    assertCutAndClean('serverMessage', error.serverMessage, 600);
    assertCutAndClean('serverErrorCode', error.serverErrorCode, 100);
  });

  test('a fetch rejection with a hostile message', BOUNDED, async () => {
    const { error } = await failureOf(() => viaFetch(async () => {
      throw new TypeError(LONG_MESSAGE);
    }).listSensorProfiles());
    assert.equal(error.code, 'NETWORK');
    assertCutAndClean('message', error.message, 400);
  });

  test('line separators, zero-width marks and bidi controls become spaces', BOUNDED,
    async () => {
      // Every one of them between letters: U+2028, U+2029, U+200B-U+200F, U+202A-U+202E,
      // U+2066-U+2069 and U+FEFF.
      const message = `x${LINE_OR_BIDI_CHARS.join('x')}x`;
      const spaced = Array(LINE_OR_BIDI_CHARS.length + 1).fill('x').join(' ');
      const { fetch } = answering(500, { errorCode: `500 ${message}`, message });
      const { error } = await failureOf(() => viaFetch(fetch).listSensorProfiles());
      assert.equal(error.code, 'SERVER');
      assertCutAndClean('message', error.message, 600);
      assert.equal(error.serverMessage, spaced);
      assert.equal(error.serverErrorCode, `500 ${spaced}`);
      assert.ok(error.message.endsWith(`: ${spaced}`), error.message);

      // The same in a fetch rejection.
      const rejected = await failureOf(() => viaFetch(async () => {
        throw new Error(message);
      }).listSensorProfiles());
      assert.equal(rejected.error.code, 'NETWORK');
      assert.equal(rejected.error.message, `the request failed: Error: ${spaced}`);
    });

  test('a DECODE error quoting a wrong enum value from the server', BOUNDED, async () => {
    const { fetch } = answering(200, { count: 1, data: [{
      scheduleUuid: SEED.scheduleId, weekDay: `${NASTY}${'X'.repeat(10_000)}` }] });
    const { error } = await failureOf(() => viaFetch(fetch)
      .listRegistrySchedules(SEED.registryId));
    assert.equal(error.code, 'DECODE');
    assert.match(error.message, /^field `data\[0\]\.weekDay` does not match the API: /);
    // serde's text (which quotes the value) is cleaned and cut to 300 characters.
    assertCutAndClean('message', error.message, 600);
    const said = serdeText(error.message);
    assert.equal(said.length, 301, `300 characters and an ellipsis: ${said}`);
    assert.ok(said.endsWith('\u2026'));
    assert.ok(said.startsWith('unknown variant `start   Authorization: Bearer x'), said);
  });

  test('a DECODE error quoting a wrong timestamp from the server', BOUNDED, async () => {
    const { fetch } = answering(200, { count: 1, data: [{
      scheduleUuid: SEED.scheduleId, created: `1\r\n${'9'.repeat(5_000)}x` }] });
    const { error } = await failureOf(() => viaFetch(fetch)
      .listRegistrySchedules(SEED.registryId));
    assert.equal(error.code, 'DECODE');
    assertCutAndClean('message', error.message, 200);
    // The value is cleaned (CR/LF become spaces) and cut to 40 characters.
    const [, quoted] = error.message.match(/`([^`]*)` is not a timestamp/) ?? [];
    assert.equal(quoted, `1  ${'9'.repeat(37)}\u2026`, error.message);
  });

  test('a DECODE error quoting a string of the wrong type', BOUNDED, async () => {
    const { fetch } = answering(200, { data: [], count: 'A\r\n\u0000'.repeat(3_000) });
    const { error } = await failureOf(() => viaFetch(fetch).listSensorProfiles());
    assert.equal(error.code, 'DECODE');
    // Serde escapes the string it quotes (\r, \n, \0 become text), and its text is cut
    // to 300 characters.
    assertCutAndClean('message', error.message, 600);
    const said = serdeText(error.message);
    assert.equal(said.length, 301, said);
    assert.ok(said.startsWith('invalid type: string "A\\r\\n\\0A'), said);
    assert.ok(said.endsWith('\u2026'));
  });
});

// ---------------------------------------------------------------------------------------
// 5. Hostile Retry-After and X-RateLimit-* headers

describe('5. hostile rate-limit headers', () => {
  function assertSaneWait(error) {
    if (error.retryAfterMs !== undefined) {
      assert.ok(Number.isSafeInteger(error.retryAfterMs) && error.retryAfterMs >= 0,
        `retryAfterMs is a whole number of milliseconds, not ${error.retryAfterMs}`);
    }
  }

  function assertSaneRateLimit(rateLimit) {
    if (rateLimit === null) return;
    assert.deepEqual(Object.keys(rateLimit).sort(), ['limit', 'remaining', 'windowSec']);
    for (const [key, value] of Object.entries(rateLimit)) {
      assert.ok(value === null || (Number.isSafeInteger(value) && value >= 0),
        `rateLimit.${key} is a whole number or null, not ${value}`);
    }
  }

  // Each value and the retryAfterMs it gives: waits are capped at a day.
  const TOLERATED = [
    ['86400', MAX_WAIT_MS],
    ['86400.001', MAX_WAIT_MS],
    ['86399.999', MAX_WAIT_MS - 1],
    ['99999999999', MAX_WAIT_MS],
    ['-5', undefined],
    ['NaN', undefined],
    ['inf', undefined],
    ['1e400', undefined],
    ['0x10', undefined],
    ['', undefined],
    ['3 seconds', undefined],
    ['Fri, 31 Dec 9999 23:59:59 GMT', MAX_WAIT_MS],
    ['Thu, 01 Jan 1970 00:00:00 GMT', 0],
    ['Sun, 99 Foo 2025 99:99:99 GMT', undefined],
  ];

  for (const [retryAfter, expected] of TOLERATED) {
    test(`Retry-After ${JSON.stringify(retryAfter)}`, BOUNDED, async () => {
      const { fetch } = answering(429, { errorCode: '429 TOO_MANY_REQUESTS', message: 'slow' },
        { 'retry-after': retryAfter });
      const limited = viaFetch(fetch);
      const { error } = await failureOf(() => limited.listSensorProfiles());
      assert.equal(error.code, 'RATE_LIMITED');
      assert.equal(error.status, 429);
      assertSaneWait(error);
      assert.equal(error.retryAfterMs, expected);
      assert.equal(limited.rateLimit, null, 'no X-RateLimit-* header, no rateLimit');
    });
  }

  for (const retryAfter of ['99999999999', 'Fri, 31 Dec 9999 23:59:59 GMT']) {
    test(`a retry waits at most maxRetryDelayMs after Retry-After ${retryAfter}`, BOUNDED,
      async () => {
        const { fetch, calls } = answering(429, { errorCode: '429 X', message: 'slow' },
          { 'retry-after': retryAfter });
        const limited = viaFetch(fetch, { retry: { attempts: 2, maxRetryDelayMs: 50 } });
        const started = performance.now();
        const { error } = await failureOf(() => limited.listSensorProfiles());
        const elapsed = performance.now() - started;
        assert.equal(error.code, 'RATE_LIMITED');
        assertSaneWait(error);
        assert.equal(error.retryAfterMs, MAX_WAIT_MS, 'what the server asked, capped at a day');
        assert.equal(calls.length, 2, 'retried once');
        assert.ok(elapsed < 2_000, `waited ${elapsed} ms, not the server's years`);
      });
  }

  test('a retry after a garbage Retry-After backs off by itself', BOUNDED, async () => {
    const { fetch, calls } = answering(503, { errorCode: '503 X', message: 'busy' },
      { 'retry-after': 'NaN' });
    const busy = viaFetch(fetch, { retry: { attempts: 3, baseDelayMs: 10 } });
    const { error } = await failureOf(() => busy.listSensorProfiles());
    assert.equal(error.code, 'SERVER');
    assert.equal(calls.length, 3);
  });

  // Values that parse as numbers but give more milliseconds than JavaScript can hold:
  // capped at a day like any other long wait, so the error stays RATE_LIMITED.
  for (const retryAfter of ['1e20', '9007199254740.993', '1.7976931348623157e308']) {
    test(`Retry-After ${retryAfter} is capped at a day and retried`, BOUNDED, async () => {
      const { fetch, calls } = answering(429, { errorCode: '429 X', message: 'slow' },
        { 'retry-after': retryAfter });
      const limited = viaFetch(fetch, { retry: { attempts: 2, maxRetryDelayMs: 50 } });
      const started = performance.now();
      const { error } = await failureOf(() => limited.listSensorProfiles());
      const elapsed = performance.now() - started;
      assert.ok(error instanceof ContainerSecurityError);
      assert.equal(error.code, 'RATE_LIMITED', error.message);
      assert.equal(error.status, 429);
      assert.equal(error.retryAfterMs, MAX_WAIT_MS);
      assert.equal(error.serverMessage, 'slow');
      assert.ok(!error.message.includes('internal failure'), error.message);
      assert.equal(calls.length, 2, 'retried once');
      assert.ok(elapsed < 2_000, `waited ${elapsed} ms, at most maxRetryDelayMs`);
    });
  }

  const RATE_LIMIT_HEADERS = [
    [{ 'x-ratelimit-limit': 'abc', 'x-ratelimit-window-sec': '-1',
      'x-ratelimit-remaining': '1e3' }, null],
    [{ 'x-ratelimit-limit': ' 300 ', 'x-ratelimit-window-sec': '3600.5',
      'x-ratelimit-remaining': 'NaN' }, { limit: 300, windowSec: null, remaining: null }],
    [{ 'x-ratelimit-limit': '99999999999999999999', 'x-ratelimit-remaining': '0' },
      { limit: null, windowSec: null, remaining: 0 }],
    [{ 'x-ratelimit-limit': '-0', 'x-ratelimit-remaining': '+5' }, 'sane'],
    [{ 'x-ratelimit-limit': '\u00a0\u00a0', 'x-ratelimit-window-sec': '' }, null],
  ];

  for (const [headers, expected] of RATE_LIMIT_HEADERS) {
    test(`X-RateLimit-* ${JSON.stringify(headers)}`, BOUNDED, async () => {
      const ok = viaFetch(answering(200, { data: [], count: 0 }, headers).fetch);
      await ok.listSensorProfiles();
      assertSaneRateLimit(ok.rateLimit);
      if (expected !== 'sane') assert.deepEqual(ok.rateLimit, expected);

      const limited = viaFetch(answering(429, { errorCode: '429 X', message: 'slow' },
        headers).fetch);
      const { error } = await failureOf(() => limited.listSensorProfiles());
      assert.equal(error.code, 'RATE_LIMITED');
      assertSaneWait(error);
      assertSaneRateLimit(limited.rateLimit);
    });
  }

  test('a 503 whose Retry-After is beyond what a JS number holds is capped', BOUNDED,
    async () => {
      const { fetch, calls } = answering(503, { errorCode: '503 X', message: 'busy' },
        { 'retry-after': '1e20' });
      const busy = viaFetch(fetch, { retry: { attempts: 2, maxRetryDelayMs: 50 } });
      const started = performance.now();
      const { error } = await failureOf(() => busy.listSensorProfiles());
      const elapsed = performance.now() - started;
      assert.equal(error.code, 'SERVER', error.message);
      assert.equal(error.status, 503);
      assert.equal(error.retryAfterMs, MAX_WAIT_MS);
      assert.equal(error.serverMessage, 'busy');
      assert.equal(calls.length, 2, 'retried once');
      assert.ok(elapsed < 2_000, `waited ${elapsed} ms, at most maxRetryDelayMs`);
    });

  test('an X-RateLimit-* value above 2^53 - 1 counts as missing, the others are kept',
    BOUNDED, async () => {
      const cases = [
        [{ 'x-ratelimit-limit': '9007199254740993', 'x-ratelimit-window-sec': '3600',
          'x-ratelimit-remaining': '5' }, { limit: null, windowSec: 3600, remaining: 5 }],
        [{ 'x-ratelimit-limit': '9007199254740991', 'x-ratelimit-window-sec': '9007199254740992',
          'x-ratelimit-remaining': '5' },
        { limit: Number.MAX_SAFE_INTEGER, windowSec: null, remaining: 5 }],
        [{ 'x-ratelimit-limit': '300', 'x-ratelimit-window-sec': '60',
          'x-ratelimit-remaining': '18446744073709551615' },
        { limit: 300, windowSec: 60, remaining: null }],
      ];
      for (const [headers, expected] of cases) {
        const ok = viaFetch(answering(200, { data: [], count: 0 }, headers).fetch);
        await ok.listSensorProfiles();
        assertSaneRateLimit(ok.rateLimit);
        assert.deepEqual(ok.rateLimit, expected, JSON.stringify(headers));
      }
    });

  // An exhausted window: its length is the wait, capped at a day; a length JavaScript
  // cannot hold counts as missing, so there is no wait to report.
  const HUGE_WINDOWS = [
    ['99999999999999', 99_999_999_999_999, MAX_WAIT_MS],
    ['90000', 90_000, MAX_WAIT_MS],
    ['18446744073709551615', null, undefined],
  ];

  for (const [windowSec, kept, wait] of HUGE_WINDOWS) {
    test(`a 429 with X-RateLimit-Remaining 0 and a window of ${windowSec} s`, BOUNDED,
      async () => {
        const { fetch, calls } = answering(429, { errorCode: '429 X', message: 'slow' }, {
          'x-ratelimit-window-sec': windowSec, 'x-ratelimit-remaining': '0' });
        const limited = viaFetch(fetch, { retry: { attempts: 2, maxRetryDelayMs: 50 } });
        const started = performance.now();
        const { error } = await failureOf(() => limited.listSensorProfiles());
        const elapsed = performance.now() - started;
        assert.equal(error.code, 'RATE_LIMITED', error.message);
        assert.equal(error.status, 429);
        assertSaneWait(error);
        assert.equal(error.retryAfterMs, wait);
        assertSaneRateLimit(limited.rateLimit);
        assert.deepEqual(limited.rateLimit, { limit: null, windowSec: kept, remaining: 0 });
        assert.equal(calls.length, 2, 'retried once');
        assert.ok(elapsed < 2_000, `waited ${elapsed} ms, at most maxRetryDelayMs`);
      });
  }

  test('the emulator\'s own limiter gives a sane wait and rateLimit', BOUNDED, async () => {
    await emulatorSupport(emulator, 'POST', '/__emulator/rate-limit',
      { limit: 1, windowSec: 60 });
    const limited = client(TOKENS.admin);
    await limited.listSensorProfiles();
    const { error } = await failureOf(() => limited.listSensorProfiles());
    assert.equal(error.code, 'RATE_LIMITED');
    assertSaneWait(error);
    assert.ok(error.retryAfterMs > 0 && error.retryAfterMs <= 60_000, `${error.retryAfterMs}`);
    assertSaneRateLimit(limited.rateLimit);
    assert.equal(limited.rateLimit.limit, 1);
  });
});
