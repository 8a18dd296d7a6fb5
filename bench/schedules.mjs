// Realistic registry schedules for the benches, shaped like the release notes' list sample
// (tests/emulator/seed.mjs, tests/fixtures/list_schedules_response.json): every field of
// the sample, in its order, with values that vary from one schedule to the next. The same
// seed gives the same schedules on every run.
//
// Timestamps come in the forms the package documents: mostly strings of epoch
// milliseconds (as the sample sends them), some numbers, a few ISO-8601 strings; jobs
// that have not run carry `null`.

import { mulberry32 } from '../tests/js/helpers.mjs';

const WEEK_DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];
const INTERVALS = [1, 1, 2, 3, 7, 7, 7, 14, 30];
const FILTER_DAYS = [null, 0, 1, 2, 3, 4, 5, 6, 7, 14];
const TAGS = [null, null, 'latest', 'stable', 'v1.4.2', '2023.01.18', 'release-candidate'];
const REPOS = [
  'qualysdockerhub/tamilnadu_shubham', 'azuretest', 'library/nginx', 'platform/api-gateway',
  'payments/ledger-service', 'ml/feature-store', 'internal/base-images/debian-slim',
  'team-blue/frontend', 'ops/prometheus-exporter', 'security/scanner-sidecar',
];
const STATUSES = ['Finished', 'Finished', 'Finished', 'Created', 'Running', 'Failed'];
const SORT_CRITERIA = ['createdDate', 'updatedDate'];
const NAMES = ['Nightly scan', 'Weekly production images', 'Release tags', 'Automatic Scan Schedule'];

// 2023-01-18, the day of the release notes' sample.
const BASE_MS = 1_674_040_668_619;
const DAY_MS = 86_400_000;

function pick(random, list) {
  return list[Math.floor(random() * list.length)];
}

function hex(random, digits) {
  let text = '';
  for (let i = 0; i < digits; i += 1) {
    text += Math.floor(random() * 16).toString(16);
  }
  return text;
}

/** A random lower-case UUID (version 4 layout), as the emulator makes them. */
export function randomUuid(random) {
  const variant = '89ab'[Math.floor(random() * 4)];
  return `${hex(random, 8)}-${hex(random, 4)}-4${hex(random, 3)}-${variant}${hex(random, 3)}-` +
    hex(random, 12);
}

// One timestamp in one of the wire forms: 75% strings of digits, 20% numbers, 5% ISO.
function wireTimestamp(random, ms) {
  const form = random();
  if (form < 0.75) {
    return String(ms);
  }
  if (form < 0.95) {
    return ms;
  }
  return new Date(ms).toISOString();
}

/** Epoch milliseconds of a wire timestamp, as the package exposes it (`null` stays). */
export function exposedTimestamp(value) {
  if (value === null) {
    return null;
  }
  if (typeof value === 'number') {
    return value;
  }
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

function pad(number) {
  return String(number).padStart(2, '0');
}

/**
 * The fields a schedule's owner sets (what `createRegistrySchedule` takes), for schedule
 * `index`: an automatic schedule with 1 to 3 filters of 1 to 4 repositories each.
 */
function ownerFields(random, index) {
  const interval = pick(random, INTERVALS);
  const filters = [];
  const filterCount = 1 + Math.floor(random() * 3);
  for (let f = 0; f < filterCount; f += 1) {
    const repoTags = [];
    const tagCount = 1 + Math.floor(random() * 4);
    for (let t = 0; t < tagCount; t += 1) {
      repoTags.push({ repo: pick(random, REPOS), tag: pick(random, TAGS) });
    }
    filters.push({ repoTags, days: pick(random, FILTER_DAYS) });
  }
  return {
    name: random() < 0.3 ? null : `${pick(random, NAMES)} ${index + 1}`,
    schedule: `${pad(Math.floor(random() * 24))}:${pad(Math.floor(random() * 60))}`,
    filters,
    additionalFilters: random() < 0.2
      ? null
      : { numberOfTags: 1 + Math.floor(random() * 10), sortCriteria: pick(random, SORT_CRITERIA) },
    forceScan: random() < 0.5,
    scheduleIntervalInDays: interval,
    weekDay: interval === 7 ? pick(random, WEEK_DAYS) : null,
  };
}

/**
 * The fields only the server sets (status, errors, the timestamps), consistent with the
 * status: a finished job has every date, a running one no completion, a created one none.
 */
function serverFields(random) {
  const status = pick(random, STATUSES);
  const created = BASE_MS - Math.floor(random() * 400 * DAY_MS);
  const updated = created + Math.floor(random() * 30 * DAY_MS);
  const started = updated + Math.floor(random() * 3_600_000);
  const listed = started + 1_000 + Math.floor(random() * 60_000);
  const scanned = listed + 5_000 + Math.floor(random() * 600_000);
  const ran = status !== 'Created';
  const done = status === 'Finished' || status === 'Failed';
  const at = (condition, ms) => (condition ? wireTimestamp(random, ms) : null);
  return {
    created: wireTimestamp(random, created),
    updated: wireTimestamp(random, updated),
    jobStartDate: at(ran, started),
    jobCompletionDate: at(done, scanned),
    errors: status === 'Failed'
      ? [{ code: 'REGISTRY_UNREACHABLE', message: 'The registry did not answer within 60 s' }]
      : null,
    status,
    jobListingStartDate: at(ran, started),
    jobListingCompletionDate: at(done || random() < 0.5, listed),
    jobScanningStartDate: at(done, listed),
    jobScanningCompletionDate: at(done, scanned),
  };
}

/** Orders a schedule's fields as the release notes' sample does. */
function inSampleOrder(uuid, owner, server, onDemand) {
  return {
    scheduleUuid: uuid,
    onDemand,
    created: server.created,
    updated: server.updated,
    jobStartDate: server.jobStartDate,
    jobCompletionDate: server.jobCompletionDate,
    name: owner.name,
    errors: server.errors,
    schedule: owner.schedule,
    filters: owner.filters,
    additionalFilters: owner.additionalFilters,
    status: server.status,
    jobListingStartDate: server.jobListingStartDate,
    jobListingCompletionDate: server.jobListingCompletionDate,
    jobScanningStartDate: server.jobScanningStartDate,
    jobScanningCompletionDate: server.jobScanningCompletionDate,
    forceScan: owner.forceScan,
    scheduleIntervalInDays: owner.scheduleIntervalInDays,
    weekDay: owner.weekDay,
  };
}

/**
 * `count` schedules as the server sends them (JSON-ready objects); one in ten is an
 * on-demand scan, which has no time of day, interval or week day.
 */
export function wireSchedules(count, seed = 5000) {
  const random = mulberry32(seed);
  const schedules = [];
  for (let index = 0; index < count; index += 1) {
    const uuid = randomUuid(random);
    const owner = ownerFields(random, index);
    const onDemand = random() < 0.1;
    if (onDemand) {
      Object.assign(owner, { schedule: null, scheduleIntervalInDays: null, weekDay: null });
    }
    schedules.push(inSampleOrder(uuid, owner, serverFields(random), onDemand));
  }
  return schedules;
}

/**
 * `count` pairs of `{ input, server }`: `input` for `createRegistrySchedule` (automatic
 * schedules only, as the API creates them), `server` the server-owned fields to set on
 * the created schedule afterwards through the emulator's PATCH support route.
 */
export function schedulesToCreate(count, seed = 50) {
  const random = mulberry32(seed);
  const pairs = [];
  for (let index = 0; index < count; index += 1) {
    const owner = ownerFields(random, index);
    const input = { ...owner, onDemand: false };
    for (const key of ['name', 'additionalFilters', 'weekDay']) {
      if (input[key] === null) {
        delete input[key];
      }
    }
    pairs.push({ input, server: serverFields(random) });
  }
  return pairs;
}
