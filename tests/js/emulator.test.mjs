// Tests of the emulator itself: that it answers as the release notes say, judges requests
// that bypass a client, logs what it received, and serves files without leaking others;
// and that its gateway login, rate limit, slow answers, redirects and recorder behave as
// the client's tests rely on. One emulator serves every test, and each test starts from
// the seeded state.

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';

import {
  FAULT_KINDS,
  SEED,
  TOKENS,
  USERS,
  startEmulator,
  startRecorder,
} from '../emulator/server.mjs';
import { releaseNotesCreateBody } from './helpers.mjs';

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
const RELEASE_NOTES_CREATE_BODY = releaseNotesCreateBody();

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
  // Starts the emulator with `args` and waits for its banner; `stdin` is 'pipe' for a
  // test that closes the emulator's input.
  async function startCli(args, { stdin = 'ignore' } = {}) {
    const child = spawn(process.execPath, [SERVER_PATH, ...args], {
      stdio: [stdin, 'pipe', 'pipe'],
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

  test('with --exit-with-parent it stops once its input closes, as when its parent dies', async () => {
    // A bench or test that spawned it may be killed before it can stop it; the end of
    // the input pipe stands for that here. Without the flag the input is not watched.
    const { child, lines } = await startCli(['--port', '0', '--exit-with-parent'],
      { stdin: 'pipe' });
    const url = /^qualys-cs emulator listening on (\S+)$/.exec(lines[0])[1];
    assert.equal((await fetch(`${url}/csapi/v1.3/sensorProfile`, {
      headers: { Authorization: 'Bearer admin-token' },
    })).status, 200);
    const exited = once(child, 'exit');
    child.stdin.end();
    const [code] = await exited;
    assert.equal(code, 0);
    await assert.rejects(fetch(`${url}/csapi/v1.3/sensorProfile`), { name: 'TypeError' });
  });

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

// The gateway's login, its tokens and the controls around them. A login is a form post to
// /auth at the root, so these helpers talk to the emulator's root, not to /csapi/v1.3.

const FORM_TYPE = 'application/x-www-form-urlencoded';
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const FOUR_HOURS_SEC = 4 * 60 * 60;
const EXPIRED = 'The bearer token has expired';
const NOT_VALID = 'The bearer token is not valid or has expired';

function loginForm({ username, password }, extra = {}) {
  return new URLSearchParams({ username, password, token: 'true', ...extra }).toString();
}

// Sends a request with exactly the given headers and body, which fetch would add to
// (it gives a string body a text/plain type), and reads the answer as text.
function rawRequest(method, path, { headers = {}, body } = {}) {
  const { hostname, port } = new URL(emulator.url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path, method, headers }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => {
        text += chunk;
      });
      response.on('end', () => {
        const json = text.length > 0 && /json/.test(response.headers['content-type'] ?? '');
        resolve({
          status: response.statusCode,
          headers: new Headers(response.headers),
          text,
          json: json ? JSON.parse(text) : undefined,
        });
      });
    });
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

// Logs in with a form body (a user's own credentials unless told) and answers the reply.
function login(user = USERS.admin, { body = loginForm(user), type = FORM_TYPE } = {}) {
  const headers = type === null ? {} : { 'Content-Type': type };
  return rawRequest('POST', '/auth', { headers, body });
}

async function tokenFor(user = USERS.admin) {
  const response = await login(user);
  assert.equal(response.status, 201);
  return response.text;
}

function decodeJwt(token) {
  const [header, payload, signature] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')),
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')),
    signature: Buffer.from(signature, 'base64url'),
  };
}

// Posts JSON to a test-support route and answers the status and the parsed body.
async function control(path, body) {
  const response = await fetch(`${emulator.url}/__emulator/${path}`, {
    method: 'POST',
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    text,
    json: text.length > 0 ? JSON.parse(text) : undefined,
  };
}

async function readControl(path) {
  const response = await fetch(`${emulator.url}/__emulator/${path}`);
  assert.equal(response.status, 200);
  return response.json();
}

async function queueFault(fault) {
  const response = await control('faults', fault);
  assert.equal(response.status, 204, response.text);
}

const DEFAULT_AUTH = { logins: 0, tokenLifetimeSec: FOUR_HOURS_SEC, clockOffsetMs: 0 };

describe('gateway login', () => {
  test('answers 201 with a four-hour JWT as the whole plain-text body', async () => {
    const before = Math.floor(Date.now() / 1000);
    const response = await login(USERS.admin);
    const after = Math.floor(Date.now() / 1000);

    assert.equal(response.status, 201);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal(response.headers.get('access-control-allow-origin'), '*');
    assert.equal(response.headers.get('x-ratelimit-limit'), null);
    assert.match(response.text, JWT);
    const { header, payload, signature } = decodeJwt(response.text);
    assert.deepEqual(header, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(Object.keys(payload), ['sub', 'iat', 'exp', 'jti']);
    assert.equal(payload.sub, 'qualys_admin');
    assert.ok(payload.iat >= before && payload.iat <= after, `iat ${payload.iat}`);
    assert.equal(payload.exp - payload.iat, 14_400);
    assert.match(payload.jti, UUID);
    assert.equal(signature.length, 32);

    const again = await login(USERS.admin);
    assert.notEqual(again.text, response.text);
    assert.notEqual(decodeJwt(again.text).payload.jti, payload.jti);
    assert.equal(decodeJwt((await login(USERS.viewer)).text).payload.sub, 'quays_xb42');
    assert.equal(decodeJwt((await login(USERS.none)).text).payload.sub, 'qualys_none');
  });

  test('exports the three users under the keys of TOKENS', () => {
    assert.deepEqual(USERS, {
      admin: { username: 'qualys_admin', password: 'admin-password' },
      viewer: { username: 'quays_xb42', password: 'viewer-password' },
      none: { username: 'qualys_none', password: 'none-password' },
    });
    assert.deepEqual(Object.keys(USERS), Object.keys(TOKENS));
  });

  test('issued tokens carry their user permissions on every route', async () => {
    const admin = await tokenFor(USERS.admin);
    const viewer = await tokenFor(USERS.viewer);
    const none = await tokenFor(USERS.none);
    const profilePath = `/sensorProfile/${SEED.registryProfileId}`;

    const schedules = `/registry/${SEED.registryId}/schedule`;
    assert.equal((await api('GET', schedules, { token: admin })).status, 200);
    assert.equal((await api('GET', profilePath, { token: viewer })).status, 200);
    assertError(
      await api('DELETE', profilePath, { token: viewer }),
      403,
      '403 FORBIDDEN',
      `The quays_xb42 user does not have the CS.SENSOR_PROFILE.DELETE ${FORBIDDEN_TAIL}`,
    );
    assertError(
      await api('GET', '/sensorProfile', { token: none }),
      403,
      '403 FORBIDDEN',
      `The user does not have the CS.SENSOR_PROFILE.VIEW ${FORBIDDEN_TAIL}`,
    );
    assertEmptyOk(await api('DELETE', profilePath, { token: admin }));
    assert.equal((await api('GET', '/sensorProfile', { token: TOKENS.viewer })).json.count, 1);
    assert.equal((await api('GET', '/sensorProfile', { token: TOKENS.admin })).status, 200);
  });

  test('answers 401 to wrong credentials and to a token other than true', async () => {
    const badCredentials = 'The username or password is not valid';
    const noToken = 'The login must ask for a token with token=true';
    const attempts = [
      [loginForm({ username: 'qualys_admin', password: 'viewer-password' }), badCredentials],
      [loginForm({ username: 'QUALYS_ADMIN', password: 'admin-password' }), badCredentials],
      [loginForm({ username: 'nobody', password: 'admin-password' }), badCredentials],
      ['username=qualys_admin&token=true', badCredentials],
      ['password=admin-password&token=true', badCredentials],
      [loginForm(USERS.admin, { token: 'false' }), noToken],
      [loginForm(USERS.admin, { token: 'TRUE' }), noToken],
      ['username=qualys_admin&password=admin-password', noToken],
      ['', noToken],
    ];

    for (const [body, message] of attempts) {
      assertError(await login(USERS.admin, { body }), 401, '401 UNAUTHORIZED', message);
    }
    assert.deepEqual(await readControl('auth'), DEFAULT_AUTH);
  });

  test('answers 400 to a body that is not form-encoded, and takes any charset', async () => {
    const wrongType = 'The login body must be application/x-www-form-urlencoded';
    const json = JSON.stringify({ ...USERS.admin, token: true });

    assertBadRequest(
      await login(USERS.admin, { body: json, type: 'application/json' }),
      wrongType,
    );
    assertBadRequest(await login(USERS.admin, { type: 'text/plain' }), wrongType);
    assertBadRequest(await login(USERS.admin, { type: null }), wrongType);
    assertBadRequest(await login(USERS.admin, { type: 'multipart/form-data' }), wrongType);
    assert.equal((await login(USERS.admin, { type: `${FORM_TYPE}; charset=UTF-8` })).status, 201);
    const shouted = 'Application/X-WWW-Form-URLEncoded';
    assert.equal((await login(USERS.admin, { type: shouted })).status, 201);
    const browserLike = await fetch(`${emulator.url}/auth`, {
      method: 'POST',
      body: new URLSearchParams({ ...USERS.viewer, token: 'true' }),
    });
    assert.equal(browserLike.status, 201);
    assert.match(await browserLike.text(), JWT);
  });

  test('refuses a token it did not issue, however well-formed', async () => {
    const issued = await tokenFor(USERS.viewer);
    const [header, , signature] = issued.split('.');
    const claims = { ...decodeJwt(issued).payload, sub: 'qualys_admin' };
    const encode = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const forged = `${header}.${encode(claims)}.${signature}`;
    const unsigned = `${encode({ alg: 'none' })}.${encode(claims)}.`;

    for (const token of [forged, unsigned, `${issued}x`, issued.toUpperCase()]) {
      const response = await api('GET', '/sensorProfile', { token });
      assertError(response, 401, '401 UNAUTHORIZED', NOT_VALID);
    }
    assert.equal((await api('GET', '/sensorProfile', { token: issued })).status, 200);
  });

  test('logs logins like API requests with every password redacted', async () => {
    await login(USERS.admin);
    await login(USERS.viewer, { body: loginForm({ ...USERS.viewer, password: 'guess' }) });
    await login(USERS.none, {
      body: JSON.stringify({ ...USERS.none, token: true }),
      type: 'application/json',
    });
    await login(USERS.admin, { body: loginForm(USERS.admin), type: 'text/plain' });
    await rawRequest('POST', '/auth?source=test', {
      headers: { 'Content-Type': FORM_TYPE },
      body: 'username=qualys_admin&password=admin-password&password=again&token=true',
    });

    const log = await (await fetch(`${emulator.url}/__emulator/requests`)).json();
    assert.deepEqual(
      log.map(({ method, path, query, body, status }) => ({ method, path, query, body, status })),
      [
        {
          method: 'POST',
          path: '/auth',
          query: {},
          body: { username: 'qualys_admin', password: '<redacted>', token: 'true' },
          status: 201,
        },
        {
          method: 'POST',
          path: '/auth',
          query: {},
          body: { username: 'quays_xb42', password: '<redacted>', token: 'true' },
          status: 401,
        },
        {
          method: 'POST',
          path: '/auth',
          query: {},
          body: { username: 'qualys_none', password: '<redacted>', token: true },
          status: 400,
        },
        {
          method: 'POST',
          path: '/auth',
          query: {},
          body: { username: 'qualys_admin', password: '<redacted>', token: 'true' },
          status: 400,
        },
        {
          method: 'POST',
          path: '/auth',
          query: { source: 'test' },
          body: { username: 'qualys_admin', password: '<redacted>', token: 'true' },
          status: 201,
        },
      ],
    );
    assert.equal(log[0].headers['content-type'], FORM_TYPE);
    assert.deepEqual(emulator.requests(), log);
    const everything = JSON.stringify(log);
    const secrets = ['admin-password', 'viewer-password', 'none-password', 'guess', 'again'];
    for (const secret of secrets) {
      assert.equal(everything.includes(secret), false, secret);
    }
    assert.deepEqual(await readControl('auth'), { ...DEFAULT_AUTH, logins: 2 });
  });

  test('answers other methods at /auth as before, unlogged', async () => {
    assert.equal((await fetch(`${emulator.url}/auth`)).status, 404);
    assert.equal((await fetch(`${emulator.url}/auth`, { method: 'PUT' })).status, 404);
    assert.equal((await fetch(`${emulator.url}/auth/`, { method: 'POST' })).status, 404);
    assert.deepEqual(emulator.requests(), []);
  });

  test('a fault answers a login only when its path is /auth', async () => {
    await queueFault({ path: '/auth', status: 503, body: '<html>down</html>' });
    const down = await login(USERS.admin);
    assert.equal(down.status, 503);
    assert.equal(down.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(down.text, '<html>down</html>');

    await queueFault({ status: 502 });
    const token = await tokenFor(USERS.admin);
    assert.equal((await api('GET', '/sensorProfile', { token })).status, 502);
    assert.deepEqual(
      emulator.requests().map(({ path, status }) => [path, status]),
      [
        ['/auth', 503],
        ['/auth', 201],
        ['/csapi/v1.3/sensorProfile', 502],
      ],
    );
    assert.equal((await readControl('auth')).logins, 1);
  });
});

describe('token lifetime and the clock', () => {
  test('answers the defaults, and a lifetime applies to tokens issued from then on', async () => {
    assert.deepEqual(await readControl('auth'), DEFAULT_AUTH);
    const early = decodeJwt(await tokenFor()).payload;

    const set = await control('auth', { tokenLifetimeSec: 60 });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { logins: 1, tokenLifetimeSec: 60, clockOffsetMs: 0 });
    const late = decodeJwt(await tokenFor()).payload;
    assert.equal(early.exp - early.iat, 14_400);
    assert.equal(late.exp - late.iat, 60);
    assert.deepEqual(await readControl('auth'), {
      logins: 2,
      tokenLifetimeSec: 60,
      clockOffsetMs: 0,
    });
  });

  test('a token expires by the emulator clock, and the seeded tokens never do', async () => {
    await control('auth', { tokenLifetimeSec: 60 });
    const token = await tokenFor(USERS.viewer);

    // Two seconds short of the expiry, whatever fraction of a second iat was rounded from.
    assert.equal((await control('auth', { clockOffsetMs: 58_000 })).json.clockOffsetMs, 58_000);
    assert.equal((await api('GET', '/sensorProfile', { token })).status, 200);
    await control('auth', { clockOffsetMs: 60_000 });
    assertError(await api('GET', '/sensorProfile', { token }), 401, '401 UNAUTHORIZED', EXPIRED);
    assert.equal((await api('GET', '/sensorProfile', { token: TOKENS.viewer })).status, 200);

    await control('auth', { clockOffsetMs: FOUR_HOURS_SEC * 1000 });
    const before = Math.floor((Date.now() + FOUR_HOURS_SEC * 1000) / 1000);
    const shifted = decodeJwt(await tokenFor()).payload;
    assert.ok(shifted.iat >= before && shifted.iat <= before + 2, `iat ${shifted.iat}`);
    assert.equal(shifted.exp - shifted.iat, 60);
  });

  test('a lifetime of 0 issues tokens that are already expired', async () => {
    await control('auth', { tokenLifetimeSec: 0 });
    const token = await tokenFor();

    const { payload } = decodeJwt(token);
    assert.equal(payload.exp, payload.iat);
    assertError(await api('GET', '/sensorProfile', { token }), 401, '401 UNAUTHORIZED', EXPIRED);
  });

  test('expireAll expires every JWT issued so far, and nothing else', async () => {
    const admin = await tokenFor(USERS.admin);
    const viewer = await tokenFor(USERS.viewer);
    assert.equal((await control('auth', { expireAll: false })).status, 200);
    assert.equal((await api('GET', '/sensorProfile', { token: admin })).status, 200);

    const expired = await control('auth', { expireAll: true });
    assert.deepEqual(expired.json, { ...DEFAULT_AUTH, logins: 2 });
    for (const token of [admin, viewer]) {
      assertError(await api('GET', '/sensorProfile', { token }), 401, '401 UNAUTHORIZED', EXPIRED);
    }
    assert.equal((await api('GET', '/sensorProfile', { token: TOKENS.admin })).status, 200);
    const fresh = await tokenFor(USERS.admin);
    assert.equal((await api('GET', '/sensorProfile', { token: fresh })).status, 200);
  });

  test('refuses malformed controls and then changes nothing', async () => {
    const lifetimeRule = 'tokenLifetimeSec must be a whole number of seconds, 0 or more';
    const objectRule =
      'The auth controls are a JSON object with any of tokenLifetimeSec, expireAll, clockOffsetMs';
    const cases = [
      [{ tokenLifetimeSec: -1 }, lifetimeRule],
      [{ tokenLifetimeSec: 1.5 }, lifetimeRule],
      [{ tokenLifetimeSec: '60' }, lifetimeRule],
      [
        { tokenLifetimeSec: 60, clockOffsetMs: -1 },
        'clockOffsetMs must be a whole number of milliseconds, 0 or more',
      ],
      [{ expireAll: 'yes' }, 'expireAll must be true or false'],
      [
        { lifetime: 60, expireAll: true },
        'Unknown auth control lifetime; use tokenLifetimeSec, expireAll, clockOffsetMs',
      ],
      [[], objectRule],
      ['not json', objectRule],
    ];
    const token = await tokenFor();

    for (const [body, message] of cases) {
      const response = await control('auth', body);
      assertBadRequest(response, message);
    }
    assert.deepEqual(await readControl('auth'), { ...DEFAULT_AUTH, logins: 1 });
    assert.equal((await api('GET', '/sensorProfile', { token })).status, 200);
    assert.equal((await control('auth', {})).status, 200);
    assert.deepEqual(
      emulator.requests().map(({ path }) => path),
      ['/auth', '/csapi/v1.3/sensorProfile'],
    );
  });

  test('a reset restores the defaults and keeps the tokens issued so far', async () => {
    const token = await tokenFor(USERS.admin);
    await control('auth', { tokenLifetimeSec: 5, clockOffsetMs: 1_000 });

    const reset = await fetch(`${emulator.url}/__emulator/reset`, { method: 'POST' });
    assert.equal(reset.status, 204);
    assert.deepEqual(await readControl('auth'), DEFAULT_AUTH);
    assert.equal((await api('GET', '/sensorProfile', { token })).status, 200);
    const fresh = decodeJwt(await tokenFor()).payload;
    assert.equal(fresh.exp - fresh.iat, 14_400);
  });
});

describe('rate limiting', () => {
  // The three rate-limit headers and Retry-After, in that order; null for one not sent.
  function rateHeaders(response) {
    const names = ['x-ratelimit-limit', 'x-ratelimit-window-sec', 'x-ratelimit-remaining'];
    return [...names, 'retry-after'].map((name) => response.headers.get(name));
  }

  test('reports the documented limit by default and enforces nothing', async () => {
    assert.deepEqual(await readControl('rate-limit'), { limit: null, windowSec: 60 });

    const admin = await api('GET', '/sensorProfile');
    const anonymous = await api('GET', '/nothing', { token: null });
    const viewer = await api('GET', '/sensorProfile', { token: TOKENS.viewer });
    assert.deepEqual(rateHeaders(admin), ['1000', '60', '999', null]);
    assert.deepEqual(rateHeaders(anonymous), ['1000', '60', '998', null]);
    assert.deepEqual(rateHeaders(viewer), ['1000', '60', '997', null]);
  });

  test('answers 429 past the limit of a token, until its window ends', async () => {
    const set = await control('rate-limit', { limit: 2, windowSec: 60 });
    assert.equal(set.status, 200);
    assert.deepEqual(set.json, { limit: 2, windowSec: 60 });

    const first = await api('GET', '/sensorProfile');
    assert.equal(first.status, 200);
    assert.deepEqual(rateHeaders(first), ['2', '60', '1', null]);
    assert.deepEqual(rateHeaders(await api('GET', '/sensorProfile')), ['2', '60', '0', null]);
    const viewer = await api('GET', '/sensorProfile', { token: TOKENS.viewer });
    assert.deepEqual([viewer.status, ...rateHeaders(viewer)], [200, '2', '60', '1', null]);
    await queueFault({ status: 503 });
    const refused = await api('GET', '/sensorProfile');
    assertError(
      refused,
      429,
      '429 TOO_MANY_REQUESTS',
      'The rate limit of 2 requests per 60 seconds is exceeded; retry after 60 seconds',
    );
    assert.deepEqual(rateHeaders(refused), ['2', '60', '0', '60']);

    // The refused request did not reach the queued fault; the next window's first does.
    await control('auth', { clockOffsetMs: 60_000 });
    const next = await api('GET', '/sensorProfile');
    assert.deepEqual([next.status, ...rateHeaders(next)], [503, '2', '60', '1', null]);
    assert.deepEqual(
      emulator.requests().map(({ status, headers }) => [status, headers.authorization]),
      [
        [200, 'Bearer admin-token'],
        [200, 'Bearer admin-token'],
        [200, 'Bearer viewer-token'],
        [429, 'Bearer admin-token'],
        [503, 'Bearer admin-token'],
      ],
    );
  });

  test('Retry-After counts the whole seconds left in the window, at least 1', async () => {
    await control('rate-limit', { limit: 1, windowSec: 30 });
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
    assert.deepEqual(rateHeaders(await api('GET', '/sensorProfile')), ['1', '30', '0', '30']);

    await control('auth', { clockOffsetMs: 29_500 });
    const last = await api('GET', '/sensorProfile');
    assert.equal(last.status, 429);
    assert.deepEqual(rateHeaders(last), ['1', '30', '0', '1']);
    assert.match(last.json.message, /retry after 1 seconds$/);

    await control('auth', { clockOffsetMs: 30_000 });
    const renewed = await api('GET', '/sensorProfile');
    assert.deepEqual([renewed.status, ...rateHeaders(renewed)], [200, '1', '30', '0', null]);
  });

  test('a limit of 0 refuses every API request, and logins are never limited', async () => {
    const set = await control('rate-limit', { limit: 0 });
    assert.deepEqual(set.json, { limit: 0, windowSec: 60 });

    assert.deepEqual(rateHeaders(await api('GET', '/sensorProfile')), ['0', '60', '0', '60']);
    const anonymous = await api('GET', '/sensorProfile', { token: null });
    assert.equal(anonymous.status, 429);
    const token = await tokenFor();
    assert.equal((await api('GET', '/sensorProfile', { token })).status, 429);
    assert.deepEqual(
      emulator.requests().map(({ path, status }) => [path, status]),
      [
        ['/csapi/v1.3/sensorProfile', 429],
        ['/csapi/v1.3/sensorProfile', 429],
        ['/auth', 201],
        ['/csapi/v1.3/sensorProfile', 429],
      ],
    );
  });

  test('a limit of null stops enforcing, and a reset does too', async () => {
    await control('rate-limit', { limit: 1, windowSec: 5 });
    await api('GET', '/sensorProfile');
    assert.equal((await api('GET', '/sensorProfile')).status, 429);

    const off = await control('rate-limit', { limit: null, windowSec: 5 });
    assert.deepEqual(off.json, { limit: null, windowSec: 60 });
    const free = await api('GET', '/sensorProfile');
    assert.equal(free.status, 200);
    assert.equal(free.headers.get('x-ratelimit-limit'), '1000');
    assert.equal(free.headers.get('x-ratelimit-window-sec'), '60');

    await control('rate-limit', { limit: 0 });
    emulator.reset();
    assert.deepEqual(await readControl('rate-limit'), { limit: null, windowSec: 60 });
    assert.deepEqual(rateHeaders(await api('GET', '/sensorProfile')), ['1000', '60', '999', null]);
  });

  test('refuses malformed limits and keeps the one in force', async () => {
    const limitRule = 'limit must be a whole number of requests per window, 0 or more, or null';
    const windowRule = 'windowSec must be a whole number of seconds, 1 or more';
    const requiredRule =
      'limit is required: a whole number of requests per window, or null for none';
    const cases = [
      [{}, requiredRule],
      [{ windowSec: 10 }, requiredRule],
      [{ limit: -1 }, limitRule],
      [{ limit: 1.5 }, limitRule],
      [{ limit: '5' }, limitRule],
      [{ limit: 5, windowSec: 0 }, windowRule],
      [{ limit: 5, windowSec: 0.5 }, windowRule],
      [{ limit: 5, per: 'minute' }, 'Unknown rate-limit control per; use limit and windowSec'],
      [[5], 'The rate limit is a JSON object with limit and, optionally, windowSec'],
    ];
    await control('rate-limit', { limit: 3, windowSec: 10 });

    for (const [body, message] of cases) {
      assertBadRequest(await control('rate-limit', body), message);
    }
    assert.deepEqual(await readControl('rate-limit'), { limit: 3, windowSec: 10 });
  });

  test('a fault carries Retry-After in seconds or as an HTTP date', async () => {
    const date = 'Wed, 21 Oct 2015 07:28:00 GMT';
    const body = { errorCode: '429 TOO_MANY_REQUESTS', message: 'slow down', timestamp: 1 };
    await queueFault({ status: 429, headers: { 'Retry-After': '120' }, body });
    await queueFault({ status: 503, headers: { 'Retry-After': date } });

    const seconds = await api('GET', '/sensorProfile');
    assert.equal(seconds.status, 429);
    assert.deepEqual(rateHeaders(seconds), ['1000', '60', '999', '120']);
    assert.deepEqual(seconds.json, body);
    const dated = await api('GET', '/sensorProfile');
    assert.equal(dated.status, 503);
    assert.equal(dated.headers.get('retry-after'), date);
    assert.equal(new Date(dated.headers.get('retry-after')).getTime(), 1_445_412_480_000);
    assert.equal(dated.text, '');
  });
});

describe('slow answers', () => {
  // Waits until the log holds `count` requests, since a delayed request is logged on arrival.
  async function logHolds(count) {
    while (emulator.requests().length < count) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  test('a delayed fault answers its status after the delay', async () => {
    await queueFault({ status: 504, delayMs: 200, body: 'Gateway Timeout' });

    const started = Date.now();
    const response = await rawRequest('GET', '/csapi/v1.3/sensorProfile', {
      headers: { Authorization: `Bearer ${TOKENS.admin}` },
    });
    const elapsed = Date.now() - started;
    assert.equal(response.status, 504);
    assert.equal(response.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(response.text, 'Gateway Timeout');
    assert.ok(elapsed >= 195, `answered after ${elapsed} ms`);
    assert.deepEqual(emulator.requests().map(({ status }) => status), [504]);
  });

  test('a delay without a status delays the API answer itself', async () => {
    await queueFault({ delayMs: 150, method: 'POST' });

    const started = Date.now();
    const created = await createSchedule({ schedule: '10:00' });
    assert.ok(Date.now() - started >= 145);
    assert.equal(created.status, 200);
    assert.match(created.json.profileUuid, UUID);
    assert.equal((await listSchedules(SEED.emptyRegistryId)).json.count, 1);
    assert.deepEqual(emulator.requests().map(({ method, status }) => [method, status]), [
      ['POST', 200],
      ['GET', 200],
    ]);
  });

  test('a client that gives up is logged, never answered, and changes nothing', async () => {
    await queueFault({ delayMs: 300, method: 'POST' });

    await assert.rejects(
      fetch(`${emulator.url}/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKENS.admin}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ schedule: '10:00' }),
        signal: AbortSignal.timeout(50),
      }),
      { name: 'TimeoutError' },
    );
    const [entry] = emulator.requests();
    assert.deepEqual(
      [entry.method, entry.body, entry.status],
      ['POST', { schedule: '10:00' }, null],
    );

    await new Promise((resolve) => setTimeout(resolve, 400));
    assert.deepEqual(emulator.state().schedules[SEED.emptyRegistryId], []);
    assert.deepEqual(emulator.requests().map(({ status }) => status), [null]);
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
  });

  test('a reset cuts a pending delayed answer so it cannot reach the next test', async () => {
    await queueFault({ delayMs: 5_000, method: 'POST' });
    const pending = createSchedule({ schedule: '10:00' });
    await logHolds(1);

    const started = Date.now();
    emulator.reset();
    await assert.rejects(pending, { name: 'TypeError', message: 'fetch failed' });
    assert.ok(Date.now() - started < 1_000);
    assert.deepEqual(emulator.requests(), []);
    assert.deepEqual(emulator.state().schedules[SEED.emptyRegistryId], []);
  });

  test('a delayed login is answered after the delay and counted then', async () => {
    await queueFault({ path: '/auth', delayMs: 100 });

    const started = Date.now();
    const response = await login(USERS.viewer);
    assert.ok(Date.now() - started >= 95);
    assert.equal(response.status, 201);
    assert.equal(decodeJwt(response.text).payload.sub, 'quays_xb42');
    assert.equal((await readControl('auth')).logins, 1);
  });

  test('close() ends at once with a delayed answer pending, leaving no timer', async () => {
    // A child process shows it best: it exits by itself only if nothing is left running.
    const script = `
      import { startEmulator } from ${JSON.stringify(SERVER_PATH)};
      const emulator = await startEmulator({ port: 0 });
      await fetch(emulator.url + '/__emulator/faults', {
        method: 'POST',
        body: JSON.stringify({ status: 200, delayMs: 60000 }),
      });
      const pending = fetch(emulator.url + '/csapi/v1.3/sensorProfile', {
        headers: { Authorization: 'Bearer admin-token' },
      }).then((response) => 'answered ' + response.status, (error) => error.cause.code);
      while (emulator.requests().length === 0) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      const started = Date.now();
      await emulator.close();
      const outcome = await pending;
      process.stdout.write(JSON.stringify({ ms: Date.now() - started, outcome }));
    `;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    const guard = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const [code, signal] = await once(child, 'exit');
    clearTimeout(guard);

    assert.deepEqual([code, signal], [0, null]);
    const { ms, outcome } = JSON.parse(output);
    assert.equal(outcome, 'UND_ERR_SOCKET');
    assert.ok(ms < 1_000, `closed in ${ms} ms`);
  });

  test('refuses malformed delays and redirects, and still needs a status otherwise', async () => {
    const delayRule = 'delayMs must be a whole number of milliseconds from 0 to 60000';
    const redirectRule = 'redirectTo must be a URL of visible ASCII characters, without spaces';
    const cases = [
      [{ status: 500, delayMs: -1 }, delayRule],
      [{ status: 500, delayMs: 1.5 }, delayRule],
      [{ status: 500, delayMs: '100' }, delayRule],
      [{ delayMs: 60_001 }, delayRule],
      [{ redirectTo: '' }, redirectRule],
      [{ redirectTo: 'http://127.0.0.1/a b' }, redirectRule],
      [{ redirectTo: 'http://127.0.0.1/\r\nX-Injected: 1' }, redirectRule],
      [{ redirectTo: 5 }, redirectRule],
      [
        { redirectTo: 'http://127.0.0.1/', status: 200 },
        "A redirect's status must be one of 301, 302, 303, 307, 308",
      ],
      [{}, 'A fault needs an integer status'],
      [{ headers: { 'Retry-After': '1' } }, 'A fault needs an integer status'],
      [{ status: '500', delayMs: 10 }, 'A fault needs an integer status'],
    ];

    for (const [fault, message] of cases) {
      assertBadRequest(await control('faults', fault), message);
    }
    await queueFault({ delayMs: 0 });
    await queueFault({ status: 500, delayMs: 60_000, path: '/never' });
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
  });
});

describe('redirects and the recorder', () => {
  let recorder;

  beforeEach(async () => {
    recorder = await startRecorder();
  });

  // Each test starts its own recorder, so that its records are its own.
  afterEach(async () => {
    await recorder.close();
  });

  test('a redirecting fault answers 307 with Location, and is logged', async () => {
    const target = `${recorder.url}/elsewhere?from=emulator`;
    await queueFault({ redirectTo: target, path: '/csapi/v1.3/sensorProfile' });
    await queueFault({ redirectTo: target, status: 302, headers: { Location: '/ignored' } });

    const moved = await fetch(`${emulator.url}/csapi/v1.3/sensorProfile`, {
      headers: { Authorization: `Bearer ${TOKENS.admin}` },
      redirect: 'manual',
    });
    assert.equal(moved.status, 307);
    assert.equal(moved.headers.get('location'), target);
    assert.equal(moved.headers.get('x-ratelimit-limit'), '1000');
    assert.equal(await moved.text(), '');
    const found = await rawRequest('GET', '/csapi/v1.3/registry/acr/connector', {
      headers: { Authorization: `Bearer ${TOKENS.admin}` },
    });
    assert.equal(found.status, 302);
    assert.equal(found.headers.get('location'), target);
    assert.deepEqual(emulator.requests().map(({ status }) => status), [307, 302]);
    assert.deepEqual(recorder.requests(), []);
  });

  test('the recorder records method, path and authorization, and answers 200 {}', async () => {
    assert.match(recorder.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const answers = [
      await fetch(`${recorder.url}/any/path?x=1`, { headers: { Authorization: 'Bearer t' } }),
      await fetch(`${recorder.url}/`, { method: 'POST', body: '{"a":1}' }),
      await fetch(`${recorder.url}/csapi/v1.3/sensorProfile/x`, { method: 'DELETE' }),
    ];

    for (const answer of answers) {
      assert.equal(answer.status, 200);
      assert.equal(answer.headers.get('content-type'), 'application/json');
      assert.equal(await answer.text(), '{}');
    }
    assert.deepEqual(recorder.requests(), [
      { method: 'GET', path: '/any/path?x=1', authorization: 'Bearer t' },
      { method: 'POST', path: '/', authorization: null },
      { method: 'DELETE', path: '/csapi/v1.3/sensorProfile/x', authorization: null },
    ]);
    assert.deepEqual(emulator.requests(), []);
  });

  test('the recorder shows whether a client carried its token across a redirect', async () => {
    const target = `${recorder.url}/landing`;
    await queueFault({ redirectTo: target, times: 2 });

    // fetch drops Authorization when a redirect leaves the origin, as its standard says.
    const followed = await api('GET', '/sensorProfile');
    assert.equal(followed.status, 200);
    assert.deepEqual(followed.json, {});
    // A careless client that follows by hand with its token is caught.
    const moved = await rawRequest('GET', '/csapi/v1.3/sensorProfile', {
      headers: { Authorization: `Bearer ${TOKENS.admin}` },
    });
    assert.equal(moved.status, 307);
    await fetch(moved.headers.get('location'), {
      headers: { Authorization: `Bearer ${TOKENS.admin}` },
    });
    assert.deepEqual(recorder.requests(), [
      { method: 'GET', path: '/landing', authorization: null },
      { method: 'GET', path: '/landing', authorization: 'Bearer admin-token' },
    ]);
  });

  test('close() stops the recorder', async () => {
    const other = await startRecorder();
    await fetch(`${other.url}/kept-alive`);
    await other.close();

    await assert.rejects(fetch(`${other.url}/after`), { name: 'TypeError' });
    assert.deepEqual(other.requests(), [
      { method: 'GET', path: '/kept-alive', authorization: null },
    ]);
  });
});

describe('command line login', () => {
  test('prints the login and its users after the tokens', async () => {
    const child = spawn(process.execPath, [SERVER_PATH, '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.setEncoding('utf8');
    while (!output.includes('\nlogin: ')) {
      const [chunk] = await once(child.stdout, 'data');
      output += chunk;
    }
    const url = /^qualys-cs emulator listening on (\S+)$/m.exec(output)[1];
    const lines = output.trimEnd().split('\n');
    assert.equal(
      lines.at(-1),
      `login: POST ${url}/auth as qualys_admin/admin-password, ` +
        'quays_xb42/viewer-password, qualys_none/none-password',
    );
    const response = await fetch(`${url}/auth`, {
      method: 'POST',
      body: new URLSearchParams({ ...USERS.admin, token: 'true' }),
    });
    assert.equal(response.status, 201);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    assert.equal(code, 0);
  });
});

describe('fault kinds', () => {
  const LIST = `/csapi/v1.3/registry/${SEED.registryId}/schedule`;
  const AUTH = { Authorization: `Bearer ${TOKENS.admin}` };

  // Sends one request and keeps the answer's bytes as received, and how the answer ended:
  // `complete` when the body ended normally, `cut` when the connection closed first.
  function rawBytes(method, path, { headers = AUTH, body, stopAfterBytes } = {}) {
    const { hostname, port } = new URL(emulator.url);
    return new Promise((resolve, reject) => {
      const outgoing = request({ hostname, port, path, method, headers, agent: false });
      outgoing.on('error', reject);
      outgoing.on('response', (response) => {
        const chunks = [];
        let size = 0;
        let settled = false;
        const finish = (ending) => {
          if (!settled) {
            settled = true;
            resolve({
              status: response.statusCode,
              headers: new Headers(response.headers),
              rawHeaders: response.headers,
              bytes: Buffer.concat(chunks),
              ending,
            });
          }
        };
        response.on('data', (chunk) => {
          chunks.push(chunk);
          size += chunk.length;
          if (stopAfterBytes !== undefined && size >= stopAfterBytes) {
            finish('stopped');
            outgoing.destroy();
          }
        });
        response.on('end', () => finish(response.complete ? 'complete' : 'cut'));
        response.on('aborted', () => finish('cut'));
        response.on('error', () => finish('cut'));
        response.on('close', () => finish(response.complete ? 'complete' : 'cut'));
      });
      outgoing.end(body);
    });
  }

  // The release notes' list sample as the kinds send it, byte for byte.
  const LISTING_TEXT = JSON.stringify(RELEASE_NOTES_LIST_SAMPLE);

  test('exports the kinds it knows', () => {
    assert.deepEqual(FAULT_KINDS, [
      'server-error', 'bad-gateway-html', 'unavailable', 'rate-limited', 'truncated-json',
      'html-ok', 'empty-ok', 'no-content', 'reset-mid-body', 'invalid-utf8', 'oversize',
    ]);
  });

  test('the error kinds answer the common error body, with Retry-After where it fits', async () => {
    await queueFault({ kind: 'server-error' });
    await queueFault({ kind: 'unavailable' });
    await queueFault({ kind: 'rate-limited', retryAfter: 5 });
    await queueFault({ kind: 'server-error', status: 504, message: 'upstream timed out' });
    await queueFault({ kind: 'unavailable', retryAfter: 'Wed, 21 Oct 2026 07:28:00 GMT' });

    const internal = await api('GET', '/sensorProfile');
    assertError(internal, 500, '500 INTERNAL_SERVER_ERROR',
      'An unexpected error occurred while processing the request');
    assert.equal(internal.headers.get('retry-after'), null);
    assert.equal(internal.headers.get('x-ratelimit-limit'), '1000');
    const unavailable = await api('GET', '/sensorProfile');
    assertError(unavailable, 503, '503 SERVICE_UNAVAILABLE',
      'The service is temporarily unavailable; retry later');
    assert.equal(unavailable.headers.get('retry-after'), '1');
    const limited = await api('GET', '/sensorProfile');
    assertError(limited, 429, '429 TOO_MANY_REQUESTS',
      'The rate limit of the subscription is exceeded; retry later');
    assert.equal(limited.headers.get('retry-after'), '5');
    const timedOut = await api('GET', '/sensorProfile');
    assertError(timedOut, 504, '504 GATEWAY_TIMEOUT', 'upstream timed out');
    const dated = await api('GET', '/sensorProfile');
    assert.equal(dated.headers.get('retry-after'), 'Wed, 21 Oct 2026 07:28:00 GMT');
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
    assert.deepEqual(
      emulator.requests().map(({ status }) => status),
      [500, 503, 429, 504, 503, 200],
    );
  });

  test('the HTML kinds answer a page as text/html', async () => {
    await queueFault({ kind: 'bad-gateway-html' });
    await queueFault({ kind: 'html-ok' });
    await queueFault({ kind: 'html-ok', body: '<p>maintenance</p>' });

    const gateway = await rawRequest('GET', LIST, { headers: AUTH });
    assert.equal(gateway.status, 502);
    assert.equal(gateway.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(gateway.text, /<title>502 Bad Gateway<\/title>/);
    const page = await rawRequest('GET', LIST, { headers: AUTH });
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(page.text, /^<!DOCTYPE html>/);
    assert.equal(Number(page.headers.get('content-length')), Buffer.byteLength(page.text));
    assert.equal((await rawRequest('GET', LIST, { headers: AUTH })).text, '<p>maintenance</p>');
  });

  test('truncated-json sends part of the document, with that part\'s Content-Length', async () => {
    await queueFault({ kind: 'truncated-json' });
    await queueFault({ kind: 'truncated-json', cutAt: 10 });
    await queueFault({ kind: 'truncated-json', body: { data: [], count: 0 } });

    const half = await rawBytes('GET', LIST);
    assert.equal(half.status, 200);
    assert.equal(half.headers.get('content-type'), 'application/json');
    assert.equal(half.ending, 'complete');
    assert.equal(Number(half.headers.get('content-length')), half.bytes.length);
    assert.equal(half.bytes.length, Math.floor(Buffer.byteLength(LISTING_TEXT) / 2));
    assert.ok(LISTING_TEXT.startsWith(half.bytes.toString('utf8')));
    assert.throws(() => JSON.parse(half.bytes.toString('utf8')), SyntaxError);
    assert.equal((await rawBytes('GET', LIST)).bytes.toString('utf8'), LISTING_TEXT.slice(0, 10));
    assert.equal((await rawBytes('GET', LIST)).bytes.toString('utf8'), '{"data":[]');
  });

  test('empty-ok answers JSON with no body, and no-content a bare 204', async () => {
    await queueFault({ kind: 'empty-ok' });
    await queueFault({ kind: 'no-content' });

    const empty = await rawBytes('GET', LIST);
    assert.deepEqual([empty.status, empty.headers.get('content-type')], [200, 'application/json']);
    assert.equal(empty.headers.get('content-length'), '0');
    assert.equal(empty.bytes.length, 0);
    const none = await rawBytes('GET', LIST);
    assert.deepEqual([none.status, none.headers.get('content-type')], [204, null]);
    assert.equal(none.bytes.length, 0);
  });

  test('reset-mid-body promises the whole document, sends half and cuts off', async () => {
    await queueFault({ kind: 'reset-mid-body' });
    await queueFault({ kind: 'reset-mid-body', cutAt: 0 });

    const cut = await rawBytes('GET', LIST);
    assert.equal(cut.status, 200);
    assert.equal(cut.headers.get('content-type'), 'application/json');
    assert.equal(Number(cut.headers.get('content-length')), Buffer.byteLength(LISTING_TEXT));
    assert.equal(cut.ending, 'cut');
    assert.equal(cut.bytes.length, Math.floor(Buffer.byteLength(LISTING_TEXT) / 2));
    assert.ok(LISTING_TEXT.startsWith(cut.bytes.toString('utf8')));
    const bare = await rawBytes('GET', LIST);
    assert.deepEqual([bare.status, bare.ending, bare.bytes.length], [200, 'cut', 0]);
    // Both cut answers are logged, and the emulator answers the next request normally.
    assert.equal((await listSchedules(SEED.registryId)).status, 200);
    assert.deepEqual(emulator.requests().map(({ status }) => status), [200, 200, 200]);
  });

  test('invalid-utf8 answers well-formed JSON whose schedule name is not UTF-8', async () => {
    await queueFault({ kind: 'invalid-utf8' });

    const answer = await rawBytes('GET', LIST);
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-type'), 'application/json');
    assert.equal(Number(answer.headers.get('content-length')), answer.bytes.length);
    assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(answer.bytes), TypeError);
    assert.ok(answer.bytes.includes(Buffer.from([0xff])));
    // Read byte for byte (latin1), the document is the list sample with another name.
    const document = JSON.parse(answer.bytes.toString('latin1'));
    const invalid = Buffer.from([0x80, 0xc0, 0xaf, 0xff, 0xc3, 0x28]).toString('latin1');
    assert.equal(document.data[0].name, `bad${invalid}name`);
    assert.deepEqual({ ...document, data: [{ ...document.data[0], name: null }] },
      RELEASE_NOTES_LIST_SAMPLE);
  });

  test('oversize streams exactly sizeBytes of valid JSON, chunked or not', async () => {
    const sizes = [[21, false], [1_000, true], [100_001, false], [262_144, true]];
    for (const [sizeBytes, contentLength] of sizes) {
      await queueFault({ kind: 'oversize', sizeBytes, contentLength });
      const answer = await rawBytes('GET', LIST);
      assert.equal(answer.status, 200);
      assert.equal(answer.ending, 'complete');
      assert.equal(answer.bytes.length, sizeBytes);
      if (contentLength) {
        assert.equal(answer.headers.get('content-length'), String(sizeBytes));
        assert.equal(answer.rawHeaders['transfer-encoding'], undefined);
      } else {
        assert.equal(answer.headers.get('content-length'), null);
        assert.equal(answer.rawHeaders['transfer-encoding'], 'chunked');
      }
      const document = JSON.parse(answer.bytes.toString('utf8'));
      assert.deepEqual(Object.keys(document), ['data', 'count']);
      assert.equal(document.count, document.data.length);
      for (const schedule of document.data) {
        assert.deepEqual(schedule, RELEASE_NOTES_LIST_SAMPLE.data[0]);
      }
    }
  });

  test('oversize is 40 MiB by default', { timeout: 20_000 }, async () => {
    await queueFault({ kind: 'oversize' });
    const response = await fetch(`${emulator.url}${LIST}`, { headers: AUTH });
    let size = 0;
    let last;
    for await (const chunk of response.body) {
      size += chunk.length;
      last = chunk;
    }
    assert.equal(size, 40 * 1024 * 1024);
    assert.match(Buffer.from(last).toString('utf8'), /\],"count":\d+\}$/);
  });

  test('oversize stops when the client hangs up, and close() ends a stream at once', async () => {
    await queueFault({ kind: 'oversize', sizeBytes: 256 * 1024 * 1024 });
    const stopped = await rawBytes('GET', LIST, { stopAfterBytes: 100_000 });
    assert.equal(stopped.ending, 'stopped');
    assert.equal((await api('GET', '/sensorProfile')).status, 200);

    const other = await startEmulator({ port: 0 });
    await fetch(`${other.url}/__emulator/faults`, {
      method: 'POST',
      body: JSON.stringify({ kind: 'oversize', sizeBytes: 256 * 1024 * 1024 }),
    });
    const response = await fetch(`${other.url}${LIST}`, { headers: AUTH });
    const reader = response.body.getReader();
    await reader.read();
    const started = Date.now();
    await other.close();
    await assert.rejects(async () => {
      for (;;) {
        const { done } = await reader.read();
        if (done) {
          return;
        }
      }
    });
    assert.ok(Date.now() - started < 1_000, `closed in ${Date.now() - started} ms`);
  });

  test('kind faults are matched, counted, delayed and logged, changing nothing', async () => {
    await queueFault({ kind: 'server-error', method: 'POST', times: 2 });
    await queueFault({ kind: 'truncated-json', method: 'GET', path: LIST, delayMs: 100 });

    assert.equal((await createSchedule({ schedule: '10:00' })).status, 500);
    assert.equal((await createSchedule({ schedule: '10:00' })).status, 500);
    assert.deepEqual(emulator.state().schedules[SEED.emptyRegistryId], []);
    assert.equal((await createSchedule({ schedule: '10:00' })).status, 200);
    assert.equal((await listSchedules(SEED.emptyRegistryId)).status, 200);
    const started = Date.now();
    const truncated = await rawBytes('GET', LIST);
    assert.ok(Date.now() - started >= 95);
    assert.equal(truncated.bytes.length, Math.floor(Buffer.byteLength(LISTING_TEXT) / 2));
    assert.deepEqual(
      emulator.requests().map(({ method, path, status }) => [method, path, status]),
      [
        ['POST', `/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`, 500],
        ['POST', `/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`, 500],
        ['POST', `/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`, 200],
        ['GET', `/csapi/v1.3/registry/${SEED.emptyRegistryId}/schedule`, 200],
        ['GET', LIST, 200],
      ],
    );
  });

  test('a kind fault whose path is /auth answers a login; a reset drops kind faults', async () => {
    await queueFault({ kind: 'unavailable', path: '/auth' });
    const refused = await login(USERS.admin);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal((await login(USERS.admin)).status, 201);

    await queueFault({ kind: 'no-content', times: 5 });
    emulator.reset();
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
  });

  test('refuses malformed kind faults and then queues nothing', async () => {
    const cases = [
      [{ kind: 'nope' }, /^Unknown fault kind "nope"; use one of server-error, /],
      [{ kind: 5 }, /^Unknown fault kind 5; /],
      [{ kind: 'server-error', retryAfter: 1 },
        'retryAfter applies to the kinds unavailable, rate-limited, not to server-error'],
      [{ kind: 'truncated-json', sizeBytes: 100 },
        'sizeBytes applies to the kinds oversize, not to truncated-json'],
      [{ kind: 'oversize', body: {} }, /^The kind oversize makes its own body; body applies to /],
      [{ kind: 'server-error', message: 5 }, 'message must be a string'],
      [{ kind: 'unavailable', retryAfter: -1 }, /^retryAfter must be a whole number of seconds/],
      [{ kind: 'unavailable', retryAfter: 'soon\n' }, /^retryAfter must be a whole number/],
      [{ kind: 'truncated-json', cutAt: 1.5 }, 'cutAt must be a whole number of bytes, 0 or more'],
      [{ kind: 'oversize', sizeBytes: 20 }, /^sizeBytes must be a whole number from 21 to 26843/],
      [{ kind: 'oversize', sizeBytes: 256 * 1024 * 1024 + 1 }, /^sizeBytes must be a whole number/],
      [{ kind: 'oversize', contentLength: 'yes' }, 'contentLength must be true or false'],
      [
        { kind: 'html-ok', redirectTo: 'http://127.0.0.1/' },
        'A fault has a kind or redirectTo, not both',
      ],
      [{ kind: 'server-error', status: '500' }, 'A fault needs an integer status'],
      [{ kind: 'server-error', delayMs: -1 },
        'delayMs must be a whole number of milliseconds from 0 to 60000'],
    ];
    for (const [fault, message] of cases) {
      const response = await control('faults', fault);
      assert.equal(response.status, 400, JSON.stringify(fault));
      if (message instanceof RegExp) {
        assert.match(response.json.message, message, JSON.stringify(fault));
      } else {
        assert.equal(response.json.message, message, JSON.stringify(fault));
      }
    }
    assert.equal((await api('GET', '/sensorProfile')).status, 200);
    assert.deepEqual(emulator.requests().map(({ status }) => status), [200]);
  });

  test('a fault without a kind ignores the kinds\' fields, as it did any unknown field', async () => {
    await queueFault({ status: 418, sizeBytes: 5, retryAfter: 'x', message: 1, cutAt: -1 });

    const answer = await rawBytes('GET', LIST);
    assert.equal(answer.status, 418);
    assert.equal(answer.headers.get('retry-after'), null);
    assert.equal(answer.bytes.length, 0);
  });
});
