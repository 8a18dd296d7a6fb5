// Hostile JavaScript-shaped input against the built package (imported by name, as its
// users do) and the emulator: a table of inputs that must each be refused with
// `VALIDATION`, naming the field, before anything is sent; what the wasm module must not
// be handed (deep nesting, getters and proxies that throw) or read (deeply nested
// answers), and the call options; a seeded property test that throws thousands of odd
// JavaScript values at every argument of every method; and the known gaps, pinned as
// they behave today.
//
// Behaviour of the package that is wrong today is pinned with a `FIXME:` comment that
// says what it should be. Whatever once broke the wasm module for the rest of the
// process, or the process itself, runs in child processes, so that a regression (or a
// gap pinned as it is) cannot take this file's copy of the module down with it.

import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, beforeEach, describe, test } from 'node:test';

import { SEED, TOKENS, startEmulator } from '../emulator/server.mjs';
import {
  DOCUMENTED_ERROR_CODES,
  UUID,
  mulberry32,
  neverUntilAborted,
  releaseNotesCreateBody,
  retry,
  run,
  seedScheduleAsExposed,
  withinDeadline,
} from './helpers.mjs';

const REPOSITORY_ROOT = fileURLToPath(new URL('../..', import.meta.url));

// Others may rebuild pkg/ while this file starts (scripts/build-pkg.sh swaps the folder
// in one step); a failed import is retried, under a new URL so that a module whose first
// evaluation failed is evaluated again.
const ENTRY = await retry(() => import.meta.resolve('qualys-cs'), { attempts: 10, delayMs: 3_000 });
const {
  ContainerSecurityClient,
  ContainerSecurityError,
  validateRegistrySchedule,
} = await retry(
  (attempt) => import(attempt === 1 ? ENTRY : `${ENTRY}?attempt=${attempt}`),
  { attempts: 10, delayMs: 3_000 },
);

const BOUNDED = { timeout: 30_000 };

// A megabyte of text: far past the 1024 characters any text field may hold.
const MEGABYTE = 'x'.repeat(1024 * 1024);

// Valid ids no seeded resource has: calls with them are sent and answered 404.
const UNKNOWN_CONNECTOR_ID = '00000000-0000-4000-8000-000000000001';
const UNKNOWN_SCHEDULE_ID = '00000000-0000-4000-8000-000000000002';
const UNKNOWN_PROFILE_ID = '00000000-0000-4000-8000-000000000003';
const UNKNOWN_ARN = 'arn:aws:iam::123456789012:role/none';

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

function client(options = {}) {
  // No retries: a hostile input is refused at once, and a call that is sent is sent once.
  return new ContainerSecurityClient({
    baseUrl: emulator.url,
    token: TOKENS.admin,
    retry: false,
    ...options,
  });
}

/** A valid daily schedule (no weekDay), the base most schedule cases change one field of. */
function dailySchedule() {
  return { schedule: '09:30', scheduleIntervalInDays: 1 };
}

/** A valid sensor profile input. */
function profileInput() {
  return { profileName: 'hostile-input profile', description: 'd', profileType: 'General' };
}

/** A copy of `value` with the field at `path` (keys and indexes) set to `replacement`. */
function withField(value, path, replacement) {
  const copy = structuredClone(value);
  let target = copy;
  for (const key of path.slice(0, -1)) {
    target = target[key];
  }
  target[path.at(-1)] = replacement;
  return copy;
}

/** The JSON path the package names a field by: `filters[0].repoTags[0].repo`. */
function fieldName(path) {
  return path
    .map((key, index) => (typeof key === 'number' ? `[${key}]` : `${index === 0 ? '' : '.'}${key}`))
    .join('');
}

function show(value) {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.slice(0, 300);
  } catch {
    return String(value);
  }
}

/** Reads every item of an async iterable; rejects as its first failing page does. */
async function drain(iterable, max = 5) {
  const items = [];
  for await (const item of iterable) {
    items.push(item);
    if (items.length >= max) break;
  }
  return items;
}

// ---------------------------------------------------------------------------------------
// The hostile table
// ---------------------------------------------------------------------------------------

/**
 * Every id argument of every method: `call(client, value)` passes `value` there, with
 * valid values everywhere else.
 */
const ID_ARGUMENTS = [
  { method: 'deleteAcrConnector', field: 'connectorId', call: (c, v) => c.deleteAcrConnector(v) },
  { method: 'listRegistrySchedules', field: 'registryId', call: (c, v) => c.listRegistrySchedules(v) },
  {
    method: 'createRegistrySchedule',
    field: 'registryId',
    call: (c, v) => c.createRegistrySchedule(v, dailySchedule()),
  },
  {
    method: 'updateRegistrySchedule',
    field: 'registryId',
    call: (c, v) => c.updateRegistrySchedule(v, SEED.scheduleId, dailySchedule()),
  },
  {
    method: 'updateRegistrySchedule',
    field: 'scheduleId',
    call: (c, v) => c.updateRegistrySchedule(SEED.registryId, v, dailySchedule()),
  },
  { method: 'getSensorProfile', field: 'sensorProfileId', call: (c, v) => c.getSensorProfile(v) },
  {
    method: 'updateSensorProfile',
    field: 'sensorProfileId',
    call: (c, v) => c.updateSensorProfile(v, profileInput()),
  },
  { method: 'deleteSensorProfile', field: 'sensorProfileId', call: (c, v) => c.deleteSensorProfile(v) },
  {
    method: 'registrySchedules (iterator)',
    field: 'registryId',
    call: (c, v) => drain(c.registrySchedules(v)),
  },
];

/** The numbers JSON cannot carry, each with its label (JSON.stringify shows all three as null). */
const NOT_FINITE = [['NaN', NaN], ['Infinity', Infinity], ['-Infinity', -Infinity]];

const AWS_ARGUMENT = { method: 'deleteAwsConnector', field: 'arn', call: (c, v) => c.deleteAwsConnector(v) };

const id = SEED.registryId;
/** Ids that are not UUIDs, each a way to leave the endpoint's path or to look like one. */
const HOSTILE_IDS = {
  'a path up (../)': '../sensorProfile',
  'a UUID then ../': `${id}/../../sensorProfile`,
  'percent-encoded ../ (%2e%2e%2f)': `%2e%2e%2f${id}`,
  'a percent-encoded UUID (%2e%2e)': `${id.slice(0, -2)}%2e%2e`,
  'a UUID and a slash': `${id}/`,
  'a slash inside': `${id.slice(0, 8)}/${id.slice(9)}`,
  'a query (?)': `${id}?pageSize=1000`,
  'a fragment (#)': `${id}#x`,
  'a trailing space': `${id} `,
  'a leading space': ` ${id}`,
  'a space for a dash': `${id.slice(0, 8)} ${id.slice(9)}`,
  'a newline': `${id}\n`,
  'a NUL character': `${id}\u0000`,
  'a Cyrillic look-alike (е, U+0435)': `\u0435${id.slice(1)}`,
  'a Cyrillic look-alike (а, U+0430)': id.replace('a', '\u0430'),
  'a full-width digit (９, U+FF19)': id.replace('9', '\uff19'),
  'an Arabic-Indic digit (٤, U+0664)': id.replace('4', '\u0664'),
  'one hex digit too many': `${id}0`,
  'a UUID without dashes': id.replaceAll('-', ''),
  'a braced UUID': `{${id}}`,
  'a megabyte-long string': MEGABYTE,
  'an empty string': '',
  'a lone surrogate (U+D800) for its last digit': `${id.slice(0, -1)}\ud800`,
};

const arn = SEED.awsConnectorArn;
/** ARNs that are not IAM role ARNs of an AWS partition. */
const HOSTILE_ARNS = {
  'an S3 bucket ARN': 'arn:aws:s3:::bucket',
  'an EC2 instance ARN': 'arn:aws:ec2:us-east-1:362990800442:instance/i-0abc',
  'an IAM user, not a role': 'arn:aws:iam::362990800442:user/test_UID1',
  'an account of 11 digits': 'arn:aws:iam::36299080044:role/test_UID1',
  'an account of 13 digits': 'arn:aws:iam::3629908004420:role/test_UID1',
  'an account with letters': 'arn:aws:iam::36299080044x:role/test_UID1',
  'an account with a full-width digit': 'arn:aws:iam::36299080044\uff12:role/test_UID1',
  'an unknown partition': 'arn:aws-xx:iam::362990800442:role/test_UID1',
  'an Azure "partition"': 'arn:azure:iam::362990800442:role/test_UID1',
  'a region where IAM has none': 'arn:aws:iam:us-east-1:362990800442:role/test_UID1',
  'no role name': 'arn:aws:iam::362990800442:role/',
  'an empty path segment': 'arn:aws:iam::362990800442:role//test_UID1',
  'a space in the name': 'arn:aws:iam::362990800442:role/test UID1',
  'a query in the name': `${arn}?x=1`,
  'upper-case ARN prefix': arn.replace('arn:', 'ARN:'),
  'a megabyte-long name': `arn:aws:iam::362990800442:role/${MEGABYTE}`,
};

/** Builds the table: `{ name, field, call(client), input? }`. */
function hostileCases() {
  const cases = [];
  const add = (name, field, call, input) => cases.push({ name, field, call, input });

  for (const argument of [...ID_ARGUMENTS, AWS_ARGUMENT]) {
    for (const [label, value] of Object.entries(HOSTILE_IDS)) {
      add(`${argument.method}: ${argument.field} is ${label}`, argument.field, (c) =>
        argument.call(c, value));
    }
    for (const [label, value] of [['null', null], ['undefined', undefined]]) {
      add(`${argument.method}: ${argument.field} is ${label}`, argument.field, (c) =>
        argument.call(c, value));
    }
  }
  for (const [label, value] of Object.entries(HOSTILE_ARNS)) {
    add(`deleteAwsConnector: arn is ${label}`, 'arn', (c) => c.deleteAwsConnector(value));
  }

  // Schedule inputs, each through create and update (and validateRegistrySchedule).
  const scheduleInputs = [];
  const schedule = (name, field, input) => scheduleInputs.push({ name, field, input });
  for (const time of ['24:00', '9:5', '09:60', ' 09:30', '09:30 ', '0930', '09:30:00', '٠٩:٣٠',
    '09\uff1a30', '-1:30', MEGABYTE]) {
    schedule(`schedule is ${show(time.slice(0, 20))}`, 'schedule',
      { ...dailySchedule(), schedule: time });
  }
  for (const interval of [0, 366, 7.5, '7', -7, -0.5, 2 ** 53, true, [7], { days: 7 }]) {
    schedule(`scheduleIntervalInDays is ${show(interval)}`, 'scheduleIntervalInDays',
      { ...dailySchedule(), scheduleIntervalInDays: interval });
  }
  for (const day of ['thursday', 'Thursday', 'FUNDAY', ' THURSDAY', 'THURSDAY\u0000', '', 4,
    MEGABYTE]) {
    schedule(`weekDay is ${show(day.slice?.(0, 20) ?? day)} with interval 7`, 'weekDay',
      { ...dailySchedule(), scheduleIntervalInDays: 7, weekDay: day });
  }
  schedule('weekDay THURSDAY with interval 1', 'weekDay',
    { ...dailySchedule(), weekDay: 'THURSDAY' });
  schedule('weekDay THURSDAY with no interval', 'weekDay',
    { schedule: '09:30', weekDay: 'THURSDAY' });
  schedule('interval 7 with no weekDay', 'weekDay',
    { ...dailySchedule(), scheduleIntervalInDays: 7 });

  const filtered = (filter) => ({ ...dailySchedule(), filters: [filter] });
  for (const days of [8, -1, 1.5, 15, '7']) {
    schedule(`filters[0].days is ${show(days)}`, 'filters[0].days',
      filtered({ days, repoTags: [{ repo: 'a', tag: null }] }));
  }
  for (const repo of ['', '   ', 5]) {
    schedule(`repo is ${show(repo)}`, 'filters[0].repoTags[0].repo',
      filtered({ days: null, repoTags: [{ repo, tag: null }] }));
  }
  schedule('tag is ""', 'filters[0].repoTags[0].tag',
    filtered({ days: null, repoTags: [{ repo: 'a', tag: '' }] }));
  schedule('numberOfTags is 0', 'additionalFilters.numberOfTags',
    { ...dailySchedule(), additionalFilters: { numberOfTags: 0 } });

  // Numbers JSON cannot carry: refused, where the wasm would read them as `null`, "absent".
  for (const [label, value] of NOT_FINITE) {
    schedule(`scheduleIntervalInDays is ${label}`, 'scheduleIntervalInDays',
      { ...dailySchedule(), scheduleIntervalInDays: value });
    schedule(`filters[0].days is ${label}`, 'filters[0].days',
      filtered({ days: value, repoTags: [{ repo: 'a', tag: null }] }));
    schedule(`numberOfTags is ${label}`, 'additionalFilters.numberOfTags',
      { ...dailySchedule(), additionalFilters: { numberOfTags: value } });
  }
  // Text that is not Unicode (a lone surrogate), in values and in keys: refused, where the
  // wasm would replace it with U+FFFD.
  schedule('name has a lone surrogate', 'name', { ...dailySchedule(), name: 'a\udc00' });
  schedule('a repo has a lone surrogate', 'filters[0].repoTags[0].repo',
    filtered({ days: null, repoTags: [{ repo: 'a\ud800b', tag: null }] }));
  schedule('sortCriteria has a lone surrogate', 'additionalFilters.sortCriteria',
    { ...dailySchedule(), additionalFilters: { sortCriteria: '\udbff' } });
  schedule('a key with a lone surrogate', '?', { ...dailySchedule(), '\ud800': 1 });

  // A megabyte in every text field of a schedule.
  const weekly = releaseNotesCreateBody();
  for (const path of [['schedule'], ['name'], ['registryType'], ['weekDay'],
    ['filters', 0, 'repoTags', 0, 'repo'], ['filters', 0, 'repoTags', 0, 'tag'],
    ['additionalFilters', 'sortCriteria']]) {
    schedule(`a megabyte in ${fieldName(path)}`, fieldName(path), withField(weekly, path, MEGABYTE));
  }

  // Reserved keys, as own keys (JSON.parse makes `__proto__` one), at the top and nested.
  schedule('__proto__ at the top', '__proto__', JSON.parse(
    '{"schedule":"09:30","scheduleIntervalInDays":1,"__proto__":{"onDemand":true}}'));
  schedule('constructor at the top', 'constructor',
    { ...dailySchedule(), constructor: { prototype: { polluted: true } } });
  schedule('__proto__ in a filter', 'filters[0].__proto__', JSON.parse(
    '{"schedule":"09:30","filters":[{"repoTags":[{"repo":"a","tag":null}],"__proto__":{"days":7}}]}'));
  schedule('constructor in a repoTag', 'filters[0].repoTags[0].constructor',
    filtered({ days: null, repoTags: [{ repo: 'a', tag: null, constructor: 'x' }] }));
  schedule('__proto__ in additionalFilters', 'additionalFilters.__proto__', JSON.parse(
    '{"schedule":"09:30","additionalFilters":{"__proto__":{"numberOfTags":1}}}'));

  // null and undefined in the fields a schedule cannot do without.
  for (const [path, field] of [
    [['schedule'], 'schedule'],
    [['weekDay'], 'weekDay'],
    // Without the interval, the weekDay the input still has is the one refused.
    [['scheduleIntervalInDays'], 'weekDay'],
    [['filters', 0], 'filters[0]'],
    [['filters', 0, 'repoTags'], 'filters[0].repoTags'],
    [['filters', 0, 'repoTags', 0], 'filters[0].repoTags[0]'],
    [['filters', 0, 'repoTags', 0, 'repo'], 'filters[0].repoTags[0].repo'],
  ]) {
    for (const [label, value] of [['null', null], ['undefined', undefined]]) {
      schedule(`${fieldName(path)} is ${label}`, field, withField(weekly, path, value));
    }
  }
  for (const [label, value] of [['null', null], ['undefined', undefined], ['a string', '09:30'],
    ['an array', [dailySchedule()]], ['a number', 7]]) {
    schedule(`the input is ${label}`, 'input', value);
  }

  for (const { name, field, input } of scheduleInputs) {
    add(`createRegistrySchedule: ${name}`, field,
      (c) => c.createRegistrySchedule(SEED.emptyRegistryId, input), input);
    add(`updateRegistrySchedule: ${name}`, field,
      (c) => c.updateRegistrySchedule(SEED.registryId, SEED.scheduleId, input), input);
  }

  // Sensor profile inputs, each through create and update.
  const profiles = [];
  const profile = (name, field, input) => profiles.push({ name, field, input });
  for (const key of ['profileName', 'description', 'profileType']) {
    profile(`a megabyte in ${key}`, key, { ...profileInput(), [key]: MEGABYTE });
  }
  for (const name of ['', '   ', 7, true, ['a'], { name: 'a' }]) {
    profile(`profileName is ${show(name)}`, 'profileName', { ...profileInput(), profileName: name });
  }
  profile('config is an array', 'config', { ...profileInput(), config: [1] });
  profile('config is a string', 'config', { ...profileInput(), config: 'x' });
  profile('__proto__ at the top', '__proto__',
    JSON.parse('{"profileName":"p","__proto__":{"isDefault":true}}'));
  profile('constructor at the top', 'constructor', { ...profileInput(), constructor: 'x' });
  profile('__proto__ in config', 'config.__proto__',
    JSON.parse('{"profileName":"p","config":{"__proto__":{"polluted":true}}}'));
  profile('constructor deep in config', 'config.a.b.constructor',
    { ...profileInput(), config: { a: { b: { constructor: { prototype: 1 } } } } });
  profile('__proto__ in a list in config', 'config.list[1].__proto__',
    JSON.parse('{"profileName":"p","config":{"list":[{},{"__proto__":{}}]}}'));
  profile('__proto__ in an unmodelled field', 'extra.__proto__',
    JSON.parse('{"profileName":"p","extra":{"__proto__":{}}}'));
  for (const [label, value] of [['null', null], ['undefined', undefined]]) {
    profile(`profileName is ${label}`, 'profileName', { ...profileInput(), profileName: value });
    profile(`the input is ${label}`, 'input', value);
  }
  for (const [label, value] of NOT_FINITE) {
    profile(`${label} in config`, 'config.a', { ...profileInput(), config: { a: value } });
    profile(`${label} in a list in config`, 'config.list[1]',
      { ...profileInput(), config: { list: [1, value] } });
    profile(`${label} in an unmodelled field`, 'extra', { ...profileInput(), extra: value });
  }
  profile('profileName has a lone surrogate', 'profileName',
    { ...profileInput(), profileName: 'a\ud800b' });
  profile('description has a lone surrogate', 'description',
    { ...profileInput(), description: '\udfff' });
  profile('config has a lone surrogate', 'config.note',
    { ...profileInput(), config: { note: 'x\udc00' } });
  profile('a key in config has a lone surrogate', 'config.?',
    { ...profileInput(), config: { '\udc00': 1 } });
  profile('the input is a string', 'input', 'p');
  profile('the input is an array', 'input', [profileInput()]);
  for (const { name, field, input } of profiles) {
    add(`createSensorProfile: ${name}`, field, (c) => c.createSensorProfile(input));
    add(`updateSensorProfile: ${name}`, field,
      (c) => c.updateSensorProfile(SEED.defaultProfileId, input));
  }

  // Pages, through both listings.
  const pages = [];
  for (const [page, field] of [
    [{ pageSize: 0 }, 'pageSize'],
    [{ pageSize: 1001 }, 'pageSize'],
    [{ pageSize: -1 }, 'pageSize'],
    [{ pageSize: 2.5 }, 'pageSize'],
    [{ pageSize: '50' }, 'pageSize'],
    [{ pageNumber: 0 }, 'pageNumber'],
    [{ pageNumber: 1.5 }, 'pageNumber'],
    [{ pageNumber: -1 }, 'pageNumber'],
    [{ pageNumber: '1' }, 'pageNumber'],
    [{ pageNumber: 2 ** 32 }, 'pageNumber'],
    [{ pageNumber: MEGABYTE }, 'pageNumber'],
    ['page 1', 'page'],
    [[1, 50], 'page'],
  ]) {
    pages.push({ page, field, label: show(page).slice(0, 40) });
  }
  for (const [label, value] of NOT_FINITE) {
    pages.push({ page: { pageNumber: value }, field: 'pageNumber', label: `pageNumber ${label}` });
    pages.push({ page: { pageSize: value }, field: 'pageSize', label: `pageSize ${label}` });
  }
  // Reserved keys, as in schedule and profile inputs.
  pages.push({ page: JSON.parse('{"__proto__":{"pageSize":5},"pageSize":10}'), field: '__proto__',
    label: 'with an own __proto__ key' });
  pages.push({ page: { constructor: { pageSize: 5 }, pageSize: 10 }, field: 'constructor',
    label: 'with a constructor key' });
  for (const { page, field, label } of pages) {
    add(`listRegistrySchedules: page ${label}`, field,
      (c) => c.listRegistrySchedules(SEED.registryId, page));
    add(`listSensorProfiles: page ${label}`, field,
      (c) => c.listSensorProfiles(page));
  }
  add('registrySchedules (iterator): pageSize 0', 'pageSize',
    (c) => drain(c.registrySchedules(SEED.registryId, { pageSize: 0 })));
  add('sensorProfiles (iterator): pageSize 1001', 'pageSize',
    (c) => drain(c.sensorProfiles({ pageSize: 1001 })));
  add('sensorProfiles (iterator): limit -1', 'limit',
    (c) => drain(c.sensorProfiles({ limit: -1 })));
  add('registrySchedules (iterator): pageSize NaN', 'pageSize',
    (c) => drain(c.registrySchedules(SEED.registryId, { pageSize: NaN })));
  add('sensorProfiles (iterator): pageSize Infinity', 'pageSize',
    (c) => drain(c.sensorProfiles({ pageSize: Infinity })));
  return cases;
}

/** Runs one case; resolves to `null` when it was refused as it must be, or the problem. */
async function refusedBeforeSending(testCase, theClient) {
  const sentBefore = emulator.requests().length;
  let outcome;
  try {
    const value = await withinDeadline(Promise.resolve().then(() => testCase.call(theClient)),
      10_000, testCase.name);
    outcome = `resolved to ${show(value)}`;
  } catch (error) {
    if (!(error instanceof ContainerSecurityError)) {
      outcome = `threw a ${error?.constructor?.name}: ${error?.message}`;
    } else if (error.code !== 'VALIDATION') {
      outcome = `rejected with ${error.code}: ${error.message.slice(0, 200)}`;
    } else if (!error.issues.some((issue) => issue.field === testCase.field)) {
      outcome = `no issue names ${testCase.field}: ${show(error.issues)}`;
    } else if (!error.issues.every((issue) => typeof issue.message === 'string'
      && issue.message.length > 0 && !issue.message.includes(MEGABYTE.slice(0, 2000)))) {
      outcome = `an issue without a message, or quoting the input: ${show(error.issues)}`;
    }
  }
  const sent = emulator.requests().length - sentBefore;
  if (sent > 0) {
    outcome = `${outcome ?? 'refused'}, but ${sent} request(s) reached the emulator`;
  }
  if (outcome === undefined && testCase.input !== undefined) {
    // The synchronous validator agrees with the client.
    const issues = validateRegistrySchedule(testCase.input);
    if (!issues.some((issue) => issue.field === testCase.field)) {
      outcome = `validateRegistrySchedule does not name ${testCase.field}: ${show(issues)}`;
    }
  }
  return outcome ?? null;
}

describe('hostile inputs are refused with VALIDATION before anything is sent', () => {
  test('every hostile input of the table is refused, naming its field', { timeout: 60_000 },
    async () => {
      const cases = hostileCases();
      const theClient = client();
      const problems = [];
      for (const testCase of cases) {
        const problem = await refusedBeforeSending(testCase, theClient);
        if (problem !== null) problems.push(`${testCase.name}: ${problem}`);
      }
      // A request that was sent late (after its call settled) still shows here.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(emulator.requests(), [], 'the emulator received no request at all');
      const refused = cases.length - problems.length;
      console.log(`hostile inputs: ${refused}/${cases.length} refused before sending`);
      console.log('hostile inputs not refused today, pinned as FIXME below: text over 1024 '
        + 'characters in a profile\'s config and unmodelled fields');
      assert.deepEqual(problems, [], `${problems.length} hostile inputs were not refused`);
    });

  test('null and undefined in optional fields mean "absent", as documented, and are sent without them',
    BOUNDED, async () => {
      // Not a gap: the README documents `null` for `days`, `tag` and the fields only the
      // server fills, and a schedule read from a listing (with `name: null`) can be sent
      // back. Each is accepted, and what is sent has the field absent, null or empty.
      const weekly = releaseNotesCreateBody();
      const daily = { ...releaseNotesCreateBody(), scheduleIntervalInDays: 1 };
      delete daily.weekDay;
      const cases = [];
      for (const path of [['filters'], ['filters', 0, 'days'], ['filters', 0, 'repoTags', 0, 'tag'],
        ['name'], ['onDemand'], ['forceScan'], ['registryType'], ['additionalFilters'],
        ['additionalFilters', 'numberOfTags'], ['additionalFilters', 'sortCriteria']]) {
        cases.push({ kind: 'weekly schedule', base: weekly, path });
      }
      cases.push({ kind: 'daily schedule', base: daily, path: ['scheduleIntervalInDays'] });
      for (const path of [['description'], ['profileType'], ['config'], ['config', 'a']]) {
        cases.push({ kind: 'profile', base: { ...profileInput(), config: { a: 1 } }, path });
      }
      const theClient = client();
      let accepted = 0;
      for (const { kind, base, path } of cases) {
        for (const value of [null, undefined]) {
          emulator.reset();
          const input = withField(base, path, value);
          const what = `${kind}: ${fieldName(path)} = ${value}`;
          if (kind === 'profile') {
            await theClient.createSensorProfile(input);
          } else {
            await theClient.createRegistrySchedule(SEED.emptyRegistryId, input);
            assert.deepEqual(validateRegistrySchedule(input), [], what);
          }
          const requests = emulator.requests();
          assert.equal(requests.length, 1, what);
          let sent = requests[0].body;
          for (const key of path.slice(0, -1)) sent = sent?.[key];
          const last = sent?.[path.at(-1)];
          // `onDemand` absent is its documented default, false.
          const absent = last === undefined || last === null
            || (Array.isArray(last) && last.length === 0)
            || (path.at(-1) === 'onDemand' && last === false);
          assert.ok(absent, `${what}: sent as ${show(last)}`);
          accepted += 1;
        }
      }
      console.log(`optional fields: ${accepted}/${accepted} null or undefined accepted as absent`);
    });
});

// ---------------------------------------------------------------------------------------
// What the wasm module must not be handed or read
// ---------------------------------------------------------------------------------------

/** The rejection of `promise` (a test failure when it resolves). */
function rejection(promise) {
  return promise.then((value) => assert.fail(`resolved to ${show(value)}`), (caught) => caught);
}

/** Asserts `error` is a VALIDATION ContainerSecurityError whose issues name exactly `fields`. */
function assertValidation(error, fields, what = '') {
  assert.ok(error instanceof ContainerSecurityError, `${what}: ${error?.constructor?.name}: ${error?.message}`);
  assert.equal(error.code, 'VALIDATION', `${what}: ${error.message}`);
  assert.deepEqual(error.issues.map((issue) => issue.field), fields, what);
}

/** The child processes' common start: a client of this file's emulator, and helpers. */
function childPrelude() {
  return `
    const theClient = new pkg.ContainerSecurityClient({
      baseUrl: ${JSON.stringify(emulator.url)}, token: ${JSON.stringify(TOKENS.admin)}, retry: false,
    });
    const failure = (error) => ({
      cls: error?.constructor?.name, code: error?.code, issues: error?.issues, message: error?.message,
    });
    const settle = (promise) => Promise.resolve().then(() => promise).then((value) => ({ value }), failure);
    const attempt = (action) => { try { return { value: action() }; } catch (error) { return failure(error); } };
    const out = {};
  `;
}

const UNREADABLE = 'could not be read (a getter or a proxy threw)';
const TOO_DEEP = 'nests deeper than 64 levels';

describe('what the wasm module cannot read is refused before it, and the module keeps working', () => {
  test('lone surrogates are refused with their own message; well-formed astral text is sent unchanged',
    BOUNDED, async () => {
      // The table refuses lone surrogates in every kind of field; here are the exact
      // issues, and the surrogate pairs that must not be mistaken for them.
      const theClient = client();
      const error = await rejection(theClient.createSensorProfile(
        { ...profileInput(), profileName: 'a\ud800b', config: { '\udc00': 1 } }));
      assertValidation(error, ['config.?', 'profileName']);
      assert.deepEqual(error.issues, [
        { field: 'config.?', message: 'a key is not well-formed Unicode' },
        { field: 'profileName', message: 'must be well-formed Unicode text (it has a lone surrogate)' },
      ]);
      assert.deepEqual(validateRegistrySchedule({ ...dailySchedule(), name: '\udc00' }), [
        { field: 'name', message: 'must be well-formed Unicode text (it has a lone surrogate)' },
      ]);
      assert.deepEqual(emulator.requests(), []);

      const astral = 'p \ud83d\ude00 \u{10ffff}';
      assert.deepEqual(validateRegistrySchedule({ ...dailySchedule(), name: astral }), []);
      await theClient.createSensorProfile({ ...profileInput(), profileName: astral, config: { [astral]: astral } });
      const [request] = emulator.requests();
      assert.equal(request.body.profileName, astral);
      assert.deepEqual(request.body.config, { [astral]: astral });
    });

  test('an object that contains itself is VALIDATION naming where the circle closes; a shared one is fine',
    BOUNDED, async () => {
      const theClient = client();
      const config = { name: 'loop' };
      config.inner = { back: config };
      const error = await rejection(theClient.createSensorProfile({ ...profileInput(), config }));
      assert.deepEqual(error.issues, [
        { field: 'config.inner.back', message: 'contains itself (a circular structure JSON cannot hold)' },
      ]);
      const filters = [{ repoTags: [{ repo: 'azuretest', tag: null }], days: null }];
      filters.push(filters);
      assert.deepEqual(validateRegistrySchedule({ ...dailySchedule(), filters }), [
        { field: 'filters[1]', message: 'contains itself (a circular structure JSON cannot hold)' },
      ]);
      const page = { pageNumber: 1 };
      page.self = page;
      assertValidation(await rejection(theClient.listSensorProfiles(page)), ['self']);
      assert.deepEqual(emulator.requests(), []);

      // The same object twice, side by side, is no circle: JSON writes it twice.
      const shared = { repo: 'azuretest', tag: 'latest' };
      const twice = { ...dailySchedule(), filters: [{ repoTags: [shared, shared], days: 7 }] };
      assert.deepEqual(validateRegistrySchedule(twice), []);
      await theClient.createRegistrySchedule(SEED.emptyRegistryId, twice);
      const [request] = emulator.requests();
      assert.deepEqual(request.body.filters[0].repoTags, [shared, shared]);
    });

  test('a getter or a Proxy trap that throws is VALIDATION, 6,000 times over, and the module then works',
    BOUNDED, async () => {
      // Each of these once unwound through the wasm without restoring its stack pointer;
      // about 2,000 of them trapped the module for the rest of the process. Run in a child
      // process, so that a regression cannot take this file's copy of the module down.
      const result = await inChild(`${childPrelude()}
        const boom = () => { throw new Error('boom'); };
        const getter = { schedule: '09:30', get scheduleIntervalInDays() { return boom(); } };
        const nestedGetter = {
          schedule: '09:30',
          filters: [{ repoTags: [{ repo: 'a', tag: null }], get days() { return boom(); } }],
        };
        const ownKeysTrap = new Proxy({}, { ownKeys: boom });
        const getTrap = new Proxy({ profileName: 'p' }, { get: boom });
        const { proxy: revoked, revoke } = Proxy.revocable({}, {});
        revoke();
        out.validate = [getter, nestedGetter, ownKeysTrap, getTrap, revoked]
          .map((input) => attempt(() => pkg.validateRegistrySchedule(input)));
        out.calls = [];
        for (const call of [
          () => theClient.createRegistrySchedule(${JSON.stringify(SEED.emptyRegistryId)}, getter),
          () => theClient.updateRegistrySchedule(${JSON.stringify(SEED.registryId)},
            ${JSON.stringify(SEED.scheduleId)}, nestedGetter),
          () => theClient.createSensorProfile(ownKeysTrap),
          () => theClient.updateSensorProfile(${JSON.stringify(SEED.defaultProfileId)}, getTrap),
          () => theClient.listSensorProfiles(revoked),
          () => theClient.deleteSensorProfile(getTrap),
        ]) {
          out.calls.push(await settle(call()));
        }
        out.refused = 0;
        for (let i = 0; i < 3000; i += 1) {
          const issues = pkg.validateRegistrySchedule(i % 2 === 0 ? getter : ownKeysTrap);
          const called = await settle(theClient.createSensorProfile(i % 2 === 0 ? getTrap : revoked));
          if (issues[0]?.message === ${JSON.stringify(UNREADABLE)}
            && called.issues?.[0]?.message === ${JSON.stringify(UNREADABLE)}) {
            out.refused += 2;
          }
        }
        out.after = attempt(() => pkg.validateRegistrySchedule({ schedule: '24:00' }).map((issue) => issue.field));
        out.valid = attempt(() => pkg.validateRegistrySchedule(${JSON.stringify(releaseNotesCreateBody())}));
        out.listing = await settle(theClient.listRegistrySchedules(${JSON.stringify(SEED.registryId)}));
        console.log(JSON.stringify(out));
      `);
      assert.equal(result.code, 0, result.stderr);
      const out = lastJsonLine(result.stdout);
      // validateRegistrySchedule returns the issue instead of throwing it.
      const unreadable = (field) => ({ value: [{ field, message: UNREADABLE }] });
      assert.deepEqual(out.validate, [unreadable('input'), unreadable('filters[0]'), unreadable('input'),
        unreadable('input'), unreadable('input')]);
      const fields = out.calls.map((call) => {
        assert.equal(call.cls, 'ContainerSecurityError', show(call));
        assert.equal(call.code, 'VALIDATION', show(call));
        assert.ok(call.issues.every((issue) => issue.message === UNREADABLE), show(call));
        return call.issues.map((issue) => issue.field);
      });
      assert.deepEqual(fields, [['input'], ['filters[0]'], ['input'], ['input'], ['page'],
        ['sensorProfileId']]);
      assert.equal(out.refused, 6000);
      assert.deepEqual(out.after, { value: ['schedule'] });
      assert.deepEqual(out.valid, { value: [] });
      assert.deepEqual(out.listing, { value: { data: [seedScheduleAsExposed()], count: 1 } });
      // Of the 6,011 calls only the last listing reached the emulator.
      assert.deepEqual(emulator.requests().map((request) => `${request.method} ${request.path}`),
        [`GET /csapi/v1.3/registry/${SEED.registryId}/schedule`]);
    });

  test('input nested deeper than 64 levels is VALIDATION naming the 65th level, 3,000 times over, and the module then works',
    BOUNDED, async () => {
      // Input nested a few thousand levels deep once overflowed the wasm's stack while it
      // was converted and trapped the module for good. The walk that refuses it keeps a
      // stack of its own, so 100,000 levels are refused as quickly as 65.
      const result = await inChild(`${childPrelude()}
        const arrays = (depth) => { let value = 1; for (let i = 0; i < depth; i += 1) value = [value]; return value; };
        const objects = (depth) => { let value = 1; for (let i = 0; i < depth; i += 1) value = { a: value }; return value; };
        const issues = (action) => {
          const outcome = attempt(action);
          return outcome.value ?? outcome;
        };
        // The input object and 63 arrays in it: 64 levels reach the module's own rules.
        out.atLimit = issues(() => pkg.validateRegistrySchedule({ schedule: '09:30', filters: arrays(63) }));
        out.overLimit = issues(() => pkg.validateRegistrySchedule({ schedule: '09:30', filters: arrays(64) }));
        const deepArrays = arrays(100000);
        const deepObjects = objects(100000);
        out.deep = issues(() => pkg.validateRegistrySchedule({ schedule: '09:30', filters: deepArrays }));
        out.calls = [];
        for (const call of [
          () => theClient.createRegistrySchedule(${JSON.stringify(SEED.emptyRegistryId)},
            { schedule: '09:30', scheduleIntervalInDays: 1, filters: deepArrays }),
          () => theClient.createSensorProfile({ profileName: 'p', config: deepObjects }),
          () => theClient.updateSensorProfile(${JSON.stringify(SEED.defaultProfileId)},
            { profileName: 'p', config: { list: deepArrays } }),
          () => theClient.listSensorProfiles(deepObjects),
          () => theClient.deleteSensorProfile(deepArrays),
        ]) {
          out.calls.push(await settle(call()));
        }
        out.refused = 0;
        for (let i = 0; i < 3000; i += 1) {
          const found = pkg.validateRegistrySchedule({ schedule: '09:30', filters: deepArrays });
          const called = await settle(theClient.createSensorProfile({ profileName: 'p', config: deepObjects }));
          if (found[0]?.message === ${JSON.stringify(TOO_DEEP)} && called.issues?.[0]?.message === ${JSON.stringify(TOO_DEEP)}) {
            out.refused += 2;
          }
        }
        out.after = issues(() => pkg.validateRegistrySchedule({ schedule: '24:00' }).map((issue) => issue.field));
        // The deepest config accepted (the input, config and 62 objects in it) is sent in full.
        out.deepestAccepted = await settle(theClient.createSensorProfile({ profileName: 'deepest', config: objects(62) }));
        out.listing = await settle(theClient.listRegistrySchedules(${JSON.stringify(SEED.registryId)}));
        console.log(JSON.stringify(out));
      `);
      assert.equal(result.code, 0, result.stderr);
      const out = lastJsonLine(result.stdout);
      const tooDeep = (field) => [{ field, message: TOO_DEEP }];
      const arraysAt64 = `filters${'[0]'.repeat(63)}`;
      assert.deepEqual(out.atLimit, [{ field: 'filters[0]', message: 'must be an object, not an array' }]);
      assert.deepEqual(out.overLimit, tooDeep(arraysAt64));
      assert.deepEqual(out.deep, tooDeep(arraysAt64));
      assert.deepEqual(out.calls.map((call) => [call.cls, call.code, call.issues]), [
        ['ContainerSecurityError', 'VALIDATION', tooDeep(arraysAt64)],
        ['ContainerSecurityError', 'VALIDATION', tooDeep(`config${'.a'.repeat(63)}`)],
        ['ContainerSecurityError', 'VALIDATION', tooDeep(`config.list${'[0]'.repeat(62)}`)],
        ['ContainerSecurityError', 'VALIDATION', tooDeep(Array(64).fill('a').join('.'))],
        ['ContainerSecurityError', 'VALIDATION', tooDeep(`sensorProfileId${'[0]'.repeat(64)}`)],
      ]);
      assert.equal(out.refused, 6000);
      assert.deepEqual(out.after, ['schedule']);
      assert.match(out.deepestAccepted.value?.profileUuid ?? '', UUID, show(out.deepestAccepted));
      assert.deepEqual(out.listing, { value: { data: [seedScheduleAsExposed()], count: 1 } });
      // Only the deepest accepted profile and the listing reached the emulator.
      const requests = emulator.requests();
      assert.deepEqual(requests.map((request) => `${request.method} ${request.path}`), [
        'POST /csapi/v1.3/sensorProfile', `GET /csapi/v1.3/registry/${SEED.registryId}/schedule`,
      ]);
      let config = requests[0].body.config;
      let levels = 0;
      while (config !== null && typeof config === 'object') {
        config = config.a;
        levels += 1;
      }
      assert.equal(levels, 62);
      assert.equal(config, 1);
    });

  test('an answer nested deeper than 127 levels is DECODE, 3,000 times over, and the process and module live on',
    BOUNDED, async () => {
      // A success answer a few thousand levels deep (from a hostile or broken server or
      // proxy) once trapped the wasm inside a promise job: an uncaught exception that
      // ended the whole process. It is now refused before it is read. Run in a child
      // process, so that a regression cannot end this one.
      const result = await inChild(`${childPrelude()}
        let body = '';
        const answering = new pkg.ContainerSecurityClient({
          baseUrl: 'http://127.0.0.1:9', token: 't', retry: false,
          fetch: async () => new Response(body, { status: 200, headers: { 'content-type': 'application/json' } }),
        });
        const id = ${JSON.stringify(SEED.defaultProfileId)};
        // The answer object, its config and \`depth\` arrays: depth + 2 levels.
        const profile = (depth) => '{"profileUuid":"' + id + '","profileName":"p","config":{"a":'
          + '['.repeat(depth) + '1' + ']'.repeat(depth) + '}}';
        const read = async (text, call = () => answering.getSensorProfile(id)) => {
          body = text;
          const outcome = await settle(call());
          return outcome.value === undefined ? [outcome.code, outcome.message]
            : ['decoded', JSON.stringify(outcome.value).length];
        };
        out.atLimit = await read(profile(125));
        out.overLimit = await read(profile(126));
        out.deep = await read(profile(100000));
        out.deepListing = await read('{"data":' + '['.repeat(5000) + ']'.repeat(5000) + ',"count":0}',
          () => answering.listRegistrySchedules(${JSON.stringify(SEED.registryId)}));
        // Brackets inside strings, escaped quotes among them, are not nesting.
        out.inStrings = await read('{"profileUuid":"' + id + '","profileName":"\\\\"' + '['.repeat(5000)
          + '","config":{"b":"' + '{'.repeat(5000) + '\\\\\\\\"}}');
        out.refused = 0;
        const deep = profile(5000);
        for (let i = 0; i < 3000; i += 1) {
          const [code] = await read(deep);
          if (code === 'DECODE') out.refused += 1;
        }
        out.after = await read(profile(1));
        out.listing = await settle(theClient.listRegistrySchedules(${JSON.stringify(SEED.registryId)}));
        console.log(JSON.stringify(out));
      `);
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stderr, '');
      const out = lastJsonLine(result.stdout);
      const nests = /the body nests deeper than 127 levels/;
      assert.equal(out.atLimit[0], 'decoded', show(out.atLimit));
      for (const outcome of [out.overLimit, out.deep, out.deepListing]) {
        assert.equal(outcome[0], 'DECODE', show(outcome));
        assert.match(outcome[1], nests);
      }
      assert.equal(out.inStrings[0], 'decoded', show(out.inStrings));
      assert.equal(out.refused, 3000);
      assert.equal(out.after[0], 'decoded', show(out.after));
      assert.deepEqual(out.listing, { value: { data: [seedScheduleAsExposed()], count: 1 } });
    });
});

describe('call options are checked before anything is sent', () => {
  const BAD_DEADLINES = [NaN, Infinity, -Infinity, 'abc', '1000', -1, 0, 0.5, 1.5, 2 ** 31, 3e9,
    null, true, 10n, {}];

  test('a deadlineMs that is not a whole number from 1 to 2^31-1 ms is VALIDATION on deadlineMs, per call and per client',
    BOUNDED, async () => {
      // Each once became a timer of about 1 ms (Node fires one above 2^31-1 ms at once)
      // and the call failed with TIMEOUT after it was sent.
      const theClient = client();
      for (const deadlineMs of BAD_DEADLINES) {
        const what = `deadlineMs ${typeof deadlineMs === 'bigint' ? `${deadlineMs}n` : String(deadlineMs)}`;
        assertValidation(await rejection(
          theClient.listRegistrySchedules(SEED.registryId, undefined, { deadlineMs })), ['deadlineMs'], what);
        assertValidation(await rejection(
          theClient.createSensorProfile(profileInput(), { deadlineMs })), ['deadlineMs'], what);
        assertValidation(await rejection(drain(theClient.sensorProfiles({ deadlineMs }))),
          ['deadlineMs'], `${what} (iterator)`);
        let thrown;
        assert.throws(() => client({ deadlineMs }), (error) => {
          thrown = error;
          return true;
        }, `${what} (client)`);
        assertValidation(thrown, ['deadlineMs'], `${what} (client)`);
      }
      assert.match(
        (await rejection(theClient.getSensorProfile(SEED.defaultProfileId, { deadlineMs: 3e9 }))).issues[0].message,
        /whole number of milliseconds from 1 to 2147483647/,
      );
      // A request that was sent late (after its call settled) still shows here.
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(emulator.requests(), []);

      // The largest timer Node keeps is accepted, per call and per client.
      const page = { data: [seedScheduleAsExposed()], count: 1 };
      assert.deepEqual(await theClient.listRegistrySchedules(SEED.registryId, undefined,
        { deadlineMs: 2_147_483_647 }), page);
      assert.deepEqual(await client({ deadlineMs: 2_147_483_647 }).listRegistrySchedules(SEED.registryId), page);
      // The smallest is taken too: against a server that never answers, it runs out.
      const silent = client({ fetch: neverUntilAborted });
      const ranOut = await rejection(silent.listRegistrySchedules(SEED.registryId, undefined, { deadlineMs: 1 }));
      assert.equal(ranOut.code, 'TIMEOUT', ranOut.message);
      assert.equal((await rejection(client({ fetch: neverUntilAborted, deadlineMs: 1 })
        .listRegistrySchedules(SEED.registryId))).code, 'TIMEOUT');
    });

  test('a signal that is not an AbortSignal is VALIDATION on signal, with or without a deadline, and starts no timer',
    BOUNDED, async () => {
      // With a deadline, the same signal once failed as an internal NETWORK error, and
      // the deadline's timer, started first, was never cleared.
      const theClient = client();
      const lookAlike = { aborted: false, reason: undefined, addEventListener() {}, removeEventListener() {} };
      for (const [signal, options] of [[{}, {}], [{}, { deadlineMs: 1_000 }], [lookAlike, { deadlineMs: 1_000 }],
        ['abort', {}], [new AbortController(), {}]]) {
        assertValidation(await rejection(
          theClient.listRegistrySchedules(SEED.registryId, undefined, { ...options, signal })),
        ['signal'], show(signal));
      }
      // Both wrong: both named.
      assertValidation(await rejection(theClient.deleteSensorProfile(SEED.defaultProfileId,
        { signal: {}, deadlineMs: 0 })), ['signal', 'deadlineMs']);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(emulator.requests(), []);
      // A real signal with a deadline is used.
      const page = await theClient.listRegistrySchedules(SEED.registryId, undefined,
        { signal: new AbortController().signal, deadlineMs: 10_000 });
      assert.deepEqual(page, { data: [seedScheduleAsExposed()], count: 1 });

      // In a fresh process, where nothing else keeps a timer: none is left after the
      // refusal of a call with the longest deadline (it would hold the process ~25 days).
      const result = await inChild(`${childPrelude()}
        const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
        out.before = timers();
        out.refused = await settle(theClient.listRegistrySchedules(${JSON.stringify(SEED.registryId)}, undefined,
          { signal: {}, deadlineMs: 2147483647 }));
        out.after = timers();
        console.log(JSON.stringify(out));
        process.exit(0);
      `);
      assert.equal(result.code, 0, result.stderr);
      const out = lastJsonLine(result.stdout);
      assert.equal(out.refused.code, 'VALIDATION', show(out.refused));
      assert.deepEqual(out.refused.issues.map((issue) => issue.field), ['signal']);
      assert.deepEqual([out.before, out.after], [0, 0]);
    });

  test('the paging iterators take null options as no options', BOUNDED, async () => {
    // They once threw a TypeError synchronously, from destructuring null.
    const theClient = client();
    const schedules = await drain(theClient.registrySchedules(SEED.registryId), 100);
    const profiles = await drain(theClient.sensorProfiles(), 100);
    const requested = () => emulator.requests()
      .map((request) => `${request.method} ${request.path} ${JSON.stringify(request.query)}`);
    const withoutOptions = requested();
    emulator.reset();
    assert.deepEqual(await drain(theClient.registrySchedules(SEED.registryId, null), 100), schedules);
    assert.deepEqual(await drain(theClient.sensorProfiles(null), 100), profiles);
    assert.deepEqual(requested(), withoutOptions);
    assert.deepEqual(schedules, [seedScheduleAsExposed()]);
    assert.ok(profiles.length > 0);
    assert.deepEqual(withoutOptions, [
      `GET /csapi/v1.3/registry/${SEED.registryId}/schedule {"pageNumber":"1","pageSize":"50"}`,
      'GET /csapi/v1.3/sensorProfile {"pageNumber":"1","pageSize":"50"}',
    ]);
  });
});

// ---------------------------------------------------------------------------------------
// Known gaps, pinned as they behave today
// ---------------------------------------------------------------------------------------

describe('known gaps, pinned as they are today', () => {
  test('text in a profile\'s config and unmodelled fields has no length limit', BOUNDED,
    async () => {
      // FIXME: "any text: at most 1024 characters" holds for the modelled fields only; a
      // profile's `config` and its unmodelled fields are sent as given, so a megabyte
      // goes over the wire (the emulator refuses it with 413, answered as HTTP).
      const theClient = client();
      const error = await theClient.createSensorProfile({ ...profileInput(), config: { note: MEGABYTE } })
        .then(() => assert.fail('resolved'), (caught) => caught);
      assert.ok(error instanceof ContainerSecurityError);
      assert.equal(error.code, 'HTTP');
      assert.equal(error.status, 413);
      assert.equal(emulator.requests().length, 1);

      emulator.reset();
      const long = 'y'.repeat(2048);
      await theClient.createSensorProfile({ ...profileInput(), note: long, config: { [long]: long } });
      const [request] = emulator.requests();
      assert.equal(request.body.note, long);
      assert.equal(request.body.config[long], long);
    });

  test('a BigInt pageSize is refused before anything is sent', BOUNDED, async () => {
    // A BigInt is not a JSON number, so it is refused like any other non-JSON value,
    // from the listings and from the paging iterators alike.
    const theClient = client();
    for (const attemptCall of [
      () => drain(theClient.registrySchedules(SEED.registryId, { pageSize: 7n })),
      () => drain(theClient.sensorProfiles({ pageSize: 7n })),
      () => theClient.listRegistrySchedules(SEED.registryId, { pageSize: 7n }),
    ]) {
      emulator.reset();
      const error = await rejection(attemptCall());
      assert.ok(error instanceof ContainerSecurityError, `${error?.constructor?.name}`);
      assert.equal(error.code, 'VALIDATION');
      assert.deepEqual(error.issues, [{ field: 'pageSize', message: 'must be a number, not a BigInt' }]);
      assert.deepEqual(emulator.requests(), []);
    }
  });

  test('a getter that answers differently on a second read cannot reach the module',
    BOUNDED, async () => {
      // Each argument is read once, into a plain copy that the module is given, so a
      // getter that would throw (or nest deeply) on a second read never runs twice.
      // Run in a child process, as a regression would trap its module.
      const result = await inChild(`${childPrelude()}
        // Each object answers its first read and throws on any later one.
        const once = (value) => {
          let reads = 0;
          return () => {
            reads += 1;
            if (reads > 1) throw new Error('second read');
            return value;
          };
        };
        const profile = () => {
          const description = once('d');
          return { profileName: 'p', get description() { return description(); } };
        };
        const name = once('n');
        const schedule = { schedule: '09:30', get name() { return name(); } };
        out.call = await settle(theClient.createSensorProfile(profile()));
        out.validate = attempt(() => pkg.validateRegistrySchedule(schedule));
        for (let i = 0; i < 3000; i += 1) await settle(theClient.createSensorProfile(profile()));
        out.after = await settle(theClient.listRegistrySchedules(${JSON.stringify(SEED.registryId)}));
        console.log(JSON.stringify(out));
      `);
      assert.equal(result.code, 0, result.stderr);
      const out = lastJsonLine(result.stdout);
      // The profile is created with the first read's value, every time, and the module
      // still lists the seed schedule afterwards.
      assert.ok(out.call && 'value' in out.call, show(out.call));
      assert.ok(out.validate && 'value' in out.validate, show(out.validate));
      assert.deepEqual(out.validate.value, []);
      assert.ok(out.after && 'value' in out.after, show(out.after));
      assert.equal(out.after.value.count, 1);
      const creates = emulator.requests().filter((request) => request.method === 'POST');
      assert.equal(creates.length, 3001);
      assert.ok(creates.every((request) => request.body.description === 'd'));

      const deepOnSecondRead = await inChild(`${childPrelude()}
        const arrays = (depth) => { let value = 1; for (let i = 0; i < depth; i += 1) value = [value]; return value; };
        let reads = 0;
        const schedule = { schedule: '09:30', get filters() { reads += 1; return reads % 2 === 0 ? arrays(100000) : []; } };
        out.validate = attempt(() => pkg.validateRegistrySchedule(schedule));
        out.after = attempt(() => pkg.validateRegistrySchedule({ schedule: '24:00' }));
        console.log(JSON.stringify(out));
      `);
      assert.equal(deepOnSecondRead.code, 0, deepOnSecondRead.stderr);
      const deep = lastJsonLine(deepOnSecondRead.stdout);
      // The first read (an empty list) is what the module checks.
      assert.deepEqual(deep.validate, { value: [] });
      assert.deepEqual(deep.after.value.map((issue) => issue.field), ['schedule']);
    });
});

/**
 * Runs an ES module in a fresh Node process with the package imported as `pkg`; a run
 * that could not import it (pkg/ being rebuilt by someone else) is tried again.
 */
function inChild(body) {
  const code = `const pkg = await import(${JSON.stringify(ENTRY)});\n${body}`;
  return retry(async () => {
    const result = await run(process.execPath, ['--input-type=module', '--no-warnings', '-e', code], {
      cwd: REPOSITORY_ROOT,
      timeoutMs: 25_000,
    });
    if (/ERR_MODULE_NOT_FOUND|ENOENT|Cannot find (module|package)/.test(result.stderr)) {
      throw new Error(`the child could not import the package:\n${result.stderr}`);
    }
    return result;
  }, { attempts: 5, delayMs: 3_000 });
}

function lastJsonLine(stdout) {
  const line = stdout.trim().split('\n').at(-1);
  return JSON.parse(line);
}

// ---------------------------------------------------------------------------------------
// The property test
// ---------------------------------------------------------------------------------------

const PROPERTY_SEED = 0x5eed_c5;
const PROPERTY_VALUES = 2_000;


/** A generator of hostile JavaScript values, deterministic for a seed. */
function valueGenerator(seed) {
  const random = mulberry32(seed);
  const int = (n) => Math.floor(random() * n);
  const pick = (items) => items[int(items.length)];

  const NUMBERS = [NaN, 0, -0, 1, -1, 7, 7.5, 365, 366, 1000, 1001, Infinity, -Infinity,
    Number.MAX_VALUE, Number.MIN_VALUE, Number.MAX_SAFE_INTEGER + 2, 2 ** 53, 2 ** 64, -(2 ** 63),
    4294967295, 4294967296, 1e308, -1e-308, 0.1 + 0.2];
  const STRINGS = ['', ' ', SEED.registryId, SEED.scheduleId, SEED.defaultProfileId,
    SEED.emptyRegistryId, SEED.awsConnectorArn, UNKNOWN_PROFILE_ID, '09:30', '24:00', 'THURSDAY',
    'thursday', 'arn:aws:s3:::bucket', '\ud800', 'a\udc00b', '\udbff\udfff', '\u0000', '\u202e',
    '__proto__', 'constructor', '../', '%2e%2e', '😀', 'x'.repeat(1025), '{"a":1}', 'null',
    'undefined', 'NaN', '7', 'https://evil.example/', 'toString'];
  const KEYS = ['schedule', 'scheduleIntervalInDays', 'scheduleScanIntervalInDays', 'weekDay',
    'onDemand', 'forceScan', 'name', 'registryType', 'filters', 'repoTags', 'repo', 'tag', 'days',
    'additionalFilters', 'numberOfTags', 'sortCriteria', 'profileName', 'description',
    'profileType', 'config', 'profileUuid', 'created', 'updated', 'pageNumber', 'pageSize',
    'deadlineMs', 'signal', 'timeoutMs', 'limit', 'token', 'attempt', '__proto__', 'constructor',
    'prototype', 'toJSON', 'valueOf', 'length', '0', '', '😀'];

  const randomString = () => {
    const length = int(12);
    let text = '';
    for (let i = 0; i < length; i += 1) {
      text += String.fromCharCode(pick([int(128), int(0x800), int(0x10000), 0xd800 + int(0x800)]));
    }
    return text;
  };

  function setOwn(object, key, value) {
    // `__proto__` as an own, enumerable key (as JSON.parse makes it), never the prototype.
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  }

  function value(depth = 0) {
    const leafOnly = depth >= 4;
    const kind = int(leafOnly ? 11 : 17);
    switch (kind) {
      case 0: return pick(NUMBERS);
      case 1: return (random() - 0.5) * 10 ** int(20);
      case 2: return pick(STRINGS);
      case 3: return randomString();
      case 4: return random() < 0.5;
      case 5: return pick([null, undefined]);
      case 6: return pick([0n, 7n, -1n, 2n ** 64n, 2n ** 200n, -(2n ** 63n)]);
      case 7: return pick([Symbol('x'), Symbol.iterator, Symbol.for('qualys')]);
      case 8: return pick([() => 1, async () => 1, function* gen() {}, class Thing {}, Math.max]);
      case 9: return pick([new Date(0), new Date(NaN), new Date(8.64e15)]);
      case 10: return pick([new Uint8Array([1, 2, 3]), new Float64Array([NaN]), new ArrayBuffer(4),
        new DataView(new ArrayBuffer(2)), new BigInt64Array(1), new Int8Array(0)]);
      case 11: {
        const items = [];
        const length = int(5);
        for (let i = 0; i < length; i += 1) items.push(value(depth + 1));
        if (random() < 0.1) items.length += 2; // holes
        return items;
      }
      case 12: case 13: {
        const object = random() < 0.1 ? Object.create(null) : {};
        const size = int(6);
        for (let i = 0; i < size; i += 1) setOwn(object, pick(KEYS), value(depth + 1));
        return object;
      }
      case 14: {
        // An object with a reserved key beside plausible fields.
        const object = { schedule: '09:30', profileName: 'p', pageSize: 10 };
        setOwn(object, pick(['__proto__', 'constructor']), value(depth + 1));
        return random() < 0.5 ? object : { filters: [{ repoTags: [object] }], config: object };
      }
      case 15: {
        const map = new Map();
        const size = int(4);
        for (let i = 0; i < size; i += 1) {
          map.set(random() < 0.7 ? pick(KEYS) : value(depth + 1), value(depth + 1));
        }
        return random() < 0.8 ? map : new Set([value(depth + 1)]);
      }
      default: {
        // A near-valid input with one field replaced.
        const base = pick([dailySchedule(), releaseNotesCreateBody(), profileInput(),
          { pageNumber: 1, pageSize: 10 }, { timeoutMs: 5_000 }]);
        setOwn(base, pick(KEYS), value(depth + 1));
        return base;
      }
    }
  }
  return value;
}

/** Every argument of every method: `[name, (client, value) => result]`. */
function propertyCalls() {
  const schedule = dailySchedule;
  const calls = [];
  const add = (name, call) => calls.push([name, call]);
  add('deleteAcrConnector(connectorId)', (c, v) => c.deleteAcrConnector(v));
  add('deleteAcrConnector(, options)', (c, v) => c.deleteAcrConnector(UNKNOWN_CONNECTOR_ID, v));
  add('deleteAwsConnector(arn)', (c, v) => c.deleteAwsConnector(v));
  add('deleteAwsConnector(, options)', (c, v) => c.deleteAwsConnector(UNKNOWN_ARN, v));
  add('listRegistrySchedules(registryId)', (c, v) => c.listRegistrySchedules(v));
  add('listRegistrySchedules(, page)', (c, v) => c.listRegistrySchedules(SEED.emptyRegistryId, v));
  add('listRegistrySchedules(, , options)',
    (c, v) => c.listRegistrySchedules(SEED.emptyRegistryId, undefined, v));
  add('createRegistrySchedule(registryId)', (c, v) => c.createRegistrySchedule(v, schedule()));
  add('createRegistrySchedule(, input)', (c, v) => c.createRegistrySchedule(SEED.emptyRegistryId, v));
  add('createRegistrySchedule(, , options)',
    (c, v) => c.createRegistrySchedule(SEED.emptyRegistryId, schedule(), v));
  add('updateRegistrySchedule(registryId)',
    (c, v) => c.updateRegistrySchedule(v, UNKNOWN_SCHEDULE_ID, schedule()));
  add('updateRegistrySchedule(, scheduleId)',
    (c, v) => c.updateRegistrySchedule(SEED.emptyRegistryId, v, schedule()));
  add('updateRegistrySchedule(, , input)',
    (c, v) => c.updateRegistrySchedule(SEED.emptyRegistryId, UNKNOWN_SCHEDULE_ID, v));
  add('updateRegistrySchedule(, , , options)',
    (c, v) => c.updateRegistrySchedule(SEED.emptyRegistryId, UNKNOWN_SCHEDULE_ID, schedule(), v));
  add('listSensorProfiles(page)', (c, v) => c.listSensorProfiles(v));
  add('listSensorProfiles(, options)', (c, v) => c.listSensorProfiles(undefined, v));
  add('getSensorProfile(id)', (c, v) => c.getSensorProfile(v));
  add('getSensorProfile(, options)', (c, v) => c.getSensorProfile(UNKNOWN_PROFILE_ID, v));
  add('createSensorProfile(input)', (c, v) => c.createSensorProfile(v));
  add('createSensorProfile(, options)', (c, v) => c.createSensorProfile(profileInput(), v));
  add('updateSensorProfile(id)', (c, v) => c.updateSensorProfile(v, profileInput()));
  add('updateSensorProfile(, input)', (c, v) => c.updateSensorProfile(UNKNOWN_PROFILE_ID, v));
  add('updateSensorProfile(, , options)',
    (c, v) => c.updateSensorProfile(UNKNOWN_PROFILE_ID, profileInput(), v));
  add('deleteSensorProfile(id)', (c, v) => c.deleteSensorProfile(v));
  add('deleteSensorProfile(, options)', (c, v) => c.deleteSensorProfile(UNKNOWN_PROFILE_ID, v));
  add('registrySchedules(registryId)', (c, v) => drain(c.registrySchedules(v), 2));
  add('registrySchedules(, options)', (c, v) => drain(c.registrySchedules(SEED.registryId, v), 2));
  add('sensorProfiles(options)', (c, v) => drain(c.sensorProfiles(v), 2));
  return calls;
}

/** Judges one call: `null` when it resolved or rejected as documented, or the problem. */
async function judge(name, call, theClient, value) {
  let promise;
  try {
    promise = call(theClient, value);
  } catch (error) {
    // Every method returns a promise (or an async iterable); a synchronous throw fails.
    return `threw synchronously: ${error?.constructor?.name}: ${error?.message}`;
  }
  try {
    await withinDeadline(Promise.resolve(promise), 10_000);
    return null;
  } catch (error) {
    // Every rejection must be a ContainerSecurityError of a documented code.
    if (!(error instanceof ContainerSecurityError)) {
      return `rejected with a ${error?.constructor?.name}: ${error?.message}`;
    }
    if (!DOCUMENTED_ERROR_CODES.includes(error.code)) {
      return `rejected with the undocumented code ${error.code}`;
    }
    if (/internal failure: (unreachable|memory access|RuntimeError)/.test(error.message)) {
      return `the wasm module trapped: ${error.message}`;
    }
    if (error.code === 'VALIDATION' && !(Array.isArray(error.issues) && error.issues.length > 0)) {
      return 'a VALIDATION error without issues';
    }
    return null;
  }
}

function judgeValidation(value) {
  let issues;
  try {
    issues = validateRegistrySchedule(value);
  } catch (error) {
    if (error instanceof ContainerSecurityError && DOCUMENTED_ERROR_CODES.includes(error.code)) {
      return null;
    }
    return `validateRegistrySchedule threw a ${error?.constructor?.name}: ${error?.message}`;
  }
  if (!Array.isArray(issues)) return `validateRegistrySchedule returned ${show(issues)}`;
  for (const issue of issues) {
    if (issue === null || typeof issue !== 'object' || typeof issue.field !== 'string'
      || typeof issue.message !== 'string' || issue.message.length === 0) {
      return `validateRegistrySchedule returned a malformed issue ${show(issue)}`;
    }
  }
  return null;
}

function describeValue(value) {
  if (typeof value === 'symbol') return value.toString();
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return `function ${value.name}`;
  if (value instanceof Map) return `Map(${value.size})`;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return value.constructor.name;
  return `${Object.prototype.toString.call(value)} ${show(value)}`.slice(0, 200);
}

/**
 * A `fetch` for the property's client: every fifth value's calls (and any call whose
 * endpoint has not been answered yet) go to the emulator; the others are answered with
 * the emulator's last real answer for the same method and path, which keeps 2,000
 * values within a few seconds. `live()` sends everything to the emulator again.
 */
function replayingFetch() {
  const answers = new Map();
  let replay = false;
  async function fetchDouble(url, init) {
    const key = `${init?.method ?? 'GET'} ${new URL(url).pathname}`;
    const known = answers.get(key);
    if (replay && known) {
      return new Response(known.body === '' ? null : known.body,
        { status: known.status, headers: known.headers });
    }
    const response = await fetch(url, init);
    const body = await response.text();
    const answer = { status: response.status, headers: [...response.headers], body };
    answers.set(key, answer);
    return new Response(body === '' ? null : body, { status: answer.status, headers: answer.headers });
  }
  return {
    fetch: fetchDouble,
    replayFor: (index) => {
      replay = index % 5 !== 0;
    },
    live: () => {
      replay = false;
    },
  };
}

describe('property: odd JavaScript values in every argument', () => {
  test(`${PROPERTY_VALUES} random values (mulberry32 seed 0x${PROPERTY_SEED.toString(16)}) in every argument of every method resolve or reject with a documented code`,
    { timeout: 60_000 }, async () => {
      const uncaught = [];
      const onUncaught = (error) => uncaught.push(error);
      process.on('uncaughtException', onUncaught);
      process.on('unhandledRejection', onUncaught);
      const started = performance.now();
      try {
        const generate = valueGenerator(PROPERTY_SEED);
        const calls = propertyCalls();
        const transport = replayingFetch();
        const theClient = client({ fetch: transport.fetch });
        const problems = [];
        let judged = 0;
        for (let index = 0; index < PROPERTY_VALUES; index += 1) {
          // The creates that succeed pile up in the emulator and make its listings (and
          // their decoding) longer; a reset now and then keeps every value's cost alike.
          if (index % 25 === 0) emulator.reset();
          transport.replayFor(index);
          const value = generate();
          const outcomes = await Promise.all(calls.map(async ([name, call]) => {
            const problem = await judge(name, call, theClient, value);
            return problem === null ? null : `value #${index} (${describeValue(value)}) as ${name}: ${problem}`;
          }));
          const validation = judgeValidation(value);
          if (validation !== null) outcomes.push(`value #${index} (${describeValue(value)}): ${validation}`);
          judged += calls.length + 1;
          problems.push(...outcomes.filter((outcome) => outcome !== null));
          if (problems.length > 20) break;
        }
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        console.log(`property: ${judged} calls with ${PROPERTY_VALUES} values (seed 0x${PROPERTY_SEED.toString(16)}) in ${seconds} s`);
        assert.deepEqual(problems, []);

        // The module is not trapped: the same client lists the seeded schedule exactly.
        await new Promise((resolve) => setTimeout(resolve, 50));
        emulator.reset();
        transport.live();
        const page = await theClient.listRegistrySchedules(SEED.registryId);
        assert.equal(emulator.requests().length, 1, 'the listing came from the emulator');
        assert.deepEqual(page, { data: [seedScheduleAsExposed()], count: 1 });
        assert.deepEqual(validateRegistrySchedule(releaseNotesCreateBody()), []);
        assert.deepEqual(uncaught, [], 'no uncaught exception or unhandled rejection');
      } finally {
        process.off('uncaughtException', onUncaught);
        process.off('unhandledRejection', onUncaught);
      }
    });
});
