// The emulator's users, tokens and seeded state. Each call of `seedState` builds fresh
// objects, so a reset can never share a mutated object with the state it replaces.

/** The bearer tokens the emulator accepts; any other token is answered with 401. */
export const TOKENS = Object.freeze({
  admin: 'admin-token',
  viewer: 'viewer-token',
  none: 'none-token',
});

/** The ids of the seeded state, so that tests need not repeat the literals. */
export const SEED = Object.freeze({
  // The registry of the release notes' list sample; it holds the sample schedule.
  registryId: 'ef91aff4-5679-4c0d-9fc0-523ca7f218f4',
  // The Azure registry of the release notes' create sample; it starts with no schedule.
  emptyRegistryId: 'fd05c5d5-7583-4e47-b538-c8b414bd9c86',
  scheduleId: '633e7b79-c43d-4bb2-bd07-c8a06edc8a4c',
  // The release notes' ACR connector, free to delete.
  acrConnectorId: 'f3c6d648-81d8-11ed-a1eb-0242ac120003',
  // An ACR connector associated with the empty registry, so its deletion answers 412.
  associatedAcrConnectorId: '5b0e2c1a-7d3f-4e8b-9a61-2f4c8d9e0b17',
  // The release notes' ECR connector, free to delete.
  awsConnectorArn: 'arn:aws:iam::362990800442:role/test_UID1',
  // An ECR connector associated with the empty registry, so its deletion answers 412.
  associatedAwsConnectorArn: 'arn:aws:iam::362990800442:role/associated_UID2',
  defaultProfileId: '6963d471-7598-4d4d-b95c-e540c75745b2',
  registryProfileId: '0c8f3a1e-2b4d-4f6a-8c9e-1d2f3a4b5c6d',
});

/** Every permission the emulator checks, in the `CS.<AREA>.<ACTION>` pattern. */
export const PERMISSIONS = Object.freeze({
  registryView: 'CS.REGISTRY.VIEW',
  registryCreate: 'CS.REGISTRY.CREATE',
  registryUpdate: 'CS.REGISTRY.UPDATE',
  registryDelete: 'CS.REGISTRY.DELETE',
  profileView: 'CS.SENSOR_PROFILE.VIEW',
  profileCreate: 'CS.SENSOR_PROFILE.CREATE',
  profileUpdate: 'CS.SENSOR_PROFILE.UPDATE',
  profileDelete: 'CS.SENSOR_PROFILE.DELETE',
});

// The viewer's user name is the one the release notes' 403 samples print, so that the
// emulator's refusals read exactly like those samples.
const USERS = new Map([
  [TOKENS.admin, { userName: 'qualys_admin', permissions: Object.values(PERMISSIONS) }],
  [TOKENS.viewer, { userName: 'quays_xb42', permissions: [PERMISSIONS.profileView] }],
  [TOKENS.none, { userName: 'qualys_none', permissions: [] }],
]);

/** Finds the user a token stands for, or undefined for an unknown token. */
export function userForToken(token) {
  return USERS.get(token);
}

/** Lists the users for the CLI's banner, in the order of `TOKENS`. */
export function describeUsers() {
  return [...USERS].map(([token, user]) => ({ token, ...user }));
}

// The list sample of the release notes, field for field and in its order, including the
// string timestamps and `"days": 0`.
export function sampleSchedule() {
  return {
    scheduleUuid: SEED.scheduleId,
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
  };
}

// Each profile carries `customerTag`, a field no client models, so that a test can see
// whether a client keeps unknown fields through a read and a write.
function seedProfiles() {
  return [
    {
      profileUuid: SEED.defaultProfileId,
      profileName: 'Default General Profile',
      description: 'The profile every general sensor uses unless another is assigned',
      profileType: 'General',
      isDefault: true,
      created: '1672531200000',
      updated: '1675678279909',
      associatedRegistries: [],
      associatedSensors: ['b7e4c1d2-3f5a-4b6c-8d9e-0a1b2c3d4e5f'],
      config: {
        blackoutWindows: [{ day: 'SUNDAY', start: '01:00', end: '03:00' }],
        vulnerabilityManagement: { scanIntervalHours: 24 },
        performance: { cpuLimitPercent: 20 },
      },
      customerTag: 'emulator-only',
    },
    {
      profileUuid: SEED.registryProfileId,
      profileName: 'Registry sensors',
      description: 'Sensors that scan the seeded registries',
      profileType: 'Registry',
      isDefault: false,
      created: '1674040000000',
      updated: '1674040668619',
      associatedRegistries: [SEED.registryId, SEED.emptyRegistryId],
      associatedSensors: [],
      config: {
        blackoutWindows: [{ day: 'SATURDAY', start: '22:00', end: '23:30' }],
        vulnerabilityManagement: { scanIntervalHours: 12 },
        performance: { cpuLimitPercent: 10 },
      },
      customerTag: 'emulator-only',
    },
  ];
}

/**
 * Builds the seeded state. Maps keep insertion order, so listings come out in the order
 * things were seeded or created.
 */
export function seedState() {
  return {
    schedules: new Map([
      [SEED.registryId, [sampleSchedule()]],
      [SEED.emptyRegistryId, []],
    ]),
    acrConnectors: new Map([
      [SEED.acrConnectorId, { connectorId: SEED.acrConnectorId, registryId: null }],
      [
        SEED.associatedAcrConnectorId,
        { connectorId: SEED.associatedAcrConnectorId, registryId: SEED.emptyRegistryId },
      ],
    ]),
    awsConnectors: new Map([
      [SEED.awsConnectorArn, { arn: SEED.awsConnectorArn, registryId: null }],
      [
        SEED.associatedAwsConnectorArn,
        { arn: SEED.associatedAwsConnectorArn, registryId: SEED.emptyRegistryId },
      ],
    ]),
    profiles: new Map(seedProfiles().map((profile) => [profile.profileUuid, profile])),
  };
}

/** Turns the state into plain JSON for `GET /__emulator/state`. */
export function stateToJson(state) {
  return {
    connectors: {
      acr: [...state.acrConnectors.values()],
      aws: [...state.awsConnectors.values()],
    },
    schedules: Object.fromEntries(state.schedules),
    profiles: [...state.profiles.values()],
  };
}
