// The gateway's rate limit. By default the emulator only reports the documented limit in
// the `X-RateLimit-*` headers, counting every API request in one shared window, as it
// always has. A test can turn on a real limit per token, so that a client's handling of
// 429 can be seen against an answer computed from its own requests rather than queued.
//
// Windows are computed from the emulator's clock when a request arrives, so no timer is
// ever started, and a test can move the clock past a window instead of waiting for it.

import { isObject } from './validate.mjs';

// The gateway's documented limit for registry and sensor paths, reported when no limit
// is enforced.
const REPORTED_LIMIT = 1000;
const DEFAULT_WINDOW_SEC = 60;

const CONTROLS = ['limit', 'windowSec'];

// Counts one request in a fixed window, starting a new window when the current one has
// ended. A window that starts after `now` (the clock was set back) also starts anew.
function windowFor(bucket, now, windowMs) {
  if (bucket === undefined || now < bucket.start || now - bucket.start >= windowMs) {
    return { start: now, count: 0 };
  }
  return bucket;
}

// The token is what is limited, so a request is counted under its bearer token, or under
// its whole Authorization header, or under "" when it has none.
function bucketKey(authorization) {
  if (typeof authorization !== 'string') {
    return '';
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  return match ? match[1] : authorization;
}

/**
 * Builds the limiter on the clock `now`. `admit(authorization)` counts a request and
 * answers `{ headers }`, plus `retryAfter` in whole seconds when it is refused.
 */
export function createRateLimiter(now) {
  let limit = null;
  let windowSec = DEFAULT_WINDOW_SEC;
  let shared = windowFor(undefined, now(), 0);
  let buckets = new Map();

  function headers(limitValue, remaining) {
    return {
      'X-RateLimit-Limit': String(limitValue),
      'X-RateLimit-Window-Sec': String(windowSec),
      'X-RateLimit-Remaining': String(Math.max(0, remaining)),
    };
  }

  // The reported limit is never enforced; a test that needs a 429 enforces a limit or
  // queues a fault.
  function report() {
    shared = windowFor(shared, now(), DEFAULT_WINDOW_SEC * 1000);
    shared.count += 1;
    return { headers: headers(REPORTED_LIMIT, REPORTED_LIMIT - shared.count) };
  }

  // A refused request is not counted, so a client that backs off for Retry-After seconds
  // finds a whole new window, however often it was refused.
  function enforce(authorization) {
    const key = bucketKey(authorization);
    const time = now();
    const windowMs = windowSec * 1000;
    const bucket = windowFor(buckets.get(key), time, windowMs);
    buckets.set(key, bucket);
    if (bucket.count >= limit) {
      const retryAfter = Math.max(1, Math.ceil((bucket.start + windowMs - time) / 1000));
      return { headers: headers(limit, 0), retryAfter };
    }
    bucket.count += 1;
    return { headers: headers(limit, limit - bucket.count) };
  }

  function admit(authorization) {
    return limit === null ? report() : enforce(authorization);
  }

  function describe() {
    return { limit, windowSec };
  }

  // Judges the body, then applies it and starts every token's count afresh. The answer is
  // a message for a 400, or null once applied.
  function configure(body) {
    if (!isObject(body)) {
      return 'The rate limit is a JSON object with limit and, optionally, windowSec';
    }
    const unknown = Object.keys(body).filter((name) => !CONTROLS.includes(name));
    if (unknown.length > 0) {
      return `Unknown rate-limit control ${unknown.join(', ')}; use limit and windowSec`;
    }
    if (!Object.hasOwn(body, 'limit')) {
      return 'limit is required: a whole number of requests per window, or null for none';
    }
    if (body.limit !== null && !(Number.isSafeInteger(body.limit) && body.limit >= 0)) {
      return 'limit must be a whole number of requests per window, 0 or more, or null';
    }
    const window = body.windowSec ?? DEFAULT_WINDOW_SEC;
    if (!(Number.isSafeInteger(window) && window >= 1)) {
      return 'windowSec must be a whole number of seconds, 1 or more';
    }
    limit = body.limit;
    // With no limit enforced, the headers report the documented window, as before.
    windowSec = limit === null ? DEFAULT_WINDOW_SEC : window;
    buckets = new Map();
    return null;
  }

  function reset() {
    limit = null;
    windowSec = DEFAULT_WINDOW_SEC;
    shared = windowFor(undefined, now(), 0);
    buckets = new Map();
  }

  return { admit, describe, configure, reset };
}
