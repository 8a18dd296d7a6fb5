// Retry waits and token renewal measured on a fake clock (node:test's mock timers), so
// the exact timings are checked without a test that sleeps or races a real clock.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';

import { ContainerSecurityClient } from 'qualys-cs';

const GATEWAY = 'https://gateway.qg1.apps.qualys.com';
const EMPTY_PAGE = JSON.stringify({ data: [], count: 0 });

function answer(status, body = '', headers = {}) {
  return new Response(body, { status, headers: { 'content-type': 'application/json', ...headers } });
}

/** A JWT whose `exp` claim is `expSeconds` (unsigned: the client only reads the claim). */
function jwt(expSeconds, id) {
  const part = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none' })}.${part({ sub: 'qualys_admin', exp: expSeconds, id })}.sig`;
}

/** Lets the promise jobs queued so far run, without moving the fake clock. */
async function settleJobs() {
  for (let round = 0; round < 20; round += 1) await new Promise((resolve) => setImmediate(resolve));
}

/** A fetch that answers from `script` in turn and records when (fake time) it was called. */
function scripted(script) {
  const calls = [];
  const fetch = async (url, init) => {
    calls.push({ url, at: Date.now(), authorization: init.headers.authorization });
    const next = script.shift();
    return typeof next === 'function' ? next(url, init) : next;
  };
  return { fetch, calls };
}

describe('retry waits on a fake clock', () => {
  let random;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
    random = Math.random;
  });

  afterEach(() => {
    mock.timers.reset();
    Math.random = random;
  });

  test('a 503 with Retry-After: 30 is tried again after exactly 30 s', async () => {
    const { fetch, calls } = scripted([
      answer(503, '', { 'retry-after': '30' }),
      answer(200, EMPTY_PAGE),
    ]);
    const client = new ContainerSecurityClient({
      baseUrl: GATEWAY, token: 't', fetch, retry: { maxRetryDelayMs: 60_000 },
    });
    const call = client.listSensorProfiles();
    await settleJobs();
    assert.equal(calls.length, 1);

    mock.timers.tick(29_999);
    await settleJobs();
    assert.equal(calls.length, 1, 'not before 30 s');

    mock.timers.tick(1);
    await settleJobs();
    assert.deepEqual(await call, { data: [], count: 0 });
    assert.deepEqual(calls.map(({ at }) => at - 1_000_000), [0, 30_000]);
  });

  test('backoff is exponential with full jitter: random 0.5 waits 125 ms, then 250 ms', async () => {
    Math.random = () => 0.5;
    const { fetch, calls } = scripted([answer(502), answer(504), answer(200, EMPTY_PAGE)]);
    const client = new ContainerSecurityClient({ baseUrl: GATEWAY, token: 't', fetch });
    const call = client.listSensorProfiles();
    for (const step of [125, 250]) {
      await settleJobs();
      mock.timers.tick(step);
    }
    await settleJobs();
    assert.deepEqual(await call, { data: [], count: 0 });
    // Defaults: base 250 ms, so the bounds are 250 and 500 ms and half of each is waited.
    assert.deepEqual(calls.map(({ at }) => at - 1_000_000), [0, 125, 375]);
  });

  test('a Retry-After longer than maxRetryDelayMs is cut to it', async () => {
    const { fetch, calls } = scripted([
      answer(429, '', { 'retry-after': '3600' }),
      answer(200, EMPTY_PAGE),
    ]);
    const client = new ContainerSecurityClient({
      baseUrl: GATEWAY, token: 't', fetch, retry: { maxRetryDelayMs: 5_000 },
    });
    const call = client.listSensorProfiles();
    await settleJobs();
    mock.timers.tick(5_000);
    await settleJobs();
    await call;
    assert.deepEqual(calls.map(({ at }) => at - 1_000_000), [0, 5_000]);
  });
});

describe('token renewal on a fake clock', () => {
  const START_MS = 1_700_000_000_000;

  beforeEach(() => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'], now: START_MS });
  });

  afterEach(() => {
    mock.timers.reset();
  });

  /** A gateway whose logins issue tokens that expire `lifetimeSec` from now (or never say). */
  function gateway(lifetimeSec) {
    let logins = 0;
    const seen = [];
    const fetch = async (url, init) => {
      if (url.endsWith('/auth')) {
        logins += 1;
        const token = lifetimeSec === undefined
          ? `opaque-token-${logins}`
          : jwt(Math.floor(Date.now() / 1000) + lifetimeSec, logins);
        return new Response(token, { status: 201, headers: { 'content-type': 'text/plain' } });
      }
      seen.push(init.headers.authorization);
      return answer(200, EMPTY_PAGE);
    };
    return { fetch, logins: () => logins, seen };
  }

  const credentials = { username: 'qualys_admin', password: 'admin-password' };

  test('a JWT is renewed once it is within a minute of its exp, not before', async () => {
    const { fetch, logins } = gateway(3_600);
    const client = new ContainerSecurityClient({ baseUrl: GATEWAY, credentials, fetch });
    await client.listSensorProfiles();
    assert.equal(logins(), 1);

    mock.timers.tick((3_600 - 61) * 1000);
    await client.listSensorProfiles();
    assert.equal(logins(), 1, '61 s before exp the token is still used');

    mock.timers.tick(2_000);
    await client.listSensorProfiles();
    assert.equal(logins(), 2, '59 s before exp a new token is fetched first');
  });

  test('a token without a readable exp is trusted for 4 hours', async () => {
    const { fetch, logins, seen } = gateway(undefined);
    const client = new ContainerSecurityClient({ baseUrl: GATEWAY, credentials, fetch });
    await client.listSensorProfiles();
    mock.timers.tick(4 * 3_600_000 - 61_000);
    await client.listSensorProfiles();
    assert.equal(logins(), 1);
    mock.timers.tick(2_000);
    await client.listSensorProfiles();
    assert.equal(logins(), 2);
    assert.deepEqual(seen, [
      'Bearer opaque-token-1', 'Bearer opaque-token-1', 'Bearer opaque-token-2',
    ]);
  });
});
