// Tests of the package's command-line tool, `pkg/cli.js`, run as its users run it: a
// child process with the gateway and the token in its environment, against the emulator.
// Each test pins the exact stdout, the stderr line and the exit code, and every run is
// checked for the token and the password on both streams.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SEED, TOKENS, USERS, startEmulator } from '../emulator/server.mjs';
import { releaseNotesCreateBody, seedScheduleAsExposed } from './helpers.mjs';

const CLI_PATH = fileURLToPath(new URL('../../pkg/cli.js', import.meta.url));
const SCRIPT_PATH = '/usr/bin/script';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

// How long one run of the tool and one test may take; the tool answers in well under a
// second, so these only stop a hung child from hanging the suite.
const RUN_TIMEOUT_MS = 15_000;
const TEST_TIMEOUT_MS = 30_000;
const BOUNDED = { timeout: TEST_TIMEOUT_MS };

const UNKNOWN_TOKEN = 'unknown-token-6f1d2a';
// A JWT, as the emulator's /auth issues them; none may be printed but by `login`.
const JWT = /eyJ[\w-]+\.[\w-]+\.[\w-]+/;

// The release notes' list sample as the tool prints it, and their create sample.
const LISTED_SAMPLE_SCHEDULE = seedScheduleAsExposed();
const CREATE_SCHEDULE_INPUT = releaseNotesCreateBody();

// The seeded registry profile as the tool prints it: timestamps as numbers, unmodelled
// fields (`customerTag`, `isDefault`) kept.
const REGISTRY_PROFILE = {
  profileUuid: SEED.registryProfileId,
  profileName: 'Registry sensors',
  description: 'Sensors that scan the seeded registries',
  profileType: 'Registry',
  created: 1674040000000,
  updated: 1674040668619,
  config: {
    blackoutWindows: [{ day: 'SATURDAY', end: '23:30', start: '22:00' }],
    performance: { cpuLimitPercent: 10 },
    vulnerabilityManagement: { scanIntervalHours: 12 },
  },
  associatedRegistries: [SEED.registryId, SEED.emptyRegistryId],
  associatedSensors: [],
  customerTag: 'emulator-only',
  isDefault: false,
};

const FORBIDDEN_DELETE_MESSAGE =
  "the user's role lacks the CS.SENSOR_PROFILE.DELETE permission (HTTP 403): The " +
  'quays_xb42 user does not have the CS.SENSOR_PROFILE.DELETE permission to perform this ' +
  'operation. Ensure that required permissions are assigned to the user';

let emulator;
let folder;

/**
 * Runs `node pkg/cli.js ...args` with the emulator's URL and the admin token in its
 * environment (an `env` entry set to undefined removes it) and `input` on its stdin.
 * Resolves to `{ code, stdout, stderr }` after checking that neither stream carries a
 * token or the password, which only `login` may print, on stdout.
 */
function run(args, { env = {}, input = '', tokenOnStdout = false } = {}) {
  const childEnv = Object.fromEntries(
    Object.entries({
      PATH: process.env.PATH,
      QUALYS_CS_BASE_URL: emulator.url,
      QUALYS_CS_TOKEN: TOKENS.admin,
      ...env,
    }).filter(([, value]) => value !== undefined),
  );
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [CLI_PATH, ...args],
      { env: childEnv, timeout: RUN_TIMEOUT_MS },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : error.signal) : 0;
        assertNoSecret({ stdout, stderr, args, childEnv, tokenOnStdout });
        resolve({ code, stdout, stderr });
      },
    );
    child.stdin.end(input);
  });
}

function assertNoSecret({ stdout, stderr, args, childEnv, tokenOnStdout }) {
  const secrets = new Set([
    ...Object.values(TOKENS),
    ...Object.values(USERS).map(({ password }) => password),
    UNKNOWN_TOKEN,
    childEnv.QUALYS_CS_TOKEN,
    childEnv.QUALYS_CS_PASSWORD,
  ]);
  for (const secret of secrets) {
    if (secret === undefined) {
      continue;
    }
    assert.ok(!stderr.includes(secret), `stderr of ${args.join(' ')} holds a secret`);
    if (!tokenOnStdout) {
      assert.ok(!stdout.includes(secret), `stdout of ${args.join(' ')} holds a secret`);
    }
  }
  assert.doesNotMatch(stderr, JWT, `stderr of ${args.join(' ')} holds a token`);
  if (!tokenOnStdout) {
    assert.doesNotMatch(stdout, JWT, `stdout of ${args.join(' ')} holds a token`);
  }
}

/** The tool's JSON output: the value, pretty-printed with 2 spaces and a newline. */
function printed(value) {
  return `${JSON.stringify(value, null, 2)}\n`;
}

async function inputFile(name, text) {
  const path = join(folder, name);
  await writeFile(path, text);
  return path;
}

function apiRequests() {
  return emulator.requests().map(({ method, path, query, body }) => ({
    method,
    path,
    query,
    body,
  }));
}

function profileNamed(profileName) {
  return emulator.state().profiles.find((profile) => profile.profileName === profileName);
}

function schedulesOf(registryId) {
  return emulator.state().schedules[registryId];
}

before(async () => {
  emulator = await startEmulator({ port: 0 });
  folder = await mkdtemp(join(tmpdir(), 'qualys-cs-cli-'));
});

after(async () => {
  await emulator?.close();
  if (folder) {
    await rm(folder, { recursive: true, force: true });
  }
});

beforeEach(() => {
  emulator.reset();
});

describe('help and usage', () => {
  test('--help and -h print the usage of the tool on stdout', BOUNDED, async () => {
    const long = await run(['--help']);
    const short = await run(['-h']);

    assert.equal(long.code, 0);
    assert.equal(long.stderr, '');
    assert.match(long.stdout, /^Usage: qualys-cs <command> \[arguments\] \[options\]\n/);
    for (const command of [
      'login', 'schedules list', 'schedules create', 'schedules update',
      'connectors delete-acr', 'connectors delete-aws', 'profiles list', 'profiles get',
      'profiles create', 'profiles update', 'profiles delete',
    ]) {
      assert.match(long.stdout, new RegExp(`^  ${command} +\\S`, 'm'), command);
    }
    for (const option of ['--base-url', '--platform', '--token', '--username', '--password',
      '--timeout-ms']) {
      assert.ok(long.stdout.includes(option), option);
    }
    assert.deepEqual(short, long);
  });

  test("a command's --help prints its own usage without its arguments", BOUNDED, async () => {
    const list = await run(['schedules', 'list', '--help']);
    const create = await run(['profiles', 'create', '-h']);
    const group = await run(['connectors', '--help']);

    assert.equal(list.code, 0);
    assert.equal(list.stderr, '');
    assert.match(
      list.stdout,
      /^Usage: qualys-cs schedules list <registryId> \[--page-size N\] \[--limit N\] \[--all\]\n/,
    );
    assert.match(list.stdout, /^ {2}--all /m);
    assert.equal(create.code, 0);
    assert.match(create.stdout, /^Usage: qualys-cs profiles create --input <file\|->\n/);
    assert.match(create.stdout, /stdin/);
    assert.equal(group.code, 0);
    assert.equal(
      group.stdout.split('\n').slice(0, 3).join('\n'),
      'Usage:\n  qualys-cs connectors delete-acr <connectorId>\n' +
        '  qualys-cs connectors delete-aws <arn>',
    );
    assert.deepEqual(emulator.requests(), []);
  });

  test('an unknown command exits with 2 and says so on one line', BOUNDED, async () => {
    const result = await run(['frobnicate']);

    assert.deepEqual(result, {
      code: 2,
      stdout: '',
      stderr: 'qualys-cs: USAGE: unknown command "frobnicate"; run `qualys-cs --help`\n',
    });
  });

  test('a missing argument, command or option exits with 2', BOUNDED, async () => {
    assert.deepEqual(await run(['profiles', 'get']), {
      code: 2,
      stdout: '',
      stderr:
        'qualys-cs: USAGE: profiles get: missing <id>; run `qualys-cs profiles get --help`\n',
    });
    assert.deepEqual(await run([]), {
      code: 2,
      stdout: '',
      stderr: 'qualys-cs: USAGE: missing command; run `qualys-cs --help`\n',
    });
    assert.deepEqual(await run(['schedules', 'create', SEED.registryId]), {
      code: 2,
      stdout: '',
      stderr:
        'qualys-cs: USAGE: schedules create: missing --input <file|->; ' +
        'run `qualys-cs schedules create --help`\n',
    });
    assert.deepEqual(await run(['profiles', 'list', '--bogus']), {
      code: 2,
      stdout: '',
      stderr: "qualys-cs: USAGE: Unknown option '--bogus'; run `qualys-cs --help`\n",
    });
    assert.deepEqual(emulator.requests(), []);
  });

  test('a run without a gateway or a token is a usage error', BOUNDED, async () => {
    const noGateway = await run(['profiles', 'list'], { env: { QUALYS_CS_BASE_URL: undefined } });
    const noToken = await run(['profiles', 'list'], { env: { QUALYS_CS_TOKEN: undefined } });
    const both = await run(['profiles', 'list', '--base-url', emulator.url, '--platform', 'US1']);

    assert.equal(noGateway.code, 2);
    assert.match(noGateway.stderr, /^qualys-cs: USAGE: no gateway: give --base-url or --platform/);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /^qualys-cs: USAGE: not logged in: give --token/);
    assert.equal(both.code, 2);
    assert.match(both.stderr, /^qualys-cs: USAGE: give --base-url or --platform, not both;/);
    assert.deepEqual(emulator.requests(), []);
  });
});

describe('login', () => {
  const admin = {
    QUALYS_CS_USERNAME: USERS.admin.username,
    QUALYS_CS_PASSWORD: USERS.admin.password,
  };

  test('login prints the JWT from /auth, which the other commands accept', BOUNDED, async () => {
    const result = await run(['login'], {
      env: { ...admin, QUALYS_CS_TOKEN: undefined },
      tokenOnStdout: true,
    });

    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    assert.match(result.stdout, new RegExp(`^${JWT.source}\n$`));
    assert.deepEqual(apiRequests(), [
      {
        method: 'POST',
        path: '/auth',
        query: {},
        body: { username: USERS.admin.username, password: '<redacted>', token: 'true' },
      },
    ]);
    const token = result.stdout.trimEnd();
    const listed = await run(['profiles', 'get', SEED.registryProfileId], {
      env: { QUALYS_CS_TOKEN: token },
    });
    assert.deepEqual(listed, { code: 0, stdout: printed(REGISTRY_PROFILE), stderr: '' });
    assert.ok(!listed.stdout.includes(token));
  });

  test('login with a wrong password is UNAUTHORIZED and quotes neither', BOUNDED, async () => {
    const result = await run(['login', '--username', USERS.admin.username], {
      env: { QUALYS_CS_PASSWORD: USERS.viewer.password },
    });

    assert.deepEqual(result, {
      code: 3,
      stdout: '',
      stderr:
        'qualys-cs: UNAUTHORIZED: the user name or password was refused (HTTP 401): The username or password ' +
        'is not valid\n',
    });
  });

  test('login without a password is a usage error', BOUNDED, async () => {
    const result = await run(['login', '--username', 'qualys_admin']);

    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^qualys-cs: USAGE: a user name without a password: /);
    assert.deepEqual(emulator.requests(), []);
  });

  test('a command given a user and a password logs in by itself', BOUNDED, async () => {
    const result = await run(['profiles', 'get', SEED.registryProfileId], {
      env: { ...admin, QUALYS_CS_TOKEN: undefined },
    });

    assert.deepEqual(result, { code: 0, stdout: printed(REGISTRY_PROFILE), stderr: '' });
    assert.deepEqual(
      apiRequests().map(({ method, path }) => `${method} ${path}`),
      ['POST /auth', `GET /csapi/v1.3/sensorProfile/${SEED.registryProfileId}`],
    );
  });
});

describe('schedules', () => {
  test('schedules list prints one page as the API answers it', BOUNDED, async () => {
    const result = await run(['schedules', 'list', SEED.registryId]);

    assert.deepEqual(result, {
      code: 0,
      stdout: printed({ data: [LISTED_SAMPLE_SCHEDULE], count: 1 }),
      stderr: '',
    });
    assert.deepEqual(apiRequests(), [
      {
        method: 'GET',
        path: `/csapi/v1.3/registry/${SEED.registryId}/schedule`,
        query: { pageNumber: '1', pageSize: '50' },
        body: null,
      },
    ]);
  });

  test('a registry id that is not a UUID is refused, naming the field', BOUNDED, async () => {
    const result = await run(['schedules', 'list', 'not-a-registry']);

    assert.deepEqual(result, {
      code: 2,
      stdout: '',
      stderr:
        'qualys-cs: VALIDATION: invalid input: registryId: must be a UUID such as ' +
        'f3c6d648-81d8-11ed-a1eb-0242ac120003\n' +
        '  registryId: must be a UUID such as f3c6d648-81d8-11ed-a1eb-0242ac120003\n',
    });
    assert.deepEqual(emulator.requests(), []);
  });

  test('schedules create reads a file and prints the new scheduleUuid', BOUNDED, async () => {
    const path = await inputFile('create.json', JSON.stringify(CREATE_SCHEDULE_INPUT));

    const result = await run(['schedules', 'create', SEED.emptyRegistryId, '--input', path]);

    const [created] = schedulesOf(SEED.emptyRegistryId);
    assert.match(created.scheduleUuid, UUID);
    assert.deepEqual(result, {
      code: 0,
      stdout: `{\n  "scheduleUuid": "${created.scheduleUuid}"\n}\n`,
      stderr: '',
    });
    assert.equal(created.weekDay, 'THURSDAY');
    assert.equal(created.schedule, '09:30');
  });

  test('schedules create reads stdin for --input -', BOUNDED, async () => {
    const result = await run(['schedules', 'create', SEED.emptyRegistryId, '--input', '-'], {
      input: JSON.stringify({ ...CREATE_SCHEDULE_INPUT, weekDay: 'MONDAY' }),
    });

    const [created] = schedulesOf(SEED.emptyRegistryId);
    const stdout = printed({ scheduleUuid: created.scheduleUuid });
    assert.deepEqual(result, { code: 0, stdout, stderr: '' });
    assert.equal(created.weekDay, 'MONDAY');
  });

  test('an --input file that is not JSON is refused and sends nothing', BOUNDED, async () => {
    const path = await inputFile('broken.json', '{"schedule": "09:30",}');

    const result = await run(['schedules', 'create', SEED.emptyRegistryId, '--input', path]);

    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const lines = result.stderr.split('\n');
    assert.equal(lines.length, 3);
    assert.equal(lines[0], 'qualys-cs: VALIDATION: the input is not valid JSON');
    assert.ok(lines[1].startsWith(`  input: ${path} is not valid JSON: `), lines[1]);
    assert.equal(lines[2], '');
    assert.deepEqual(emulator.requests(), []);
  });

  test('a schedule the client refuses lists every issue on its own line', BOUNDED, async () => {
    const input = { ...CREATE_SCHEDULE_INPUT, schedule: '24:00', weekDay: undefined };

    const result = await run(['schedules', 'create', SEED.registryId, '--input', '-'], {
      input: JSON.stringify(input),
    });

    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const [headline, ...issues] = result.stderr.trimEnd().split('\n');
    assert.match(headline, /^qualys-cs: VALIDATION: invalid input: schedule: /);
    assert.deepEqual(
      issues.map((line) => line.split(':')[0]),
      ['  schedule', '  weekDay'],
    );
    assert.deepEqual(emulator.requests(), []);
  });

  test('schedules update sends a listed schedule back and prints nothing', BOUNDED, async () => {
    const listed = JSON.parse((await run(['schedules', 'list', SEED.registryId])).stdout);
    const changed = { ...listed.data[0], schedule: '06:45', weekDay: 'FRIDAY' };
    const path = await inputFile('update.json', JSON.stringify(changed));

    const result = await run([
      'schedules', 'update', SEED.registryId, SEED.scheduleId, '--input', path,
    ]);

    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    const [stored] = schedulesOf(SEED.registryId);
    assert.equal(stored.schedule, '06:45');
    assert.equal(stored.weekDay, 'FRIDAY');
  });

  test('--all with --page-size 1 walks every page into one array', BOUNDED, async () => {
    for (const weekDay of ['MONDAY', 'TUESDAY']) {
      const created = await run(['schedules', 'create', SEED.registryId, '--input', '-'], {
        input: JSON.stringify({ ...CREATE_SCHEDULE_INPUT, weekDay }),
      });
      assert.equal(created.code, 0, created.stderr);
    }
    await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' });

    const result = await run(['schedules', 'list', SEED.registryId, '--all', '--page-size', '1']);

    // stderr is a pipe here, so no progress line is written.
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    const stored = schedulesOf(SEED.registryId);
    const items = JSON.parse(result.stdout);
    assert.equal(result.stdout, printed(items));
    assert.equal(items.length, 3);
    assert.deepEqual(items[0], LISTED_SAMPLE_SCHEDULE);
    assert.deepEqual(items.map((item) => item.scheduleUuid), stored.map((s) => s.scheduleUuid));
    assert.deepEqual(items.map((item) => item.weekDay), ['WEDNESDAY', 'MONDAY', 'TUESDAY']);
    const pages = apiRequests().map(({ method, query }) => ({ method, ...query }));
    assert.deepEqual(pages, [
      { method: 'GET', pageNumber: '1', pageSize: '1' },
      { method: 'GET', pageNumber: '2', pageSize: '1' },
      { method: 'GET', pageNumber: '3', pageSize: '1' },
    ]);
  });

  test('--limit stops the walk after that many items', BOUNDED, async () => {
    await run(['schedules', 'create', SEED.registryId, '--input', '-'], {
      input: JSON.stringify(CREATE_SCHEDULE_INPUT),
    });

    const result = await run([
      'schedules', 'list', SEED.registryId, '--limit', '1', '--page-size', '1',
    ]);

    assert.deepEqual(result, { code: 0, stdout: printed([LISTED_SAMPLE_SCHEDULE]), stderr: '' });
    assert.deepEqual(
      apiRequests().filter(({ method }) => method === 'GET').map(({ query }) => query),
      [{ pageNumber: '1', pageSize: '1' }],
    );
  });

  test('a --page-size that is not a whole number is refused', BOUNDED, async () => {
    const result = await run(['schedules', 'list', SEED.registryId, '--page-size', 'ten']);

    assert.deepEqual(result, {
      code: 2,
      stdout: '',
      stderr:
        'qualys-cs: VALIDATION: invalid option --page-size\n' +
        '  --page-size: must be a whole number from 1\n',
    });
  });

  test('a progress line is drawn only when stdout and stderr are terminals', {
    timeout: TEST_TIMEOUT_MS,
    skip: existsSync(SCRIPT_PATH) ? false : `${SCRIPT_PATH} is needed for a terminal`,
  }, async () => {
    for (const weekDay of ['MONDAY', 'TUESDAY']) {
      await run(['schedules', 'create', SEED.registryId, '--input', '-'], {
        input: JSON.stringify({ ...CREATE_SCHEDULE_INPUT, weekDay }),
      });
    }
    const command = [process.execPath, CLI_PATH, 'schedules', 'list', SEED.registryId, '--all',
      '--page-size', '1'].map((word) => `'${word}'`).join(' ');

    const output = await new Promise((resolve, reject) => {
      execFile(
        SCRIPT_PATH,
        ['-qec', command, '/dev/null'],
        {
          env: {
            PATH: process.env.PATH,
            QUALYS_CS_BASE_URL: emulator.url,
            QUALYS_CS_TOKEN: TOKENS.admin,
          },
          timeout: RUN_TIMEOUT_MS,
        },
        (error, stdout) => (error ? reject(error) : resolve(stdout)),
      ).stdin.end();
    });

    assert.match(output, /\r\u001b\[2Kfetched 2 of 3 schedules\u2026/);
    assert.match(output, /\r\u001b\[2Kfetched 3 of 3 schedules\u2026/);
    assert.doesNotMatch(output, /fetched 1 of/);
    assert.ok(!output.includes(TOKENS.admin));
    // The terminal turned each \n into \r\n; the array follows the cleared progress line.
    const text = output.replace(/\r\n/g, '\n');
    const cleared = text.lastIndexOf('\r\u001b[2K') + '\r\u001b[2K'.length;
    assert.equal(JSON.parse(text.slice(cleared)).length, 3);
  });
});

describe('connectors', () => {
  test('delete-acr deletes a free connector once, then answers NOT_FOUND', BOUNDED, async () => {
    const first = await run(['connectors', 'delete-acr', SEED.acrConnectorId]);
    const second = await run(['connectors', 'delete-acr', SEED.acrConnectorId]);

    assert.deepEqual(first, { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(second, {
      code: 4,
      stdout: '',
      stderr:
        'qualys-cs: NOT_FOUND: not found (HTTP 404): ' +
        `No ACR connector is named ${SEED.acrConnectorId}\n`,
    });
    assert.deepEqual(apiRequests()[0], {
      method: 'DELETE',
      path: '/csapi/v1.3/registry/acr/connector',
      query: {},
      body: { connectorId: SEED.acrConnectorId },
    });
  });

  test('delete-acr of a connector a registry uses is PRECONDITION_FAILED', BOUNDED, async () => {
    const result = await run(['connectors', 'delete-acr', SEED.associatedAcrConnectorId]);

    assert.deepEqual(result, {
      code: 4,
      stdout: '',
      stderr:
        'qualys-cs: PRECONDITION_FAILED: precondition failed: the connector is still ' +
        'associated with a registry (HTTP 412): The connector is associated with a registry ' +
        'and cannot be deleted\n',
    });
    assert.equal(emulator.state().connectors.acr.length, 2);
  });

  test('delete-aws deletes a free connector by its ARN', BOUNDED, async () => {
    const result = await run(['connectors', 'delete-aws', SEED.awsConnectorArn]);

    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(
      emulator.state().connectors.aws.map(({ arn }) => arn),
      [SEED.associatedAwsConnectorArn],
    );
    assert.deepEqual(apiRequests()[0].body, { arn: SEED.awsConnectorArn });
  });
});

describe('profiles', () => {
  test('profiles list prints one page', BOUNDED, async () => {
    const result = await run(['profiles', 'list']);

    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const page = JSON.parse(result.stdout);
    assert.equal(result.stdout, printed(page));
    assert.deepEqual(Object.keys(page), ['data', 'count']);
    assert.equal(page.count, 2);
    assert.deepEqual(page.data[1], REGISTRY_PROFILE);
    assert.deepEqual(page.data.map((profile) => profile.profileUuid), [
      SEED.defaultProfileId,
      SEED.registryProfileId,
    ]);
  });

  test('profiles list --all --page-size 1 prints every profile as an array', BOUNDED, async () => {
    const result = await run(['profiles', 'list', '--all', '--page-size', '1']);

    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
    const items = JSON.parse(result.stdout);
    assert.deepEqual(items.map((profile) => profile.profileUuid), [
      SEED.defaultProfileId,
      SEED.registryProfileId,
    ]);
  });

  test('profiles get prints the profile', BOUNDED, async () => {
    const result = await run(['profiles', 'get', SEED.registryProfileId]);

    assert.deepEqual(result, { code: 0, stdout: printed(REGISTRY_PROFILE), stderr: '' });
  });

  test('profiles create prints the new profileUuid', BOUNDED, async () => {
    const path = await inputFile('profile.json', JSON.stringify({
      profileName: 'CI sensors',
      profileType: 'CICD',
      customerTag: 'kept',
    }));

    const result = await run(['profiles', 'create', '--input', path]);

    const created = profileNamed('CI sensors');
    assert.match(created.profileUuid, UUID);
    assert.deepEqual(result, {
      code: 0,
      stdout: `{\n  "profileUuid": "${created.profileUuid}"\n}\n`,
      stderr: '',
    });
    assert.equal(created.customerTag, 'kept');
  });

  test('profiles update sends back a profile read with get', BOUNDED, async () => {
    const read = JSON.parse((await run(['profiles', 'get', SEED.registryProfileId])).stdout);
    const renamed = { ...read, profileName: 'Renamed' };
    const path = await inputFile('renamed.json', JSON.stringify(renamed));

    const result = await run(['profiles', 'update', SEED.registryProfileId, '--input', path]);

    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    const stored = profileNamed('Renamed');
    assert.equal(stored.profileUuid, SEED.registryProfileId);
    assert.equal(stored.profileName, 'Renamed');
    assert.equal(stored.customerTag, 'emulator-only');
  });

  test('profiles delete deletes and prints nothing', BOUNDED, async () => {
    const result = await run(['profiles', 'delete', SEED.defaultProfileId]);

    assert.deepEqual(result, { code: 0, stdout: '', stderr: '' });
    assert.deepEqual(
      emulator.state().profiles.map(({ profileUuid }) => profileUuid),
      [SEED.registryProfileId],
    );
  });

  test('a viewer deleting a profile is FORBIDDEN, naming the permission', BOUNDED, async () => {
    const result = await run(['profiles', 'delete', SEED.defaultProfileId], {
      env: { QUALYS_CS_TOKEN: TOKENS.viewer },
    });

    assert.deepEqual(result, {
      code: 3,
      stdout: '',
      stderr: `qualys-cs: FORBIDDEN: ${FORBIDDEN_DELETE_MESSAGE}\n`,
    });
    assert.equal(emulator.state().profiles.length, 2);
  });

  test('an unknown token is UNAUTHORIZED, exit 3, and is never echoed', BOUNDED, async () => {
    const fromEnv = await run(['profiles', 'list'], { env: { QUALYS_CS_TOKEN: UNKNOWN_TOKEN } });
    const fromFlag = await run([
      'profiles', 'get', SEED.defaultProfileId, '--token', UNKNOWN_TOKEN,
    ]);

    const expected = {
      code: 3,
      stdout: '',
      stderr:
        'qualys-cs: UNAUTHORIZED: the token was refused (HTTP 401): The bearer token is not ' +
        'valid or has expired\n',
    };
    assert.deepEqual(fromEnv, expected);
    assert.deepEqual(fromFlag, expected);
  });
});

describe('other failures', () => {
  async function queueFault(fault) {
    const answer = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify(fault),
    });
    assert.equal(answer.status, 204);
  }

  test('an unknown --platform is refused, naming the field', BOUNDED, async () => {
    const result = await run(['profiles', 'list', '--platform', 'MARS1']);

    assert.equal(result.code, 2);
    assert.equal(result.stdout, '');
    const [headline, issue, end] = result.stderr.split('\n');
    assert.match(headline, /^qualys-cs: VALIDATION: invalid input: platform: must be one of /);
    assert.match(issue, /^ {2}platform: must be one of US1, /);
    assert.equal(end, '');
    assert.deepEqual(emulator.requests(), []);
  });

  test('a call slower than --timeout-ms is TIMEOUT, exit 1', BOUNDED, async () => {
    await queueFault({ delayMs: 3000, path: '/csapi/v1.3/sensorProfile', times: 10 });

    const result = await run(['profiles', 'list', '--timeout-ms', '200']);

    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr: 'qualys-cs: TIMEOUT: the attempt took longer than its timeoutMs\n',
    });
  });

  test('a gateway answering HTML on 502 is SERVER, exit 1', BOUNDED, async () => {
    await queueFault({
      status: 502,
      body: '<html><body>Bad gateway</body></html>',
      path: '/csapi/v1.3/sensorProfile',
      times: 10,
    });

    const result = await run(['profiles', 'list']);

    assert.deepEqual(result, {
      code: 1,
      stdout: '',
      stderr: 'qualys-cs: SERVER: the server failed (HTTP 502)\n',
    });
  });
});

describe('secrets', () => {
  test('no output of any command holds the token or the password', BOUNDED, async () => {
    // Each run checks both streams itself; these add the failures that quote settings.
    const env = { QUALYS_CS_PASSWORD: USERS.admin.password };
    const runs = [
      await run(['profiles', 'list', '--token', `${UNKNOWN_TOKEN}\n`], { env }),
      await run(['profiles', 'list', '--tokne', UNKNOWN_TOKEN], { env }),
      await run(['profiles', 'list', '--token', TOKENS.admin, '--username', 'u'], { env }),
      await run(['profiles', 'list', '--base-url', 'ftp://example.com'], { env }),
      await run(['login', '--username', 'u', '--password', USERS.admin.password], { env }),
      await run(['profiles', 'list', '--username', USERS.admin.username], {
        env: { ...env, QUALYS_CS_TOKEN: undefined },
      }),
      await run(['schedules', 'list', SEED.registryId], { env }),
    ];

    assert.deepEqual(runs.map(({ code }) => code), [2, 2, 2, 2, 3, 0, 0]);
    for (const { stderr } of runs) {
      assert.ok(stderr.split('\n').length <= 3, stderr);
    }
  });
});
