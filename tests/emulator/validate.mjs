// The rules the emulator applies to requests on its own, so that a request which bypasses
// a client's validation is still judged as the real service would. Each rule throws a 400
// whose message names the field, and returns the value it accepted.

import { badRequest } from './errors.mjs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::\d{12}:role\/[\w+=,.@/-]+$/;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;
const DIGITS = /^\d+$/;

const WEEK_DAYS = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

// Zero is in the set because the release notes' own list sample answers `"days": 0`, and
// a schedule read from the server must be accepted when it is sent back unchanged.
const FILTER_DAYS = new Set([0, 1, 2, 3, 4, 5, 6, 7, 14]);

const MAX_PAGE_SIZE = 1000;
const DEFAULT_PAGE_SIZE = 50;

/** Tells whether a value is a JSON object (not null, not an array). */
export function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Accepts a UUID in 8-4-4-4-12 hexadecimal form and returns it in lower case. */
export function uuid(value, field) {
  if (typeof value !== 'string' || !UUID.test(value)) {
    badRequest(`${field} must be a UUID (8-4-4-4-12 hexadecimal digits)`);
  }
  return value.toLowerCase();
}

/** Accepts an IAM role ARN in one of the three AWS partitions. */
export function roleArn(value, field) {
  if (typeof value !== 'string' || !ROLE_ARN.test(value)) {
    badRequest(`${field} must be an IAM role ARN, arn:<partition>:iam::<12 digits>:role/<name>`);
  }
  return value;
}

/** Accepts a JSON object body, naming the endpoint's expectation when it is not one. */
export function objectBody(body) {
  if (!isObject(body)) {
    badRequest('The request body must be a JSON object');
  }
  return body;
}

// Reads one paging parameter; a parameter that is present must be a whole number.
function pageParameter(query, name, fallback, min, max) {
  if (!query.has(name)) {
    return fallback;
  }
  const text = query.get(name);
  const value = DIGITS.test(text) ? Number(text) : NaN;
  if (!(value >= min && value <= max)) {
    const range = max === Infinity ? `at least ${min}` : `from ${min} to ${max}`;
    badRequest(`${name} must be a whole number ${range}`);
  }
  return value;
}

/** Reads `pageNumber` (from 1) and `pageSize` (1 to 1000), defaulting to page 1 of 50. */
export function paging(query) {
  return {
    pageNumber: pageParameter(query, 'pageNumber', 1, 1, Infinity),
    pageSize: pageParameter(query, 'pageSize', DEFAULT_PAGE_SIZE, 1, MAX_PAGE_SIZE),
  };
}

/** Cuts one page out of a list and wraps it as the API's `{data, count}`. */
export function page(items, { pageNumber, pageSize }) {
  const start = (pageNumber - 1) * pageSize;
  return { data: items.slice(start, start + pageSize), count: items.length };
}

// Treats an absent field and a null one alike, as the service does for optional fields.
function given(value) {
  return value !== undefined && value !== null;
}

function optionalBoolean(body, field) {
  if (given(body[field]) && typeof body[field] !== 'boolean') {
    badRequest(`${field} must be true or false`);
  }
  return body[field] ?? undefined;
}

function positiveInteger(value, field) {
  if (!Number.isInteger(value) || value < 1) {
    badRequest(`${field} must be a positive integer`);
  }
  return value;
}

// Reads the interval under either spelling; both spellings with different values would
// leave the schedule ambiguous, so that is refused.
function interval(body) {
  const primary = body.scheduleIntervalInDays;
  const alternative = body.scheduleScanIntervalInDays;
  if (given(primary) && given(alternative) && primary !== alternative) {
    badRequest('scheduleIntervalInDays and scheduleScanIntervalInDays disagree');
  }
  const field = given(primary) ? 'scheduleIntervalInDays' : 'scheduleScanIntervalInDays';
  const value = given(primary) ? primary : alternative;
  if (!given(value)) {
    return null;
  }
  if (!Number.isInteger(value) || value < 1 || value > 365) {
    badRequest(`${field} must be an integer from 1 to 365`);
  }
  return value;
}

function weekDay(value, intervalInDays) {
  if (!given(value)) {
    if (intervalInDays === 7) {
      badRequest('weekDay is required when scheduleIntervalInDays is 7');
    }
    return null;
  }
  if (!WEEK_DAYS.includes(value)) {
    badRequest(`weekDay must be one of ${WEEK_DAYS.join(', ')}`);
  }
  if (intervalInDays !== 7) {
    badRequest('weekDay is valid only when scheduleIntervalInDays is 7');
  }
  return value;
}

function repoTag(tag, field) {
  if (!isObject(tag)) {
    badRequest(`${field} must be an object with repo and tag`);
  }
  if (typeof tag.repo !== 'string' || tag.repo.length === 0) {
    badRequest(`${field}.repo must be a non-empty string`);
  }
  if (given(tag.tag) && typeof tag.tag !== 'string') {
    badRequest(`${field}.tag must be a string or null`);
  }
}

function filter(entry, field) {
  if (!isObject(entry)) {
    badRequest(`${field} must be an object`);
  }
  if (given(entry.days) && !FILTER_DAYS.has(entry.days)) {
    badRequest(`${field}.days must be null, 0, 1 to 7 or 14`);
  }
  if (given(entry.repoTags)) {
    if (!Array.isArray(entry.repoTags)) {
      badRequest(`${field}.repoTags must be an array`);
    }
    entry.repoTags.forEach((tag, index) => repoTag(tag, `${field}.repoTags[${index}]`));
  }
}

function filters(value) {
  if (!given(value)) {
    return [];
  }
  if (!Array.isArray(value)) {
    badRequest('filters must be an array');
  }
  value.forEach((entry, index) => filter(entry, `filters[${index}]`));
  return value;
}

function additionalFilters(value) {
  if (!given(value)) {
    return null;
  }
  if (!isObject(value)) {
    badRequest('additionalFilters must be an object');
  }
  if (given(value.numberOfTags)) {
    positiveInteger(value.numberOfTags, 'additionalFilters.numberOfTags');
  }
  if (given(value.sortCriteria) && typeof value.sortCriteria !== 'string') {
    badRequest('additionalFilters.sortCriteria must be a string');
  }
  return value;
}

function timeOfDay(value, onDemand) {
  if (!given(value)) {
    if (!onDemand) {
      badRequest('schedule is required for an automatic schedule, as "HH:MM" in UTC');
    }
    return null;
  }
  if (typeof value !== 'string' || !TIME_OF_DAY.test(value)) {
    badRequest('schedule must be a time of day "HH:MM" from 00:00 to 23:59');
  }
  return value;
}

/**
 * The fields a schedule's owner sets; all others are the server's. A body read from the
 * server may carry the server's fields, and they are ignored rather than refused, so that
 * a schedule can be sent back unchanged.
 */
const SERVER_SCHEDULE_FIELDS = new Set([
  'scheduleUuid',
  'created',
  'updated',
  'jobStartDate',
  'jobCompletionDate',
  'errors',
  'status',
  'jobListingStartDate',
  'jobListingCompletionDate',
  'jobScanningStartDate',
  'jobScanningCompletionDate',
]);

const EDITABLE_SCHEDULE_FIELDS = new Set([
  'onDemand',
  'name',
  'schedule',
  'filters',
  'additionalFilters',
  'forceScan',
  'scheduleIntervalInDays',
  'scheduleScanIntervalInDays',
  'weekDay',
]);

/**
 * Judges a schedule body and returns its owner-set fields, with the interval under its
 * primary spelling. Fields the emulator does not know (such as `registryType`) are kept
 * in `extra` so that what a client sent stays observable.
 */
export function scheduleBody(body) {
  objectBody(body);
  const onDemand = optionalBoolean(body, 'onDemand') ?? false;
  if (given(body.name) && typeof body.name !== 'string') {
    badRequest('name must be a string or null');
  }
  const intervalInDays = interval(body);
  const fields = {
    onDemand,
    name: body.name ?? null,
    schedule: timeOfDay(body.schedule, onDemand),
    filters: filters(body.filters),
    additionalFilters: additionalFilters(body.additionalFilters),
    forceScan: optionalBoolean(body, 'forceScan') ?? false,
    scheduleIntervalInDays: intervalInDays,
    weekDay: weekDay(body.weekDay, intervalInDays),
  };
  const extra = Object.fromEntries(
    Object.entries(body).filter(
      ([key]) => !EDITABLE_SCHEDULE_FIELDS.has(key) && !SERVER_SCHEDULE_FIELDS.has(key),
    ),
  );
  return { fields, extra };
}

/** Judges a sensor profile body: the one rule the service states is a non-empty name. */
export function profileBody(body) {
  objectBody(body);
  if (typeof body.profileName !== 'string' || body.profileName.trim().length === 0) {
    badRequest('profileName must be a non-empty string');
  }
  return body;
}
