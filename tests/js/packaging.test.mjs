// Tests of the package as npm ships it: `npm pack` of pkg/, an offline install of the
// tarball into a fresh project outside the repository, and scripts there that load
// `qualys-cs` by name, with `import` and with `require` (real CommonJS, with Node's
// require(esm) turned off), and call the emulator. Also checks what the tarball holds,
// that its type declarations use no `any`, and that they type an ES module and a
// CommonJS TypeScript consumer under --strict. The browser, bundler and worker tests of
// the same tarball are in packaging-browser.test.mjs.

import assert from 'node:assert/strict';
import { readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SEED, TOKENS, startEmulator } from '../emulator/server.mjs';
import { run } from './helpers.mjs';
import { REPOSITORY, packAndInstall } from './package-install.mjs';
import {
  PROBE_FIXTURES, expectedProbeRequests, expectedProbeResult, probe,
} from './package-probe.mjs';

const REQUIRED_FILES = [
  'index.js',
  'index.node.js',
  'index.cjs',
  'client.js',
  'index.d.ts',
  'index.d.cts',
  'qualys_cs.js',
  'qualys_cs.d.ts',
  'qualys_cs.d.cts',
  'qualys_cs_bg.wasm',
  'package.json',
  'README.md',
];

// `any` as a type: after a colon, inside angle brackets or in a union.
const ANY_TYPE = /\bany\b/;

// Declaration files, ESM (.d.ts) and CommonJS (.d.cts).
const DECLARATION = /\.d\.c?ts$/;

const BOUNDED = { timeout: 60_000 };

let installation;
let packed;
let project;
let emulator;

before(async () => {
  installation = await packAndInstall({
    prefix: 'qualys-cs-packaging-',
    manifest: { name: 'qualys-cs-consumer', private: true, type: 'module' },
  });
  ({ packed, project } = installation);
  emulator = await startEmulator({ port: 0 });
}, { timeout: 120_000 });

after(async () => {
  await emulator?.close();
  await installation?.cleanup();
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
    assert.ok(!files.some((file) => file.includes('.src.')), 'the CommonJS source is left out');
  });

  test('its type declarations contain no `any` type', BOUNDED, async () => {
    const declarations = packed.files.map((file) => file.path).filter((path) => DECLARATION.test(path));
    assert.deepEqual(declarations.sort(),
      ['index.d.cts', 'index.d.ts', 'qualys_cs.d.cts', 'qualys_cs.d.ts']);
    const installed = join(project, 'node_modules', 'qualys-cs');
    for (const path of declarations) {
      const text = await readFile(join(installed, path), 'utf8');
      // Comments are prose, where "any" is a word; in the code left, `any` is a type
      // wherever it stands (`: any`, `Record<string, any>`, `(x: any) => any`, `any[]`).
      const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
      const offending = code.split('\n').filter((line) => ANY_TYPE.test(line));
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
    await emulator.reset();
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

  test('is required by name as real CommonJS and calls the emulator', BOUNDED, async () => {
    // `--no-experimental-require-module` turns off Node's require(esm), so this passes
    // only if `require` is handed a CommonJS file, as on any Node 20 before 20.19.
    await emulator.reset();
    const script = join(project, 'probe.cjs');
    await writeFile(script, [
      "'use strict';",
      "const q = require('qualys-cs');",
      `${String(probe)}`,
      'const loaded = Object.keys(require.cache).filter((path) => path.includes("/node_modules/qualys-cs/"));',
      'const fixtures = JSON.parse(process.env.QUALYS_CS_FIXTURES);',
      'probe(q, process.env.QUALYS_CS_BASE_URL, fixtures).then(async (result) => {',
      '  const esm = await import("qualys-cs");',
      '  console.log(JSON.stringify({',
      "    resolved: require.resolve('qualys-cs'), loaded, result,",
      '    esmExports: Object.keys(esm).sort(),',
      "    syncBeforeReady: q.validateRegistrySchedule({ schedule: '09:30' }),",
      '  }));',
      '}, (error) => { console.error(error); process.exit(1); });',
      '',
    ].join('\n'));
    const result = await run(process.execPath, ['--no-experimental-require-module', script], {
      cwd: project,
      env: {
        ...process.env,
        QUALYS_CS_BASE_URL: emulator.url,
        QUALYS_CS_FIXTURES: JSON.stringify(PROBE_FIXTURES),
      },
      timeoutMs: 20_000,
    });
    assert.equal(result.code, 0, `the script failed:\n${result.stderr}`);
    const printed = JSON.parse(result.stdout.trim());
    const entry = await realpath(join(project, 'node_modules', 'qualys-cs', 'index.cjs'));
    assert.equal(await realpath(printed.resolved), entry);
    // One self-contained bundle: nothing else of the package was required.
    assert.deepEqual(await Promise.all(printed.loaded.map((path) => realpath(path))), [entry]);
    assert.deepEqual(printed.result, expectedProbeResult());
    assert.deepEqual(printed.esmExports, expectedProbeResult().exports,
      'require and import expose the same names');
    assert.deepEqual(printed.syncBeforeReady, []);
    assert.deepEqual(
      emulator.requests().map((entry) => `${entry.method} ${entry.path} ${entry.status}`),
      expectedProbeRequests(),
    );
  });

  test('the CommonJS entry is a CommonJS file with no ES module syntax left', BOUNDED, async () => {
    const installed = join(project, 'node_modules', 'qualys-cs');
    const text = await readFile(join(installed, 'index.cjs'), 'utf8');
    assert.doesNotMatch(text, /^\s*(import|export)\s[^(]/m, 'no import or export statement');
    assert.doesNotMatch(text, /import\.meta/, 'no import.meta');
    assert.match(text, /module\.exports\s*=/);
    const manifest = JSON.parse(await readFile(join(installed, 'package.json'), 'utf8'));
    assert.equal(manifest.exports['.'].node.require.default, './index.cjs');
    assert.equal(manifest.exports['.'].node.import.default, './index.node.js');
    assert.equal(manifest.exports['.'].browser.default, './index.js');
    assert.ok(manifest.files.includes('host.js'), 'the host side of each attempt is packed');
  });

  test('its declarations type a consumer under tsc --strict', BOUNDED, async () => {
    // Every function, class, method, option and error field a TypeScript user touches,
    // including the read-modify-write round trips the README promises; a wrong
    // declaration fails here. The consumer is checked to name every export first.
    await assertUsesEveryExport(CONSUMER_TS);
    await writeFile(join(project, 'consumer.ts'), CONSUMER_TS);
    const result = await tsc(['--module', 'nodenext', '--moduleResolution', 'nodenext',
      '--explainFiles', 'consumer.ts']);
    assert.equal(result.code, 0, `tsc found errors:\n${errorLines(result)}`);
    assert.match(result.stdout, /^node_modules\/qualys-cs\/index\.d\.ts$/m,
      'an ES module consumer is typed by index.d.ts');

    // The same consumer as a bundler's project (Vite, webpack) resolves it.
    const bundler = await tsc(['--module', 'esnext', '--moduleResolution', 'bundler',
      'consumer.ts']);
    assert.equal(bundler.code, 0, `tsc (bundler) found errors:\n${errorLines(bundler)}`);

    // And it does reject what the declarations forbid.
    await writeFile(join(project, 'wrong.ts'), WRONG_TS);
    const wrong = await tsc(['--module', 'nodenext', '--moduleResolution', 'nodenext',
      'wrong.ts']);
    assert.notEqual(wrong.code, 0);
    for (const line of [7, 8, 9, 10]) {
      assert.match(wrong.stdout, new RegExp(`wrong\\.ts\\(${line},`), wrong.stdout);
    }
  });

  test('its declarations type a CommonJS consumer (node16, import = require)', BOUNDED,
    async () => {
      await writeFile(join(project, 'consumer.cts'), CONSUMER_CTS);
      const result = await tsc(['--module', 'node16', '--moduleResolution', 'node16',
        '--explainFiles', 'consumer.cts']);
      assert.equal(result.code, 0, `tsc found errors:\n${errorLines(result)}`);
      assert.match(result.stdout, /^node_modules\/qualys-cs\/index\.d\.cts$/m,
        'a CommonJS consumer is typed by index.d.cts');
      assert.doesNotMatch(result.stdout, /^node_modules\/qualys-cs\/index\.d\.ts$/m);

      await writeFile(join(project, 'wrong.cts'), WRONG_CTS);
      const wrong = await tsc(['--module', 'node16', '--moduleResolution', 'node16',
        'wrong.cts']);
      assert.notEqual(wrong.code, 0);
      const lines = [...wrong.stdout.matchAll(/wrong\.cts\((\d+),/g)].map((match) => match[1]);
      assert.deepEqual([...new Set(lines)], ['4', '5'], wrong.stdout);
    });
});

/** Runs tsc --strict --noEmit in the project on top of the common settings. */
function tsc(args) {
  const bin = join(REPOSITORY, 'node_modules', 'typescript', 'bin', 'tsc');
  return run(process.execPath, [
    bin, '--strict', '--noEmit', '--target', 'es2022', '--lib', 'es2022,dom', ...args,
  ], { cwd: project, timeoutMs: 45_000 });
}

/** tsc's error lines, without the file list `--explainFiles` prints. */
function errorLines(result) {
  return `${result.stdout.split('\n').filter((line) => /error TS/.test(line)).join('\n')}${result.stderr}`;
}

/**
 * Checks that `source` names every value the installed index.d.ts exports, every member
 * of its two classes, and every type it exports, so that the consumer cannot fall behind
 * the declarations.
 */
async function assertUsesEveryExport(source) {
  const declarations = await readFile(
    join(project, 'node_modules', 'qualys-cs', 'index.d.ts'), 'utf8');
  const values = [...declarations.matchAll(/^export (?:declare )?(?:function|class|const) (\w+)/gm)]
    .map((match) => match[1]);
  const types = [
    ...[...declarations.matchAll(/^export (?:interface|type) (\w+)/gm)].map((match) => match[1]),
    ...(/^export type \{([^}]*)\}/m.exec(declarations)?.[1].match(/\w+/g) ?? []),
  ];
  assert.ok(values.length >= 9 && types.length >= 20, `read ${values} and ${types}`);
  const members = (className) => {
    const body = new RegExp(`^export class ${className}\\b[^{]*\\{([\\s\\S]*?)^\\}`, 'm')
      .exec(declarations)[1];
    return [...body.matchAll(/^ {2}(?:readonly )?(\w+)\??[(:<]/gm)]
      .map((match) => match[1]).filter((name) => name !== 'constructor');
  };
  const clientMembers = members('ContainerSecurityClient');
  const errorMembers = members('ContainerSecurityError');
  assert.ok(clientMembers.length >= 13 && errorMembers.length >= 9,
    `read ${clientMembers} and ${errorMembers}`);
  const missing = [
    ...[...values, ...types].filter((name) => !new RegExp(`\\b${name}\\b`).test(source)),
    ...clientMembers.filter((name) => !new RegExp(`\\b(client|credentialed)\\.${name}\\b`).test(source))
      .map((name) => `ContainerSecurityClient#${name}`),
    ...errorMembers.filter((name) => !new RegExp(`\\berror\\.${name}\\b`).test(source))
      .map((name) => `ContainerSecurityError#${name}`),
  ];
  assert.deepEqual(missing, [], 'the consumer uses every export, method and error field');
}

// A consumer module; `.ts` with `"type": "module"` in the project compiles as ESM.
const CONSUMER_TS = `import {
  ContainerSecurityClient, ContainerSecurityError, ERROR_CODES, PLATFORMS, gatewayUrl, login,
  ready, requiredPermission, validateRegistrySchedule,
  type AdditionalFilters, type CallOptions, type ClientOptions, type ClientSettings,
  type CreatedSchedule, type CreatedSensorProfile, type ErrorCode, type GatewayOptions,
  type LoginOptions, type Page, type PageRequest, type PagingOptions, type Permission,
  type Platform, type RateLimit, type RegistrySchedule, type RegistryScheduleInput,
  type RepoTag, type RequestSummary, type ResponseSummary, type RetryOptions,
  type ScheduleFilter, type SensorProfile, type SensorProfileInput, type TokenProvider,
  type ValidationIssue, type WeekDay,
} from 'qualys-cs';

export async function use(): Promise<void> {
  const loaded: Promise<void> = ready;
  await loaded;
  const platform: Platform = 'EU3';
  const url: string = gatewayUrl(platform);
  const loginOptions: LoginOptions = { baseUrl: url, username: 'u', password: 'p' };
  const jwt: string = await login(loginOptions);
  const provider: TokenProvider = async ({ refresh }) => (refresh ? jwt : 't');
  const retry: RetryOptions = { attempts: 2, baseDelayMs: 100, maxRetryDelayMs: 1000 };
  const settings: ClientSettings = {
    token: provider, timeoutMs: 5000, deadlineMs: 20000, retry, maxConcurrency: 4,
    maxResponseBytes: 1 << 20, userAgent: 'consumer/1',
    onRequest: ({ method, url: where, attempt }: RequestSummary) => void [method, where, attempt],
    onResponse: ({ status, durationMs }: ResponseSummary) => void [status, durationMs],
  };
  const gateway: GatewayOptions = { platform: 'US1' };
  const options: ClientOptions = { ...gateway, ...settings };
  const client = new ContainerSecurityClient(options);
  const credentialed = new ContainerSecurityClient({
    baseUrl: url, credentials: { username: 'u', password: 'p' }, retry: false,
  });
  const signal = new AbortController().signal;
  const call: CallOptions = { signal, timeoutMs: 1000, deadlineMs: 5000 };
  const request: PageRequest = { pageNumber: 1, pageSize: 50 };
  const page: Page<RegistrySchedule> = await client.listRegistrySchedules('r', request, call);
  const first: RegistrySchedule | undefined = page.data[0];
  const count: number = page.count;
  if (first) {
    const created: number | null = first.created;
    const day: WeekDay | null = first.weekDay;
    // Every field of a listed schedule is there (the answer's defaults filled in).
    const filters: ScheduleFilter[] = first.filters;
    const tags: RepoTag[] | undefined = filters[0]?.repoTags;
    const extra: AdditionalFilters | null = first.additionalFilters;
    const flags: boolean[] = [first.onDemand, first.forceScan];
    const interval: number | null = first.scheduleIntervalInDays;
    await client.updateRegistrySchedule('r', first.scheduleUuid, first, call);
    void [created, day, tags, extra, flags, interval];
  }
  const input: RegistryScheduleInput = {
    schedule: '09:30', scheduleIntervalInDays: 7, weekDay: 'THURSDAY', name: null,
    filters: [{ days: null, repoTags: [{ repo: 'azuretest', tag: null }] }],
  };
  const createdSchedule: CreatedSchedule = await client.createRegistrySchedule('r', input);
  const scheduleUuid: string = createdSchedule.scheduleUuid;
  await client.deleteAcrConnector('c', call);
  await client.deleteAwsConnector('arn:aws:iam::123456789012:role/x');
  const profile: SensorProfile = await credentialed.getSensorProfile('p', call);
  await credentialed.updateSensorProfile('p', { ...profile, description: 'changed' });
  const profileInput: SensorProfileInput = { profileName: 'n', extra: 1 };
  const createdProfile: CreatedSensorProfile = await client.createSensorProfile(profileInput);
  await client.deleteSensorProfile(createdProfile.profileUuid, call);
  const profiles: Page<SensorProfile> = await client.listSensorProfiles({ pageSize: 10 }, call);
  const paging: PagingOptions = { pageSize: 10, limit: 20, signal };
  for await (const schedule of client.registrySchedules('r', paging)) {
    void schedule.scheduleUuid;
  }
  for await (const each of client.sensorProfiles({ signal })) void each.profileName;
  const issues: ValidationIssue[] = validateRegistrySchedule(input);
  const permission: Permission | null = requiredPermission('deleteSensorProfile');
  const rate: RateLimit | null = client.rateLimit;
  const left: number | null | undefined = rate?.remaining;
  const codes: readonly ErrorCode[] = ERROR_CODES;
  const platforms: readonly Platform[] = PLATFORMS;
  try {
    await client.listSensorProfiles();
  } catch (error) {
    if (error instanceof ContainerSecurityError) {
      const asError: Error = error;
      const name: 'ContainerSecurityError' = error.name;
      const code: ErrorCode = error.code;
      const status: number | undefined = error.status;
      const serverMessage: string | undefined = error.serverMessage;
      const serverErrorCode: string | undefined = error.serverErrorCode;
      const missing: Permission | string | undefined = error.permission;
      const fields: string[] | undefined = error.issues?.map((issue) => issue.field);
      const retryAfterMs: number | undefined = error.retryAfterMs;
      const json: Record<string, unknown> = error.toJSON();
      void [asError, name, code, status, serverMessage, serverErrorCode, missing, fields,
        retryAfterMs, json, error.message];
    }
  }
  void [count, scheduleUuid, profiles, issues, permission, left, codes, platforms];
}
`;

// A CommonJS consumer (\`.cts\`): \`import = require\`, typed by index.d.cts.
const CONSUMER_CTS = `import qualys = require('qualys-cs');
import type { ErrorCode, RegistrySchedule, SensorProfile } from 'qualys-cs';

export async function use(baseUrl: string, token: string): Promise<string[]> {
  await qualys.ready;
  const client = new qualys.ContainerSecurityClient({ baseUrl, token });
  const page = await client.listRegistrySchedules('r');
  const first: RegistrySchedule | undefined = page.data[0];
  const profile: SensorProfile = await client.getSensorProfile('p');
  const codes: readonly ErrorCode[] = qualys.ERROR_CODES;
  try {
    await client.deleteSensorProfile(profile.profileUuid ?? 'p');
  } catch (error) {
    if (error instanceof qualys.ContainerSecurityError && error.code === 'FORBIDDEN') {
      return [error.permission ?? '', String(error.status)];
    }
  }
  return [first?.scheduleUuid ?? '', qualys.gatewayUrl('US1'), ...codes,
    ...qualys.validateRegistrySchedule({}).map((issue) => issue.field),
    String(qualys.requiredPermission('createSensorProfile'))];
}
`;

// Lines 4 and 5 must each be a type error.
const WRONG_CTS = `import qualys = require('qualys-cs');

export function misuse(): void {
  const url: number = qualys.gatewayUrl('US1');
  qualys.gatewayUrl('US9');
  void url;
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

