// One probe of the installed package, run the same way by every packaging test: Node
// ESM, CommonJS, a Vite build, a plain browser page and a Web Worker. `probe` is written
// out as source into each of those (`String(probe)`), so it must use nothing but its
// arguments: the loaded package, the emulator's URL and the fixtures.

import { SEED, TOKENS } from '../emulator/server.mjs';

/** What the probe needs besides the URL: tokens and seeded ids (never printed). */
export const PROBE_FIXTURES = Object.freeze({
  adminToken: TOKENS.admin,
  viewerToken: TOKENS.viewer,
  registryId: SEED.registryId,
  profileId: SEED.defaultProfileId,
});

/**
 * Three real calls against the emulator (a schedule listing, a profile listing and a
 * refused delete) and two synchronous functions, reduced to plain data.
 */
export async function probe(q, baseUrl, fixtures) {
  await q.ready;
  const admin = new q.ContainerSecurityClient({ baseUrl, token: fixtures.adminToken });
  const schedules = await admin.listRegistrySchedules(fixtures.registryId);
  const viewer = new q.ContainerSecurityClient({ baseUrl, token: fixtures.viewerToken });
  const profiles = await viewer.listSensorProfiles();
  let refused = null;
  try {
    await viewer.deleteSensorProfile(fixtures.profileId);
  } catch (error) {
    refused = {
      isContainerSecurityError: error instanceof q.ContainerSecurityError,
      isError: error instanceof Error,
      name: error.name,
      code: error.code,
      status: error.status,
      serverErrorCode: error.serverErrorCode,
      permission: error.permission,
    };
  }
  const first = schedules.data[0];
  return {
    schedule: {
      scheduleUuid: first.scheduleUuid,
      schedule: first.schedule,
      weekDay: first.weekDay,
      created: first.created,
      count: schedules.count,
    },
    profiles: profiles.data.map((profile) => [profile.profileUuid, profile.profileName]),
    profileCount: profiles.count,
    refused,
    invalidFields: q.validateRegistrySchedule({ schedule: '24:00' }).map((issue) => issue.field),
    gateway: q.gatewayUrl('EU1'),
    exports: Object.keys(q).filter((key) => key !== 'default' && key !== 'module.exports').sort(),
  };
}

/** What `probe` resolves to against a freshly seeded emulator. */
export function expectedProbeResult() {
  return {
    schedule: {
      scheduleUuid: SEED.scheduleId,
      schedule: '11:19',
      weekDay: 'WEDNESDAY',
      created: 1674040668619,
      count: 1,
    },
    profiles: [
      [SEED.defaultProfileId, 'Default General Profile'],
      [SEED.registryProfileId, 'Registry sensors'],
    ],
    profileCount: 2,
    refused: {
      isContainerSecurityError: true,
      isError: true,
      name: 'ContainerSecurityError',
      code: 'FORBIDDEN',
      status: 403,
      serverErrorCode: '403 FORBIDDEN',
      permission: 'CS.SENSOR_PROFILE.DELETE',
    },
    invalidFields: ['schedule'],
    gateway: 'https://gateway.qg1.apps.qualys.eu',
    exports: [
      'ContainerSecurityClient', 'ContainerSecurityError', 'ERROR_CODES', 'PLATFORMS',
      'gatewayUrl', 'login', 'ready', 'requiredPermission', 'validateRegistrySchedule',
    ],
  };
}

/** The API requests a probe sends, in order, as `method path status`. */
export function expectedProbeRequests() {
  return [
    `GET /csapi/v1.3/registry/${SEED.registryId}/schedule 200`,
    'GET /csapi/v1.3/sensorProfile 200',
    `DELETE /csapi/v1.3/sensorProfile/${SEED.defaultProfileId} 403`,
  ];
}
