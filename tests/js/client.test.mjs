// Tests of the built package (imported by name, as its users do) against the emulator:
// every method's success path and each error code, with exact values, what really went
// over the wire (the emulator's request log), input validation that sends nothing, the
// errors' shape, and the transport's failures through a scripted `fetch`.
//
// Behaviour of the package that is wrong today is pinned with a `FIXME:` comment that
// says what it should be.

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';

import {
  ContainerSecurityClient,
  ContainerSecurityError,
  ERROR_CODES,
  ready,
  validateRegistrySchedule,
} from 'qualys-cs';

import { SEED, TOKENS, startEmulator } from '../emulator/server.mjs';
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
      ['input']],
    ['create profile: __proto__ key',
      (c) => c.createSensorProfile(JSON.parse('{"profileName":"a","__proto__":{"x":1}}')), ['__proto__']],
    ['call options: timeoutMs -1', (c) => c.listSensorProfiles(undefined, { timeoutMs: -1 }),
      ['timeoutMs']],
    ['call options: signal a string', (c) => c.listSensorProfiles(undefined, { signal: 'x' }),
      ['signal']],
  ];

  for (const [what, call, fields] of cases) {
    test(what, BOUNDED, async () => {
      const error = await rejects(call(client()), { code: 'VALIDATION' });
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
    assert.deepEqual(
      validateRegistrySchedule({ schedule: '01:00', filters: [{ days: 1 }] }),
      [{ field: 'filters[0].repoTags', message: 'is required: a list of { repo, tag }' }],
    );
  });

  test('answers wrong-shaped input with an issue instead of throwing', BOUNDED, () => {
    assert.deepEqual(validateRegistrySchedule(undefined), [
      { field: 'input', message: 'must be an object, not null' },
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
    assert.deepEqual(constructorIssues(undefined), ['options']);
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

describe('the fetch option and transport failures', () => {
  // One client meets every failure in turn, then must still work.
  let fake;
  let shared;

  before(() => {
    fake = scriptedFetch();
    shared = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: fake.fetch,
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
    assert.deepEqual(init.headers, {
      accept: 'application/json',
      authorization: 'Bearer admin-token',
    });
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
    // FIXME: ...but it relies on fetch honouring that signal: it never races its own timer
    // against the fetch, so a fetch (or a Response body) that ignores `init.signal` leaves
    // the call pending forever. It should reject with TIMEOUT about 50 ms in. Pinned today:
    // still pending 500 ms later.
    assert.equal(outcome.state, 'pending', `today's behaviour changed: ${JSON.stringify(outcome)}`);
  });

  test('a client-wide timeoutMs times out a call too', BOUNDED, async () => {
    const local = scriptedFetch();
    const timed50 = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: local.fetch,
      timeoutMs: 50,
    });
    local.next(neverUntilAborted);
    await rejects(timed50.listSensorProfiles(), { code: 'TIMEOUT' });
    // A call's own timeoutMs overrides the client's.
    const slow = new ContainerSecurityClient({
      baseUrl: emulator.url,
      token: TOKENS.admin,
      fetch: local.fetch,
      timeoutMs: 60_000,
    });
    local.next(neverUntilAborted);
    const { ms, error } = await timed(slow.listSensorProfiles(undefined, { timeoutMs: 50 }));
    assertErrorCode(error, 'TIMEOUT');
    assert.ok(ms < 1_000, `rejected after ${ms} ms`);
    // FIXME: the same as above for the client-wide setting: a fetch that ignores its
    // signal is never timed out. It should reject with TIMEOUT; pinned: still pending.
    local.next(() => neverSettles());
    assert.equal((await stateAfter(timed50.listSensorProfiles(), 400)).state, 'pending');
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

    // FIXME: an abort does not end a call whose fetch ignores the signal: the call stays
    // pending instead of rejecting with ABORTED at once. Pinned: still pending.
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
    assert.equal((await stateAfter(stuck, 300)).state, 'pending');
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
    // FIXME: Retry-After in its HTTP-date form (RFC 9110 allows both) is not read, so the
    // server's request to wait about 5000 ms is lost. It should give retryAfterMs of about
    // 5000; pinned: undefined.
    assert.equal(error.retryAfterMs, undefined);
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
    const admin = client();
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
    const gone = new ContainerSecurityClient({ baseUrl: url, token: TOKENS.admin });
    await rejects(gone.listSensorProfiles(), { code: 'NETWORK' });
  });
});
