// Serves the demo page and the built package from the repository, so that a browser can
// load both from the same origin as the API. Only two folders are served, and a path is
// refused before it reaches the file system if any of its segments could climb out.

import { readFile, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

// The folders a URL prefix maps to, relative to the served root.
const MOUNTS = [
  { prefix: '/www-demo/', folder: 'www-demo' },
  { prefix: '/pkg/', folder: 'pkg' },
];

const TEXT = 'text/plain; charset=utf-8';

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.ts': TEXT,
  '.md': TEXT,
  '.txt': TEXT,
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

function mimeType(filePath) {
  return MIME_TYPES[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

// Splits the part of a URL path after its mount into decoded segments, or answers null
// when a segment is malformed or could name anything outside the mount: "." and "..",
// and any segment whose decoding holds a slash, a backslash or a NUL.
function safeSegments(rest) {
  const segments = [];
  for (const raw of rest.split('/')) {
    let segment;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[/\\\0]/.test(segment)) {
      return null;
    }
    segments.push(segment);
  }
  return segments;
}

async function statOrNull(path) {
  try {
    return await stat(path);
  } catch {
    return null;
  }
}

// Resolves a request to a file inside the mount, following symbolic links only when they
// stay inside it. A folder answers with its index.html.
async function resolveFile(folder, segments) {
  const base = await realpath(folder).catch(() => null);
  if (base === null) {
    return null;
  }
  let path = join(base, ...segments);
  const info = await statOrNull(path);
  if (info?.isDirectory()) {
    path = join(path, 'index.html');
  }
  const real = await realpath(path).catch(() => null);
  if (real === null || !real.startsWith(base + sep)) {
    return null;
  }
  const realInfo = await statOrNull(real);
  return realInfo?.isFile() ? real : null;
}

// Node leaves the body out of an answer to HEAD by itself, so one path serves both.
function answer(res, status, headers, body) {
  res.writeHead(status, { ...headers, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function redirect(res, location) {
  answer(res, 302, { Location: location }, '');
}

function notFound(res) {
  answer(res, 404, { 'Content-Type': TEXT }, 'Not found\n');
}

/**
 * Answers a request for a static file under `root`, or for the root's redirect to the
 * demo. A missing file, a refused path and a method other than GET or HEAD all get 404.
 */
export async function serveStatic(req, res, root, pathname) {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return notFound(res);
  }
  if (pathname === '/') {
    return redirect(res, '/www-demo/');
  }
  const bare = MOUNTS.find((mount) => pathname === mount.prefix.slice(0, -1));
  if (bare) {
    return redirect(res, bare.prefix);
  }
  const mount = MOUNTS.find((candidate) => pathname.startsWith(candidate.prefix));
  const segments = mount ? safeSegments(pathname.slice(mount.prefix.length)) : null;
  const file = segments ? await resolveFile(join(root, mount.folder), segments) : null;
  if (file === null) {
    return notFound(res);
  }

  // A folder asked for without its trailing slash is redirected, so that the relative
  // links of its index.html resolve inside it.
  const asked = join(root, mount.folder, ...segments);
  if (!pathname.endsWith('/') && (await statOrNull(asked))?.isDirectory()) {
    return redirect(res, `${pathname}/`);
  }
  const body = await readFile(file);
  // The package is rebuilt while the emulator runs, so nothing may be cached.
  const headers = { 'Content-Type': mimeType(file), 'Cache-Control': 'no-store' };
  return answer(res, 200, headers, body);
}
