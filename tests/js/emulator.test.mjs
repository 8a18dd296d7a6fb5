// Tests of the emulator itself: that it answers as the release notes say, judges requests
// that bypass a client, logs what it received, and serves files without leaking others.
// One emulator serves every test, and each test starts from the seeded state.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { SEED, TOKENS, USERS, startEmulator, startRecorder } from '../emulator/server.mjs';

const SERVER_PATH = fileURLToPath(new URL('../emulator/server.mjs', import.meta.url));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const EPOCH_MS_TEXT = /^\d{13}$/;

// The list sample of the release notes, written out here rather than imported, so that
// the test compares the emulator with the document and not with itself.
const RELEASE_NOTES_LIST_SAMPLE = {
  data: [
    {
      scheduleUuid: '633e7b79-c43d-4bb2-bd07-c8a06edc8a4c',
      onDemand: false,
      created: '1674040668619',
      updated: '1674040958610',
      jobStartDate: '1674040958610',
      jobCompletionDate: '1674041047101',
      name: null,
      errors: null,
      schedule: '11:19',
      filters: [
        {
          repoTags: [{ repo: 'qualysdockerhub/tamilnadu_shubham', tag: null }],
          days: 0,
        },
      ],
      additionalFilters: { numberOfTags: 5, sortCriteria: 'createdDate' },
      status: 'Finished',
      jobListingStartDate: '1674040958610',
      jobListingCompletionDate: null,
      jobScanningStartDate: '1674040965940',
      jobScanningCompletionDate: '1674041047101',
      forceScan: true,
      scheduleIntervalInDays: 7,
      weekDay: 'WEDNESDAY',
    },
  ],
  count: 1,
};

// The create sample of the release notes, made valid JSON (the sample lacks a comma).
const RELEASE_NOTES_CREATE_BODY = {
  filters: [{ days: null, repoTags: [{ repo: 'azuretest', tag: null }] }],
  name: 'Automatic Scan Schedule',
  onDemand: false,
  schedule: '09:30',
  forceScan: true,
  registryType: 'Azure',
  scheduleIntervalInDays: 7,
  additionalFilters: { numberOfTags: 5, sortCriteria: 'createdDate' },
  weekDay: 'THURSDAY',
};

const FORBIDDEN_TAIL =
  'permission to perform this operation. Ensure that required permissions are assigned to ' +
  'the user';

let emulator;
let root;

before(async () => {
  root = await mkdtemp(join(tmpdir(), 'qualys-cs-emulator-'));
  await mkdir(join(root, 'www-demo', 'nested'), { recursive: true });
  await mkdir(join(root, 'pkg'), { recursive: true });
  await writeFile(join(root, 'www-demo', 'index.html'), '<!doctype html><title>demo</title>');
  await writeFile(join(root, 'www-demo', 'nested', 'index.html'), '<p>nested</p>');
  await writeFile(join(root, 'www-demo', 'style.css'), 'body {}');
  await writeFile(join(root, 'pkg', 'qualys_cs.js'), 'export {};');
  await writeFile(join(root, 'pkg', 'index.mjs'), 'export {};');
  await writeFile(join(root, 'pkg', 'qualys_cs.d.ts'), 'export declare const a: 1;');
  await writeFile(join(root, 'pkg', 'qualys_cs_bg.wasm'), Buffer.from([0, 97, 115, 109]));
  await writeFile(join(root, 'pkg', 'package.json'), '{"name":"qualys-cs"}');
  // A file beside the served folders, so that a refused traversal is not a missing file.
  await writeFile(join(root, 'secret.txt'), 'not to be served');
  emulator = await startEmulator({ port: 0, root });
});

after(async () => {
  await emulator.close();
  await rm(root, { recursive: true, force: true });
});

beforeEach(() => {
  emulator.reset();
});

// Calls the emulated API with a token (admin unless told) and a JSON or raw body.
async function api(method, path, { token = TOKENS.admin, body, rawBody, headers = {} } = {}) {
  const init = { method, headers: { Accept: 'application/json', ...headers } };
  if (token !== null) {
    init.headers.Authorization = `Bearer ${token}`;
  }
  if (body !== undefined || rawBody !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = rawBody ?? JSON.stringify(body);
  }
  const response = await fetch(`${emulator.url}/csapi/v1.3${path}`, init);
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text.length > 0 ? JSON.parse(text) : undefined,
  };
}

// Checks a common error body: exactly errorCode, message and an epoch-ms timestamp.
function assertError(response, status, errorCode, message) {
  assert.equal(response.status, status);
  assert.equal(response.headers.get('content-type'), 'application/json');
  assert.deepEqual(Object.keys(response.json), ['errorCode', 'message', 'timestamp']);
  assert.equal(response.json.errorCode, errorCode);
  if (message instanceof RegExp) {
    assert.match(response.json.message, message);
  } else {
    assert.equal(response.json.message, message);
  }
  assert.ok(Number.isInteger(response.json.timestamp));
  assert.ok(Math.abs(Date.now() - response.json.timestamp) < 60_000);
}

function assertBadRequest(response, message) {
  assertError(response, 400, '400 BAD_REQUEST', message);
}

function assertEmptyOk(response) {
  assert.equal(response.status, 200);
  assert.equal(response.text, '');
}

// Sends a request whose path is kept byte for byte, which fetch would normalize.
function rawGet(path) {
  const { hostname, port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path, method: 'GET' }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function listSchedules(registryId, query = '') {
  return api('GET', `/registry/${registryId}/schedule${query}`);
}

async function createSchedule(body, registryId = SEED.emptyRegistryId) {
  return api('POST', `/registry/${registryId}/schedule`, { body });
}

describe('registry schedule list', () => {
  test('answers the release notes list sample field for field', async () => {
    const response = await listSchedules(SEED.registryId, '?pageNumber=1&pageSize=50');

    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/json');
    assert.deepEqual(response.json, RELEASE_NOTES_LIST_SAMPLE);
    const [schedule] = response.json.data;
    assert.equal(schedule.filters[0].days, 0);
    assert.equal(schedule.created, '1674040668619');
    assert.equal(schedule.jobListingCompletionDate, null);
  });

  test('defaults to page 1 of 50 and pages beyond the end are empty', async () => {
    assert.deepEqual((await listSchedules(SEED.registryId)).json, RELEASE_NOTES_LIST_SAMPLE);

    const second = await listSchedules(SEED.registryId, '?pageNumber=2&pageSize=1');
    assert.deepEqual(second.json, { data: [], count: 1 });
    const empty = await listSchedules(SEED.emptyRegistryId);
    assert.deepEqual(empty.json, { data: [], count: 0 });
  });

  test('refuses page numbers below 1 and page sizes outside 1 to 1000', async () => {
    const id = SEED.registryId;
    const pageNumberRule = 'pageNumber must be a whole number at least 1';
    const pageSizeRule = 'pageSize must be a whole number from 1 to 1000';

    assertBadRequest(await listSchedules(id, '?pageNumber=0'), pageNumberRule);
    assertBadRequest(await listSchedules(id, '?pageNumber=one'), pageNumberRule);
    assertBadRequest(await listSchedules(id, '?pageSize=0'), pageSizeRule);
    assertBadRequest(await listSchedules(id, '?pageSize=1001'), pageSizeRule);
    assertBadRequest(await listSchedules(id, '?pageSize=2.5'), pageSizeRule);
    assert.equal((await listSchedules(id, '?pageSize=1000')).status, 200);
  });

  test('answers 400 for a registry id that is not a UUID and 404 for an unknown one', async () => {
    assertBadRequest(
      await listSchedules('not-a-uuid'),
      'registryId must be a UUID (8-4-4-4-12 hexadecimal digits)',
    );
    assertError(
      await listSchedules('00000000-0000-4000-8000-000000000000'),
      404,
      '404 NOT_FOUND',
      'No registry has the id 00000000-0000-4000-8000-000000000000',
    );
  });
});

describe('registry schedule create', () => {
  test('answers profileUuid and lists the stored schedule', async () => {
    const before = Date.now();
    const created = await createSchedule(RELEASE_NOTES_CREATE_BODY);

    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.json), ['profileUuid']);
    assert.match(created.json.profileUuid, UUID);
    const { json } = await listSchedules(SEED.emptyRegistryId);
    assert.equal(json.count, 1);
    const [stored] = json.data;
    assert.match(stored.created, EPOCH_MS_TEXT);
    assert.ok(Number(stored.created) >= before);
    assert.deepEqual(stored, {
      scheduleUuid: created.json.profileUuid,
      onDemand: false,
      created: stored.created,
      updated: stored.created,
      jobStartDate: null,
      jobCompletionDate: null,
      name: 'Automatic Scan Schedule',
      errors: null,
      schedule: '09:30',
      filters: [{ days: null, repoTags: [{ repo: 'azuretest', tag: null }] }],
      additionalFilters: { numberOfTags: 5, sortCriteria: 'createdDate' },
      status: 'Created',
      jobListingStartDate: null,
      jobListingCompletionDate: null,
      jobScanningStartDate: null,
      jobScanningCompletionDate: null,
      forceScan: true,
      scheduleIntervalInDays: 7,
      weekDay: 'THURSDAY',
      registryType: 'Azure',
    });
  });

  test('stores scheduleScanIntervalInDays as scheduleIntervalInDays', async () => {
    const created = await createSchedule({ schedule: '00:00', scheduleScanIntervalInDays: 3 });

    assert.equal(created.status, 200);
    const [stored] = (await listSchedules(SEED.emptyRegistryId)).json.data;
    assert.equal(stored.scheduleIntervalInDays, 3);
    assert.equal('scheduleScanIntervalInDays' in stored, false);
    assert.equal(stored.weekDay, null);
  });

  test('accepts an on-demand schedule without a time of day', async () => {
    const created = await createSchedule({ onDemand: true });

    assert.equal(created.status, 200);
    const [stored] = (await listSchedules(SEED.emptyRegistryId)).json.data;
    assert.equal(stored.onDemand, true);
    assert.equal(stored.schedule, null);
  });

  test('answers 404 for an unknown registry after the body is judged', async () => {
    const unknown = '11111111-2222-4333-8444-555555555555';

    assertError(
      await createSchedule({ schedule: '10:00' }, unknown),
      404,
      '404 NOT_FOUND',
      `No registry has the id ${unknown}`,
    );
    assertBadRequest(await createSchedule({}, unknown), /^schedule is required/);
  });
});

describe('registry schedule validation', () => {
  test('requires weekDay with a 7-day interval', async () => {
    assertBadRequest(
      await createSchedule({ schedule: '09:30', scheduleIntervalInDays: 7 }),
      'weekDay is required when scheduleIntervalInDays is 7',
    );
    assertBadRequest(
      await createSchedule({ schedule: '09:30', scheduleIntervalInDays: 7, weekDay: null }),
      'weekDay is required when scheduleIntervalInDays is 7',
    );
  });

  test('refuses weekDay with any other interval or none', async () => {
    const onlyWeekly = 'weekDay is valid only when scheduleIntervalInDays is 7';

    assertBadRequest(
      await createSchedule({ schedule: '09:30', scheduleIntervalInDays: 1, weekDay: 'MONDAY' }),
      onlyWeekly,
    );
    assertBadRequest(await createSchedule({ schedule: '09:30', weekDay: 'MONDAY' }), onlyWeekly);
    assertBadRequest(
      await createSchedule({ schedule: '09:30', scheduleIntervalInDays: 7, weekDay: 'Thursday' }),
      'weekDay must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY',
    );
  });

  test('judges the time of day and the interval', async () => {
    const timeRule = 'schedule must be a time of day "HH:MM" from 00:00 to 23:59';

    assertBadRequest(await createSchedule({ schedule: '24:00' }), timeRule);
    assertBadRequest(await createSchedule({ schedule: '9:30' }), timeRule);
    assertBadRequest(
      await createSchedule({ onDemand: false }),
      'schedule is required for an automatic schedule, as "HH:MM" in UTC',
    );
    assertBadRequest(
      await createSchedule({ schedule: '23:59', scheduleIntervalInDays: 366 }),
      'scheduleIntervalInDays must be an integer from 1 to 365',
    );
    assertBadRequest(
      await createSchedule({ schedule: '23:59', scheduleScanIntervalInDays: 0 }),
      'scheduleScanIntervalInDays must be an integer from 1 to 365',
    );
    assertBadRequest(
      await createSchedule({
        schedule: '23:59',
        scheduleIntervalInDays: 2,
        scheduleScanIntervalInDays: 3,
      }),
      'scheduleIntervalInDays and scheduleScanIntervalInDays disagree',
    );
    const yearly = await createSchedule({ schedule: '23:59', scheduleIntervalInDays: 365 });
    assert.equal(yearly.status, 200);
  });

  test('accepts days 0, null, 1 to 7 and 14, and refuses others', async () => {
    for (const days of [0, null, 1, 7, 14]) {
      const body = { schedule: '10:00', filters: [{ days, repoTags: [] }] };
      assert.equal((await createSchedule(body)).status, 200, `days ${days}`);
    }
    for (const days of [8, 13, -1, 1.5, '7']) {
      assertBadRequest(
        await createSchedule({ schedule: '10:00', filters: [{ days }] }),
        'filters[0].days must be null, 0, 1 to 7 or 14',
      );
    }
  });

  test('judges filters, repoTags and additionalFilters', async () => {
    const withFilters = (filters) => createSchedule({ schedule: '10:00', filters });

    assertBadRequest(await withFilters({ days: 1 }), 'filters must be an array');
    assertBadRequest(
      await withFilters([{ repoTags: [{ repo: '', tag: null }] }]),
      'filters[0].repoTags[0].repo must be a non-empty string',
    );
    assertBadRequest(
      await withFilters([{ repoTags: [{ repo: 'a' }, { repo: 'b', tag: 5 }] }]),
      'filters[0].repoTags[1].tag must be a string or null',
    );
    assertBadRequest(
      await createSchedule({ schedule: '10:00', additionalFilters: { numberOfTags: 0 } }),
      'additionalFilters.numberOfTags must be a positive integer',
    );
    assert.equal((await withFilters([{ repoTags: [{ repo: 'a', tag: 'latest' }] }])).status, 200);
  });
});

describe('registry schedule update', () => {
  const path = `/registry/${SEED.registryId}/schedule/${SEED.scheduleId}`;

  test('replaces the editable fields of an idle automatic schedule', async () => {
    const body = {
      name: 'Nightly',
      schedule: '02:15',
      filters: [{ days: 14, repoTags: [{ repo: 'library/nginx', tag: 'stable' }] }],
      additionalFilters: { numberOfTags: 2, sortCriteria: 'createdDate' },
      forceScan: false,
      scheduleIntervalInDays: 1,
    };

    assertEmptyOk(await api('PUT', path, { body }));
    const [stored] = (await listSchedules(SEED.registryId)).json.data;
    const sample = RELEASE_NOTES_LIST_SAMPLE.data[0];
    assert.notEqual(stored.updated, sample.updated);
    assert.match(stored.updated, EPOCH_MS_TEXT);
    assert.deepEqual(stored, {
      ...sample,
      ...body,
      updated: stored.updated,
      onDemand: false,
      weekDay: null,
    });
  });

  test('accepts a schedule read from the server and sent back unchanged', async () => {
    const [read] = (await listSchedules(SEED.registryId)).json.data;

    assertEmptyOk(await api('PUT', path, { body: read }));
    const [stored] = (await listSchedules(SEED.registryId)).json.data;
    assert.deepEqual({ ...stored, updated: read.updated }, read);
  });

  test('refuses on-demand and running schedules', async () => {
    const created = await createSchedule({ onDemand: true });
    const onDemandPath = `/registry/${SEED.emptyRegistryId}/schedule/${created.json.profileUuid}`;
    const body = { schedule: '10:00' };

    assertBadRequest(
      await api('PUT', onDemandPath, { body }),
      `Schedule ${created.json.profileUuid} is on demand: only automatic schedules can be updated`,
    );
    assertBadRequest(
      await api('PUT', path, { body: { onDemand: true } }),
      'onDemand must be false: only automatic schedules can be updated',
    );
    const patched = await fetch(`${emulator.url}/__emulator/state/schedules/${SEED.scheduleId}`, {
      method: 'PATCH',
      body: JSON.stringify({ status: 'Running' }),
    });
    assert.equal(patched.status, 200);
    assertBadRequest(
      await api('PUT', path, { body }),
      `Schedule ${SEED.scheduleId} is running: only idle schedules can be updated`,
    );
  });

  test('answers 404 for a schedule the registry does not hold', async () => {
    const wrongRegistry = `/registry/${SEED.emptyRegistryId}/schedule/${SEED.scheduleId}`;

    assertError(
      await api('PUT', wrongRegistry, { body: { schedule: '10:00' } }),
      404,
      '404 NOT_FOUND',
      `Registry ${SEED.emptyRegistryId} has no schedule ${SEED.scheduleId}`,
    );
    assertBadRequest(
      await api('PUT', `/registry/${SEED.registryId}/schedule/123`, {
        body: { schedule: '10:00' },
      }),
      'scheduleId must be a UUID (8-4-4-4-12 hexadecimal digits)',
    );
  });

  test('applies the weekDay rules to updates', async () => {
    assertBadRequest(
      await api('PUT', path, { body: { schedule: '10:00', scheduleIntervalInDays: 7 } }),
      'weekDay is required when scheduleIntervalInDays is 7',
    );
    assertBadRequest(
      await api('PUT', path, { body: { schedule: '10:00', weekDay: 'FRIDAY' } }),
      'weekDay is valid only when scheduleIntervalInDays is 7',
    );
  });
});

describe('connector deletion', () => {
  const kinds = [
    {
      name: 'ACR',
      path: '/registry/acr/connector',
      free: { connectorId: SEED.acrConnectorId },
      associated: { connectorId: SEED.associatedAcrConnectorId },
      missing: `No ACR connector is named ${SEED.acrConnectorId}`,
    },
    {
      name: 'AWS',
      path: '/registry/aws/connector',
      free: { arn: SEED.awsConnectorArn },
      associated: { arn: SEED.associatedAwsConnectorArn },
      missing: `No AWS connector is named ${SEED.awsConnectorArn}`,
    },
  ];

  for (const kind of kinds) {
    test(`${kind.name}: a free connector is deleted once, then is not found`, async () => {
      assertEmptyOk(await api('DELETE', kind.path, { body: kind.free }));
      assertError(
        await api('DELETE', kind.path, { body: kind.free }),
        404,
        '404 NOT_FOUND',
        kind.missing,
      );
    });

    test(`${kind.name}: an associated connector answers 412 and stays`, async () => {
      const response = await api('DELETE', kind.path, { body: kind.associated });

      assertError(
        response,
        412,
        '412 PRECONDITION_FAILED',
        'The connector is associated with a registry and cannot be deleted',
      );
      assert.equal((await api('DELETE', kind.path, { body: kind.associated })).status, 412);
    });
  }

  test('refuses malformed connector ids and ARNs', async () => {
    const acr = '/registry/acr/connector';
    const aws = '/registry/aws/connector';
    const arnRule = 'arn must be an IAM role ARN, arn:<partition>:iam::<12 digits>:role/<name>';

    assertBadRequest(
      await api('DELETE', acr, { body: { connectorId: 'f3c6d648-81d8-11ed-a1eb' } }),
      'connectorId must be a UUID (8-4-4-4-12 hexadecimal digits)',
    );
    assertBadRequest(await api('DELETE', acr, { body: {} }), /^connectorId must be a UUID/);
    assertBadRequest(
      await api('DELETE', aws, { body: { arn: 'arn:aws:iam::36299080044:role/test_UID1' } }),
      arnRule,
    );
    assertBadRequest(
      await api('DELETE', aws, { body: { arn: 'arn:aws-eu:iam::362990800442:role/x' } }),
      arnRule,
    );
    const govArn = 'arn:aws-us-gov:iam::362990800442:role/path/name';
    assertError(
      await api('DELETE', aws, { body: { arn: govArn } }),
      404,
      '404 NOT_FOUND',
      `No AWS connector is named ${govArn}`,
    );
  });
});

describe('authentication and permissions', () => {
  const profilePath = `/sensorProfile/${SEED.defaultProfileId}`;

  test('answers 401 without a token or with an unknown one', async () => {
    assertError(
      await api('GET', '/sensorProfile', { token: null }),
      401,
      '401 UNAUTHORIZED',
      'The request has no Authorization header with a bearer token',
    );
    assertError(
      await api('GET', '/sensorProfile', { token: 'stolen-token' }),
      401,
      '401 UNAUTHORIZED',
      'The bearer token is not valid or has expired',
    );
    assertError(
      await api('GET', '/sensorProfile', { token: null, headers: { Authorization: 'Basic x' } }),
      401,
      '401 UNAUTHORIZED',
      'The Authorization header must read "Bearer <token>"',
    );
  });

  test('answers the release notes 403 body to a viewer deleting a profile', async () => {
    const response = await api('DELETE', profilePath, { token: TOKENS.viewer });

    assertError(
      response,
      403,
      '403 FORBIDDEN',
      'The quays_xb42 user does not have the CS.SENSOR_PROFILE.DELETE permission to perform ' +
        'this operation. Ensure that required permissions are assigned to the user',
    );
    assert.equal((await api('GET', profilePath, { token: TOKENS.viewer })).status, 200);
  });

  test('answers the release notes 403 body, without a user name, to a GET', async () => {
    assertError(
      await api('GET', '/sensorProfile', { token: TOKENS.none }),
      403,
      '403 FORBIDDEN',
      'The user does not have the CS.SENSOR_PROFILE.VIEW permission to perform this ' +
        'operation. Ensure that required permissions are assigned to the user',
    );
    assertError(
      await api('GET', `/registry/${SEED.registryId}/schedule`, { token: TOKENS.viewer }),
      403,
      '403 FORBIDDEN',
      `The user does not have the CS.REGISTRY.VIEW ${FORBIDDEN_TAIL}`,
    );
  });

  test('names the missing permission of every write', async () => {
    const viewer = { token: TOKENS.viewer, body: { profileName: 'x' } };
    const writes = [
      ['POST', '/sensorProfile', 'CS.SENSOR_PROFILE.CREATE'],
      ['PUT', profilePath, 'CS.SENSOR_PROFILE.UPDATE'],
      ['POST', `/registry/${SEED.registryId}/schedule`, 'CS.REGISTRY.CREATE'],
      ['PUT', `/registry/${SEED.registryId}/schedule/${SEED.scheduleId}`, 'CS.REGISTRY.UPDATE'],
      ['DELETE', '/registry/acr/connector', 'CS.REGISTRY.DELETE'],
      ['DELETE', '/registry/aws/connector', 'CS.REGISTRY.DELETE'],
    ];

    for (const [method, path, permission] of writes) {
      assertError(
        await api(method, path, viewer),
        403,
        '403 FORBIDDEN',
        `The quays_xb42 user does not have the ${permission} ${FORBIDDEN_TAIL}`,
      );
    }
  });

  test('checks 401, then 403, then 400, then 404, then 412', async () => {
    const acr = '/registry/acr/connector';
    const unknownId = { connectorId: '99999999-9999-4999-8999-999999999999' };

    assert.equal((await api('DELETE', acr, { token: null, rawBody: '{' })).status, 401);
    assert.equal((await api('DELETE', acr, { token: TOKENS.none, rawBody: '{' })).status, 403);
    assert.equal((await api('DELETE', acr, { rawBody: '{' })).status, 400);
    assert.equal((await api('DELETE', acr, { body: unknownId })).status, 404);
    assert.equal(
      (await api('DELETE', acr, { body: { connectorId: SEED.associatedAcrConnectorId } })).status,
      412,
    );
  });

  test('hides unknown routes from callers without a token', async () => {
    assert.equal((await api('GET', '/nothing', { token: null })).status, 401);
    assertError(
      await api('GET', '/nothing'),
      404,
      '404 NOT_FOUND',
      'No endpoint answers GET /csapi/v1.3/nothing',
    );
    assert.equal((await api('PATCH', profilePath)).status, 404);
  });
});

describe('request bodies', () => {
  test('answers 400 to invalid JSON on every endpoint that takes a body', async () => {
    const paths = [
      ['DELETE', '/registry/acr/connector'],
      ['DELETE', '/registry/aws/connector'],
      ['POST', `/registry/${SEED.registryId}/schedule`],
      ['PUT', `/registry/${SEED.registryId}/schedule/${SEED.scheduleId}`],
      ['POST', '/sensorProfile'],
      ['PUT', `/sensorProfile/${SEED.defaultProfileId}`],
    ];

    for (const [method, path] of paths) {
      // The release notes' AWS sample, with its trailing comma, is not valid JSON.
      const rawBody = `{"arn": "${SEED.awsConnectorArn}",}`;
      assertBadRequest(
        await api(method, path, { rawBody }),
        /^The request body is not valid JSON/,
      );
      assertBadRequest(
        await api(method, path),
        'The request body is missing; this endpoint takes a JSON body',
      );
      assertBadRequest(
        await api(method, path, { body: [] }),
        'The request body must be a JSON object',
      );
    }
  });
});

describe('sensor profiles', () => {
  test('lists the two seeded profiles with their unmodelled field', async () => {
    const { status, json } = await api('GET', '/sensorProfile?pageNumber=1&pageSize=50');

    assert.equal(status, 200);
    assert.equal(json.count, 2);
    assert.deepEqual(
      json.data.map((profile) => [profile.profileUuid, profile.profileName, profile.profileType]),
      [
        [SEED.defaultProfileId, 'Default General Profile', 'General'],
        [SEED.registryProfileId, 'Registry sensors', 'Registry'],
      ],
    );
    assert.deepEqual(
      json.data.map((profile) => [profile.isDefault, profile.customerTag]),
      [
        [true, 'emulator-only'],
        [false, 'emulator-only'],
      ],
    );
    assert.deepEqual((await api('GET', '/sensorProfile?pageSize=1&pageNumber=2')).json, {
      data: [json.data[1]],
      count: 2,
    });
  });

  test('answers one profile with its config and timestamps as strings', async () => {
    const { status, json } = await api('GET', `/sensorProfile/${SEED.defaultProfileId}`);

    assert.equal(status, 200);
    assert.deepEqual(json.config, {
      blackoutWindows: [{ day: 'SUNDAY', start: '01:00', end: '03:00' }],
      vulnerabilityManagement: { scanIntervalHours: 24 },
      performance: { cpuLimitPercent: 20 },
    });
    assert.match(json.created, EPOCH_MS_TEXT);
    assert.match(json.updated, EPOCH_MS_TEXT);
    assert.ok(Array.isArray(json.associatedRegistries));
    assert.ok(Array.isArray(json.associatedSensors));
    assert.equal(typeof json.description, 'string');
  });

  test('creates, updates with unknown fields kept, and deletes a profile', async () => {
    const created = await api('POST', '/sensorProfile', {
      body: { profileName: 'CI sensors', profileType: 'CICD' },
    });
    assert.equal(created.status, 200);
    assert.deepEqual(Object.keys(created.json), ['profileUuid']);
    const path = `/sensorProfile/${created.json.profileUuid}`;
    const read = (await api('GET', path)).json;
    assert.equal(read.profileName, 'CI sensors');
    assert.equal(read.profileUuid, created.json.profileUuid);

    const edited = { ...read, description: 'edited', futureField: { nested: [1, 2] } };
    assertEmptyOk(await api('PUT', path, { body: edited }));
    const stored = (await api('GET', path)).json;
    assert.deepEqual({ ...stored, updated: edited.updated }, edited);

    assertEmptyOk(await api('DELETE', path));
    assertError(
      await api('GET', path),
      404,
      '404 NOT_FOUND',
      `No sensor profile has the id ${created.json.profileUuid}`,
    );
    assert.equal((await api('GET', '/sensorProfile')).json.count, 2);
  });

  test('refuses an empty profileName and a malformed id', async () => {
    const nameRule = 'profileName must be a non-empty string';

    assertBadRequest(await api('POST', '/sensorProfile', { body: { profileName: '' } }), nameRule);
    assertBadRequest(await api('POST', '/sensorProfile', { body: { profileName: 3 } }), nameRule);
    assertBadRequest(
      await api('PUT', `/sensorProfile/${SEED.defaultProfileId}`, { body: { profileName: ' ' } }),
      nameRule,
    );
    assertBadRequest(
      await api('DELETE', '/sensorProfile/default'),
      'sensorProfileId must be a UUID (8-4-4-4-12 hexadecimal digits)',
    );
  });
});

describe('request log and reset', () => {
  test('logs each API request in order, and neither preflights nor static files', async () => {
    await api('GET', `/registry/${SEED.registryId}/schedule?pageNumber=1&pageSize=5`);
    await fetch(`${emulator.url}/csapi/v1.3/registry/acr/connector`, { method: 'OPTIONS' });
    await fetch(`${emulator.url}/www-demo/`);
    await api('DELETE', '/registry/acr/connector', {
      token: TOKENS.viewer,
      body: { connectorId: SEED.acrConnectorId },
    });
    await api('POST', '/sensorProfile', { rawBody: 'not json' });

    const log = await (await fetch(`${emulator.url}/__emulator/requests`)).json();
    assert.deepEqual(
      log.map(({ method, path, query, body, status }) => ({ method, path, query, body, status })),
      [
        {
          method: 'GET',
          path: `/csapi/v1.3/registry/${SEED.registryId}/schedule`,
          query: { pageNumber: '1', pageSize: '5' },
          body: null,
          status: 200,
        },
        {
          method: 'DELETE',
          path: '/csapi/v1.3/registry/acr/connector',
          query: {},
          body: { connectorId: SEED.acrConnectorId },
          status: 403,
        },
        {
          method: 'POST',
          path: '/csapi/v1.3/sensorProfile',
          query: {},
          body: 'not json',
          status: 400,
        },
      ],
    );
    assert.equal(log[0].headers.authorization, 'Bearer admin-token');
    assert.equal(log[0].headers.accept, 'application/json');
    assert.equal(log[1].headers.authorization, 'Bearer viewer-token');
    assert.equal(log[1].headers['content-type'], 'application/json');
    assert.deepEqual(emulator.requests(), log);
  });

  test('clears the log alone, or the log and the state together', async () => {
    const acr = '/registry/acr/connector';
    assertEmptyOk(await api('DELETE', acr, { body: { connectorId: SEED.acrConnectorId } }));

    const cleared = await fetch(`${emulator.url}/__emulator/requests`, { method: 'DELETE' });
    assert.equal(cleared.status, 204);
    assert.deepEqual(emulator.requests(), []);
    const afterClear = await (await fetch(`${emulator.url}/__emulator/state`)).json();
    assert.deepEqual(
      afterClear.connectors.acr.map((connector) => connector.connectorId),
      [SEED.associatedAcrConnectorId],
    );

    await api('GET', '/sensorProfile');
    const reset = await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    assert.equal(reset.status, 204);
    assert.deepEqual(emulator.requests(), []);
    const afterReset = await (await fetch(`${emulator.url}/__emulator/state`)).json();
    assert.deepEqual(afterReset.connectors, {
      acr: [
        { connectorId: SEED.acrConnectorId, registryId: null },
        { connectorId: SEED.associatedAcrConnectorId, registryId: SEED.emptyRegistryId },
      ],
      aws: [
        { arn: SEED.awsConnectorArn, registryId: null },
        { arn: SEED.associatedAwsConnectorArn, registryId: SEED.emptyRegistryId },
      ],
    });
    assert.deepEqual(afterReset.schedules, {
      [SEED.registryId]: RELEASE_NOTES_LIST_SAMPLE.data,
      [SEED.emptyRegistryId]: [],
    });
    assert.equal(afterReset.profiles.length, 2);
  });

  test('a reset restores schedules and profiles changed through the API', async () => {
    const seeded = emulator.state();
    await createSchedule({ schedule: '10:00' });
    await api('DELETE', `/sensorProfile/${SEED.registryProfileId}`);
    assert.notDeepEqual(emulator.state(), seeded);

    emulator.reset();
    assert.deepEqual(emulator.state(), seeded);
  });

  test('answers queued faults, such as a 429 with Retry-After, and logs them', async () => {
    const fault = {
      status: 429,
      headers: { 'Retry-After': '2' },
      body: { errorCode: '429 TOO_MANY_REQUESTS', message: 'slow down', timestamp: 1 },
      path: '/csapi/v1.3/sensorProfile',
    };
    const queued = await fetch(`${emulator.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify(fault),
    });
    assert.equal(queued.status, 204);

    const limited = await api('GET', '/sensorProfile');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '2');
    assert.equal(limited.headers.get('x-ratelimit-limit'), '1000');
    assert.deepEqual(limited.json, fault.body);
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
    assert.deepEqual(
      emulator.requests().map((entry) => entry.status),
      [429, 200],
    );
  });
});

describe('CORS', () => {
  test('answers a DELETE preflight with Authorization and Content-Type', async () => {
    const response = await fetch(`${emulator.url}/csapi/v1.3/registry/aws/connector`, {
      method: 'OPTIONS',
      headers: {
        Origin: 'http://localhost:5173',
        'Access-Control-Request-Method': 'DELETE',
        'Access-Control-Request-Headers': 'authorization,content-type',
      },
    });

    assert.equal(response.status, 204);
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(
      response.headers.get('access-control-allow-methods'),
      'GET, POST, PUT, DELETE, OPTIONS',
    );
    assert.equal(
      response.headers.get('access-control-allow-headers'),
      'authorization,content-type',
    );
    assert.equal(response.headers.get('access-control-max-age'), '600');
    assert.equal(await response.text(), '');
  });

  test('offers the default allowed headers when none are asked for', async () => {
    const response = await fetch(`${emulator.url}/csapi/v1.3/sensorProfile`, {
      method: 'OPTIONS',
    });

    assert.equal(
      response.headers.get('access-control-allow-headers'),
      'Authorization, Content-Type, Accept',
    );
  });

  test('lets every answer, errors included, be read across origins', async () => {
    const refused = await api('GET', '/sensorProfile', { token: null });
    assert.equal(refused.headers.get('access-control-allow-origin'), '*');
    assert.equal(
      refused.headers.get('access-control-expose-headers'),
      'X-RateLimit-Limit, X-RateLimit-Window-Sec, X-RateLimit-Remaining, Retry-After',
    );
    const file = await fetch(`${emulator.url}/pkg/qualys_cs.js`);
    assert.equal(file.headers.get('access-control-allow-origin'), '*');
  });
});

describe('static files', () => {
  test('redirects the root to the demo and serves folders by their index.html', async () => {
    const root = await fetch(`${emulator.url}/`, { redirect: 'manual' });
    assert.equal(root.status, 302);
    assert.equal(root.headers.get('location'), '/www-demo/');

    const demo = await fetch(`${emulator.url}/www-demo/`);
    assert.equal(demo.status, 200);
    assert.equal(demo.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(await demo.text(), '<!doctype html><title>demo</title>');
    const nested = await fetch(`${emulator.url}/www-demo/nested`, { redirect: 'manual' });
    assert.equal(nested.status, 302);
    assert.equal(nested.headers.get('location'), '/www-demo/nested/');
    assert.equal(await (await fetch(`${emulator.url}/www-demo/nested/`)).text(), '<p>nested</p>');
  });

  test('serves the package with the MIME types browsers require', async () => {
    const expected = {
      '/pkg/qualys_cs.js': 'text/javascript; charset=utf-8',
      '/pkg/index.mjs': 'text/javascript; charset=utf-8',
      '/pkg/qualys_cs.d.ts': 'text/plain; charset=utf-8',
      '/pkg/qualys_cs_bg.wasm': 'application/wasm',
      '/pkg/package.json': 'application/json; charset=utf-8',
      '/www-demo/style.css': 'text/css; charset=utf-8',
    };

    for (const [path, type] of Object.entries(expected)) {
      const response = await fetch(`${emulator.url}${path}`);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers.get('content-type'), type, path);
      assert.equal(response.headers.get('cache-control'), 'no-store', path);
    }
    const wasm = await fetch(`${emulator.url}/pkg/qualys_cs_bg.wasm`);
    assert.deepEqual([...new Uint8Array(await wasm.arrayBuffer())], [0, 97, 115, 109]);
  });

  test('refuses path traversal in every spelling with 404', async () => {
    const attempts = [
      '/www-demo/../secret.txt',
      '/pkg/../secret.txt',
      '/pkg/%2e%2e/secret.txt',
      '/pkg/%2E%2E/secret.txt',
      '/pkg/..%2fsecret.txt',
      '/pkg/%2e%2e%2fsecret.txt',
      '/www-demo/..%5csecret.txt',
      '/www-demo/nested/../../secret.txt',
      '/pkg/%252e%252e/secret.txt',
      '/pkg/%zz',
      '/pkg/./package.json',
      '/secret.txt',
    ];

    for (const path of attempts) {
      assert.equal(await rawGet(path), 404, path);
    }
    assert.equal(await rawGet('/pkg/package.json'), 200);
  });

  test('answers 404 for missing files and for writes', async () => {
    assert.equal((await fetch(`${emulator.url}/pkg/missing.js`)).status, 404);
    const write = await fetch(`${emulator.url}/pkg/package.json`, { method: 'POST' });
    assert.equal(write.status, 404);
    assert.deepEqual(emulator.requests(), []);
  });
});

describe('command line', () => {
  async function startCli(args) {
    const child = spawn(process.execPath, [SERVER_PATH, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    while (!output.includes('none-token')) {
      await Promise.race([once(child.stdout, 'data'), once(child, 'exit')]);
      if (child.exitCode !== null) {
        break;
      }
    }
    return { child, lines: output.split('\n') };
  }

  for (const signal of ['SIGTERM', 'SIGINT']) {
    test(`prints its address first and stops cleanly on ${signal}`, async () => {
      const { child, lines } = await startCli(['--port', '0', '--host', '127.0.0.1']);

      const banner = /^qualys-cs emulator listening on (http:\/\/127\.0\.0\.1:\d+)$/;
      const match = banner.exec(lines[0]);
      assert.ok(match, lines[0]);
      assert.equal(lines[1], `demo: ${match[1]}/www-demo/`);
      assert.ok(lines.some((line) => line.startsWith('token: admin-token ')));
      assert.ok(lines.some((line) => line.startsWith('token: viewer-token ')));
      const response = await fetch(`${match[1]}/csapi/v1.3/sensorProfile`, {
        headers: { Authorization: 'Bearer admin-token' },
      });
      assert.equal(response.status, 200);

      child.kill(signal);
      const [code] = await once(child, 'exit');
      assert.equal(code, 0);
    });
  }

  test('refuses to listen on a non-loopback host', async () => {
    const child = spawn(process.execPath, [SERVER_PATH, '--host=0.0.0.0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let errors = '';
    child.stderr.on('data', (chunk) => {
      errors += chunk;
    });
    const [code] = await once(child, 'exit');

    assert.equal(code, 2);
    assert.equal(
      errors,
      'Refusing to listen on 0.0.0.0: the emulator listens on 127.0.0.1 only\n',
    );
  });
});
