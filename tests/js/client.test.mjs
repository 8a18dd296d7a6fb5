// Tests of the built package (imported by name, as its users do) against the emulator:
// every method's success path and each error code, with exact values, what really went
// over the wire (the emulator's request log), input validation that sends nothing, the
// errors' shape, and the transport's failures through a scripted `fetch`.
//
// Behaviour of the package that is wrong today is pinned with a `FIXME:` comment that
// says what it should be.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import { createRequire } from 'node:module';

import {
  ContainerSecurityClient,
  ContainerSecurityError,
  ERROR_CODES,
  PLATFORMS,
  gatewayUrl,
  login,
  ready,
  requiredPermission,
  validateRegistrySchedule,
} from 'qualys-cs';

import { SEED, TOKENS, USERS, startEmulator } from '../emulator/server.mjs';
import {
  DOCUMENTED_ERROR_CODES,
  SERVER_ONLY_SCHEDULE_FIELDS,
  UUID,
  assertRealErrorWithoutToken,
  commonErrorBody,
  defaultProfileAsExposed,
  emulatorSupport,
  issueFields,
  jsonResponse,
  neverSettles,
  neverUntilAborted,
  rejectsWith,
  run,
  releaseNotesCreateBody,
  scriptedFetch,
  seedScheduleAsExposed,
  startSilentServer,
  stateAfter,
  timed,
  withinDeadline,
} from './helpers.mjs';

// Every test is bounded; none needs more than a fraction of this.
const BOUNDED = { timeout: 10_000 };

const PREFIX = '/csapi/v1.3';
const VERSION = createRequire(import.meta.url)('qualys-cs/package.json').version;
const SCHEDULES_PATH = `${PREFIX}/registry/${SEED.registryId}/schedule`;

let emulator;

before(async () => {
  emulator = await startEmulator({ port: 0 });
});

beforeEach(() => {
  emulator.reset();
});

after(async () => {
  await emulator?.close();
});

function client(token = TOKENS.admin, extra = {}) {
  return new ContainerSecurityClient({ baseUrl: emulator.url, token, ...extra });
}

/** The API requests the emulator received (its support routes are not logged). */
function requests() {
  return emulator.requests();
}

function onlyRequest() {
  const log = requests();
  assert.equal(log.length, 1, `exactly one request was sent: ${JSON.stringify(log)}`);
  return log[0];
}

function rejects(promise, expected) {
  return rejectsWith(withinDeadline(promise, 5_000), ContainerSecurityError, expected);
}

describe('the module', () => {
  test('exports the documented names; ready resolves to undefined', BOUNDED, async () => {
    assert.equal(typeof ContainerSecurityClient, 'function');
    assert.equal(typeof ContainerSecurityError, 'function');
    assert.equal(typeof validateRegistrySchedule, 'function');
    assert.ok(ready instanceof Promise);
    assert.equal(await withinDeadline(ready, 1_000, 'ready'), undefined);
    assert.deepEqual([...ERROR_CODES], DOCUMENTED_ERROR_CODES);
    assert.ok(Object.isFrozen(ERROR_CODES));
  });
});

describe('listRegistrySchedules', () => {
  test('lists the seeded schedule with every field as the package exposes it', BOUNDED, async () => {
    const page = await client().listRegistrySchedules(SEED.registryId);
    assert.deepEqual(page, { data: [seedScheduleAsExposed()], count: 1 });

    const [schedule] = page.data;
    assert.equal(schedule.created, 1674040668619);
    assert.equal(typeof schedule.updated, 'number');
    assert.equal(schedule.jobListingCompletionDate, null);
    assert.equal(schedule.weekDay, 'WEDNESDAY');
    assert.equal(schedule.filters[0].days, 0);
    assert.equal(page.count, 1);
  });

  test('sends GET with the default page, the bearer token and Accept JSON', BOUNDED, async () => {
    await client().listRegistrySchedules(SEED.registryId);
    const request = onlyRequest();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, SCHEDULES_PATH);
    assert.deepEqual(request.query, { pageNumber: '1', pageSize: '50' });
    assert.equal(request.headers.authorization, 'Bearer admin-token');
    assert.equal(request.headers.accept, 'application/json');
    assert.equal(request.body, null);
    assert.equal(request.status, 200);
  });

  test('passes the page arguments through', BOUNDED, async () => {
    const second = await client().listRegistrySchedules(SEED.registryId, {
      pageNumber: 2,
      pageSize: 10,
    });
    assert.deepEqual(second, { data: [], count: 1 });
    const sizeOnly = await client().listRegistrySchedules(SEED.registryId, { pageSize: 1 });
    assert.equal(sizeOnly.data.length, 1);
    const nullPage = await client().listRegistrySchedules(SEED.registryId, null);
    assert.equal(nullPage.count, 1);
    assert.deepEqual(
      requests().map((request) => request.query),
      [
        { pageNumber: '2', pageSize: '10' },
        { pageNumber: '1', pageSize: '1' },
        { pageNumber: '1', pageSize: '50' },
      ],
    );
  });

  test('a baseUrl with or without a trailing slash hits the same path', BOUNDED, async () => {
    const bare = new ContainerSecurityClient({ baseUrl: emulator.url, token: TOKENS.admin });
    const slash = new ContainerSecurityClient({ baseUrl: `${emulator.url}/`, token: TOKENS.admin });
    const first = await bare.listRegistrySchedules(SEED.registryId);
    const second = await slash.listRegistrySchedules(SEED.registryId);
    assert.deepEqual(second, first);
    const [a, b] = requests();
    assert.equal(a.path, SCHEDULES_PATH);
    assert.equal(b.path, SCHEDULES_PATH);
    assert.deepEqual(b.query, a.query);
  });

  test('an unknown registry is NOT_FOUND with status 404', BOUNDED, async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await rejects(client().listRegistrySchedules(unknown), {
      code: 'NOT_FOUND',
      status: 404,
      serverErrorCode: '404 NOT_FOUND',
      serverMessage: `No registry has the id ${unknown}`,
    });
  });

  test('decodes numeric and ISO-8601 timestamps and the other interval spelling', BOUNDED, async () => {
    const fake = scriptedFetch();
    fake.next(() =>
      jsonResponse(200, {
        data: [
          {
            scheduleUuid: SEED.scheduleId,
            created: 1674040668619,
            updated: '2023-01-18T11:17:48.619Z',
            jobStartDate: '1674040958610',
            jobCompletionDate: null,
            scheduleScanIntervalInDays: 3,
            unknownFutureField: 'ignored',
          },
        ],
        count: 1,
      }),
    );
    const page = await client(TOKENS.admin, { fetch: fake.fetch }).listRegistrySchedules(
      SEED.registryId,
    );
    const [schedule] = page.data;
    assert.equal(schedule.created, 1674040668619);
    assert.equal(schedule.updated, 1674040668619);
    assert.equal(schedule.jobStartDate, 1674040958610);
    assert.equal(schedule.jobCompletionDate, null);
    assert.equal(schedule.scheduleIntervalInDays, 3);
    assert.equal(schedule.weekDay, null);
    assert.deepEqual(schedule.filters, []);
  });
});

describe('createRegistrySchedule', () => {
  test('creates the weekly THURSDAY sample, which is then listed', BOUNDED, async () => {
    const input = releaseNotesCreateBody();
    const created = await client().createRegistrySchedule(SEED.emptyRegistryId, input);
    assert.deepEqual(Object.keys(created), ['scheduleUuid']);
    assert.match(created.scheduleUuid, UUID);

    const page = await client().listRegistrySchedules(SEED.emptyRegistryId);
    assert.equal(page.count, 1);
    const [listed] = page.data;
    assert.equal(listed.scheduleUuid, created.scheduleUuid);
    assert.equal(listed.weekDay, 'THURSDAY');
    assert.equal(listed.scheduleIntervalInDays, 7);
    assert.equal(listed.schedule, '09:30');
    assert.equal(listed.name, 'Automatic Scan Schedule');
    assert.equal(listed.onDemand, false);
    assert.equal(listed.forceScan, true);
    assert.deepEqual(listed.filters, [{ repoTags: [{ repo: 'azuretest', tag: null }], days: null }]);
    assert.deepEqual(listed.additionalFilters, { numberOfTags: 5, sortCriteria: 'createdDate' });
    assert.equal(typeof listed.created, 'number');
    assert.equal(listed.jobStartDate, null);
    // The input is not changed by the call.
    assert.deepEqual(input, releaseNotesCreateBody());
  });

  test('sends exactly the input as valid JSON', BOUNDED, async () => {
    await client().createRegistrySchedule(SEED.emptyRegistryId, releaseNotesCreateBody());
    const request = onlyRequest();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `${PREFIX}/registry/${SEED.emptyRegistryId}/schedule`);
    assert.deepEqual(request.query, {});
    assert.equal(request.headers['content-type'], 'application/json');
    assert.equal(request.headers.authorization, 'Bearer admin-token');
    // The log keeps a body that parses as JSON as an object, and one that does not as text.
    assert.equal(typeof request.body, 'object', `the body is valid JSON: ${request.body}`);
    assert.deepEqual(request.body, releaseNotesCreateBody());
    assert.equal(request.body.weekDay, 'THURSDAY');
  });

  test('reads the new id under either name the server may use', BOUNDED, async () => {
    const fake = scriptedFetch();
    const fakeClient = client(TOKENS.admin, { fetch: fake.fetch });
    fake.next(() => jsonResponse(200, { scheduleUuid: SEED.scheduleId }));
    assert.deepEqual(
      await fakeClient.createRegistrySchedule(SEED.registryId, releaseNotesCreateBody()),
      { scheduleUuid: SEED.scheduleId },
    );
    fake.next(() => jsonResponse(200, { profileUuid: SEED.scheduleId }));
    assert.deepEqual(
      await fakeClient.createRegistrySchedule(SEED.registryId, releaseNotesCreateBody()),
      { scheduleUuid: SEED.scheduleId },
    );
    fake.next(() => jsonResponse(200, {}));
    await rejects(fakeClient.createRegistrySchedule(SEED.registryId, releaseNotesCreateBody()), {
      code: 'DECODE',
      status: 200,
    });
  });

  test('an unknown registry is NOT_FOUND', BOUNDED, async () => {
    await rejects(
      client().createRegistrySchedule(SEED.acrConnectorId, releaseNotesCreateBody()),
      { code: 'NOT_FOUND', status: 404 },
    );
  });
});

describe('updateRegistrySchedule', () => {
  test('resolves undefined and changes the stored schedule', BOUNDED, async () => {
    const input = {
      schedule: '10:45',
      scheduleIntervalInDays: 3,
      forceScan: false,
      filters: [{ days: 14, repoTags: [{ repo: 'qualysdockerhub/other', tag: 'latest' }] }],
    };
    const result = await client().updateRegistrySchedule(SEED.registryId, SEED.scheduleId, input);
    assert.equal(result, undefined);

    const request = onlyRequest();
    assert.equal(request.method, 'PUT');
    assert.equal(request.path, `${SCHEDULES_PATH}/${SEED.scheduleId}`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, { ...input, onDemand: false });

    const [stored] = emulator.state().schedules[SEED.registryId];
    assert.equal(stored.scheduleUuid, SEED.scheduleId);
    assert.equal(stored.schedule, '10:45');
    assert.equal(stored.scheduleIntervalInDays, 3);
    assert.equal(stored.weekDay, null);
    assert.equal(stored.forceScan, false);
    assert.deepEqual(stored.filters, input.filters);
    assert.notEqual(stored.updated, '1674040958610');
  });

  test('a schedule read from the list can be sent back unchanged', BOUNDED, async () => {
    const { data } = await client().listRegistrySchedules(SEED.registryId);
    const listed = data[0];
    assert.deepEqual(validateRegistrySchedule(listed), []);
    const result = await client().updateRegistrySchedule(SEED.registryId, SEED.scheduleId, listed);
    assert.equal(result, undefined);

    const put = requests()[1];
    assert.equal(put.method, 'PUT');
    assert.equal(put.status, 200);
    for (const field of SERVER_ONLY_SCHEDULE_FIELDS) {
      assert.ok(!(field in put.body), `${field} is only the server's and is not sent`);
    }
    assert.deepEqual(put.body, {
      filters: [{ repoTags: [{ repo: 'qualysdockerhub/tamilnadu_shubham', tag: null }], days: 0 }],
      onDemand: false,
      schedule: '11:19',
      forceScan: true,
      scheduleIntervalInDays: 7,
      additionalFilters: { numberOfTags: 5, sortCriteria: 'createdDate' },
      weekDay: 'WEDNESDAY',
    });

    const after = await client().listRegistrySchedules(SEED.registryId);
    const { updated: ignored, ...unchanged } = after.data[0];
    const { updated: before, ...expected } = seedScheduleAsExposed();
    assert.deepEqual(unchanged, expected);
    assert.ok(ignored >= before);
  });

  test('a running schedule is refused by the server with HTTP 400', BOUNDED, async () => {
    await emulatorSupport(emulator, 'PATCH', `/__emulator/state/schedules/${SEED.scheduleId}`, {
      status: 'Running',
    });
    await rejects(
      client().updateRegistrySchedule(SEED.registryId, SEED.scheduleId, releaseNotesCreateBody()),
      {
        code: 'HTTP',
        status: 400,
        serverErrorCode: '400 BAD_REQUEST',
        serverMessage: `Schedule ${SEED.scheduleId} is running: only idle schedules can be updated`,
      },
    );
  });

  test('an unknown schedule is NOT_FOUND', BOUNDED, async () => {
    await rejects(
      client().updateRegistrySchedule(SEED.registryId, SEED.acrConnectorId, releaseNotesCreateBody()),
      { code: 'NOT_FOUND', status: 404 },
    );
  });
});

describe('connector deletion', () => {
  const ASSOCIATED = 'The connector is associated with a registry and cannot be deleted';

  test('deleteAcrConnector: free one, again, associated one', BOUNDED, async () => {
    const admin = client();
    assert.equal(await admin.deleteAcrConnector(SEED.acrConnectorId), undefined);
    assert.deepEqual(
      emulator.state().connectors.acr.map((connector) => connector.connectorId),
      [SEED.associatedAcrConnectorId],
    );
    await rejects(admin.deleteAcrConnector(SEED.acrConnectorId), {
      code: 'NOT_FOUND',
      status: 404,
      serverErrorCode: '404 NOT_FOUND',
    });
    await rejects(admin.deleteAcrConnector(SEED.associatedAcrConnectorId), {
      code: 'PRECONDITION_FAILED',
      status: 412,
      serverErrorCode: '412 PRECONDITION_FAILED',
      serverMessage: ASSOCIATED,
    });
    assert.equal(emulator.state().connectors.acr.length, 1);

    const log = requests();
    assert.deepEqual(
      log.map((request) => [request.method, request.path, request.body, request.status]),
      [
        ['DELETE', `${PREFIX}/registry/acr/connector`, { connectorId: SEED.acrConnectorId }, 200],
        ['DELETE', `${PREFIX}/registry/acr/connector`, { connectorId: SEED.acrConnectorId }, 404],
        [
          'DELETE',
          `${PREFIX}/registry/acr/connector`,
          { connectorId: SEED.associatedAcrConnectorId },
          412,
        ],
      ],
    );
    for (const request of log) {
      assert.equal(request.headers['content-type'], 'application/json');
      assert.equal(request.headers.authorization, 'Bearer admin-token');
    }
  });

  test('deleteAwsConnector: free one, again, associated one', BOUNDED, async () => {
    const admin = client();
    assert.equal(await admin.deleteAwsConnector(SEED.awsConnectorArn), undefined);
    assert.deepEqual(
      emulator.state().connectors.aws.map((connector) => connector.arn),
      [SEED.associatedAwsConnectorArn],
    );
    await rejects(admin.deleteAwsConnector(SEED.awsConnectorArn), {
      code: 'NOT_FOUND',
      status: 404,
    });
    await rejects(admin.deleteAwsConnector(SEED.associatedAwsConnectorArn), {
      code: 'PRECONDITION_FAILED',
      status: 412,
      serverMessage: ASSOCIATED,
    });

    const log = requests();
    assert.deepEqual(
      log.map((request) => [request.method, request.path, request.body, request.status]),
      [
        ['DELETE', `${PREFIX}/registry/aws/connector`, { arn: SEED.awsConnectorArn }, 200],
        ['DELETE', `${PREFIX}/registry/aws/connector`, { arn: SEED.awsConnectorArn }, 404],
        ['DELETE', `${PREFIX}/registry/aws/connector`, { arn: SEED.associatedAwsConnectorArn }, 412],
      ],
    );
    for (const request of log) {
      assert.equal(request.headers['content-type'], 'application/json');
    }
  });
});

describe('sensor profiles', () => {
  test('listSensorProfiles lists both seeded profiles, unknown fields kept', BOUNDED, async () => {
    const page = await client().listSensorProfiles();
    assert.equal(page.count, 2);
    assert.deepEqual(page.data[0], defaultProfileAsExposed());
    assert.deepEqual(
      page.data.map((profile) => profile.profileUuid),
      [SEED.defaultProfileId, SEED.registryProfileId],
    );
    assert.equal(page.data[1].created, 1674040000000);
    assert.deepEqual(page.data[1].associatedRegistries, [SEED.registryId, SEED.emptyRegistryId]);

    const request = onlyRequest();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, `${PREFIX}/sensorProfile`);
    assert.deepEqual(request.query, { pageNumber: '1', pageSize: '50' });
    assert.equal(request.headers.accept, 'application/json');
  });

  test('listSensorProfiles passes the page arguments through', BOUNDED, async () => {
    const page = await client().listSensorProfiles({ pageNumber: 2, pageSize: 1 });
    assert.equal(page.count, 2);
    assert.deepEqual(page.data.map((profile) => profile.profileUuid), [SEED.registryProfileId]);
    assert.deepEqual(onlyRequest().query, { pageNumber: '2', pageSize: '1' });
  });

  test('getSensorProfile reads one profile exactly', BOUNDED, async () => {
    const profile = await client().getSensorProfile(SEED.defaultProfileId);
    assert.deepEqual(profile, defaultProfileAsExposed());
    const request = onlyRequest();
    assert.equal(request.method, 'GET');
    assert.equal(request.path, `${PREFIX}/sensorProfile/${SEED.defaultProfileId}`);
    assert.equal(request.body, null);
  });

  test('getSensorProfile of an unknown id is NOT_FOUND', BOUNDED, async () => {
    await rejects(client().getSensorProfile(SEED.acrConnectorId), {
      code: 'NOT_FOUND',
      status: 404,
      serverMessage: `No sensor profile has the id ${SEED.acrConnectorId}`,
    });
  });

  test('createSensorProfile sends the input whole and answers the new id', BOUNDED, async () => {
    const input = {
      profileName: 'CI sensors',
      description: 'Sensors of the build pipelines',
      profileType: 'CICD',
      config: { performance: { cpuLimitPercent: 5 } },
      customerTag: 'from-the-test',
      associatedSensors: [],
    };
    const created = await client().createSensorProfile(input);
    assert.deepEqual(Object.keys(created), ['profileUuid']);
    assert.match(created.profileUuid, UUID);

    const request = onlyRequest();
    assert.equal(request.method, 'POST');
    assert.equal(request.path, `${PREFIX}/sensorProfile`);
    assert.equal(request.headers['content-type'], 'application/json');
    assert.deepEqual(request.body, input);

    const stored = emulator.state().profiles.find((p) => p.profileUuid === created.profileUuid);
    assert.equal(stored.customerTag, 'from-the-test');
    const read = await client().getSensorProfile(created.profileUuid);
    assert.equal(read.profileName, 'CI sensors');
    assert.equal(read.customerTag, 'from-the-test');
    assert.equal(typeof read.created, 'number');
  });

  test('a profile read, changed and sent back keeps its unknown fields', BOUNDED, async () => {
    const admin = client();
    const profile = await admin.getSensorProfile(SEED.defaultProfileId);
    profile.description = 'Changed by the test';
    profile.config.performance.cpuLimitPercent = 30;
    assert.equal(await admin.updateSensorProfile(SEED.defaultProfileId, profile), undefined);

    const put = requests()[1];
    assert.equal(put.method, 'PUT');
    assert.equal(put.path, `${PREFIX}/sensorProfile/${SEED.defaultProfileId}`);
    assert.equal(put.body.customerTag, 'emulator-only');
    assert.equal(put.body.isDefault, true);

    const stored = emulator.state().profiles.find((p) => p.profileUuid === SEED.defaultProfileId);
    const expected = defaultProfileAsExposed();
    assert.equal(stored.description, 'Changed by the test');
    assert.equal(stored.profileName, expected.profileName);
    assert.equal(stored.profileType, 'General');
    assert.equal(stored.customerTag, 'emulator-only');
    assert.equal(stored.isDefault, true);
    assert.deepEqual(stored.associatedRegistries, []);
    assert.deepEqual(stored.associatedSensors, expected.associatedSensors);
    assert.deepEqual(stored.config, {
      ...expected.config,
      performance: { cpuLimitPercent: 30 },
    });
    assert.equal(stored.created, '1672531200000');
  });

  test('deleteSensorProfile deletes; then get is NOT_FOUND', BOUNDED, async () => {
    const admin = client();
    assert.equal(await admin.deleteSensorProfile(SEED.registryProfileId), undefined);
    const request = onlyRequest();
    assert.equal(request.method, 'DELETE');
    assert.equal(request.path, `${PREFIX}/sensorProfile/${SEED.registryProfileId}`);
    assert.deepEqual(
      emulator.state().profiles.map((profile) => profile.profileUuid),
      [SEED.defaultProfileId],
    );
    await rejects(admin.getSensorProfile(SEED.registryProfileId), { code: 'NOT_FOUND', status: 404 });
    await rejects(admin.deleteSensorProfile(SEED.registryProfileId), {
      code: 'NOT_FOUND',
      status: 404,
    });
  });

  test('the viewer may list and read, but not delete, update or create', BOUNDED, async () => {
    const viewer = client(TOKENS.viewer);
    const page = await viewer.listSensorProfiles();
    assert.equal(page.count, 2);
    assert.equal((await viewer.getSensorProfile(SEED.defaultProfileId)).profileName,
      'Default General Profile');

    const refused = (action) =>
      `The quays_xb42 user does not have the CS.SENSOR_PROFILE.${action} permission to ` +
      'perform this operation. Ensure that required permissions are assigned to the user';
    await rejects(viewer.deleteSensorProfile(SEED.defaultProfileId), {
      code: 'FORBIDDEN',
      status: 403,
      permission: 'CS.SENSOR_PROFILE.DELETE',
      serverErrorCode: '403 FORBIDDEN',
      serverMessage: refused('DELETE'),
    });
    await rejects(viewer.updateSensorProfile(SEED.defaultProfileId, { profileName: 'Renamed' }), {
      code: 'FORBIDDEN',
      status: 403,
      permission: 'CS.SENSOR_PROFILE.UPDATE',
      serverMessage: refused('UPDATE'),
    });
    await rejects(viewer.createSensorProfile({ profileName: 'New' }), {
      code: 'FORBIDDEN',
      status: 403,
      permission: 'CS.SENSOR_PROFILE.CREATE',
      serverMessage: refused('CREATE'),
    });
    const profiles = emulator.state().profiles;
    assert.equal(profiles.length, 2, 'nothing was created or deleted');
    assert.equal(profiles[0].profileName, 'Default General Profile', 'nothing was renamed');
  });

  test('a user without permissions cannot even list', BOUNDED, async () => {
    const none = client(TOKENS.none);
    const viewRefused =
      'The user does not have the CS.SENSOR_PROFILE.VIEW permission to perform this ' +
      'operation. Ensure that required permissions are assigned to the user';
    await rejects(none.listSensorProfiles(), {
      code: 'FORBIDDEN',
      status: 403,
      permission: 'CS.SENSOR_PROFILE.VIEW',
      serverErrorCode: '403 FORBIDDEN',
      serverMessage: viewRefused,
    });
    await rejects(none.getSensorProfile(SEED.defaultProfileId), {
      code: 'FORBIDDEN',
      permission: 'CS.SENSOR_PROFILE.VIEW',
    });
  });
});

describe('authentication', () => {
  test('an unknown token is UNAUTHORIZED with status 401', BOUNDED, async () => {
    await rejects(client('expired-or-unknown-token').listRegistrySchedules(SEED.registryId), {
      code: 'UNAUTHORIZED',
      status: 401,
      serverErrorCode: '401 UNAUTHORIZED',
      serverMessage: 'The bearer token is not valid or has expired',
    });
    assert.equal(onlyRequest().headers.authorization, 'Bearer expired-or-unknown-token');
  });
});

describe('validation sends nothing', () => {
  const good = releaseNotesCreateBody;
  const withFilter = (filter) => ({ ...good(), filters: [filter] });
  const REG = SEED.registryId;
  const SCH = SEED.scheduleId;
  const PROFILE = SEED.defaultProfileId;

  // [what, call, the fields the issues name]
  const cases = [
    ['list: registryId not a UUID', (c) => c.listRegistrySchedules('not-a-uuid'), ['registryId']],
    ['list: registryId a number', (c) => c.listRegistrySchedules(42), ['registryId']],
    ['list: registryId undefined', (c) => c.listRegistrySchedules(undefined), ['registryId']],
    ['list: pageSize 0', (c) => c.listRegistrySchedules(REG, { pageSize: 0 }), ['pageSize']],
    ['list: pageSize 1001', (c) => c.listRegistrySchedules(REG, { pageSize: 1001 }), ['pageSize']],
    ['list: pageSize "5"', (c) => c.listRegistrySchedules(REG, { pageSize: '5' }), ['pageSize']],
    ['list: pageNumber 0', (c) => c.listRegistrySchedules(REG, { pageNumber: 0 }), ['pageNumber']],
    ['list: page a number', (c) => c.listRegistrySchedules(REG, 5), ['page']],
    ['create: registryId', (c) => c.createRegistrySchedule('x', good()), ['registryId']],
    ['create: registryId a number', (c) => c.createRegistrySchedule(7, good()), ['registryId']],
    ['create: input undefined', (c) => c.createRegistrySchedule(REG, undefined), ['input']],
    ['create: input a string', (c) => c.createRegistrySchedule(REG, '{}'), ['input']],
    ['create: schedule 24:00', (c) => c.createRegistrySchedule(REG, { ...good(), schedule: '24:00' }),
      ['schedule']],
    ['create: schedule missing',
      (c) => c.createRegistrySchedule(REG, { ...good(), schedule: undefined }), ['schedule']],
    ['create: interval "7"',
      (c) => c.createRegistrySchedule(REG, { ...good(), scheduleIntervalInDays: '7' }),
      ['scheduleIntervalInDays']],
    ['create: interval 366',
      (c) => c.createRegistrySchedule(REG, { ...good(), scheduleIntervalInDays: 366, weekDay: null }),
      ['scheduleIntervalInDays']],
    ['create: interval 7.5',
      (c) => c.createRegistrySchedule(REG, { ...good(), scheduleIntervalInDays: 7.5 }),
      ['scheduleIntervalInDays']],
    ['create: weekly without weekDay',
      (c) => c.createRegistrySchedule(REG, { ...good(), weekDay: undefined }), ['weekDay']],
    ['create: weekDay lower case',
      (c) => c.createRegistrySchedule(REG, { ...good(), weekDay: 'Thursday' }), ['weekDay']],
    ['create: weekDay with interval 1',
      (c) => c.createRegistrySchedule(REG, { ...good(), scheduleIntervalInDays: 1 }), ['weekDay']],
    ['create: filters[0].days 9',
      (c) => c.createRegistrySchedule(REG, withFilter({ days: 9, repoTags: [{ repo: 'a', tag: null }] })),
      ['filters[0].days']],
    ['create: filters[0].days "1"',
      (c) => c.createRegistrySchedule(REG, withFilter({ days: '1', repoTags: [{ repo: 'a', tag: null }] })),
      ['filters[0].days']],
    ['create: empty repo',
      (c) => c.createRegistrySchedule(REG, withFilter({ days: 1, repoTags: [{ repo: '', tag: null }] })),
      ['filters[0].repoTags[0].repo']],
    ['create: missing repo',
      (c) => c.createRegistrySchedule(REG, withFilter({ days: 1, repoTags: [{ tag: 'x' }] })),
      ['filters[0].repoTags[0].repo']],
    ['update: registryId', (c) => c.updateRegistrySchedule('x', SCH, good()), ['registryId']],
    ['update: scheduleId', (c) => c.updateRegistrySchedule(REG, 'x', good()), ['scheduleId']],
    ['update: scheduleId a number', (c) => c.updateRegistrySchedule(REG, 5, good()), ['scheduleId']],
    ['update: input undefined', (c) => c.updateRegistrySchedule(REG, SCH, undefined), ['input']],
    ['update: interval "7"',
      (c) => c.updateRegistrySchedule(REG, SCH, { ...good(), scheduleIntervalInDays: '7' }),
      ['scheduleIntervalInDays']],
    ['update: every issue at once',
      (c) => c.updateRegistrySchedule('x', 'y', { filters: [{ days: 8, repoTags: [{ repo: '' }] }] }),
      ['registryId', 'scheduleId', 'schedule', 'filters[0].days', 'filters[0].repoTags[0].repo']],
    ['acr: connectorId not a UUID', (c) => c.deleteAcrConnector('x'), ['connectorId']],
    ['acr: connectorId a number', (c) => c.deleteAcrConnector(12345), ['connectorId']],
    ['acr: connectorId undefined', (c) => c.deleteAcrConnector(), ['connectorId']],
    ['aws: arn with a short account', (c) => c.deleteAwsConnector('arn:aws:iam::12:role/x'), ['arn']],
    ['aws: arn a UUID', (c) => c.deleteAwsConnector(SEED.acrConnectorId), ['arn']],
    ['aws: arn a number', (c) => c.deleteAwsConnector(7), ['arn']],
    ['aws: arn undefined', (c) => c.deleteAwsConnector(undefined), ['arn']],
    ['profiles list: pageSize 0', (c) => c.listSensorProfiles({ pageSize: 0 }), ['pageSize']],
    ['profiles list: pageNumber 0', (c) => c.listSensorProfiles({ pageNumber: 0 }), ['pageNumber']],
    ['get: id not a UUID', (c) => c.getSensorProfile('x'), ['sensorProfileId']],
    ['get: id a number', (c) => c.getSensorProfile(3), ['sensorProfileId']],
    ['delete: id not a UUID', (c) => c.deleteSensorProfile('../x'), ['sensorProfileId']],
    ['delete: id undefined', (c) => c.deleteSensorProfile(undefined), ['sensorProfileId']],
    ['update profile: id', (c) => c.updateSensorProfile('x', { profileName: 'a' }), ['sensorProfileId']],
    ['update profile: empty name', (c) => c.updateSensorProfile(PROFILE, { profileName: '' }),
      ['profileName']],
    ['update profile: input undefined', (c) => c.updateSensorProfile(PROFILE, undefined), ['input']],
    ['create profile: no name', (c) => c.createSensorProfile({}), ['profileName']],
    ['create profile: blank name', (c) => c.createSensorProfile({ profileName: '   ' }), ['profileName']],
    ['create profile: name a number', (c) => c.createSensorProfile({ profileName: 5 }), ['profileName']],
    ['create profile: input undefined', (c) => c.createSensorProfile(undefined), ['input']],
    ['create profile: a function inside', (c) => c.createSensorProfile({ profileName: 'a', f: () => 1 }),
      ['f']],
    ['create profile: __proto__ key',
      (c) => c.createSensorProfile(JSON.parse('{"profileName":"a","__proto__":{"x":1}}')), ['__proto__']],
    ['call options: timeoutMs -1', (c) => c.listSensorProfiles(undefined, { timeoutMs: -1 }),
      ['timeoutMs']],
    ['call options: signal a string', (c) => c.listSensorProfiles(undefined, { signal: 'x' }),
      ['signal']],
  ];

  for (const [what, call, fields] of cases) {
    test(what, BOUNDED, async () => {
      const pending = call(client());
      assert.ok(pending instanceof Promise, 'the method rejects; it does not throw');
      const error = await rejects(pending, { code: 'VALIDATION' });
      assert.ok(!(error instanceof TypeError), 'a VALIDATION error, not a TypeError');
      assert.deepEqual(issueFields(error), fields);
      assert.equal(error.status, undefined);
      assert.deepEqual(requests(), [], 'nothing was sent');
    });
  }
});

describe('validateRegistrySchedule', () => {
  test('accepts the release notes create body and a listed schedule', BOUNDED, async () => {
    const issues = validateRegistrySchedule(releaseNotesCreateBody());
    assert.ok(Array.isArray(issues), 'synchronous: an array, not a promise');
    assert.deepEqual(issues, []);
    assert.deepEqual(validateRegistrySchedule(seedScheduleAsExposed()), []);
    assert.deepEqual(validateRegistrySchedule({ onDemand: true }), []);
    assert.deepEqual(
      validateRegistrySchedule({ schedule: '00:00', scheduleScanIntervalInDays: 7, weekDay: 'SUNDAY' }),
      [],
    );
    assert.deepEqual(requests(), [], 'nothing is sent');
  });

  test('reports the exact issues of bad schedules', BOUNDED, () => {
    assert.deepEqual(validateRegistrySchedule({}), [
      { field: 'schedule', message: 'is required for an automatic schedule ("HH:MM", UTC)' },
    ]);
    assert.deepEqual(
      validateRegistrySchedule({ ...releaseNotesCreateBody(), scheduleIntervalInDays: '7' }),
      [
        {
          field: 'scheduleIntervalInDays',
          message: 'must be a whole number from 1 to 365, not a string',
        },
      ],
    );
    assert.deepEqual(
      validateRegistrySchedule({ ...releaseNotesCreateBody(), scheduleIntervalInDays: 3 }),
      [{ field: 'weekDay', message: 'is only valid when scheduleIntervalInDays is 7' }],
    );
    assert.deepEqual(
      validateRegistrySchedule({
        schedule: '25:00',
        scheduleIntervalInDays: 7,
        filters: [{ days: 8, repoTags: [{ repo: '', tag: null }] }],
      }),
      [
        { field: 'schedule', message: 'must be a time of day "HH:MM" (UTC) from 00:00 to 23:59' },
        { field: 'weekDay', message: 'is required when scheduleIntervalInDays is 7' },
        { field: 'filters[0].days', message: 'must be 1 to 7, 14, 0 or null, not 8' },
        { field: 'filters[0].repoTags[0].repo', message: 'must not be empty' },
      ],
    );
    // index.d.ts types `repoTags` as optional and `days` as required in a filter; at run
    // time it is the other way round (see the next test).
    assert.deepEqual(
      validateRegistrySchedule({ schedule: '01:00', filters: [{ days: 1 }] }),
      [{ field: 'filters[0].repoTags', message: 'is required: a list of { repo, tag }' }],
    );
  });

  test('a filter may leave out days, and a repo tag its tag', BOUNDED, () => {
    assert.deepEqual(
      validateRegistrySchedule({ schedule: '01:00', filters: [{ repoTags: [{ repo: 'a' }] }] }),
      [],
    );
  });

  test('answers wrong-shaped input with an issue instead of throwing', BOUNDED, () => {
    assert.deepEqual(validateRegistrySchedule(undefined), [
      { field: 'input', message: 'is required: an object' },
    ]);
    assert.deepEqual(validateRegistrySchedule('09:30'), [
      { field: 'input', message: 'must be an object, not a string' },
    ]);
    assert.deepEqual(issueFields({ issues: validateRegistrySchedule(() => 1) }), ['input']);
  });
});

describe('errors are real and never show the token', () => {
  test('a 401', BOUNDED, async () => {
    const token = 'leaky-secret-token-4711';
    const error = await rejects(client(token).listSensorProfiles(), { code: 'UNAUTHORIZED' });
    assertRealErrorWithoutToken(error, ContainerSecurityError, token);
    assert.equal(Object.getPrototypeOf(error), ContainerSecurityError.prototype);
    assert.ok(error.stack.startsWith('ContainerSecurityError: '));
  });

  test('a 403', BOUNDED, async () => {
    const error = await rejects(client(TOKENS.viewer).deleteSensorProfile(SEED.defaultProfileId), {
      code: 'FORBIDDEN',
    });
    assertRealErrorWithoutToken(error, ContainerSecurityError, TOKENS.viewer);
    assert.ok(error.message.includes('CS.SENSOR_PROFILE.DELETE'));
  });

  test('a validation error of a call', BOUNDED, async () => {
    const error = await rejects(client().getSensorProfile('nope'), { code: 'VALIDATION' });
    assertRealErrorWithoutToken(error, ContainerSecurityError, TOKENS.admin);
    assert.ok(error.message.includes('sensorProfileId'), error.message);
  });

  test('a validation error of the constructor about the token itself', BOUNDED, () => {
    const token = 'leaky-secret-token-\u00e9';
    let thrown;
    assert.throws(
      () => new ContainerSecurityClient({ baseUrl: emulator.url, token }),
      (error) => {
        thrown = error;
        return true;
      },
    );
    assertErrorCode(thrown, 'VALIDATION');
    assert.deepEqual(issueFields(thrown), ['token']);
    assertRealErrorWithoutToken(thrown, ContainerSecurityError, 'leaky-secret-token');
  });
});

function assertErrorCode(error, code) {
  assert.ok(error instanceof ContainerSecurityError, `a ContainerSecurityError: ${error}`);
  assert.equal(error.code, code);
}

describe('the constructor', () => {
  function constructorIssues(options) {
    let thrown;
    assert.throws(
      () => new ContainerSecurityClient(options),
      (error) => {
        thrown = error;
        return true;
      },
    );
    assertErrorCode(thrown, 'VALIDATION');
    assert.ok(thrown instanceof Error);
    return issueFields(thrown);
  }

  test('refuses plain http to a host that is not this machine, synchronously', BOUNDED, () => {
    assert.deepEqual(
      constructorIssues({ baseUrl: 'http://example.com', token: TOKENS.admin }),
      ['baseUrl'],
    );
    assert.deepEqual(
      constructorIssues({ baseUrl: 'http://127.0.0.1.example.com', token: TOKENS.admin }),
      ['baseUrl'],
    );
    assert.deepEqual(
      constructorIssues({ baseUrl: 'http://127.0.0.1:80.example.com', token: TOKENS.admin }),
      ['baseUrl'],
    );
  });

  test('refuses a missing or empty token, and reports every setting at once', BOUNDED, () => {
    assert.deepEqual(constructorIssues({ baseUrl: emulator.url }), ['token']);
    assert.deepEqual(constructorIssues({ baseUrl: emulator.url, token: '' }), ['token']);
    assert.deepEqual(constructorIssues({ baseUrl: 'http://example.com' }), ['baseUrl', 'token']);
    assert.deepEqual(constructorIssues(undefined), ['baseUrl', 'token']);
    assert.deepEqual(constructorIssues({ baseUrl: 'ftp://x', token: 'a' }), ['baseUrl']);
    assert.deepEqual(
      constructorIssues({ baseUrl: 'https://user:pw@gateway.qg1.apps.qualys.com', token: 'a' }),
      ['baseUrl'],
    );
    assert.deepEqual(constructorIssues({ baseUrl: emulator.url, token: 'a', fetch: 'no' }), ['fetch']);
    assert.deepEqual(
      constructorIssues({ baseUrl: emulator.url, token: 'a', timeoutMs: 0 }),
      ['timeoutMs'],
    );
  });

  test('accepts https gateways and http to a loopback host, sending nothing', BOUNDED, () => {
    for (const baseUrl of [
      'https://gateway.qg1.apps.qualys.com',
      'https://gateway.qg1.apps.qualys.com/',
      'http://localhost:8080',
      'http://127.0.0.1',
      'http://[::1]:9',
    ]) {
      assert.ok(new ContainerSecurityClient({ baseUrl, token: TOKENS.admin }), baseUrl);
    }
    assert.deepEqual(requests(), []);
  });
});

describe('time limits in a process with nothing else to wait for', () => {
  // Node ends a process whose only pending work is an unref'd timer; the client's own
  // timers must keep it alive until the call has ended with TIMEOUT.
  const script = (options) => `
    import { ContainerSecurityClient } from 'qualys-cs';
    const client = new ContainerSecurityClient({
      baseUrl: 'https://gateway.qg1.apps.qualys.com', token: 't', retry: false,
      fetch: () => new Promise(() => {}), ${options}
    });
    try { await client.listSensorProfiles(); console.log('resolved'); }
    catch (error) { console.log(error.code); }
  `;

  for (const [name, options] of [
    ['timeoutMs', 'timeoutMs: 100'],
    ['deadlineMs', 'deadlineMs: 100'],
  ]) {
    test(`${name} ends a call whose fetch never answers`, BOUNDED, async () => {
      const outcome = await run(process.execPath, ['--input-type=module', '-e', script(options)], {
        cwd: new URL('../..', import.meta.url).pathname,
        timeoutMs: 10_000,
      });
      assert.deepEqual({ code: outcome.code, stdout: outcome.stdout.trim() }, {
        code: 0,
        stdout: 'TIMEOUT',
      });
    });
  }
});

describe('the fetch option and transport failures', () => {
  // One client meets every failure in turn, then must still work. It does not retry, so
  // that each scripted answer maps to one error; the retries are tested on their own.
  let fake;
  let shared;

  before(() => {
    fake = scriptedFetch();
    shared = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: fake.fetch,
      retry: false,
    });
  });

  test('is called as fetch(url, init) instead of the global fetch', BOUNDED, async () => {
    const calls = fake.calls.length;
    const page = await shared.listRegistrySchedules(SEED.registryId);
    assert.equal(page.count, 1);
    assert.equal(fake.calls.length, calls + 1);
    const { url, init } = fake.calls.at(-1);
    assert.equal(url, `${emulator.url}${SCHEDULES_PATH}?pageNumber=1&pageSize=50`);
    assert.equal(init.method, 'GET');
    assert.equal(init.redirect, 'manual');
    assert.equal(Object.getPrototypeOf(init.headers), Object.prototype, 'a plain object');
    assert.equal(init.headers.accept, 'application/json');
    assert.equal(init.headers.authorization, 'Bearer admin-token');
    assert.equal(init.headers['content-type'], undefined, 'no body, no Content-Type');
    for (const name of Object.keys(init.headers)) {
      assert.equal(name, name.toLowerCase(), 'header names are lower case');
    }
    assert.equal(init.body, undefined);
  });

  test('a 500 with the common body is SERVER with the server message', BOUNDED, async () => {
    fake.next(() =>
      jsonResponse(500, commonErrorBody(500, 'INTERNAL_SERVER_ERROR', 'Database unavailable')),
    );
    const error = await rejects(shared.listRegistrySchedules(SEED.registryId), {
      code: 'SERVER',
      status: 500,
      serverMessage: 'Database unavailable',
      serverErrorCode: '500 INTERNAL_SERVER_ERROR',
    });
    assert.ok(error.message.includes('Database unavailable'));
  });

  test('a 502 HTML page is SERVER, its HTML not taken as a message', BOUNDED, async () => {
    fake.next(
      () =>
        new Response('<html><body><h1>502 Bad Gateway</h1></body></html>', {
          status: 502,
          headers: { 'content-type': 'text/html' },
        }),
    );
    const error = await rejects(shared.listSensorProfiles(), { code: 'SERVER', status: 502 });
    assert.equal(error.serverMessage, undefined);
    assert.ok(!error.message.includes('<html>'), error.message);
  });

  test('a 200 text/html answer is DECODE', BOUNDED, async () => {
    fake.next(
      () => new Response('<html>login</html>', { status: 200, headers: { 'content-type': 'text/html' } }),
    );
    await rejects(shared.listRegistrySchedules(SEED.registryId), { code: 'DECODE', status: 200 });
  });

  test('an empty 200 for a list is DECODE', BOUNDED, async () => {
    fake.next(() => new Response('', { status: 200, headers: { 'content-type': 'application/json' } }));
    await rejects(shared.listRegistrySchedules(SEED.registryId), { code: 'DECODE', status: 200 });
    fake.next(() => new Response(null, { status: 200 }));
    await rejects(shared.listSensorProfiles(), { code: 'DECODE', status: 200 });
  });

  test('a 200 whose JSON is not a page is DECODE naming the field', BOUNDED, async () => {
    fake.next(() => jsonResponse(200, { data: [{ onDemand: false }], count: 1 }));
    const error = await rejects(shared.listRegistrySchedules(SEED.registryId), { code: 'DECODE' });
    assert.ok(error.message.includes('data[0]'), error.message);
    assert.ok(error.message.includes('scheduleUuid'), error.message);
  });

  test('a rejecting fetch is NETWORK', BOUNDED, async () => {
    fake.next(() => Promise.reject(new TypeError('fetch failed')));
    const error = await rejects(shared.listRegistrySchedules(SEED.registryId), { code: 'NETWORK' });
    assert.equal(error.status, undefined);
    fake.next(() => {
      throw new TypeError('thrown at once');
    });
    await rejects(shared.listSensorProfiles(), { code: 'NETWORK' });
    fake.next(() => 'not a response');
    await rejects(shared.listSensorProfiles(), { code: 'NETWORK' });
  });

  test('a fetch that honours its signal and never answers: TIMEOUT', BOUNDED, async () => {
    fake.next(neverUntilAborted);
    const { ms, error } = await timed(
      withinDeadline(shared.listRegistrySchedules(SEED.registryId, undefined, { timeoutMs: 50 }), 2_000),
    );
    assertErrorCode(error, 'TIMEOUT');
    assert.ok(ms < 1_000, `rejected after ${ms} ms`);
  });

  test('a fetch that never resolves, with timeoutMs 50', BOUNDED, async () => {
    let signal;
    fake.next((url, init) => {
      signal = init.signal;
      return neverSettles();
    });
    const call = shared.listRegistrySchedules(SEED.registryId, undefined, { timeoutMs: 50 });
    const outcome = await stateAfter(call, 500);
    // The package does fire its signal on time...
    assert.ok(signal instanceof AbortSignal, 'fetch is given a signal');
    assert.equal(signal.aborted, true, 'the signal fired after 50 ms');
    // ...and does not rely on fetch honouring it: the call ends on time all the same.
    assert.equal(outcome.state, 'rejected', JSON.stringify(outcome));
    assertErrorCode(outcome.reason, 'TIMEOUT');
  });

  test('a client-wide timeoutMs times out a call too', BOUNDED, async () => {
    const local = scriptedFetch();
    const timed50 = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: local.fetch,
      timeoutMs: 50,
      retry: false,
    });
    local.next(neverUntilAborted);
    await rejects(timed50.listSensorProfiles(), { code: 'TIMEOUT' });
    // A call's own timeoutMs overrides the client's.
    const slow = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: local.fetch,
      timeoutMs: 60_000,
      retry: false,
    });
    local.next(neverUntilAborted);
    const { ms, error } = await timed(slow.listSensorProfiles(undefined, { timeoutMs: 50 }));
    assertErrorCode(error, 'TIMEOUT');
    assert.ok(ms < 1_000, `rejected after ${ms} ms`);
    // The client-wide setting also ends a fetch that ignores its signal.
    local.next(() => neverSettles());
    const ignored = await stateAfter(timed50.listSensorProfiles(), 400);
    assert.equal(ignored.state, 'rejected');
    assertErrorCode(ignored.reason, 'TIMEOUT');
  });

  test('an AbortController abort is ABORTED', BOUNDED, async () => {
    const controller = new AbortController();
    fake.next(neverUntilAborted);
    const call = shared.listRegistrySchedules(SEED.registryId, undefined, {
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(), 20);
    await rejects(call, { code: 'ABORTED' });

    // An already aborted signal: nothing is sent at all.
    const calls = fake.calls.length;
    await rejects(shared.listSensorProfiles(undefined, { signal: AbortSignal.abort() }), {
      code: 'ABORTED',
    });
    assert.equal(fake.calls.length, calls, 'fetch was not called');

    // An abort ends a call at once even when its fetch ignores the signal.
    const late = new AbortController();
    let fetched;
    const called = new Promise((resolve) => {
      fetched = resolve;
    });
    fake.next(() => {
      fetched();
      return neverSettles();
    });
    const stuck = shared.listSensorProfiles(undefined, { signal: late.signal });
    await withinDeadline(called, 1_000, 'the fetch');
    late.abort();
    const ended = await stateAfter(stuck, 300);
    assert.equal(ended.state, 'rejected');
    assertErrorCode(ended.reason, 'ABORTED');
  });

  test('a 429 with Retry-After: 2 is RATE_LIMITED with retryAfterMs 2000', BOUNDED, async () => {
    fake.next(() =>
      jsonResponse(429, commonErrorBody(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded'), {
        'retry-after': '2',
        'x-ratelimit-limit': '1000',
        'x-ratelimit-window-sec': '60',
        'x-ratelimit-remaining': '0',
      }),
    );
    await rejects(shared.listRegistrySchedules(SEED.registryId), {
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterMs: 2000,
      serverMessage: 'Rate limit exceeded',
    });
  });

  test('a 429 with an HTTP-date Retry-After', BOUNDED, async () => {
    const inFiveSeconds = new Date(Date.now() + 5_000).toUTCString();
    fake.next(() => new Response('', { status: 429, headers: { 'retry-after': inFiveSeconds } }));
    const error = await rejects(shared.listSensorProfiles(), { code: 'RATE_LIMITED', status: 429 });
    // The date has whole seconds, so the wait is a little under five seconds.
    assert.equal(typeof error.retryAfterMs, 'number');
    assert.ok(error.retryAfterMs > 3_000 && error.retryAfterMs <= 5_000, `${error.retryAfterMs}`);
  });

  test('a 302 is HTTP, and the redirect is not followed', BOUNDED, async () => {
    const calls = fake.calls.length;
    fake.next(
      () => new Response(null, { status: 302, headers: { location: 'https://elsewhere.example/' } }),
    );
    await rejects(shared.listRegistrySchedules(SEED.registryId), { code: 'HTTP', status: 302 });
    assert.equal(fake.calls.length, calls + 1, 'one fetch, no second one to the Location');
  });

  test('after all those failures, the same client still works', BOUNDED, async () => {
    assert.equal(fake.pending(), 0, 'every scripted answer was used');
    const page = await shared.listRegistrySchedules(SEED.registryId);
    assert.deepEqual(page, { data: [seedScheduleAsExposed()], count: 1 });
    assert.equal(onlyRequest().status, 200);
  });
});

describe('real fetch against failing servers', () => {
  test('the emulator answers 429, an HTML 502, then a 302', BOUNDED, async () => {
    const admin = client(TOKENS.admin, { retry: false });
    const path = `${PREFIX}/sensorProfile`;
    await emulatorSupport(emulator, 'POST', '/__emulator/faults', {
      status: 429,
      path,
      headers: { 'Retry-After': '2' },
      body: commonErrorBody(429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded'),
    });
    await rejects(admin.listSensorProfiles(), {
      code: 'RATE_LIMITED',
      status: 429,
      retryAfterMs: 2000,
      serverErrorCode: '429 TOO_MANY_REQUESTS',
    });
    await emulatorSupport(emulator, 'POST', '/__emulator/faults', {
      status: 502,
      path,
      body: '<html><h1>502 Bad Gateway</h1></html>',
    });
    await rejects(admin.listSensorProfiles(), { code: 'SERVER', status: 502 });
    await emulatorSupport(emulator, 'POST', '/__emulator/faults', {
      status: 302,
      path,
      headers: { Location: `${emulator.url}${PREFIX}/sensorProfile?followed=1` },
    });
    await rejects(admin.listSensorProfiles(), { code: 'HTTP', status: 302 });
    assert.deepEqual(
      requests().map((request) => [request.path, request.status]),
      [
        [path, 429],
        [path, 502],
        [path, 302],
      ],
      'the redirect was not followed',
    );
    assert.equal((await admin.listSensorProfiles()).count, 2);
  });

  test('a server that never answers: TIMEOUT, and ABORTED', BOUNDED, async () => {
    const silent = await startSilentServer();
    try {
      const slow = new ContainerSecurityClient({
        baseUrl: silent.url,
        token: TOKENS.admin,
        timeoutMs: 100,
        retry: false,
      });
      const { ms, error } = await timed(withinDeadline(slow.listSensorProfiles(), 3_000));
      assertErrorCode(error, 'TIMEOUT');
      assert.ok(ms < 2_000, `rejected after ${ms} ms`);

      const controller = new AbortController();
      setTimeout(() => controller.abort(), 50);
      await rejects(
        slow.listSensorProfiles(undefined, { signal: controller.signal, timeoutMs: 5_000 }),
        { code: 'ABORTED' },
      );
    } finally {
      await silent.close();
    }
  });

  test('a refused connection is NETWORK', BOUNDED, async () => {
    const silent = await startSilentServer();
    const { url } = silent;
    await silent.close();
    const gone = new ContainerSecurityClient({ baseUrl: url, token: TOKENS.admin, retry: false });
    await rejects(gone.listSensorProfiles(), { code: 'NETWORK' });
  });
});

describe('retries', () => {
  // Short backoffs keep the tests fast; the policy itself is the package's default.
  function retrying(fake, extra = {}) {
    return new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: fake.fetch,
      retry: { baseDelayMs: 1 },
      ...extra,
    });
  }

  test('a 502 and a 503 of a GET are tried again until it succeeds', BOUNDED, async () => {
    const fake = scriptedFetch();
    const attempts = [];
    const c = retrying(fake, { onRequest: (request) => attempts.push(request.attempt) });
    fake.next(() => jsonResponse(502, commonErrorBody(502, 'BAD_GATEWAY', 'busy')));
    fake.next(() => new Response('<html>503</html>', { status: 503, headers: { 'content-type': 'text/html' } }));
    const page = await withinDeadline(c.listSensorProfiles(), 5_000);
    assert.equal(page.count, 2);
    assert.equal(fake.calls.length, 3);
    assert.deepEqual(attempts, [1, 2, 3]);
    assert.equal(onlyRequest().status, 200, 'only the third attempt reached the emulator');
  });

  test('three attempts in all by default, then the last failure', BOUNDED, async () => {
    const fake = scriptedFetch();
    for (let i = 0; i < 4; i += 1) {
      fake.next(() => jsonResponse(504, commonErrorBody(504, 'GATEWAY_TIMEOUT', 'slow')));
    }
    await rejects(retrying(fake).listRegistrySchedules(SEED.registryId), {
      code: 'SERVER',
      status: 504,
    });
    assert.equal(fake.calls.length, 3);
    assert.equal(fake.pending(), 1);
  });

  test('a 500, a 404 and a POST are not tried again', BOUNDED, async () => {
    const fake = scriptedFetch();
    const c = retrying(fake);
    fake.next(() => jsonResponse(500, commonErrorBody(500, 'INTERNAL_SERVER_ERROR', 'bug')));
    await rejects(c.listSensorProfiles(), { code: 'SERVER', status: 500 });
    fake.next(() => jsonResponse(404, commonErrorBody(404, 'NOT_FOUND', 'gone')));
    await rejects(c.getSensorProfile(SEED.defaultProfileId), { code: 'NOT_FOUND' });
    fake.next(() => jsonResponse(503, commonErrorBody(503, 'SERVICE_UNAVAILABLE', 'busy')));
    await rejects(c.createSensorProfile({ profileName: 'Not twice' }), { code: 'SERVER', status: 503 });
    fake.next(() => Promise.reject(new TypeError('fetch failed')));
    await rejects(c.createRegistrySchedule(SEED.emptyRegistryId, releaseNotesCreateBody()), {
      code: 'NETWORK',
    });
    assert.equal(fake.calls.length, 4, 'one attempt each');
    assert.deepEqual(requests(), []);
  });

  test('a network failure of a DELETE is tried again', BOUNDED, async () => {
    const fake = scriptedFetch();
    fake.next(() => Promise.reject(new TypeError('fetch failed')));
    assert.equal(await retrying(fake).deleteSensorProfile(SEED.registryProfileId), undefined);
    assert.deepEqual(fake.calls.map((call) => call.init.method), ['DELETE', 'DELETE']);
    assert.equal(onlyRequest().status, 200);
  });

  test('an attempt that times out is tried again', BOUNDED, async () => {
    const fake = scriptedFetch();
    fake.next(neverUntilAborted);
    const page = await withinDeadline(
      retrying(fake, { timeoutMs: 50 }).listSensorProfiles(),
      5_000,
    );
    assert.equal(page.count, 2);
    assert.equal(fake.calls.length, 2);
  });

  test('a 429 waits as long as Retry-After says, capped by maxRetryDelayMs', BOUNDED, async () => {
    const fake = scriptedFetch();
    fake.next(() => jsonResponse(429, commonErrorBody(429, 'TOO_MANY_REQUESTS', 'slow down'), {
      'retry-after': '1',
    }));
    const waited = await timed(retrying(fake).listSensorProfiles());
    assert.equal(waited.error, undefined);
    assert.ok(waited.ms >= 900, `waited ${waited.ms} ms for Retry-After: 1`);

    fake.next(() => jsonResponse(429, commonErrorBody(429, 'TOO_MANY_REQUESTS', 'slow down'), {
      'retry-after': '30',
    }));
    const capped = await timed(
      retrying(fake, { retry: { maxRetryDelayMs: 20 } }).listSensorProfiles(),
    );
    assert.equal(capped.error, undefined);
    assert.ok(capped.ms < 2_000, `waited ${capped.ms} ms, not 30 s`);
    assert.equal(fake.calls.length, 4);
  });

  test('the emulator answering 503 once: the real fetch is tried again', BOUNDED, async () => {
    await emulatorSupport(emulator, 'POST', '/__emulator/faults', {
      status: 503,
      path: `${PREFIX}/sensorProfile`,
      body: commonErrorBody(503, 'SERVICE_UNAVAILABLE', 'Try again'),
    });
    const c = client(TOKENS.admin, { retry: { baseDelayMs: 1 } });
    assert.equal((await withinDeadline(c.listSensorProfiles(), 5_000)).count, 2);
    assert.deepEqual(requests().map((request) => request.status), [503, 200]);
  });

  test('retry options are checked', BOUNDED, () => {
    for (const [retry, field] of [
      [{ attempts: 0 }, 'retry.attempts'],
      [{ attempts: 11 }, 'retry.attempts'],
      ['twice', 'retry'],
    ]) {
      assert.throws(
        () => client(TOKENS.admin, { retry }),
        (error) => error instanceof ContainerSecurityError && error.code === 'VALIDATION'
          && error.issues.some((issue) => issue.field === field),
        JSON.stringify(retry),
      );
    }
  });
});

describe('deadlines', () => {
  test('deadlineMs ends a call that is waiting to retry', BOUNDED, async () => {
    const fake = scriptedFetch();
    const c = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: fake.fetch,
      deadlineMs: 100,
    });
    fake.next(() => jsonResponse(429, commonErrorBody(429, 'TOO_MANY_REQUESTS', 'wait'), {
      'retry-after': '5',
    }));
    const { ms, error } = await timed(withinDeadline(c.listSensorProfiles(), 3_000));
    assertErrorCode(error, 'TIMEOUT');
    assert.ok(ms < 1_000, `rejected after ${ms} ms, not after the 5 s wait`);
    assert.equal(fake.calls.length, 1);
  });

  test('a call’s deadlineMs ends an attempt whose fetch honours its signal', BOUNDED, async () => {
    const fake = scriptedFetch();
    const c = client(TOKENS.admin, { fetch: fake.fetch });
    fake.next(neverUntilAborted);
    const { ms, error } = await timed(
      withinDeadline(c.listSensorProfiles(undefined, { deadlineMs: 80 }), 3_000),
    );
    assertErrorCode(error, 'TIMEOUT');
    assert.ok(ms < 1_000, `rejected after ${ms} ms`);
  });

  test('a deadline and a fetch that ignores its signal', BOUNDED, async () => {
    const fake = scriptedFetch();
    const c = client(TOKENS.admin, { fetch: fake.fetch, deadlineMs: 50 });
    fake.next(() => neverSettles());
    // The deadline ends the call on time even though the fetch ignores its signal.
    const outcome = await stateAfter(c.listSensorProfiles(), 400);
    assert.equal(outcome.state, 'rejected');
    assertErrorCode(outcome.reason, 'TIMEOUT');
  });

  test('deadlineMs is checked', BOUNDED, () => {
    assert.throws(
      () => client(TOKENS.admin, { deadlineMs: 0 }),
      (error) => error instanceof ContainerSecurityError && error.code === 'VALIDATION'
        && error.issues[0].field === 'deadlineMs',
    );
  });
});

describe('login and tokens', () => {
  const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

  // A client with credentials and no token of its own.
  function credentialsClient(credentials) {
    return new ContainerSecurityClient({ baseUrl: emulator.url, credentials });
  }

  function logins() {
    return requests().filter((request) => request.path === '/auth');
  }

  test('login answers the JWT of the gateway’s /auth, which the API accepts', BOUNDED, async () => {
    const token = await withinDeadline(login({ baseUrl: emulator.url, ...USERS.viewer }), 5_000);
    assert.match(token, JWT);
    const [request] = logins();
    assert.equal(request.method, 'POST');
    assert.equal(request.headers['content-type'], 'application/x-www-form-urlencoded');
    assert.equal(request.headers.authorization, undefined);
    // The emulator logs the form with its password redacted.
    assert.deepEqual(request.body, { username: 'quays_xb42', password: '<redacted>', token: 'true' });
    assert.equal(request.status, 201);
    assert.equal((await client(token).listSensorProfiles()).count, 2);
  });

  test('a wrong password is UNAUTHORIZED, and the password is in no error', BOUNDED, async () => {
    const password = 'wrong-secret-password-123';
    const error = await rejects(
      login({ baseUrl: emulator.url, username: USERS.admin.username, password }),
      { code: 'UNAUTHORIZED', status: 401, serverMessage: 'The username or password is not valid' },
    );
    assertRealErrorWithoutToken(error, ContainerSecurityError, password);
  });

  test('login checks its input and sends nothing when it is wrong', BOUNDED, async () => {
    const error = await rejects(login({ baseUrl: emulator.url }), { code: 'VALIDATION' });
    assert.deepEqual(issueFields(error), ['username', 'password']);
    const insecure = await rejects(
      login({ baseUrl: 'http://example.com', ...USERS.admin }),
      { code: 'VALIDATION' },
    );
    assert.deepEqual(issueFields(insecure), ['baseUrl']);
    assert.deepEqual(requests(), []);
  });

  test('credentials: one login, shared by concurrent calls', BOUNDED, async () => {
    const c = credentialsClient(USERS.admin);
    const pages = await withinDeadline(
      Promise.all([c.listSensorProfiles(), c.listSensorProfiles(), c.getSensorProfile(SEED.defaultProfileId)]),
      5_000,
    );
    assert.deepEqual(pages.slice(0, 2).map((page) => page.count), [2, 2]);
    await c.listRegistrySchedules(SEED.registryId);
    assert.equal(logins().length, 1, 'one login for four calls');
    const api = requests().filter((request) => request.path !== '/auth');
    assert.equal(api.length, 4);
    for (const request of api) {
      assert.match(request.headers.authorization, /^Bearer [\w-]+\.[\w-]+\.[\w-]+$/);
      assert.equal(request.status, 200);
    }
  });

  test('credentials: a 401 logs in again once and the call goes on', BOUNDED, async () => {
    const c = credentialsClient(USERS.admin);
    await c.listSensorProfiles();
    await emulatorSupport(emulator, 'POST', '/__emulator/auth', { expireAll: true });
    assert.equal((await withinDeadline(c.listSensorProfiles(), 5_000)).count, 2);
    assert.deepEqual(
      requests().map((request) => [request.method, request.path, request.status]),
      [
        ['POST', '/auth', 201],
        ['GET', `${PREFIX}/sensorProfile`, 200],
        ['GET', `${PREFIX}/sensorProfile`, 401],
        ['POST', '/auth', 201],
        ['GET', `${PREFIX}/sensorProfile`, 200],
      ],
    );
  });

  test('credentials: a token about to expire is renewed before it is used', BOUNDED, async () => {
    // A 30 s lifetime is inside the package's renewal margin, so every call logs in first.
    await emulatorSupport(emulator, 'POST', '/__emulator/auth', { tokenLifetimeSec: 30 });
    const c = credentialsClient(USERS.admin);
    await c.listSensorProfiles();
    await c.listSensorProfiles();
    assert.deepEqual(
      requests().map((request) => [request.path, request.status]),
      [
        ['/auth', 201],
        [`${PREFIX}/sensorProfile`, 200],
        ['/auth', 201],
        [`${PREFIX}/sensorProfile`, 200],
      ],
    );
  });

  test('credentials that are wrong: UNAUTHORIZED without the password', BOUNDED, async () => {
    const password = 'not-the-password-987';
    const c = credentialsClient({ username: USERS.admin.username, password });
    const error = await rejects(c.listSensorProfiles(), { code: 'UNAUTHORIZED', status: 401 });
    assertRealErrorWithoutToken(error, ContainerSecurityError, password);
    assert.deepEqual(requests().map((request) => request.path), ['/auth']);
  });

  test('a token provider is asked again with refresh after a 401', BOUNDED, async () => {
    const asked = [];
    const c = client(({ refresh }) => {
      asked.push(refresh);
      return refresh ? TOKENS.admin : 'stale-token';
    });
    assert.equal((await c.listSensorProfiles()).count, 2);
    assert.deepEqual(asked, [false, true]);
    assert.deepEqual(
      requests().map((request) => [request.headers.authorization, request.status]),
      [
        ['Bearer stale-token', 401],
        ['Bearer admin-token', 200],
      ],
    );
  });

  test('a token provider that gives no string is UNAUTHORIZED', BOUNDED, async () => {
    await rejects(client(() => 42).listSensorProfiles(), { code: 'UNAUTHORIZED' });
    assert.deepEqual(requests(), []);
  });

  test('credentials are checked', BOUNDED, () => {
    assert.throws(
      () => credentialsClient({ username: 'only-a-name' }),
      (error) => error instanceof ContainerSecurityError && error.code === 'VALIDATION'
        && error.issues.some((issue) => issue.field === 'credentials'),
    );
  });
});

describe('platforms and permissions', () => {
  // The gateways of DOMAIN.md, in its order.
  const GATEWAYS = {
    US1: 'https://gateway.qg1.apps.qualys.com',
    US2: 'https://gateway.qg2.apps.qualys.com',
    US3: 'https://gateway.qg3.apps.qualys.com',
    US4: 'https://gateway.qg4.apps.qualys.com',
    EU1: 'https://gateway.qg1.apps.qualys.eu',
    EU2: 'https://gateway.qg2.apps.qualys.eu',
    EU3: 'https://gateway.qg3.apps.qualys.it',
    IN1: 'https://gateway.qg1.apps.qualys.in',
    CA1: 'https://gateway.qg1.apps.qualys.ca',
    AE1: 'https://gateway.qg1.apps.qualys.ae',
    UK1: 'https://gateway.qg1.apps.qualys.co.uk',
    AU1: 'https://gateway.qg1.apps.qualys.com.au',
    KSA1: 'https://gateway.qg1.apps.qualysksa.com',
  };

  test('PLATFORMS and gatewayUrl know every platform', BOUNDED, () => {
    assert.deepEqual([...PLATFORMS], Object.keys(GATEWAYS));
    assert.ok(Object.isFrozen(PLATFORMS));
    for (const [platform, url] of Object.entries(GATEWAYS)) {
      assert.equal(gatewayUrl(platform), url);
    }
  });

  test('an unknown platform is VALIDATION, for gatewayUrl and the client', BOUNDED, () => {
    for (const make of [
      () => gatewayUrl('XX1'),
      () => new ContainerSecurityClient({ platform: 'XX1', token: TOKENS.admin }),
    ]) {
      assert.throws(make, (error) => error instanceof ContainerSecurityError
        && error.code === 'VALIDATION' && error.issues[0].field === 'platform');
    }
    assert.ok(new ContainerSecurityClient({ platform: 'EU2', token: TOKENS.admin }));
  });

  test('requiredPermission names the sensor-profile permissions', BOUNDED, () => {
    assert.deepEqual(
      Object.fromEntries([
        'listSensorProfiles', 'getSensorProfile', 'createSensorProfile', 'updateSensorProfile',
        'deleteSensorProfile', 'listRegistrySchedules', 'deleteAcrConnector', 'noSuchMethod',
      ].map((operation) => [operation, requiredPermission(operation)])),
      {
        listSensorProfiles: 'CS.SENSOR_PROFILE.VIEW',
        getSensorProfile: 'CS.SENSOR_PROFILE.VIEW',
        createSensorProfile: 'CS.SENSOR_PROFILE.CREATE',
        updateSensorProfile: 'CS.SENSOR_PROFILE.UPDATE',
        deleteSensorProfile: 'CS.SENSOR_PROFILE.DELETE',
        listRegistrySchedules: null,
        deleteAcrConnector: null,
        noSuchMethod: null,
      },
    );
  });
});

describe('paging iterators', () => {
  async function collect(iterable) {
    const items = [];
    for await (const item of iterable) {
      items.push(item);
    }
    return items;
  }

  test('sensorProfiles fetches page after page until count', BOUNDED, async () => {
    const profiles = await collect(client().sensorProfiles({ pageSize: 1 }));
    assert.deepEqual(profiles.map((p) => p.profileUuid), [SEED.defaultProfileId, SEED.registryProfileId]);
    assert.deepEqual(profiles[0], defaultProfileAsExposed());
    assert.deepEqual(requests().map((request) => request.query), [
      { pageNumber: '1', pageSize: '1' },
      { pageNumber: '2', pageSize: '1' },
    ]);
  });

  test('limit stops early and fetches no page beyond it', BOUNDED, async () => {
    const profiles = await collect(client().sensorProfiles({ pageSize: 1, limit: 1 }));
    assert.equal(profiles.length, 1);
    assert.equal(requests().length, 1);
  });

  test('registrySchedules yields the seeded schedule', BOUNDED, async () => {
    const schedules = await collect(client().registrySchedules(SEED.registryId));
    assert.deepEqual(schedules, [seedScheduleAsExposed()]);
    assert.deepEqual(onlyRequest().query, { pageNumber: '1', pageSize: '50' });
    assert.deepEqual(await collect(client().registrySchedules(SEED.emptyRegistryId)), []);
  });

  test('their errors are ContainerSecurityErrors', BOUNDED, async () => {
    const bad = await rejects(collect(client().registrySchedules('not-a-uuid')), { code: 'VALIDATION' });
    assert.deepEqual(issueFields(bad), ['registryId']);
    const limit = await rejects(collect(client().sensorProfiles({ limit: -1 })), { code: 'VALIDATION' });
    assert.deepEqual(issueFields(limit), ['limit']);
    assert.deepEqual(requests(), []);
    await rejects(collect(client(TOKENS.none).sensorProfiles()), {
      code: 'FORBIDDEN',
      permission: 'CS.SENSOR_PROFILE.VIEW',
    });
  });
});

describe('hooks, user agent, rate limit and concurrency', () => {
  test('onRequest and onResponse see each attempt, never a header or body', BOUNDED, async () => {
    const seen = [];
    const c = client(TOKENS.admin, {
      onRequest: (summary) => seen.push(['request', summary]),
      onResponse: (summary) => seen.push(['response', summary]),
    });
    await c.createSensorProfile({ profileName: 'Hooked' });
    const url = `${emulator.url}${PREFIX}/sensorProfile`;
    assert.deepEqual(seen.map(([kind, summary]) => [kind, Object.keys(summary).sort()]), [
      ['request', ['attempt', 'method', 'url']],
      ['response', ['attempt', 'durationMs', 'method', 'status', 'url']],
    ]);
    assert.deepEqual(seen[0][1], { method: 'POST', url, attempt: 1 });
    const { durationMs, ...response } = seen[1][1];
    assert.deepEqual(response, { method: 'POST', url, attempt: 1, status: 200 });
    assert.equal(typeof durationMs, 'number');
    assert.ok(!JSON.stringify(seen).includes(TOKENS.admin), 'no token in the summaries');
  });

  test('the User-Agent names the package, then the caller’s tool', BOUNDED, async () => {
    await client().listSensorProfiles();
    await client(TOKENS.admin, { userAgent: 'my-tool/1.0' }).listSensorProfiles();
    assert.deepEqual(requests().map((request) => request.headers['user-agent']), [
      `qualys-cs/${VERSION}`,
      `qualys-cs/${VERSION} my-tool/1.0`,
    ]);
    assert.throws(
      () => client(TOKENS.admin, { userAgent: 'two\nlines' }),
      (error) => error instanceof ContainerSecurityError && error.issues[0].field === 'userAgent',
    );
  });

  test('rateLimit reports the X-RateLimit headers of the last answer', BOUNDED, async () => {
    const c = client();
    assert.equal(c.rateLimit, null);
    await c.listSensorProfiles();
    assert.deepEqual(c.rateLimit, { limit: 1000, windowSec: 60, remaining: 999 });
    await c.listSensorProfiles();
    assert.deepEqual(c.rateLimit, { limit: 1000, windowSec: 60, remaining: 998 });
  });

  test('a header value with a line break, which no real fetch gives, is left out', BOUNDED, async () => {
    // host.js hands the module the headers it reads one per line; a fetch double whose
    // headers answer a value with a line break must not make up a header of its own.
    const values = {
      'content-type': 'application/json',
      'x-ratelimit-limit': '100\nx-ratelimit-remaining\n0',
      'x-ratelimit-window-sec': '60',
      'x-ratelimit-remaining': '7\r',
    };
    const c = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      retry: false,
      fetch: async () => ({
        status: 200,
        headers: { get: (name) => values[name] ?? null },
        text: async () => JSON.stringify({ data: [], count: 0 }),
      }),
    });
    assert.deepEqual(await c.listSensorProfiles(), { data: [], count: 0 });
    assert.deepEqual(c.rateLimit, { limit: null, windowSec: 60, remaining: null });
  });

  test('a fetch stand-in whose body streams text is NETWORK saying so, not an empty body', BOUNDED, async () => {
    const answering = (chunks) => new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      retry: false,
      fetch: async () => ({
        status: 200,
        headers: { get: (name) => (name === 'content-type' ? 'application/json' : null) },
        body: new ReadableStream({
          start(controller) {
            for (const chunk of chunks) controller.enqueue(chunk);
            controller.close();
          },
        }),
      }),
    });
    const text = JSON.stringify({ data: [], count: 0 });
    const error = await answering([text]).listSensorProfiles().then(() => null, (e) => e);
    assert.ok(error instanceof ContainerSecurityError);
    assert.equal(error.code, 'NETWORK');
    assert.match(error.message, /chunk that is not bytes/);
    // Bytes in any view are read: a DataView and an ArrayBuffer, split mid-text.
    const bytes = new TextEncoder().encode(text);
    const page = await answering([new DataView(bytes.buffer, 0, 5), bytes.slice(5).buffer])
      .listSensorProfiles();
    assert.deepEqual(page, { data: [], count: 0 });
  });

  test('maxConcurrency caps the attempts in flight', BOUNDED, async () => {
    let inFlight = 0;
    let most = 0;
    const slowFetch = async (url, init) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 20));
      try {
        return await fetch(url, init);
      } finally {
        inFlight -= 1;
      }
    };
    const c = client(TOKENS.admin, { fetch: slowFetch, maxConcurrency: 2 });
    const pages = await withinDeadline(
      Promise.all(Array.from({ length: 6 }, () => c.listSensorProfiles())),
      5_000,
    );
    assert.equal(pages.length, 6);
    assert.equal(most, 2);
    assert.equal(requests().length, 6);
    assert.throws(
      () => client(TOKENS.admin, { maxConcurrency: 0 }),
      (error) => error instanceof ContainerSecurityError && error.issues[0].field === 'maxConcurrency',
    );
  });
});
