// Fault kinds: named, ready-made broken answers a test queues with
// `POST /__emulator/faults {kind, ...}`, for the failures a real gateway, proxy or network
// produces and a plain `{status, body}` fault cannot: a body cut short, a connection cut
// mid-body, bytes that are not UTF-8, a body far larger than any client should read.
//
// A kind fault is matched, counted, delayed and logged like any other fault (`method`,
// `path`, `times` and `delayMs` work as before); only its answer differs. Like the other
// faults it never reaches the API, so it changes no state.
//
// | kind               | status | answer                                                      |
// | ------------------ | ------ | ----------------------------------------------------------- |
// | `server-error`     | 500    | the common error body, JSON                                 |
// | `bad-gateway-html` | 502    | a proxy's HTML error page, `text/html`                      |
// | `unavailable`      | 503    | the common error body and `Retry-After` (`retryAfter`, 1)   |
// | `rate-limited`     | 429    | the common error body and `Retry-After` (`retryAfter`, 1)   |
// | `truncated-json`   | 200    | JSON cut after `cutAt` bytes (half by default); the         |
// |                    |        | Content-Length is that of what is sent                      |
// | `html-ok`          | 200    | an HTML login page, `text/html`                             |
// | `empty-ok`         | 200    | `application/json` with an empty body                       |
// | `no-content`       | 204    | no body                                                     |
// | `reset-mid-body`   | 200    | the Content-Length of the whole JSON, `cutAt` bytes of it,  |
// |                    |        | then the connection is destroyed                            |
// | `invalid-utf8`     | 200    | `application/json` whose schedule name holds bytes that     |
// |                    |        | are not UTF-8                                               |
// | `oversize`         | 200    | `sizeBytes` (40 MiB by default) of valid JSON, streamed     |
// |                    |        | chunked without a Content-Length, or with one when          |
// |                    |        | `contentLength` is true                                     |
//
// `status` overrides a kind's status. `message` replaces the message of the error kinds'
// body. `body` (a JSON value, or text) replaces the document that `truncated-json` and
// `reset-mid-body` cut, and the page of the two HTML kinds; the JSON kinds' document is
// otherwise the release notes' list sample, which `listRegistrySchedules` expects.

import { errorBody } from './errors.mjs';
import { sampleSchedule } from './seed.mjs';

/** Every kind a fault may name, in the order of the table above. */
export const FAULT_KINDS = Object.freeze([
  'server-error',
  'bad-gateway-html',
  'unavailable',
  'rate-limited',
  'truncated-json',
  'html-ok',
  'empty-ok',
  'no-content',
  'reset-mid-body',
  'invalid-utf8',
  'oversize',
]);

const DEFAULT_STATUS = {
  'server-error': 500,
  'bad-gateway-html': 502,
  unavailable: 503,
  'rate-limited': 429,
  'truncated-json': 200,
  'html-ok': 200,
  'empty-ok': 200,
  'no-content': 204,
  'reset-mid-body': 200,
  'invalid-utf8': 200,
  oversize: 200,
};

// The status names of the common error body's `errorCode` for the kinds' statuses, e.g.
// "503 SERVICE_UNAVAILABLE"; the emulator's own errors never answer these statuses.
const STATUS_NAMES = {
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
  502: 'BAD_GATEWAY',
  503: 'SERVICE_UNAVAILABLE',
  504: 'GATEWAY_TIMEOUT',
};

const DEFAULT_MESSAGE = {
  'server-error': 'An unexpected error occurred while processing the request',
  unavailable: 'The service is temporarily unavailable; retry later',
  'rate-limited': 'The rate limit of the subscription is exceeded; retry later',
};

// The kinds whose document or page `body` replaces, and those `message` applies to.
const BODY_KINDS = ['truncated-json', 'reset-mid-body', 'bad-gateway-html', 'html-ok'];
const RETRY_AFTER_KINDS = ['unavailable', 'rate-limited'];
const CUT_KINDS = ['truncated-json', 'reset-mid-body'];

// The parameters only kind faults take, and the kinds each applies to.
const PARAMETERS = {
  message: Object.keys(DEFAULT_MESSAGE),
  retryAfter: RETRY_AFTER_KINDS,
  cutAt: CUT_KINDS,
  sizeBytes: ['oversize'],
  contentLength: ['oversize'],
};

/** The default size of an `oversize` body: above the client's 32 MiB default limit. */
export const DEFAULT_OVERSIZE_BYTES = 40 * 1024 * 1024;
// A larger body is more likely a mistake than a test; it would take the emulator seconds.
const MAX_OVERSIZE_BYTES = 256 * 1024 * 1024;
// The smallest document an `oversize` body can be: `{"data":[],"count":0}`.
const MIN_OVERSIZE_BYTES = 21;
// The headers that frame a body, which a kind sets itself whatever the fault says.
const FRAMING_HEADERS = ['content-length', 'transfer-encoding'];
// Oversized bodies are written in pieces of this size, waiting for the socket to drain.
const CHUNK_BYTES = 64 * 1024;

// Bytes that are never valid UTF-8: a lone continuation byte, an overlong encoding's
// lead byte, 0xFF, and a lead byte followed by ASCII.
const INVALID_UTF8 = Buffer.from([0x80, 0xc0, 0xaf, 0xff, 0xc3, 0x28]);

const BAD_GATEWAY_PAGE =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n' +
  '<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n' +
  '</body>\r\n</html>\r\n';

const LOGIN_PAGE =
  '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign in</title>' +
  '<script>window.location.hash = "";</script></head>\n<body><form method="post" ' +
  'action="/sso/login"><input name="username"><input name="password" type="password">' +
  '<button>Sign in</button></form></body></html>\n';

// The release notes' list sample, as the emulator lists it: the document the JSON kinds
// cut or spoil unless the fault brings its own.
function listingDocument() {
  return { data: [sampleSchedule()], count: 1 };
}

/**
 * Judges the kind-specific fields of a fault: a message for a 400, or null. A fault
 * without a kind is judged as it always was, and any of these fields it carries are
 * ignored, as unknown fields of a fault always have been.
 */
export function kindProblem(fault) {
  const { kind } = fault;
  if (kind === undefined) {
    return null;
  }
  if (!FAULT_KINDS.includes(kind)) {
    return `Unknown fault kind ${JSON.stringify(kind)}; use one of ${FAULT_KINDS.join(', ')}`;
  }
  for (const [name, kinds] of Object.entries(PARAMETERS)) {
    if (fault[name] !== undefined && !kinds.includes(kind)) {
      return `${name} applies to the kinds ${kinds.join(', ')}, not to ${kind}`;
    }
  }
  if (fault.body !== undefined && !BODY_KINDS.includes(kind)) {
    return `The kind ${kind} makes its own body; body applies to ${BODY_KINDS.join(', ')}`;
  }
  if (fault.redirectTo !== undefined) {
    return 'A fault has a kind or redirectTo, not both';
  }
  return parameterProblem(fault);
}

function parameterProblem({ message, retryAfter, cutAt, sizeBytes, contentLength }) {
  if (message !== undefined && typeof message !== 'string') {
    return 'message must be a string';
  }
  const seconds = Number.isSafeInteger(retryAfter) && retryAfter >= 0;
  const date = typeof retryAfter === 'string' && /^[\x20-\x7e]+$/.test(retryAfter);
  if (retryAfter !== undefined && !seconds && !date) {
    return 'retryAfter must be a whole number of seconds, 0 or more, or an HTTP date';
  }
  if (cutAt !== undefined && !(Number.isSafeInteger(cutAt) && cutAt >= 0)) {
    return 'cutAt must be a whole number of bytes, 0 or more';
  }
  const sizeFits =
    Number.isSafeInteger(sizeBytes) &&
    sizeBytes >= MIN_OVERSIZE_BYTES &&
    sizeBytes <= MAX_OVERSIZE_BYTES;
  if (sizeBytes !== undefined && !sizeFits) {
    return `sizeBytes must be a whole number from ${MIN_OVERSIZE_BYTES} to ${MAX_OVERSIZE_BYTES}`;
  }
  if (contentLength !== undefined && typeof contentLength !== 'boolean') {
    return 'contentLength must be true or false';
  }
  return null;
}

/** The fields of a kind fault as queued: its kind, its status and its parameters. */
export function kindFields(fault) {
  if (fault.kind === undefined) {
    return {};
  }
  return {
    kind: fault.kind,
    status: fault.status ?? DEFAULT_STATUS[fault.kind],
    message: fault.message,
    retryAfter: fault.retryAfter,
    cutAt: fault.cutAt,
    sizeBytes: fault.sizeBytes,
    contentLength: fault.contentLength,
  };
}

function documentBytes(fault) {
  if (fault.body === undefined) {
    return Buffer.from(JSON.stringify(listingDocument()));
  }
  return Buffer.from(typeof fault.body === 'string' ? fault.body : JSON.stringify(fault.body));
}

// Writes `body` as the whole answer with an exact Content-Length.
function sendBytes(res, status, headers, type, body) {
  res.writeHead(status, {
    ...headers,
    ...(type === undefined ? {} : { 'Content-Type': type }),
    'Content-Length': body.length,
  });
  res.end(body);
}

/**
 * Sends a kind fault's answer and returns its status for the log. `headers` are the
 * rate-limit headers of the answer; the fault's own `headers` come after the kind's, and
 * the framing (Content-Length, chunking) is always the kind's.
 */
export function sendKindFault(res, fault, headers) {
  const { kind, status } = fault;
  const own = Object.fromEntries(
    Object.entries({ ...headers, ...fault.headers }).filter(
      ([name]) => !FRAMING_HEADERS.includes(name.toLowerCase()),
    ),
  );
  const retryAfter = { 'Retry-After': String(fault.retryAfter ?? 1) };
  switch (kind) {
    case 'server-error':
    case 'unavailable':
    case 'rate-limited': {
      const body = errorBody(status, fault.message ?? DEFAULT_MESSAGE[kind]);
      if (STATUS_NAMES[status] !== undefined) {
        body.errorCode = `${status} ${STATUS_NAMES[status]}`;
      }
      const text = JSON.stringify(body);
      const extra = RETRY_AFTER_KINDS.includes(kind) ? retryAfter : {};
      sendBytes(res, status, { ...extra, ...own }, 'application/json', Buffer.from(text));
      break;
    }
    case 'bad-gateway-html':
    case 'html-ok': {
      const page = fault.body ?? (kind === 'html-ok' ? LOGIN_PAGE : BAD_GATEWAY_PAGE);
      const text = typeof page === 'string' ? page : JSON.stringify(page);
      sendBytes(res, status, own, 'text/html; charset=utf-8', Buffer.from(text));
      break;
    }
    case 'truncated-json': {
      const whole = documentBytes(fault);
      const at = Math.min(fault.cutAt ?? Math.floor(whole.length / 2), whole.length);
      const cut = whole.subarray(0, at);
      sendBytes(res, status, own, 'application/json', cut);
      break;
    }
    case 'empty-ok':
      sendBytes(res, status, own, 'application/json', Buffer.alloc(0));
      break;
    case 'no-content':
      sendBytes(res, status, own, undefined, Buffer.alloc(0));
      break;
    case 'reset-mid-body':
      resetMidBody(res, status, own, documentBytes(fault), fault.cutAt);
      break;
    case 'invalid-utf8':
      sendBytes(res, status, own, 'application/json', invalidUtf8Document());
      break;
    case 'oversize':
      streamOversize(res, status, own, fault);
      break;
    default:
      throw new Error(`unknown fault kind ${kind}`);
  }
  return status;
}

// The list sample whose schedule name is `"bad<invalid bytes>name"`: the JSON around it
// is well formed, only the bytes are wrong.
function invalidUtf8Document() {
  const document = listingDocument();
  document.data[0].name = '\u0000MARK\u0000';
  const [before, after] = JSON.stringify(document).split('\\u0000MARK\\u0000');
  return Buffer.concat([Buffer.from(`${before}bad`), INVALID_UTF8, Buffer.from(`name${after}`)]);
}

// Promises the whole document, sends `cutAt` bytes of it (half by default), and destroys
// the connection once those bytes are written, as a proxy or a crashing server does.
function resetMidBody(res, status, headers, whole, cutAt) {
  const sent = whole.subarray(0, Math.min(cutAt ?? Math.floor(whole.length / 2), whole.length - 1));
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': whole.length,
  });
  // The headers go out with the first bytes; the socket is cut once they are flushed.
  res.write(sent, () => res.socket?.destroy());
  if (sent.length === 0) {
    res.flushHeaders();
  }
}

// Builds the pieces of a listing of exactly `size` bytes: as many copies of the sample
// schedule as fit, then spaces (JSON whitespace) to make up the size, then the count.
function* oversizePieces(size) {
  const item = Buffer.from(JSON.stringify(listingDocument().data[0]));
  const head = Buffer.from('{"data":[');
  const tail = (count) => Buffer.from(`],"count":${count}}`);
  // Room for items, reserving the longest tail any count can need.
  const room = size - head.length - tail(size).length;
  const count = room >= item.length ? Math.floor((room + 1) / (item.length + 1)) : 0;
  const itemsBytes = count === 0 ? 0 : count * (item.length + 1) - 1;
  const padding = size - head.length - itemsBytes - tail(count).length;
  yield head;
  const perChunk = Math.max(1, Math.floor(CHUNK_BYTES / (item.length + 1)));
  const itemAndComma = Buffer.concat([item, Buffer.from(',')]);
  const block = Buffer.concat(Array.from({ length: perChunk }, () => itemAndComma));
  let left = count;
  while (left > 0) {
    const now = Math.min(left, perChunk);
    // The last item of the listing has no comma after it.
    const piece = now === perChunk ? block : block.subarray(0, now * (item.length + 1));
    left -= now;
    yield left === 0 ? piece.subarray(0, piece.length - 1) : piece;
  }
  for (let rest = padding; rest > 0; rest -= CHUNK_BYTES) {
    yield Buffer.alloc(Math.min(rest, CHUNK_BYTES), 0x20);
  }
  yield tail(count);
}

// Streams the oversized listing, waiting for the socket to drain between pieces and
// stopping as soon as the client hangs up (a client that enforces a limit does).
function streamOversize(res, status, headers, fault) {
  const size = fault.sizeBytes ?? DEFAULT_OVERSIZE_BYTES;
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    ...(fault.contentLength ? { 'Content-Length': size } : {}),
  });
  const pieces = oversizePieces(size);
  let closed = false;
  let wake = null;
  res.on('close', () => {
    closed = true;
    wake?.();
  });
  const pump = async () => {
    for (const piece of pieces) {
      if (closed || res.destroyed) {
        return;
      }
      if (!res.write(piece)) {
        await new Promise((resolveDrain) => {
          wake = resolveDrain;
          res.once('drain', resolveDrain);
        });
        res.off('drain', wake);
        wake = null;
      }
    }
    if (!closed && !res.destroyed) {
      res.end();
    }
  };
  pump().catch(() => res.destroy());
}
