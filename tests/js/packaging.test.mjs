// Tests of the package as npm ships it: `npm pack` of pkg/, an offline install of the
// tarball into a fresh project outside the repository, and a script there that imports
// `qualys-cs` by name and calls the emulator. Also checks what the tarball holds and that
// its type declarations use no `any`.

import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SEED, TOKENS, startEmulator } from '../emulator/server.mjs';
import { retry, run } from './helpers.mjs';

const REPOSITORY = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const PKG = join(REPOSITORY, 'pkg');

const REQUIRED_FILES = [
  'index.js',
  'index.node.js',
  'client.js',
  'index.d.ts',
  'qualys_cs.js',
  'qualys_cs.d.ts',
  'qualys_cs_bg.wasm',
  'package.json',
  'README.md',
];

// `any` as a type: after a colon, inside angle brackets or in a union.
const ANY_TYPE = /(:|<|\|)\s*any\b/;

const BOUNDED = { timeout: 60_000 };

let work;
let npmEnv;
let packed;
let project;
let emulator;

// npm runs with its own cache and config in the temp folder, offline and quiet, so the
// test touches nothing of the machine's npm setup and downloads nothing.
function npm(args, cwd) {
  return run('npm', args, { cwd, env: npmEnv, timeoutMs: 45_000 });
}

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'qualys-cs-packaging-'));
  const home = join(work, 'home');
  await mkdir(home);
  npmEnv = {
    ...process.env,
    HOME: home,
    npm_config_cache: join(work, 'npm-cache'),
    npm_config_userconfig: join(home, '.npmrc'),
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
    npm_config_offline: 'true',
    npm_config_loglevel: 'error',
  };

  // Another engineer may be rebuilding pkg/ (it is replaced in one step), so a failed
  // pack is retried a few times before it counts.
  const tarballs = join(work, 'tarballs');
  await mkdir(tarballs);
  packed = await retry(async () => {
    const result = await npm(
      ['pack', PKG, '--pack-destination', tarballs, '--json', '--ignore-scripts'],
      work,
    );
    assert.equal(result.code, 0, `npm pack failed:\n${result.stderr}`);
    const [entry] = JSON.parse(result.stdout);
    return { ...entry, tarball: join(tarballs, entry.filename) };
  }, { attempts: 5, delayMs: 3_000 });

  project = join(work, 'project');
  await mkdir(project);
  await writeFile(
    join(project, 'package.json'),
    `${JSON.stringify({ name: 'qualys-cs-consumer', private: true, type: 'module' }, null, 2)}\n`,
  );
  const install = await npm(
    ['install', packed.tarball, '--offline', '--no-audit', '--no-fund'],
    project,
  );
  assert.equal(install.code, 0, `npm install failed:\n${install.stdout}\n${install.stderr}`);

  emulator = await startEmulator({ port: 0 });
});

after(async () => {
  await emulator?.close();
  if (work) {
    await rm(work, { recursive: true, force: true });
  }
});

describe('the packed tarball', () => {
  test('is the qualys-cs package', BOUNDED, () => {
    assert.equal(packed.name, 'qualys-cs');
    assert.match(packed.filename, /^qualys-cs-\d+\.\d+\.\d+.*\.tgz$/);
  });

  test('holds every file the package needs', BOUNDED, () => {
    const files = packed.files.map((file) => file.path);
    for (const file of REQUIRED_FILES) {
      assert.ok(files.includes(file), `${file} is packed (packed: ${files.join(', ')})`);
    }
  });

  test('ships no source, tests or build leftovers', BOUNDED, () => {
    const files = packed.files.map((file) => file.path);
    for (const file of files) {
      assert.ok(!/^(src|tests|target|node_modules)\//.test(file), `${file} is not shipped`);
      assert.ok(!file.endsWith('.rs') && !file.endsWith('.tgz'), `${file} is not shipped`);
    }
    assert.ok(!files.includes('qualys_cs_bg.wasm.d.ts'), 'the raw wasm types are left out');
  });

  test('its type declarations contain no `any` type', BOUNDED, async () => {
    const declarations = packed.files.map((file) => file.path).filter((path) => path.endsWith('.d.ts'));
    assert.ok(declarations.includes('index.d.ts') && declarations.includes('qualys_cs.d.ts'));
    const installed = join(project, 'node_modules', 'qualys-cs');
    for (const path of declarations) {
      const text = await readFile(join(installed, path), 'utf8');
      const offending = text.split('\n').filter((line) => ANY_TYPE.test(line));
      assert.deepEqual(offending, [], `${path} declares no \`any\``);
    }
  });
});

describe('the installed package', () => {
  test('is a copy in the project, not a link back to the repository', BOUNDED, async () => {
    const installed = await realpath(join(project, 'node_modules', 'qualys-cs'));
    assert.ok(installed.startsWith(await realpath(project)), installed);
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.name, 'qualys-cs');
    assert.equal(manifest.dependencies, undefined, 'the package has no dependencies');
  });

  test('is imported by name and lists the seeded schedule from the emulator', BOUNDED, async () => {
    const script = join(project, 'probe.mjs');
    await writeFile(
      script,
      [
        "import { ContainerSecurityClient, ContainerSecurityError, validateRegistrySchedule,",
        "  ERROR_CODES, ready } from 'qualys-cs';",
        '',
        'await ready;',
        'const client = new ContainerSecurityClient({',
        '  baseUrl: process.env.QUALYS_CS_BASE_URL,',
        '  token: process.env.QUALYS_CS_TOKEN,',
        '});',
        'const page = await client.listRegistrySchedules(process.env.QUALYS_CS_REGISTRY_ID);',
        'let refused = null;',
        "try { await client.getSensorProfile('not-a-uuid'); } catch (error) {",
        '  refused = error instanceof ContainerSecurityError ? error.code : String(error);',
        '}',
        'console.log(JSON.stringify({',
        "  resolved: import.meta.resolve('qualys-cs'),",
        '  scheduleUuid: page.data[0].scheduleUuid,',
        '  created: page.data[0].created,',
        '  weekDay: page.data[0].weekDay,',
        '  count: page.count,',
        '  refused,',
        "  issues: validateRegistrySchedule({ schedule: '09:30' }),",
        '  codes: ERROR_CODES.length,',
        '}));',
        '',
      ].join('\n'),
    );
    const result = await run(process.execPath, [script], {
      cwd: project,
      env: {
        ...process.env,
        QUALYS_CS_BASE_URL: emulator.url,
        QUALYS_CS_TOKEN: TOKENS.admin,
        QUALYS_CS_REGISTRY_ID: SEED.registryId,
      },
      timeoutMs: 20_000,
    });
    assert.equal(result.code, 0, `the script failed:\n${result.stderr}`);
    const printed = JSON.parse(result.stdout.trim());
    const installedEntry = await realpath(
      join(project, 'node_modules', 'qualys-cs', 'index.node.js'),
    );
    assert.equal(await realpath(fileURLToPath(printed.resolved)), installedEntry);
    assert.deepEqual(
      { ...printed, resolved: undefined },
      {
        resolved: undefined,
        scheduleUuid: SEED.scheduleId,
        created: 1674040668619,
        weekDay: 'WEDNESDAY',
        count: 1,
        refused: 'VALIDATION',
        issues: [],
        codes: 12,
      },
    );
    const [request] = emulator.requests();
    assert.equal(request.path, `/csapi/v1.3/registry/${SEED.registryId}/schedule`);
    assert.equal(request.headers.authorization, `Bearer ${TOKENS.admin}`);
    assert.equal(emulator.requests().length, 1, 'the invalid call sent nothing');
  });
});
