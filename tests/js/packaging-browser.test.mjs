// The packed tarball in the browser: installed offline into a fresh project, then used
// from headless Chromium (Debian's, through playwright-core) in three ways, each making
// the same real calls against the emulator (package-probe.mjs) and writing the result
// into the DOM or posting it back:
//
// - a Vite production build of a page that imports 'qualys-cs' by name;
// - a plain page whose <script type="module"> imports ./node_modules/qualys-cs/index.js;
// - a module Web Worker that imports the same browser entry, and one bundled by Vite.
//
// Pages are served by a small static server on 127.0.0.1 (a port of its own, another
// origin than the emulator's, so the calls are cross-origin as in real use). Every
// server and the browser are closed by the hooks that started them.

import assert from 'node:assert/strict';
import { createReadStream } from 'node:fs';
import { mkdir, readFile, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { startEmulator } from '../emulator/server.mjs';
import { launchChromium, run } from './helpers.mjs';
import { REPOSITORY, packAndInstall } from './package-install.mjs';
import {
  PROBE_FIXTURES, expectedProbeRequests, expectedProbeResult, probe,
} from './package-probe.mjs';

const TEST_TIMEOUT_MS = 90_000;
const STEP_TIMEOUT_MS = 20_000;
const FILE_DEADLINE_MS = 300_000;

// A hung browser, build or server must never keep CI waiting.
const deadline = setTimeout(() => {
  console.error(`packaging-browser.test.mjs: still running after ${FILE_DEADLINE_MS} ms; giving up.`);
  process.exit(1);
}, FILE_DEADLINE_MS);
deadline.unref();

const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.json': 'application/json; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Serves the files under `root` on 127.0.0.1 at a free port; a path that leaves `root`
 * (after following links) is 404. Records every path asked for.
 */
async function startStaticServer(root) {
  const base = await realpath(root);
  const requested = [];
  const server = createServer(async (req, res) => {
    const { pathname } = new URL(req.url, 'http://127.0.0.1');
    requested.push(pathname);
    let file = null;
    try {
      const candidate = await realpath(resolve(base, `.${decodeURIComponent(pathname)}`));
      const info = await stat(candidate);
      if ((candidate === base || candidate.startsWith(base + sep)) && info.isFile()) {
        file = candidate;
      }
    } catch {
      file = null;
    }
    if (req.method !== 'GET' || file === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('Not found\n');
      return;
    }
    res.writeHead(200, {
      'Content-Type': MIME_TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(0, '127.0.0.1', resolveListen);
  });
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    requested: () => [...requested],
    close: () => new Promise((resolveClose) => {
      server.close(() => resolveClose());
      server.closeAllConnections();
    }),
  };
}

// The script that runs the probe in a page and writes its outcome into #result.
const PAGE_RUNNER = `
const out = document.getElementById('result');
const api = new URLSearchParams(location.search).get('api');
probe(q, api, ${JSON.stringify(PROBE_FIXTURES)}).then((result) => {
  out.textContent = JSON.stringify(result);
  out.dataset.state = 'done';
}, (error) => {
  out.textContent = String(error && error.stack || error);
  out.dataset.state = 'failed';
});
`;

// A module worker that runs the probe on the URL it is sent and posts the outcome back;
// `from` is the import specifier of the package.
function workerSource(from) {
  return [
    `import * as q from ${from};`,
    String(probe),
    `const fixtures = ${JSON.stringify(PROBE_FIXTURES)};`,
    'self.onmessage = async (event) => {',
    '  try {',
    '    const result = await probe(q, event.data, fixtures);',
    "    const inWorker = typeof WorkerGlobalScope === 'function'",
    "      && self instanceof WorkerGlobalScope && typeof document === 'undefined';",
    '    self.postMessage({ ok: true, inWorker, result });',
    '  } catch (error) {',
    '    self.postMessage({ ok: false, error: String(error && error.stack || error) });',
    '  }',
    '};',
    '',
  ].join('\n');
}

// The page script that starts the worker at `url` (a JS expression), sends it the
// emulator's URL and writes what it posts back into #result.
const WORKER_PAGE_SCRIPT = (url) => `
const out = document.getElementById('result');
const worker = new Worker(${url}, { type: 'module' });
worker.onmessage = (event) => {
  out.textContent = JSON.stringify(event.data);
  out.dataset.state = 'done';
  worker.terminate();
};
worker.onerror = (event) => {
  out.textContent = 'worker error: ' + event.message;
  out.dataset.state = 'failed';
};
worker.postMessage(new URLSearchParams(location.search).get('api'));
`;

function page(title, script) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${title}</title></head>
<body><pre id="result"></pre>
<script type="module">
${script}
</script></body></html>
`;
}

let installation;
let emulator;
let browser;

before(async () => {
  installation = await packAndInstall({
    prefix: 'qualys-cs-packaging-browser-',
    manifest: { name: 'qualys-cs-browser-consumer', private: true, type: 'module' },
  });
  emulator = await startEmulator({ port: 0 });
  browser = await launchChromium();
}, { timeout: 120_000 });

after(async () => {
  await browser?.close();
  await emulator?.close();
  await installation?.cleanup();
}, { timeout: 30_000 });

/**
 * Opens `url?api=<emulator>` in a new context, waits for #result to be settled, and
 * resolves to the parsed result. Page errors and a failed probe fail the test; the
 * context is closed whatever happens.
 */
async function probeInPage(url) {
  const context = await browser.newContext();
  const pageErrors = [];
  try {
    const tab = await context.newPage();
    tab.setDefaultTimeout(STEP_TIMEOUT_MS);
    tab.on('pageerror', (error) => pageErrors.push(String(error)));
    await tab.goto(`${url}?api=${encodeURIComponent(emulator.url)}`);
    await tab.waitForSelector('#result[data-state]');
    const state = await tab.getAttribute('#result', 'data-state');
    const text = await tab.textContent('#result');
    assert.equal(state, 'done', `the probe failed in the page: ${text}`);
    assert.deepEqual(pageErrors, [], 'the page raised uncaught errors');
    return JSON.parse(text);
  } finally {
    await context.close();
  }
}

/**
 * Builds the Vite app in `app` with the repository's Vite ('qualys-cs' resolves from the
 * temp project's own node_modules, where the tarball was installed) and checks that the
 * build holds the installed package's wasm as an asset. Resolves to the dist folder and
 * the asset's file names.
 */
async function viteBuild(app) {
  const vite = join(REPOSITORY, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = await run(process.execPath, [
    vite, 'build', app, '--base', './', '--outDir', 'dist', '--emptyOutDir',
    '--logLevel', 'warn',
  ], { cwd: app, timeoutMs: 90_000 });
  assert.equal(build.code, 0, `vite build failed:\n${build.stdout}\n${build.stderr}`);

  const dist = join(app, 'dist');
  const assets = await readdir(join(dist, 'assets'));
  const wasm = assets.filter((name) => name.endsWith('.wasm'));
  assert.equal(wasm.length, 1, `one wasm asset in dist/assets: ${assets.join(', ')}`);
  assert.match(wasm[0], /^qualys_cs_bg-[\w-]+\.wasm$/);
  assert.deepEqual(
    await readFile(join(dist, 'assets', wasm[0])),
    await readFile(join(installation.project, 'node_modules', 'qualys-cs', 'qualys_cs_bg.wasm')),
    'the asset is the installed package\'s wasm',
  );
  const scripts = assets.filter((name) => name.endsWith('.js'));
  const bundled = (await Promise.all(
    scripts.map((name) => readFile(join(dist, 'assets', name), 'utf8')))).join('\n');
  assert.doesNotMatch(bundled, /node_modules|node:fs/, 'nothing of Node in the bundle');
  return { dist, assets, wasm: wasm[0] };
}

/** Checks that the emulator saw exactly the probe's calls, sent from `origin`. */
function assertProbeRequests(origin) {
  const calls = emulator.requests().filter((entry) => entry.method !== 'OPTIONS');
  assert.deepEqual(calls.map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
    expectedProbeRequests());
  for (const call of calls) {
    assert.equal(call.headers.origin, origin, 'the call came from the page, cross-origin');
  }
}

describe('the installed package in Chromium', () => {
  test('a Vite production build of a page that imports it by name', { timeout: TEST_TIMEOUT_MS },
    async () => {
      await emulator.reset();
      const app = join(installation.project, 'vite-app');
      await mkdir(app);
      await writeFile(join(app, 'index.html'), page('qualys-cs in a Vite build',
        "import './main.js';"));
      await writeFile(join(app, 'main.js'), [
        "import * as q from 'qualys-cs';",
        String(probe),
        PAGE_RUNNER,
      ].join('\n'));

      const { dist, wasm } = await viteBuild(app);
      const server = await startStaticServer(dist);
      try {
        const result = await probeInPage(`${server.url}/index.html`);
        assert.deepEqual(result, expectedProbeResult());
        assertProbeRequests(server.url);
        assert.ok(server.requested().includes(`/assets/${wasm}`), 'the page fetched the asset');
        assert.ok(server.requested().every((path) => !path.includes('node_modules')),
          `nothing outside the build was fetched: ${server.requested().join(', ')}`);
      } finally {
        await server.close();
      }
    });

  test('a plain <script type="module"> importing ./node_modules/qualys-cs/index.js',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      await emulator.reset();
      await writeFile(join(installation.project, 'plain.html'), page('qualys-cs, no bundler', [
        "import * as q from './node_modules/qualys-cs/index.js';",
        String(probe),
        PAGE_RUNNER,
      ].join('\n')));
      const server = await startStaticServer(installation.project);
      try {
        const result = await probeInPage(`${server.url}/plain.html`);
        assert.deepEqual(result, expectedProbeResult());
        assertProbeRequests(server.url);
        const fetched = server.requested();
        for (const file of ['index.js', 'client.js', 'loader.js', 'qualys_cs.js',
          'qualys_cs_bg.wasm']) {
          assert.ok(fetched.includes(`/node_modules/qualys-cs/${file}`), `${file} was fetched`);
        }
        assert.ok(!fetched.some((path) => /index\.(node\.js|cjs)$/.test(path)),
          `no Node entry was fetched: ${fetched.join(', ')}`);
      } finally {
        await server.close();
      }
    });

  test('a module Web Worker bundled by Vite from a page that imports it by name',
    { timeout: TEST_TIMEOUT_MS }, async () => {
      await emulator.reset();
      const app = join(installation.project, 'vite-worker-app');
      await mkdir(app);
      await writeFile(join(app, 'index.html'), page('qualys-cs in a Vite-built worker',
        WORKER_PAGE_SCRIPT("new URL('./worker.js', import.meta.url)")));
      await writeFile(join(app, 'worker.js'), workerSource("'qualys-cs'"));
      const { dist, assets, wasm } = await viteBuild(app);
      assert.ok(assets.some((name) => /^worker-[\w-]+\.js$/.test(name)),
        `the worker is its own chunk: ${assets.join(', ')}`);

      await probeWorker(dist, 'index.html', `/assets/${wasm}`, 'the worker fetched the asset');
    });

  test('a module Web Worker importing the browser entry', { timeout: TEST_TIMEOUT_MS },
    async () => {
      await emulator.reset();
      const { project } = installation;
      await writeFile(join(project, 'worker.js'),
        workerSource("'./node_modules/qualys-cs/index.js'"));
      await writeFile(join(project, 'worker.html'), page('qualys-cs in a Web Worker',
        WORKER_PAGE_SCRIPT("'./worker.js'")));
      await probeWorker(project, 'worker.html', '/node_modules/qualys-cs/qualys_cs_bg.wasm',
        'the worker fetched the wasm next to the entry');
    });
});

/**
 * Serves `root`, opens `page` in Chromium and checks what its worker's probe did: it ran
 * in a worker, made the expected calls against the emulator, and fetched `wasmPath`.
 */
async function probeWorker(root, page, wasmPath, why) {
  const server = await startStaticServer(root);
  try {
    const message = await probeInPage(`${server.url}/${page}`);
    assert.equal(message.ok, true, `the probe failed in the worker: ${message.error}`);
    assert.equal(message.inWorker, true, 'the probe ran in a worker, without a document');
    assert.deepEqual(message.result, expectedProbeResult());
    assertProbeRequests(server.url);
    assert.ok(server.requested().includes(wasmPath), why);
  } finally {
    await server.close();
  }
}
