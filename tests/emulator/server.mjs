// A local emulator of the Qualys Container Security API v1.22 endpoints, for the client's
// tests and its demo page. It keeps its state in memory, logs every API request so tests
// can see what a client really sent, and serves the demo and the built package from the
// repository so a browser needs only one origin.
//
// Run it with `node tests/emulator/server.mjs --port 0`, or import `startEmulator`.
//
// Test support routes, never logged and never authenticated:
//   GET    /__emulator/requests       the API requests since the last reset, in order
//   DELETE /__emulator/requests       clears the log only
//   POST   /__emulator/reset          restores the seeded state and clears the log
//   GET    /__emulator/state          the connectors, schedules and profiles
//   PATCH  /__emulator/state/schedules/{id}  merges JSON into a stored schedule, for
//                                     states no endpoint reaches (e.g. "Running")
//   POST   /__emulator/faults         queues `{status, headers?, body?, times?, method?,
//                                     path?, delayMs?, redirectTo?}` as the answer to
//                                     coming API requests; a fault whose path is /auth
//                                     answers logins instead. With `kind` (see
//                                     faults.mjs) the status is optional and the answer
//                                     is a ready-made broken one: a body cut short, a
//                                     connection reset mid-body, bytes that are not
//                                     UTF-8, an oversized stream, an HTML page...
//   GET    /__emulator/auth           `{logins, tokenLifetimeSec, clockOffsetMs}`
//   POST   /__emulator/auth           sets `{tokenLifetimeSec?, expireAll?, clockOffsetMs?}`
//   GET    /__emulator/rate-limit     `{limit, windowSec}`; limit is null when none is enforced
//   POST   /__emulator/rate-limit     sets `{limit, windowSec?}`, a limit per token per window
//
// Besides the API under /csapi, the emulator answers the gateway's login, `POST /auth`,
// with a JWT that the API accepts as a bearer token, like the seeded tokens.

import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { handleApi } from './api.mjs';
import { LOGIN_PATH, USERS, createAuthority, loggedLoginBody } from './auth.mjs';
import { ApiError, errorBody } from './errors.mjs';
import { FAULT_KINDS, kindFields, kindProblem, sendKindFault } from './faults.mjs';
import { createRateLimiter } from './limits.mjs';
import { startRecorder } from './recorder.mjs';
import { SEED, TOKENS, describeUsers, seedState, stateToJson } from './seed.mjs';
import { serveStatic } from './static.mjs';
import { isObject } from './validate.mjs';

export { FAULT_KINDS, SEED, TOKENS, USERS, startRecorder };

const HOST = '127.0.0.1';

// The repository root is two levels above this file: tests/emulator/server.mjs.
const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A body larger than this is refused; no endpoint of the contract takes anything close.
const MAX_BODY_BYTES = 1024 * 1024;

// A slow answer is for testing a client's timeout, which takes seconds at most; a longer
// delay is far more likely a mistake that would hang a test run.
const MAX_DELAY_MS = 60_000;

// The statuses a redirecting fault may answer with; 307 keeps the method and the body,
// so it is the default and the one a client is most tempted to follow with its token.
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];
const DEFAULT_REDIRECT_STATUS = 307;

// A Location must be one header value: visible ASCII, so a URL with spaces or non-ASCII
// characters is refused when it is queued rather than failing when it is answered.
const HEADER_TOKEN = /^[\x21-\x7e]+$/;

const CORS_HEADERS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers':
    'X-RateLimit-Limit, X-RateLimit-Window-Sec, X-RateLimit-Remaining, Retry-After',
};

function sendJson(res, status, value, headers = {}) {
  const text = JSON.stringify(value);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendEmpty(res, status, headers = {}) {
  res.writeHead(status, { ...headers, 'Content-Length': 0 });
  res.end();
}

// The preflight allows the headers the browser asks for, so a client that adds one of
// its own is not refused by the emulator while a real gateway would accept it.
function answerPreflight(req, res) {
  res.writeHead(204, {
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers':
      req.headers['access-control-request-headers'] ?? 'Authorization, Content-Type, Accept',
    'Access-Control-Max-Age': '600',
  });
  res.end();
}

// Reads the whole body as text. A body over the limit is drained and marked, so that the
// request can still be answered and logged.
async function readBody(req) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) {
      chunks.push(chunk);
    }
  }
  return { text: Buffer.concat(chunks).toString('utf8'), tooLarge: size > MAX_BODY_BYTES };
}

// The log keeps a body as parsed JSON when it parses, as raw text when it does not, and
// as null when there is none, so a test can assert on exactly what was sent.
function loggedBody(text) {
  if (text.length === 0) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function splitUrl(rawUrl) {
  const at = rawUrl.indexOf('?');
  const pathname = at < 0 ? rawUrl : rawUrl.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : rawUrl.slice(at + 1));
  return { pathname, query };
}

/**
 * Builds the emulator's request handler and the state it owns. It is separate from the
 * listening server so that the module API and the CLI share one implementation.
 */
function createEmulator({ root }) {
  let state = seedState();
  let log = [];
  let faults = [];
  const authority = createAuthority();
  const limiter = createRateLimiter(authority.now);
  // The answers waiting out a fault's delay, so that a reset or a close can cancel them.
  const pending = new Set();

  function reset() {
    state = seedState();
    log = [];
    faults = [];
    authority.reset();
    limiter.reset();
    // An answer still waiting belongs to the test before the reset; left alone, it would
    // change the state or the log of the next one.
    cancelPending();
  }

  // Takes the first queued fault that matches the request, consuming one of its uses. A
  // fault without a path matches API requests only, so that a client's login does not
  // use up a fault queued for the API call after it.
  function takeFault(method, pathname, isApi = true) {
    const index = faults.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method === method) &&
        (fault.path === undefined ? isApi : fault.path === pathname),
    );
    if (index < 0) {
      return undefined;
    }
    const fault = faults[index];
    fault.times -= 1;
    if (fault.times <= 0) {
      faults.splice(index, 1);
    }
    return fault;
  }

  // Sends a fault's answer and returns its status for the log. A redirect's Location is
  // set last, so that it is the one `redirectTo` names whatever the fault's headers say.
  function sendFault(res, fault, headers) {
    if (fault.kind !== undefined) {
      return sendKindFault(res, fault, headers);
    }
    const isText = typeof fault.body === 'string';
    const text = fault.body === undefined ? '' : isText ? fault.body : JSON.stringify(fault.body);
    const type = isText ? 'text/html; charset=utf-8' : 'application/json';
    res.writeHead(fault.status, {
      ...headers,
      ...(text.length > 0 ? { 'Content-Type': type } : {}),
      ...fault.headers,
      ...(fault.redirectTo === undefined ? {} : { Location: fault.redirectTo }),
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
    return fault.status;
  }

  // Waits `delayMs` before an answer. It resolves true when the time is up, and false when
  // the client hung up first or the wait was cancelled, in which case nothing is answered
  // and nothing is done: a request nobody waits for any more changes no state.
  function pause(res, delayMs) {
    if (res.destroyed) {
      return Promise.resolve(false);
    }
    return new Promise((resolvePause) => {
      const entry = { res, finish: undefined };
      const timer = setTimeout(() => entry.finish(true), delayMs);
      const hungUp = () => entry.finish(false);
      entry.finish = (elapsed) => {
        clearTimeout(timer);
        res.off('close', hungUp);
        pending.delete(entry);
        resolvePause(elapsed);
      };
      res.on('close', hungUp);
      pending.add(entry);
    });
  }

  // Clears every delay's timer and cuts its connection, so the client sees the emulator
  // go away rather than waiting for an answer that will never come.
  function cancelPending() {
    for (const entry of [...pending]) {
      entry.finish(false);
      entry.res.destroy();
    }
  }

  // Answers at once, or after the fault's delay. A delayed request is logged when it
  // arrives, so that a test whose client timed out still sees what it sent; its status
  // stays null until it is answered, and for good if it never is.
  async function deliver(res, entry, delayMs, respond) {
    if (delayMs > 0) {
      log.push(entry);
      if (await pause(res, delayMs)) {
        entry.status = respond();
      }
      return;
    }
    entry.status = respond();
    log.push(entry);
  }

  function logEntry(req, pathname, query, body) {
    return {
      method: req.method,
      path: pathname,
      query: Object.fromEntries(query),
      headers: { ...req.headers },
      body,
      status: null,
    };
  }

  // The rate limit comes first, as a gateway's limiter stands in front of the service: a
  // refused request reaches neither the queued faults nor the API.
  async function handleApiRequest(req, res, pathname, query) {
    const { text, tooLarge } = await readBody(req);
    const entry = logEntry(req, pathname, query, loggedBody(text));
    const admission = limiter.admit(req.headers.authorization);
    if (admission.retryAfter !== undefined) {
      entry.status = sendRateLimited(res, admission);
      log.push(entry);
      return;
    }
    const { headers } = admission;
    const fault = takeFault(req.method, pathname);
    const respond = () =>
      fault?.status !== undefined
        ? sendFault(res, fault, headers)
        : answerApi(res, headers, { req, pathname, query, text, tooLarge });
    await deliver(res, entry, fault?.delayMs ?? 0, respond);
  }

  function sendRateLimited(res, { headers, retryAfter }) {
    const limit = headers['X-RateLimit-Limit'];
    const windowSec = headers['X-RateLimit-Window-Sec'];
    const message =
      `The rate limit of ${limit} requests per ${windowSec} seconds is exceeded; ` +
      `retry after ${retryAfter} seconds`;
    sendJson(res, 429, errorBody(429, message), { ...headers, 'Retry-After': String(retryAfter) });
    return 429;
  }

  // Sends an ApiError as the common error body, and anything else as a 500 that says the
  // emulator failed, and returns the status for the log.
  function sendError(res, error, headers) {
    const known = error instanceof ApiError;
    const status = known ? error.status : 500;
    const message = known ? error.message : `The emulator failed: ${error.message}`;
    sendJson(res, status, errorBody(status, message), headers);
    return status;
  }

  // Sends the API's answer and returns its status for the log.
  function answerApi(res, headers, { req, pathname, query, text, tooLarge }) {
    try {
      if (tooLarge) {
        throw new ApiError(413, `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      const request = { method: req.method, pathname, query, headers: req.headers };
      const userFor = authority.userFor;
      const result = handleApi(state, { ...request, rawBody: text, userFor });
      if (result.body === undefined) {
        sendEmpty(res, result.status, headers);
      } else {
        sendJson(res, result.status, result.body, headers);
      }
      return result.status;
    } catch (error) {
      return sendError(res, error, headers);
    }
  }

  // The login is logged like an API request, its password redacted, and is neither rate
  // limited nor given the rate-limit headers, which the gateway reports for the API only.
  async function handleLogin(req, res, pathname, query) {
    const { text, tooLarge } = await readBody(req);
    const contentType = req.headers['content-type'];
    const body = loggedLoginBody(text, contentType, loggedBody(text));
    const entry = logEntry(req, pathname, query, body);
    const fault = takeFault(req.method, pathname, false);
    const respond = () =>
      fault?.status !== undefined
        ? sendFault(res, fault, {})
        : answerLogin(res, contentType, text, tooLarge);
    await deliver(res, entry, fault?.delayMs ?? 0, respond);
  }

  // The gateway answers a login with the bare token as plain text, and 201 as it creates
  // a session, which is what a client must be prepared for.
  function answerLogin(res, contentType, text, tooLarge) {
    try {
      if (tooLarge) {
        throw new ApiError(413, `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      const token = authority.login({ contentType, text });
      res.writeHead(201, {
        'Content-Type': 'text/plain',
        'Content-Length': Buffer.byteLength(token),
      });
      res.end(token);
      return 201;
    } catch (error) {
      return sendError(res, error, {});
    }
  }

  // Lets a test set fields of a stored schedule, for states no endpoint can reach, such
  // as a schedule that is running. The id is kept whatever the patch says.
  function patchSchedule(scheduleId, patch) {
    for (const schedules of state.schedules.values()) {
      const index = schedules.findIndex((schedule) => schedule.scheduleUuid === scheduleId);
      if (index >= 0) {
        schedules[index] = { ...schedules[index], ...patch, scheduleUuid: scheduleId };
        return schedules[index];
      }
    }
    return undefined;
  }

  // Judges a fault before it is queued. A status may be left out of a delay, which then
  // delays the API's own answer, and of a redirect, which then answers 307.
  function faultProblem(fault) {
    if (!isObject(fault)) {
      return 'A fault needs an integer status';
    }
    const { delayMs, redirectTo, status } = fault;
    const delayFits = Number.isInteger(delayMs) && delayMs >= 0 && delayMs <= MAX_DELAY_MS;
    if (delayMs !== undefined && !delayFits) {
      return `delayMs must be a whole number of milliseconds from 0 to ${MAX_DELAY_MS}`;
    }
    const isHeaderValue = typeof redirectTo === 'string' && HEADER_TOKEN.test(redirectTo);
    if (redirectTo !== undefined && !isHeaderValue) {
      return 'redirectTo must be a URL of visible ASCII characters, without spaces';
    }
    if (redirectTo !== undefined && status !== undefined && !REDIRECT_STATUSES.includes(status)) {
      return `A redirect's status must be one of ${REDIRECT_STATUSES.join(', ')}`;
    }
    const kindIssue = kindProblem(fault);
    if (kindIssue) {
      return kindIssue;
    }
    const statusOptional =
      redirectTo !== undefined || delayMs !== undefined || fault.kind !== undefined;
    if (status === undefined ? !statusOptional : !Number.isInteger(status)) {
      return 'A fault needs an integer status';
    }
    return null;
  }

  // Queues answers for coming API requests, e.g. a 429 with Retry-After or a 502 whose
  // body is HTML, since no seeded state produces them; or a slow answer, to test a
  // client's timeout, or a redirect, to test that a client does not follow it.
  function queueFault(fault) {
    const problem = faultProblem(fault);
    if (problem) {
      return problem;
    }
    const redirects = fault.redirectTo !== undefined;
    faults.push({
      status: redirects ? (fault.status ?? DEFAULT_REDIRECT_STATUS) : fault.status,
      headers: isObject(fault.headers) ? fault.headers : {},
      body: fault.body ?? undefined,
      times: Number.isInteger(fault.times) && fault.times > 0 ? fault.times : 1,
      method: fault.method,
      path: fault.path,
      delayMs: fault.delayMs ?? 0,
      redirectTo: fault.redirectTo,
      ...kindFields(fault),
    });
    return null;
  }

  // The controls answer their settings as they stand after the change, so that a test
  // can check what it set in the same call.
  function control(res, configure, describe, body) {
    const problem = configure(body);
    return problem ? sendJson(res, 400, errorBody(400, problem)) : sendJson(res, 200, describe());
  }

  async function handleSupport(req, res, pathname) {
    const { text } = await readBody(req);
    const route = `${req.method} ${pathname}`;
    const scheduleMatch = /^PATCH \/__emulator\/state\/schedules\/([^/]+)$/.exec(route);
    if (route === 'GET /__emulator/requests') {
      return sendJson(res, 200, log);
    }
    if (route === 'DELETE /__emulator/requests') {
      log = [];
      return sendEmpty(res, 204);
    }
    if (route === 'POST /__emulator/reset') {
      reset();
      return sendEmpty(res, 204);
    }
    if (route === 'GET /__emulator/state') {
      return sendJson(res, 200, stateToJson(state));
    }
    const body = loggedBody(text);
    if (scheduleMatch) {
      const patched = isObject(body) ? patchSchedule(scheduleMatch[1], body) : undefined;
      return patched
        ? sendJson(res, 200, patched)
        : sendJson(res, 404, errorBody(404, 'No schedule has that id, or the patch is not JSON'));
    }
    if (route === 'POST /__emulator/faults') {
      const problem = queueFault(body);
      return problem ? sendJson(res, 400, errorBody(400, problem)) : sendEmpty(res, 204);
    }
    if (route === 'GET /__emulator/auth') {
      return sendJson(res, 200, authority.describe());
    }
    if (route === 'POST /__emulator/auth') {
      return control(res, authority.configure, authority.describe, body);
    }
    if (route === 'GET /__emulator/rate-limit') {
      return sendJson(res, 200, limiter.describe());
    }
    if (route === 'POST /__emulator/rate-limit') {
      return control(res, limiter.configure, limiter.describe, body);
    }
    return sendJson(res, 404, errorBody(404, `No emulator support route answers ${route}`));
  }

  async function handle(req, res) {
    for (const [name, value] of Object.entries(CORS_HEADERS)) {
      res.setHeader(name, value);
    }
    if (req.method === 'OPTIONS') {
      req.resume();
      return answerPreflight(req, res);
    }
    const { pathname, query } = splitUrl(req.url ?? '/');
    if (pathname.startsWith('/__emulator/')) {
      return handleSupport(req, res, pathname);
    }
    if (pathname === '/csapi' || pathname.startsWith('/csapi/')) {
      return handleApiRequest(req, res, pathname, query);
    }
    // Only a POST is a login; any other method at /auth is answered as before, by the
    // static files, which do not have it.
    if (pathname === LOGIN_PATH && req.method === 'POST') {
      return handleLogin(req, res, pathname, query);
    }
    req.resume();
    return serveStatic(req, res, root, pathname);
  }

  return {
    handle,
    reset,
    cancelPending,
    requests: () => structuredClone(log),
    state: () => stateToJson(structuredClone(state)),
  };
}

/**
 * Starts the emulator on 127.0.0.1. Port 0 picks a free port; `root` is the folder whose
 * `www-demo/` and `pkg/` are served, the repository by default.
 *
 * Resolves to `{ url, close, reset, requests, state }`: `url` has no trailing slash,
 * `close()` stops the server and its open connections, `reset()` restores the seeded
 * state and clears the log, `requests()` copies the log and `state()` the state.
 */
export async function startEmulator({ port = 0, root = REPOSITORY_ROOT } = {}) {
  const emulator = createEmulator({ root });
  const server = createServer((req, res) => {
    emulator.handle(req, res).catch((error) => {
      if (!res.headersSent) {
        sendJson(res, 500, errorBody(500, `The emulator failed: ${error.message}`));
      } else {
        res.destroy(error);
      }
    });
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, HOST, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  const url = `http://${HOST}:${server.address().port}`;

  // fetch keeps connections alive, so closing waits only after they are cut. Delayed
  // answers are cancelled first, so that no timer outlives the server.
  function close() {
    return new Promise((resolveClose) => {
      emulator.cancelPending();
      server.close(() => resolveClose());
      server.closeAllConnections();
    });
  }
  return { url, close, reset: emulator.reset, requests: emulator.requests, state: emulator.state };
}

// Reads `--port N`, `--port=N`, `--host H`, `--host=H` and `--exit-with-parent`.
function parseArguments(argv) {
  const options = { port: '0', host: HOST, exitWithParent: false };
  const rest = [...argv];
  while (rest.length > 0) {
    const argument = rest.shift();
    if (argument === '--exit-with-parent') {
      options.exitWithParent = true;
      continue;
    }
    const match = /^--(port|host)(?:=(.*))?$/s.exec(argument);
    if (!match) {
      throw new Error(`Unknown argument ${argument}; use --port N, --host ${HOST} and --exit-with-parent`);
    }
    const value = match[2] ?? rest.shift();
    if (value === undefined) {
      throw new Error(`--${match[1]} needs a value`);
    }
    options[match[1]] = value;
  }
  return options;
}

// The emulator answers to anyone who reaches it with the seeded tokens, so it listens on
// the loopback address only and refuses to be told otherwise.
function checkedOptions({ port, host, exitWithParent }) {
  if (host !== HOST && host !== 'localhost') {
    throw new Error(`Refusing to listen on ${host}: the emulator listens on ${HOST} only`);
  }
  const number = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(number >= 0 && number <= 65535)) {
    throw new Error(`--port must be a number from 0 to 65535, not ${port}`);
  }
  return { port: number, exitWithParent };
}

async function main() {
  let options;
  try {
    options = checkedOptions(parseArguments(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator({ port: options.port });
  const lines = [
    `qualys-cs emulator listening on ${emulator.url}`,
    `demo: ${emulator.url}/www-demo/`,
    ...describeUsers().map(
      ({ token, userName, permissions }) =>
        `token: ${token} (user ${userName}; ` +
        `${permissions.length > 0 ? permissions.join(', ') : 'no permission'})`,
    ),
    `login: POST ${emulator.url}${LOGIN_PATH} as ` +
      Object.values(USERS)
        .map(({ username, password }) => `${username}/${password}`)
        .join(', '),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) {
      return;
    }
    stopping = true;
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  // A test or bench that spawned the emulator with a pipe for its input may be killed
  // before it can stop it; the pipe then closes, and the emulator stops too instead of
  // living on with no one to stop it.
  if (options.exitWithParent) {
    process.stdin.on('end', stop).on('close', stop).on('error', stop).resume();
  }
}

function isMainModule() {
  try {
    return import.meta.url === pathToFileURL(realpathSync(process.argv[1])).href;
  } catch {
    return false;
  }
}

if (isMainModule()) {
  await main();
}
