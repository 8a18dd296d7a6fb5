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

  test('its declarations type a consumer under tsc --strict', BOUNDED, async () => {
    // Every function, option and error field a TypeScript user touches, including the
    // read-modify-write round trips the README promises; a wrong declaration fails here.
    await writeFile(join(project, 'consumer.ts'), CONSUMER_TS);
    const tsc = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [
      tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--lib', 'es2022,dom', 'consumer.ts',
    ], { cwd: project, timeoutMs: 45_000 });
    assert.equal(result.code, 0, `tsc found errors:\n${result.stdout}${result.stderr}`);

    // And it does reject what the declarations forbid.
    await writeFile(join(project, 'wrong.ts'), WRONG_TS);
    const wrong = await run(process.execPath, [
      tsc, '--strict', '--noEmit', '--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--target', 'es2022', '--lib', 'es2022,dom', 'wrong.ts',
    ], { cwd: project, timeoutMs: 45_000 });
    assert.notEqual(wrong.code, 0);
    for (const line of [7, 8, 9, 10]) {
      assert.match(wrong.stdout, new RegExp(`wrong\\.ts\\(${line},`), wrong.stdout);
    }
  });
});

// A consumer module; `.ts` with `"type": "module"` in the project compiles as ESM.
const CONSUMER_TS = `import {
  ContainerSecurityClient, ContainerSecurityError, ERROR_CODES, PLATFORMS, gatewayUrl, login,
  ready, requiredPermission, validateRegistrySchedule,
  type ErrorCode, type Permission, type RegistrySchedule, type RegistryScheduleInput,
  type SensorProfile, type ValidationIssue, type WeekDay,
} from 'qualys-cs';

export async function use(): Promise<void> {
  await ready;
  const url: string = gatewayUrl('EU3');
  const jwt: string = await login({ baseUrl: url, username: 'u', password: 'p' });
  const client = new ContainerSecurityClient({
    platform: 'US1', token: async ({ refresh }) => (refresh ? jwt : 't'), timeoutMs: 5000,
    deadlineMs: 20000, retry: { attempts: 2, baseDelayMs: 100, maxRetryDelayMs: 1000 },
    maxConcurrency: 4, maxResponseBytes: 1 << 20, userAgent: 'consumer/1',
    onRequest: ({ method, url: where, attempt }) => void [method, where, attempt],
    onResponse: ({ status, durationMs }) => void [status, durationMs],
  });
  const withCredentials = new ContainerSecurityClient({
    baseUrl: url, credentials: { username: 'u', password: 'p' },
  });
  const signal = new AbortController().signal;
  const page = await client.listRegistrySchedules('r', { pageNumber: 1, pageSize: 50 }, { signal });
  const first: RegistrySchedule | undefined = page.data[0];
  const count: number = page.count;
  if (first) {
    const created: number | null = first.created;
    const day: WeekDay | null = first.weekDay;
    await client.updateRegistrySchedule('r', first.scheduleUuid, first);
    void [created, day];
  }
  const input: RegistryScheduleInput = {
    schedule: '09:30', scheduleIntervalInDays: 7, weekDay: 'THURSDAY', name: null,
    filters: [{ days: null, repoTags: [{ repo: 'azuretest', tag: null }] }],
  };
  const { scheduleUuid } = await client.createRegistrySchedule('r', input);
  await client.deleteAcrConnector('c');
  await client.deleteAwsConnector('arn:aws:iam::123456789012:role/x');
  const profile: SensorProfile = await withCredentials.getSensorProfile('p');
  await withCredentials.updateSensorProfile('p', { ...profile, description: 'changed' });
  const { profileUuid } = await client.createSensorProfile({ profileName: 'n', extra: 1 });
  await client.deleteSensorProfile(profileUuid);
  for await (const schedule of client.registrySchedules('r', { pageSize: 10, limit: 20 })) {
    void schedule.scheduleUuid;
  }
  for await (const each of client.sensorProfiles({ signal })) void each.profileName;
  const issues: ValidationIssue[] = validateRegistrySchedule(input);
  const permission: Permission | null = requiredPermission('deleteSensorProfile');
  const rate = client.rateLimit;
  const left: number | null | undefined = rate?.remaining;
  try {
    await client.listSensorProfiles();
  } catch (error) {
    if (error instanceof ContainerSecurityError) {
      const code: ErrorCode = error.code;
      const fields = [error.status, error.serverMessage, error.serverErrorCode,
        error.permission, error.issues?.map((issue) => issue.field), error.retryAfterMs];
      void [code, fields, error.message, error.toJSON()];
    }
  }
  void [count, scheduleUuid, issues, permission, left, ERROR_CODES, PLATFORMS];
}
`;

// Lines 7 to 10 must each be a type error.
const WRONG_TS = `import { ContainerSecurityClient, gatewayUrl } from 'qualys-cs';

export async function misuse(): Promise<void> {
  const client = new ContainerSecurityClient({ baseUrl: 'https://x', token: 't' });
  // The next four lines are wrong on purpose.
  void client;
  await client.createRegistrySchedule('r', { weekDay: 'FUNDAY' });
  new ContainerSecurityClient({ baseUrl: 'https://x', platform: 'US1', token: 't' });
  gatewayUrl('US9');
  const n: number = (await client.listSensorProfiles()).data[0].profileName;
}
`;

