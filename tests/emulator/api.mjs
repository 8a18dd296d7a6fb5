// The emulated v1.22 endpoints under /csapi/v1.3: the route table, the bearer-token and
// permission checks, and one handler per endpoint. Nothing here knows about sockets; the
// server hands in a request summary and gets back a status and an optional JSON body.

import { randomUUID } from 'node:crypto';

import { ApiError, badRequest, notFound } from './errors.mjs';
import { PERMISSIONS, userForToken } from './seed.mjs';
import {
  objectBody,
  page,
  paging,
  profileBody,
  roleArn,
  scheduleBody,
  uuid,
} from './validate.mjs';

/** The prefix of every emulated endpoint. */
export const API_PREFIX = '/csapi/v1.3';

const ASSOCIATED_CONNECTOR = 'The connector is associated with a registry and cannot be deleted';

// A refused GET names no user and a refused write names the user, exactly as the release
// notes' 403 samples do.
function forbiddenMessage(method, user, permission) {
  const subject = method === 'GET' ? 'The user' : `The ${user.userName} user`;
  return (
    `${subject} does not have the ${permission} permission to perform this operation. ` +
    'Ensure that required permissions are assigned to the user'
  );
}

// `userFor` is the seeded tokens' lookup unless the server hands in one that also knows
// the JWTs its login issued; it may throw a 401 of its own for an expired token.
function authenticate(authorization, userFor = userForToken) {
  if (!authorization) {
    throw new ApiError(401, 'The request has no Authorization header with a bearer token');
  }
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization);
  if (!match) {
    throw new ApiError(401, 'The Authorization header must read "Bearer <token>"');
  }
  const user = userFor(match[1]);
  if (!user) {
    throw new ApiError(401, 'The bearer token is not valid or has expired');
  }
  return user;
}

function authorize(method, user, permission) {
  if (!user.permissions.includes(permission)) {
    throw new ApiError(403, forbiddenMessage(method, user, permission));
  }
}

function nowText() {
  return String(Date.now());
}

function schedulesOf(state, registryId) {
  const schedules = state.schedules.get(registryId);
  if (!schedules) {
    notFound(`No registry has the id ${registryId}`);
  }
  return schedules;
}

// Builds a stored schedule in the field order of the release notes' list sample, taking
// the server-owned fields from `server` and the owner-set ones from `fields`.
function scheduleRecord(server, fields, extra) {
  return {
    scheduleUuid: server.scheduleUuid,
    onDemand: fields.onDemand,
    created: server.created,
    updated: server.updated,
    jobStartDate: server.jobStartDate,
    jobCompletionDate: server.jobCompletionDate,
    name: fields.name,
    errors: server.errors,
    schedule: fields.schedule,
    filters: fields.filters,
    additionalFilters: fields.additionalFilters,
    status: server.status,
    jobListingStartDate: server.jobListingStartDate,
    jobListingCompletionDate: server.jobListingCompletionDate,
    jobScanningStartDate: server.jobScanningStartDate,
    jobScanningCompletionDate: server.jobScanningCompletionDate,
    forceScan: fields.forceScan,
    scheduleIntervalInDays: fields.scheduleIntervalInDays,
    weekDay: fields.weekDay,
    ...extra,
  };
}

function newScheduleServerFields() {
  const now = nowText();
  return {
    scheduleUuid: randomUUID(),
    created: now,
    updated: now,
    jobStartDate: null,
    jobCompletionDate: null,
    errors: null,
    status: 'Created',
    jobListingStartDate: null,
    jobListingCompletionDate: null,
    jobScanningStartDate: null,
    jobScanningCompletionDate: null,
  };
}

function deleteAcrConnector({ state, json }) {
  const connectorId = uuid(objectBody(json()).connectorId, 'connectorId');
  return deleteConnector(state.acrConnectors, connectorId, 'ACR connector');
}

function deleteAwsConnector({ state, json }) {
  const arn = roleArn(objectBody(json()).arn, 'arn');
  return deleteConnector(state.awsConnectors, arn, 'AWS connector');
}

function deleteConnector(connectors, key, kind) {
  const connector = connectors.get(key);
  if (!connector) {
    notFound(`No ${kind} is named ${key}`);
  }
  if (connector.registryId !== null) {
    throw new ApiError(412, ASSOCIATED_CONNECTOR);
  }
  connectors.delete(key);
  return { status: 200 };
}

function listSchedules({ state, params, query }) {
  const registryId = uuid(params[0], 'registryId');
  const pageRequest = paging(query);
  return { status: 200, body: page(schedulesOf(state, registryId), pageRequest) };
}

// The release notes' create sample answers `profileUuid`, so the new id goes under that
// name even though it names a schedule.
function createSchedule({ state, params, json }) {
  const registryId = uuid(params[0], 'registryId');
  const { fields, extra } = scheduleBody(json());
  const schedules = schedulesOf(state, registryId);
  const schedule = scheduleRecord(newScheduleServerFields(), fields, extra);
  schedules.push(schedule);
  return { status: 200, body: { profileUuid: schedule.scheduleUuid } };
}

// Only idle automatic schedules can be updated. A body asking for an on-demand schedule
// is refused with the body's other faults; the stored schedule's state is judged after
// the ids are known to exist.
function updateSchedule({ state, params, json }) {
  const registryId = uuid(params[0], 'registryId');
  const scheduleId = uuid(params[1], 'scheduleId');
  const { fields, extra } = scheduleBody(json());
  if (fields.onDemand) {
    badRequest('onDemand must be false: only automatic schedules can be updated');
  }
  const schedules = schedulesOf(state, registryId);
  const index = schedules.findIndex((schedule) => schedule.scheduleUuid === scheduleId);
  if (index < 0) {
    notFound(`Registry ${registryId} has no schedule ${scheduleId}`);
  }
  const stored = schedules[index];
  if (stored.onDemand) {
    badRequest(`Schedule ${scheduleId} is on demand: only automatic schedules can be updated`);
  }
  if (stored.status === 'Running') {
    badRequest(`Schedule ${scheduleId} is running: only idle schedules can be updated`);
  }
  schedules[index] = scheduleRecord({ ...stored, updated: nowText() }, fields, extra);
  return { status: 200 };
}

// The server owns a profile's id and timestamps; every other field of a body is stored
// as given, unknown ones included.
function profileRecord(profileUuid, body, created) {
  const owned = new Set(['profileUuid', 'created', 'updated']);
  const given = Object.entries(body).filter(([key]) => !owned.has(key));
  return { profileUuid, ...Object.fromEntries(given), created, updated: nowText() };
}

function profileOf(state, profileId) {
  const profile = state.profiles.get(profileId);
  if (!profile) {
    notFound(`No sensor profile has the id ${profileId}`);
  }
  return profile;
}

function listProfiles({ state, query }) {
  return { status: 200, body: page([...state.profiles.values()], paging(query)) };
}

function getProfile({ state, params }) {
  return { status: 200, body: profileOf(state, uuid(params[0], 'sensorProfileId')) };
}

function createProfile({ state, json }) {
  const body = profileBody(json());
  const profileUuid = randomUUID();
  state.profiles.set(profileUuid, profileRecord(profileUuid, body, nowText()));
  return { status: 200, body: { profileUuid } };
}

function updateProfile({ state, params, json }) {
  const profileId = uuid(params[0], 'sensorProfileId');
  const body = profileBody(json());
  const existing = profileOf(state, profileId);
  state.profiles.set(profileId, profileRecord(profileId, body, existing.created));
  return { status: 200 };
}

function deleteProfile({ state, params }) {
  const profileId = uuid(params[0], 'sensorProfileId');
  profileOf(state, profileId);
  state.profiles.delete(profileId);
  return { status: 200 };
}

const ROUTES = [
  ['DELETE', /^\/registry\/acr\/connector$/, PERMISSIONS.registryDelete, deleteAcrConnector],
  ['DELETE', /^\/registry\/aws\/connector$/, PERMISSIONS.registryDelete, deleteAwsConnector],
  ['GET', /^\/registry\/([^/]+)\/schedule$/, PERMISSIONS.registryView, listSchedules],
  ['POST', /^\/registry\/([^/]+)\/schedule$/, PERMISSIONS.registryCreate, createSchedule],
  ['PUT', /^\/registry\/([^/]+)\/schedule\/([^/]+)$/, PERMISSIONS.registryUpdate, updateSchedule],
  ['GET', /^\/sensorProfile$/, PERMISSIONS.profileView, listProfiles],
  ['GET', /^\/sensorProfile\/([^/]+)$/, PERMISSIONS.profileView, getProfile],
  ['POST', /^\/sensorProfile$/, PERMISSIONS.profileCreate, createProfile],
  ['PUT', /^\/sensorProfile\/([^/]+)$/, PERMISSIONS.profileUpdate, updateProfile],
  ['DELETE', /^\/sensorProfile\/([^/]+)$/, PERMISSIONS.profileDelete, deleteProfile],
].map(([method, pattern, permission, handler]) => ({ method, pattern, permission, handler }));

function findRoute(method, pathname) {
  if (!pathname.startsWith(`${API_PREFIX}/`)) {
    return undefined;
  }
  const rest = pathname.slice(API_PREFIX.length);
  for (const route of ROUTES) {
    const match = route.method === method ? route.pattern.exec(rest) : null;
    if (match) {
      return { route, rawParams: match.slice(1) };
    }
  }
  return undefined;
}

function decodeParams(rawParams) {
  try {
    return rawParams.map((param) => decodeURIComponent(param));
  } catch {
    return badRequest('The path holds malformed percent-encoding');
  }
}

// The body is parsed only when a handler asks for it, after the permission check, so a
// refused caller learns nothing about its body.
function jsonReader(rawBody) {
  return () => {
    if (rawBody.length === 0) {
      badRequest('The request body is missing; this endpoint takes a JSON body');
    }
    try {
      return JSON.parse(rawBody);
    } catch (error) {
      return badRequest(`The request body is not valid JSON: ${error.message}`);
    }
  };
}

/**
 * Answers one API request. Authentication comes first for every path under /csapi, so an
 * unknown route is only revealed to a known caller. Then the checks run in the order
 * 403, 400, 404, 412, each inside the handler's statements. `userFor`, when given,
 * finds the user of a bearer token in place of the seeded tokens' lookup.
 */
export function handleApi(state, { method, pathname, query, headers, rawBody, userFor }) {
  const user = authenticate(headers.authorization, userFor);
  const found = findRoute(method, pathname);
  if (!found) {
    notFound(`No endpoint answers ${method} ${pathname}`);
  }
  authorize(method, user, found.route.permission);
  const params = decodeParams(found.rawParams);
  return found.route.handler({ state, params, query, json: jsonReader(rawBody) });
}
