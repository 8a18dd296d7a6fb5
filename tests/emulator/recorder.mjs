// A second, tiny server that only records what reaches it. A test queues a redirect from
// the emulator to the recorder and then reads what the recorder saw, so that it can tell
// whether a client followed the redirect and, above all, whether it carried its token to
// another origin.

import { createServer } from 'node:http';

// Like the emulator, the recorder listens on the loopback address only.
const HOST = '127.0.0.1';

// Any origin may read the answer, so that a browser test sees the same as a Node one.
function answer(req, res) {
  res.writeHead(200, {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'GET, POST, PUT, DELETE, OPTIONS',
    'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] ?? '*',
    'Content-Type': 'application/json',
    'Content-Length': 2,
  });
  res.end('{}');
}

/**
 * Starts the recorder on 127.0.0.1 at a free port. Every request, whatever its method or
 * path, is recorded as `{ method, path, authorization }` and answered 200 with `{}`.
 * `path` is the request target as received, query included; `authorization` is the
 * header's value, or null when there is none.
 *
 * Resolves to `{ url, close, requests }`: `url` has no trailing slash, `close()` stops
 * the server and its open connections, and `requests()` copies the records in order.
 */
export async function startRecorder() {
  const received = [];
  const server = createServer((req, res) => {
    received.push({
      method: req.method,
      path: req.url ?? '/',
      authorization: req.headers.authorization ?? null,
    });
    // The body is read to its end before answering, so that a kept-alive connection is
    // left clean for the next request.
    req.resume();
    req.once('end', () => answer(req, res));
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, HOST, () => {
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
  return { url, close, requests: () => structuredClone(received) };
}
