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
//                                     path?}` as the answer to coming API requests

import { realpathSync } from 'node:fs';
import { createServer } from 'node:http';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { handleApi } from './api.mjs';
import { ApiError, errorBody } from './errors.mjs';
import { SEED, TOKENS, describeUsers, seedState, stateToJson } from './seed.mjs';
import { serveStatic } from './static.mjs';
import { isObject } from './validate.mjs';

export { SEED, TOKENS };

const HOST = '127.0.0.1';

// The repository root is two levels above this file: tests/emulator/server.mjs.
const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

// A body larger than this is refused; no endpoint of the contract takes anything close.
const MAX_BODY_BYTES = 1024 * 1024;

// The gateway's documented limit for registry and sensor paths. The emulator reports it
// in the headers but never enforces it; a test that needs a 429 queues a fault instead.
const RATE_LIMIT = 1000;
const RATE_WINDOW_SECONDS = 60;

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
  let windowStart = Date.now();
  let windowCount = 0;

  function reset() {
    state = seedState();
    log = [];
    faults = [];
    windowStart = Date.now();
    windowCount = 0;
  }

  function rateLimitHeaders() {
    if (Date.now() - windowStart >= RATE_WINDOW_SECONDS * 1000) {
      windowStart = Date.now();
      windowCount = 0;
    }
    windowCount += 1;
    return {
      'X-RateLimit-Limit': String(RATE_LIMIT),
      'X-RateLimit-Window-Sec': String(RATE_WINDOW_SECONDS),
      'X-RateLimit-Remaining': String(Math.max(0, RATE_LIMIT - windowCount)),
    };
  }

  // Takes the first queued fault that matches the request, consuming one of its uses.
  function takeFault(method, pathname) {
    const index = faults.findIndex(
      (fault) =>
        (fault.method === undefined || fault.method === method) &&
        (fault.path === undefined || fault.path === pathname),
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

  function sendFault(res, fault, headers) {
    const isText = typeof fault.body === 'string';
    const text = fault.body === undefined ? '' : isText ? fault.body : JSON.stringify(fault.body);
    const type = isText ? 'text/html; charset=utf-8' : 'application/json';
    res.writeHead(fault.status, {
      ...headers,
      ...(text.length > 0 ? { 'Content-Type': type } : {}),
      ...fault.headers,
      'Content-Length': Buffer.byteLength(text),
    });
    res.end(text);
  }

  async function handleApiRequest(req, res, pathname, query) {
    const { text, tooLarge } = await readBody(req);
    const headers = rateLimitHeaders();
    let status;
    const fault = takeFault(req.method, pathname);
    if (fault) {
      status = fault.status;
      sendFault(res, fault, headers);
    } else {
      status = answerApi(res, headers, { req, pathname, query, text, tooLarge });
    }
    log.push({
      method: req.method,
      path: pathname,
      query: Object.fromEntries(query),
      headers: { ...req.headers },
      body: loggedBody(text),
      status,
    });
  }

  // Sends the API's answer and returns its status for the log.
  function answerApi(res, headers, { req, pathname, query, text, tooLarge }) {
    try {
      if (tooLarge) {
        throw new ApiError(413, `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      }
      const request = { method: req.method, pathname, query, headers: req.headers };
      const result = handleApi(state, { ...request, rawBody: text });
      if (result.body === undefined) {
        sendEmpty(res, result.status, headers);
      } else {
        sendJson(res, result.status, result.body, headers);
      }
      return result.status;
    } catch (error) {
      const known = error instanceof ApiError;
      const status = known ? error.status : 500;
      const message = known ? error.message : `The emulator failed: ${error.message}`;
      sendJson(res, status, errorBody(status, message), headers);
      return status;
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

  // Queues answers for coming API requests, e.g. a 429 with Retry-After or a 502 whose
  // body is HTML, since no seeded state produces them.
  function queueFault(fault) {
    if (!isObject(fault) || !Number.isInteger(fault.status)) {
      return 'A fault needs an integer status';
    }
    faults.push({
      status: fault.status,
      headers: isObject(fault.headers) ? fault.headers : {},
      body: fault.body ?? undefined,
      times: Number.isInteger(fault.times) && fault.times > 0 ? fault.times : 1,
      method: fault.method,
      path: fault.path,
    });
    return null;
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
    req.resume();
    return serveStatic(req, res, root, pathname);
  }

  return {
    handle,
    reset,
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

  // fetch keeps connections alive, so closing waits only after they are cut.
  function close() {
    return new Promise((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections();
    });
  }
  return { url, close, reset: emulator.reset, requests: emulator.requests, state: emulator.state };
}

// Reads `--port N`, `--port=N`, `--host H` and `--host=H`.
function parseArguments(argv) {
  const options = { port: '0', host: HOST };
  const rest = [...argv];
  while (rest.length > 0) {
    const argument = rest.shift();
    const match = /^--(port|host)(?:=(.*))?$/s.exec(argument);
    if (!match) {
      throw new Error(`Unknown argument ${argument}; use --port N and --host ${HOST}`);
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
function checkedOptions({ port, host }) {
  if (host !== HOST && host !== 'localhost') {
    throw new Error(`Refusing to listen on ${host}: the emulator listens on ${HOST} only`);
  }
  const number = /^\d+$/.test(port) ? Number(port) : NaN;
  if (!(number >= 0 && number <= 65535)) {
    throw new Error(`--port must be a number from 0 to 65535, not ${port}`);
  }
  return { port: number };
}

async function main() {
  let options;
  try {
    options = checkedOptions(parseArguments(process.argv.slice(2)));
  } catch (error) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  const emulator = await startEmulator(options);
  const lines = [
    `qualys-cs emulator listening on ${emulator.url}`,
    `demo: ${emulator.url}/www-demo/`,
    ...describeUsers().map(
      ({ token, userName, permissions }) =>
        `token: ${token} (user ${userName}; ` +
        `${permissions.length > 0 ? permissions.join(', ') : 'no permission'})`,
    ),
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
