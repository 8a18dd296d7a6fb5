// The host side of one attempt. The wasm module builds and checks the request
// (`RawClient.prepare`), `send` here hands it to the host's `fetch` and reads the answer
// back, and the module decodes that answer (`Attempt.finish`); a page of schedules the
// package's answer reader may read instead. Timers, abort signals, body streams and the
// waiting itself are JavaScript's: driving them from Rust through js-sys cost the module
// about 25 KB gzip, and its futures and closures another 4.7 KB (issue 5).
//
// `send` never rejects. It resolves to an `Answer` the module reads: either `failure`
// (`{ code, message, retryable, status? }`), or `status`, `headers` (the names and values
// of the headers the module reads, one per line, in turn), `receivedAtMs`, `body` (the
// body's bytes) and `decoded`, the value of a success body the package's answer reader
// read (see answer.js), in which case `body` is absent.

// The answer headers the module reads; nothing else is copied out of the response.
const RESPONSE_HEADERS = [
  'content-type',
  'content-length',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-window-sec',
  'x-ratelimit-remaining',
];

const IN_NODE = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

class Failure {
  constructor(code, message, retryable, status) {
    this.code = code;
    this.message = message;
    this.retryable = retryable;
    if (status !== undefined) this.status = status;
  }
}

class Answer {
  constructor(failure, status, headers, receivedAtMs, body, decoded) {
    this.failure = failure;
    this.status = status;
    this.headers = headers;
    this.receivedAtMs = receivedAtMs;
    this.body = body;
    this.decoded = decoded;
  }
}

function failed(failure) {
  return new Answer(failure, 0, '', Date.now(), undefined, undefined);
}

/**
 * Sends `request` (JSON text from the module's `Attempt.request`: `{ method, url, headers, body, timeoutMs,
 * maxResponseBytes, attempt, userAgent }`) with the client's `fetch` and hooks (`host`)
 * and the call's `signal` (`options`).
 */
export async function send(requestText, host, options) {
  const request = JSON.parse(requestText);
  const signals = new Signals(options?.signal ?? undefined, request.timeoutMs);
  try {
    return await attempt(request, host ?? {}, signals);
  } catch (failure) {
    return failed(failure instanceof Failure ? failure : signals.explain(failure));
  } finally {
    signals.release();
  }
}

async function attempt(request, host, signals) {
  if (signals.caller?.aborted) throw signals.explain(undefined);
  const fetch = typeof host.fetch === 'function' ? host.fetch : globalThis.fetch;
  if (typeof fetch !== 'function') {
    throw new Failure('NETWORK',
      'this JavaScript host has no global fetch; pass one as the `fetch` option', false);
  }
  const headers = { ...request.headers };
  // Browsers refuse to let a page set the user agent; Node sends what it is given.
  if (IN_NODE && request.userAgent) headers['user-agent'] = request.userAgent;
  const init = { method: request.method, headers, redirect: 'manual' };
  if (signals.combined) init.signal = signals.combined;
  if (typeof request.body === 'string') init.body = request.body;

  const summary = { method: request.method, url: request.url, attempt: request.attempt };
  callHook(host.onRequest, summary);
  const started = Date.now();
  const response = await settle(fetch(request.url, init), signals.combined);
  if (response === null || typeof response !== 'object') {
    throw new Failure('NETWORK', 'fetch resolved to something that is not a Response', false);
  }
  const status = response.status;
  if (!Number.isInteger(status) || status < 0 || status > 999) {
    throw new Failure('NETWORK',
      'fetch resolved to something that is not a Response (no status)', false);
  }
  // A manual redirect shows in browsers as an opaque answer with status 0; Node shows
  // the 3xx itself, which the module turns into the same HTTP error.
  if (response.type === 'opaqueredirect' || status === 0) {
    throw new Failure('HTTP',
      'the server redirected, and redirects are not followed with the token', false, status);
  }
  // One line per name and per value: a header value cannot hold a line break (HTTP
  // forbids it, and `Headers` refuses one), so a value that has one did not come from a
  // server and is left out.
  let answerHeaders = '';
  let length;
  for (const name of RESPONSE_HEADERS) {
    const value = readHeader(response.headers, name);
    if (typeof value !== 'string' || /[\r\n]/.test(value)) continue;
    answerHeaders += `${name}\n${value}\n`;
    if (name === 'content-length') length = value;
  }
  const limit = request.maxResponseBytes;
  const declared = Number(length?.trim() || NaN);
  if (declared > limit) {
    ignore(() => response.body?.cancel?.());
    throw tooLarge(status, limit);
  }
  const body = declared >= 0 && declared <= limit
    ? await readDeclared(response, limit, status, signals.combined)
    : await readBody(response, limit, status, signals.combined);
  callHook(host.onResponse, { ...summary, status, durationMs: Date.now() - started });
  const receivedAtMs = Date.now();
  // A page of schedules comes in bulk: the package reads it with the host's `JSON.parse`
  // against its shape (answer.js), and leaves to the module any body it is not sure of.
  // The module still checks the status and content-type of what the reader read.
  const reader = typeof request.answer === 'string' ? host.answerReaders?.[request.answer] : undefined;
  const decoded = typeof reader === 'function' && status >= 200 && status < 300
    ? reader(body)
    : undefined;
  return new Answer(undefined, status, answerHeaders, receivedAtMs,
    decoded === undefined ? body : undefined, decoded);
}

/** The caller's signal, the attempt's own timeout, and both combined. */
class Signals {
  constructor(caller, timeoutMs) {
    this.caller = caller;
    this.timer = undefined;
    if (typeof timeoutMs === 'number') {
      const controller = new AbortController();
      this.timeout = controller.signal;
      // A ref'd timer, cleared by `release`: Node waits for it, and it never outlives
      // the attempt.
      this.timer = setTimeout(() => controller.abort(), timeoutMs);
    }
    const all = [caller, this.timeout].filter(Boolean);
    this.combined = all.length > 1 ? AbortSignal.any(all) : all[0];
  }

  release() {
    if (this.timer !== undefined) clearTimeout(this.timer);
  }

  /** Why the attempt failed, as the module words it. */
  explain(failure) {
    if (this.timeout?.aborted) {
      return new Failure('TIMEOUT', 'the attempt took longer than its timeoutMs', true);
    }
    if (this.caller?.aborted) {
      // The package's overall deadline aborts with a `TimeoutError`; any other reason is
      // the caller's own abort.
      return this.caller.reason?.name === 'TimeoutError'
        ? new Failure('TIMEOUT', 'the call ran past its deadline', false)
        : new Failure('ABORTED', 'the call was aborted by its signal', false);
    }
    return new Failure('NETWORK', `the request failed: ${describe(failure)}`, true);
  }
}

function describe(failure) {
  const name = typeof failure?.name === 'string' ? failure.name : undefined;
  const message = typeof failure?.message === 'string' ? failure.message : undefined;
  if (message !== undefined) return name !== undefined ? `${name}: ${message}` : message;
  return typeof failure === 'string' ? failure : 'fetch rejected';
}

/** `promise`, or the signal's reason when it fires first. */
function settle(promise, signal) {
  if (!signal) return Promise.resolve(promise);
  if (signal.aborted) {
    Promise.resolve(promise).catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise((resolve, reject) => {
    const forget = whenAborted(signal, () => reject(signal.reason));
    Promise.resolve(promise).then(resolve, reject).finally(forget);
  });
}

// What to do when each signal aborts, behind one listener per signal. A signal shared by
// many calls in flight would otherwise hold a listener per step of each (and per retry
// wait, in client.js), on top of the one Node's fetch adds per call, and Node warns of a
// leak past 1,500 listeners (past 10 on a signal fetch never saw). The listener is
// removed with the last waiter: Node keeps a combined signal (`AbortSignal.any`) alive
// for as long as it has one, which kept about 7 KB per call.
const ABORT_WAITERS = new WeakMap();

/** Runs `callback` when `signal` aborts, until the returned function is called. */
export function whenAborted(signal, callback) {
  let entry = ABORT_WAITERS.get(signal);
  if (entry === undefined) {
    const waiters = new Set();
    const onAbort = () => {
      ABORT_WAITERS.delete(signal);
      for (const waiter of waiters) waiter();
    };
    entry = { waiters, onAbort };
    ABORT_WAITERS.set(signal, entry);
    signal.addEventListener('abort', onAbort, { once: true });
  }
  const { waiters, onAbort } = entry;
  waiters.add(callback);
  return () => {
    waiters.delete(callback);
    if (waiters.size === 0 && ABORT_WAITERS.get(signal) === entry) {
      ABORT_WAITERS.delete(signal);
      signal.removeEventListener('abort', onAbort);
    }
  };
}

function readHeader(headers, name) {
  try {
    return typeof headers?.get === 'function' ? headers.get(name) : undefined;
  } catch {
    return undefined;
  }
}

/** A body chunk as bytes: a real fetch streams `Uint8Array`s; a stand-in may not. */
function bytesOf(value) {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  return ArrayBuffer.isView(value)
    ? new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    : undefined;
}

function tooLarge(status, limit) {
  return new Failure('DECODE',
    `the body is larger than maxResponseBytes (${limit} bytes) and was dropped`, false, status);
}

function callHook(hook, summary) {
  if (typeof hook === 'function') ignore(() => hook(summary));
}

/** Runs `action`, ignoring what it throws or rejects with. */
function ignore(action) {
  try {
    const result = action();
    if (typeof result?.catch === 'function') result.catch(() => {});
  } catch {
    // Nothing to report: the outcome does not matter.
  }
}

/**
 * The whole body of an answer whose `content-length` is within the limit, in one read
 * (a stream read chunk by chunk cost a call of 50 schedules a tenth of its time). The
 * length is checked again, as a server may send more than it declared.
 */
async function readDeclared(response, limit, status, signal) {
  if (typeof response.arrayBuffer !== 'function') return readBody(response, limit, status, signal);
  const bytes = new Uint8Array(await settle(response.arrayBuffer(), signal));
  if (bytes.length > limit) throw tooLarge(status, limit);
  return bytes;
}

/**
 * The whole body as bytes. The chunks stay here until the body is known to fit, so that
 * a refused body never grows the wasm memory (which does not shrink again).
 */
async function readBody(response, limit, status, signal) {
  let reader;
  try {
    reader = response.body?.getReader?.();
  } catch {
    reader = undefined;
  }
  if (!reader) {
    // A response without a stream (a test double, an empty body): read its text.
    const text = await settle(response.text(), signal);
    const bytes = new TextEncoder().encode(typeof text === 'string' ? text : '');
    if (bytes.length > limit) throw tooLarge(status, limit);
    return bytes;
  }
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await settle(reader.read(), signal);
    if (done) break;
    const chunk = bytesOf(value);
    if (chunk === undefined) {
      ignore(() => reader.cancel());
      throw new Failure('NETWORK', 'the response body gave a chunk that is not bytes', false,
        status);
    }
    total += chunk.length;
    if (total > limit) {
      ignore(() => reader.cancel());
      throw tooLarge(status, limit);
    }
    chunks.push(chunk);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.length;
  }
  return bytes;
}
