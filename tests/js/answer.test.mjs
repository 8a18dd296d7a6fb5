// The two readings of a page of schedules must agree: the package's answer reader
// (pkg-template/answer.js with the readers generated from src/model/shape.rs), which
// reads a success body with the host's JSON.parse, and the wasm module's serde types,
// which read every body the reader is not sure of and word every error.
//
// For each body below, the module's own reading is taken through a RawClient whose
// attempt is sent by host.js without an answer reader; the reader either leaves the body to the module (`undefined`), or gives
// exactly the module's result: the same value, written as the same JSON text, and only
// for a body the module accepts. The bodies are the release notes' sample, generated
// pages, and a thousand variants of them with one field changed to something an
// answer could hold (missing, null, other types, aliases, odd timestamps and numbers,
// unknown fields, escapes, deep nesting).

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';

import { ContainerSecurityClient, ContainerSecurityError } from 'qualys-cs';
import { RawClient } from '../../pkg/qualys_cs.js';
import { send } from '../../pkg/host.js';
import { ANSWER_READERS } from '../../pkg/answer_readers.js';
import { wireSchedules } from '../../bench/schedules.mjs';
import { SEED } from '../emulator/seed.mjs';
import { mulberry32 } from './helpers.mjs';
import { readersSource } from '../../scripts/answer-readers.mjs';

const readPage = ANSWER_READERS.registrySchedulePage;
const FIXTURE = readFileSync(new URL('../fixtures/list_schedules_response.json', import.meta.url), 'utf8');
const UTF8 = new TextEncoder();

/** The module's own reading of `body` (text or bytes): `{ value }` or `{ code, message }`. */
async function moduleReading(body) {
  const raw = new RawClient(
    JSON.stringify({ baseUrl: 'http://127.0.0.1:9', token: 'a-token', retry: false }));
  const host = {
    fetch: async () => new Response(body, {
      status: 200,
      headers: { 'content-type': 'application/json' },
    }),
  };
  try {
    const prepared = raw.prepare('listRegistrySchedules', JSON.stringify([SEED.registryId]),
      JSON.stringify({ attempt: 1 }));
    const answer = await send(prepared.request, host, {});
    assert.equal(answer.failure, undefined, 'the fetch answered');
    assert.equal(answer.decoded, undefined, 'without a reader host.js hands over the bytes');
    const result = prepared.finish(answer.status, answer.headers, answer.receivedAtMs,
      answer.body, answer.decoded);
    assert.equal(typeof result, 'string', 'without a reader the module answers JSON text');
    return { value: JSON.parse(result) };
  } catch (failure) {
    const { code, message } = JSON.parse(failure);
    return { code, message };
  } finally {
    raw.free();
  }
}

/**
 * Reads `body` both ways and checks that they agree. Resolves to what the reader did:
 * 'read' or 'left' (to the module).
 */
async function agree(body, what) {
  const bytes = typeof body === 'string' ? UTF8.encode(body) : body;
  const byReader = readPage(bytes);
  const byModule = await moduleReading(bytes);
  if (byReader === undefined) return 'left';
  assert.ok(byModule.value !== undefined,
    `${what}: the reader took a body the module refuses (${byModule.code}: ${byModule.message})`);
  assert.deepEqual(byReader, byModule.value, what);
  // Field for field in the same order, too. The one exception is the inside of `errors`,
  // a JSON value kept as it is: the reader keeps the server's key order, the module
  // writes its keys sorted (serde_json's map), and neither order means anything.
  assert.equal(JSON.stringify(sortedErrors(byReader)), JSON.stringify(sortedErrors(byModule.value)),
    `${what}: the same JSON text`);
  return 'read';
}

function sortedErrors(value) {
  const sorted = (item) => {
    if (Array.isArray(item)) return item.map(sorted);
    if (item === null || typeof item !== 'object') return item;
    return Object.fromEntries(Object.keys(item).sort().map((key) => [key, sorted(item[key])]));
  };
  return { ...value, data: value.data.map((schedule) => ({ ...schedule, errors: sorted(schedule.errors) })) };
}

const page = (data, extra = {}) => JSON.stringify({ data, count: data.length, ...extra });

describe('the answer reader and the module read a page of schedules the same way', () => {
  test('the release notes\' sample is read by the reader, exactly as the module reads it', async () => {
    assert.equal(await agree(FIXTURE, 'the sample'), 'read');
    const value = readPage(UTF8.encode(FIXTURE));
    assert.equal(value.count, 1);
    assert.equal(value.data[0].scheduleUuid, JSON.parse(FIXTURE).data[0].scheduleUuid);
    assert.equal(value.data[0].created, Number(JSON.parse(FIXTURE).data[0].created));
  });

  test('generated pages (digits, numbers and ISO-8601 timestamps, nulls) are read by the reader', async () => {
    for (const seed of [1, 2, 3, 4, 5]) {
      const schedules = wireSchedules(40, seed);
      assert.equal(await agree(page(schedules), `seed ${seed}`), 'read', `seed ${seed}`);
    }
  });

  test('nested objects are the same whether the parsed one is kept or a new one is built', async () => {
    // The reader returns a parsed object as it is when it already is the result (every
    // field there and unchanged, no other key, in the Rust order), and builds a new one
    // otherwise. Each form below must read as the module reads it, field order included.
    const [base] = wireSchedules(1, 9);
    const forms = [
      ['already the result', { repoTags: [{ repo: 'a', tag: 'b' }], days: 3 },
        { numberOfTags: 2, sortCriteria: 'createdDate' }],
      ['keys in another order', { days: 3, repoTags: [{ tag: 'b', repo: 'a' }] },
        { sortCriteria: 'createdDate', numberOfTags: 2 }],
      ['a null tag', { repoTags: [{ repo: 'a', tag: null }], days: 0 },
        { numberOfTags: 0, sortCriteria: 'x' }],
      ['absent and null fields', { repoTags: [{ repo: 'a' }] },
        { numberOfTags: null, sortCriteria: 'x' }],
      ['an unknown key', { repoTags: [{ repo: 'a', tag: 'b', extra: [1] }], days: 1, more: {} },
        { numberOfTags: 1, sortCriteria: 'x', other: 'y' }],
      ['a later item changed', { repoTags: [{ repo: 'a', tag: 'b' }, { tag: 'd', repo: 'c' }], days: 1 },
        { numberOfTags: 1 }],
    ];
    for (const [what, filter, additionalFilters] of forms) {
      const schedule = { ...base, filters: [filter, filter], additionalFilters };
      assert.equal(await agree(page([schedule]), what), 'read', what);
      const read = readPage(UTF8.encode(page([schedule]))).data[0];
      for (const item of read.filters) {
        assert.deepEqual(Object.keys(item), ['repoTags', 'days'], what);
        for (const tag of item.repoTags) assert.deepEqual(Object.keys(tag), ['repo', 'tag'], what);
      }
    }
  });

  test('with a field name put on Object.prototype, pages are left to the module', async () => {
    // A field a body leaves out would otherwise be read from the prototype.
    const body = page([{ ...wireSchedules(1, 4)[0], filters: [{ repoTags: [{ repo: 'a' }] }] }]);
    assert.equal(await agree(body, 'clean'), 'read');
    for (const name of ['tag', 'days', 'weekDay', 'count']) {
      Object.prototype[name] = 'polluted';
      try {
        assert.equal(readPage(UTF8.encode(body)), undefined, name);
        const { value } = await moduleReading(UTF8.encode(body));
        assert.equal(value.data[0].filters[0].repoTags[0].tag, null, name);
      } finally {
        delete Object.prototype[name];
      }
    }
    assert.equal(await agree(body, 'clean again'), 'read');
  });

  test('a -0 in the text is left to the module where a whole number belongs, and read as 0', async () => {
    // JSON.stringify writes -0 as 0, so these bodies are edited as text. serde_json reads
    // `-0` as a float, a whole zero: a u32, a count and a timestamp read it as 0.
    const [schedule] = wireSchedules(1, 3);
    const text = page([{ ...schedule, created: 5, scheduleIntervalInDays: 1,
      filters: [{ repoTags: [{ repo: 'a', tag: 'b' }], days: 1 }],
      additionalFilters: { numberOfTags: 1, sortCriteria: 'x' } }]);
    for (const [field, from] of [['days', '"days":1'], ['numberOfTags', '"numberOfTags":1'],
      ['scheduleIntervalInDays', '"scheduleIntervalInDays":1'], ['count', '"count":1']]) {
      assert.ok(text.includes(from), from);
      const body = text.replace(from, from.replace(/1$/, '-0'));
      assert.equal(await agree(body, field), 'left', field);
      const { value } = await moduleReading(UTF8.encode(body));
      const [read] = value.data;
      const zero = { days: read.filters[0].days, numberOfTags: read.additionalFilters.numberOfTags,
        scheduleIntervalInDays: read.scheduleIntervalInDays, count: value.count }[field];
      assert.ok(Object.is(zero, 0), `${field} is ${zero}`);
    }
    const zero = text.replace('"created":5', '"created":-0');
    assert.equal(await agree(zero, 'created'), 'read');
    assert.ok(Object.is(readPage(UTF8.encode(zero)).data[0].created, 0), 'created is 0, not -0');
  });

  test('a thousand one-field variants: whatever the reader takes, the module reads the same', async () => {
    const random = mulberry32(22);
    const base = wireSchedules(3, 7);
    const outcomes = { read: 0, left: 0 };
    const cases = variants(base, random);
    assert.ok(cases.length > 1000, `${cases.length} variants`);
    for (const [what, body] of cases) {
      outcomes[await agree(body, what)] += 1;
    }
    // Both paths are exercised. The variants are the same on every run, so the split is
    // exact: a reader that takes more (or less) than before changes it.
    assert.deepEqual(outcomes, { read: 468, left: 692 });
  });

  test('bodies that are not a page, not JSON or not UTF-8 are left to the module, which refuses them', async () => {
    const bodies = [
      ['empty', ''],
      ['a bare array', JSON.stringify(wireSchedules(1, 3))],
      ['an empty object', '{}'],
      ['an error body', '{"errorCode":"500 INTERNAL_SERVER_ERROR","message":"Something failed"}'],
      ['null', 'null'],
      ['a string', '"page"'],
      ['cut short', FIXTURE.slice(0, -3)],
      ['a byte-order mark', `\ufeff${FIXTURE}`],
      ['trailing text', `${FIXTURE} x`],
      ['not UTF-8', Uint8Array.from([...UTF8.encode('{"data":[],"count":0,"x":"'), 0xff, 0x22, 0x7d])],
      ['data nested 200 levels', `{"data":${'['.repeat(200)}${']'.repeat(200)}}`],
    ];
    for (const [what, body] of bodies) {
      assert.equal(await agree(body, what), 'left', what);
    }
    assert.equal((await moduleReading('')).code, 'DECODE');
    assert.equal((await moduleReading(UTF8.encode(`\ufeff${FIXTURE}`))).code, 'DECODE');
    for (const body of ['{}', '{"count":0}']) {
      const refused = await moduleReading(body);
      assert.equal(refused.code, 'DECODE', body);
      assert.equal(refused.message, 'the body does not match the API: missing field `data`');
    }
    // An array is no page, though serde's derived structs would read one as their fields.
    for (const body of ['[]', '[[], 5]']) {
      const refused = await moduleReading(body);
      assert.equal(refused.code, 'DECODE', body);
      assert.equal(refused.message, 'the body does not match the API: it is a JSON array, not an object');
    }
  });

  test('a JSON page under a content-type that is not JSON is DECODE, as the module has it', async () => {
    // The reader is only given bodies the module would read as JSON; its content-type
    // check is the module's (`decode_json`).
    const answering = (headers) => new ContainerSecurityClient({
      baseUrl: 'http://127.0.0.1:9',
      token: 'a-token',
      retry: false,
      fetch: async () => new Response(FIXTURE, { status: 200, headers }),
    });
    for (const type of ['text/html', 'text/plain; charset=utf-8']) {
      const failure = await answering({ 'content-type': type }).listRegistrySchedules(SEED.registryId)
        .then(() => null, (error) => error);
      assert.ok(failure instanceof ContainerSecurityError, type);
      assert.equal(failure.code, 'DECODE', type);
      assert.match(failure.message, /expected JSON, but the answer is `text\/(html|plain)/, type);
    }
    for (const headers of [{ 'content-type': 'application/json; charset=utf-8' },
      { 'content-type': 'application/vnd.api+JSON' }]) {
      const read = await answering(headers).listRegistrySchedules(SEED.registryId);
      assert.equal(read.count, 1, JSON.stringify(headers));
    }
  });

  test('nesting is counted as the module counts it: 127 levels are read, 128 are left (and refused)', async () => {
    const [schedule] = wireSchedules(1, 9);
    // The page, `data` and the schedule are 3 levels; `errors` adds the rest.
    const nested = (levels) => page([{ ...schedule, errors: JSON.parse(`${'['.repeat(levels)}${']'.repeat(levels)}`) }]);
    assert.equal(await agree(nested(124), '127 levels'), 'read');
    assert.equal(await agree(nested(125), '128 levels'), 'left');
    assert.match((await moduleReading(nested(125))).message, /nests deeper than 127 levels/);
    // The same in a field the Rust types read past.
    const unknown = (levels) => page([{ ...schedule, future: JSON.parse(`${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`) }]);
    assert.equal(await agree(unknown(124), 'an unknown field at 127 levels'), 'read');
    assert.equal(await agree(unknown(125), 'an unknown field at 128 levels'), 'left');
  });

  test('FIXME: a field given twice is read as its last value, where the module refuses the body', async () => {
    // JSON.parse keeps the last of two equal keys and cannot tell that there were two;
    // serde's derive refuses a duplicate field. It should be DECODE on both paths, or
    // the last value on both.
    const [schedule] = wireSchedules(1, 11);
    const text = page([schedule]).replace('"status":', '"status":"Twice","status":');
    const byReader = readPage(UTF8.encode(text));
    assert.equal(byReader.data[0].status, schedule.status);
    const byModule = await moduleReading(text);
    assert.equal(byModule.code, 'DECODE');
    assert.match(byModule.message, /duplicate field `status`/);
  });

  test('a timestamp beyond a Date\'s range is refused both ways, not rounded', async () => {
    // 8,640,000,000,000,000 ms is as far as a JavaScript `Date` goes; past 2^53 a number
    // would also come out rounded (9007199254740993 as 9007199254740992).
    const [schedule] = wireSchedules(1, 13);
    for (const created of [8.64e15, -8.64e15]) {
      const text = page([{ ...schedule, created }]);
      assert.equal(await agree(text, String(created)), 'read');
      assert.equal(readPage(UTF8.encode(text)).data[0].created, created);
    }
    for (const written of ['8640000000000001', '9007199254740993', '"9007199254740993"', '1e16']) {
      const text = page([{ ...schedule, created: 1 }]).replace('"created":1,', `"created":${written},`);
      assert.equal(await agree(text, written), 'left');
      const refused = await moduleReading(text);
      assert.equal(refused.code, 'DECODE', written);
      assert.match(refused.message, /`data\[0\]\.created` does not match the API: /, written);
    }
  });

  test('a whole number written as a decimal (7.0, 3e0, -0) reads the same both ways', async () => {
    // JSON.parse gives 7 for both `7` and `7.0`, and the module reads a whole number
    // written as a decimal too, so a page means the same whichever of the two reads it.
    const [schedule] = wireSchedules(1, 12);
    const text = page([{ ...schedule, scheduleIntervalInDays: 7 }]).replace(
      '"scheduleIntervalInDays":7', '"scheduleIntervalInDays":7.0');
    assert.equal(await agree(text, '7.0'), 'read');
    assert.equal(readPage(UTF8.encode(text)).data[0].scheduleIntervalInDays, 7);
    // A page the module reads (the alias sends it there) reads `3e0` as 3 as well.
    const aliased = page([{ ...schedule, scheduleIntervalInDays: undefined,
      scheduleScanIntervalInDays: 3 }]).replace('"scheduleScanIntervalInDays":3',
      '"scheduleScanIntervalInDays":3e0');
    assert.equal(await agree(aliased, 'the alias as 3e0'), 'left');
    assert.equal((await moduleReading(aliased)).value.data[0].scheduleIntervalInDays, 3);
    // Not whole: refused by the module in serde's words, and left to it by the reader.
    const half = text.replace('"scheduleIntervalInDays":7.0', '"scheduleIntervalInDays":7.5');
    assert.equal(await agree(half, '7.5'), 'left');
    assert.match((await moduleReading(half)).message,
      /`data\[0\]\.scheduleIntervalInDays` does not match the API: invalid type: floating point `7\.5`, expected a whole number from 0 to 4294967295/);
  });
});

describe('the build of the answer readers', () => {
  test('the shipped readers are what the generator writes for the module\'s shapes', async () => {
    const { answerShapes } = await import('../../pkg/qualys_cs.js');
    const source = readersSource(JSON.parse(answerShapes()));
    // The shipped file is the same source minified: local names are shortened, and each
    // function is given back its name (for stack traces) by esbuild's --keep-names. Its
    // lines are broken near 160 characters, inside a string with a line continuation
    // where need be, which is taken out here.
    const shipped = readFileSync(new URL('../../pkg/answer_readers.js', import.meta.url), 'utf8')
      .replaceAll('\\\n', '');
    for (const name of ['readRegistrySchedulePage', 'readRegistrySchedulePageItem',
      'readRegistrySchedulePageItemFiltersItem', 'readRegistrySchedulePageItemFiltersItemRepoTagsItem',
      'readRegistrySchedulePageItemAdditionalFilters']) {
      assert.match(source, new RegExp(`function ${name}\\(value`), name);
      assert.ok(shipped.includes(`"${name}")`), name);
    }
    assert.match(source, /const field\d+ = optionalU32\(value\["scheduleIntervalInDays"\]\);/);
    assert.match(source, /const ALIASES_\d+ = \["scheduleScanIntervalInDays"\];/);
  });

  test('a shape the generator has no reader for stops the build, naming it', () => {
    assert.throws(() => readersSource({ profile: { kind: 'object', fields: [], nullable: false } }),
      /the answer profile is not a page/);
    assert.throws(() => readersSource({ page: { kind: 'page', item: { kind: 'tuple' } } }),
      /no reader for a shape of kind tuple/);
  });
});

/** `[what, body]` pairs: each field of each schedule of `base` set to each odd value. */
function variants(base, random) {
  const cases = [];
  const values = [
    ['missing', undefined], ['null', null], ['true', true], ['false', false], ['0', 0], ['-0', -0],
    ['7', 7], ['-1', -1], ['1.5', 1.5], ['2^32', 2 ** 32], ['2^53', 2 ** 53], ['1e300', 1e300],
    ['empty string', ''], ['a string', 'Nightly'], ['digits', '1674040668619'], ['spaced digits', ' 1674040668619 '],
    ['16 digits', '1674040668619000'], ['20 digits', '16740406686190000000'], ['ISO Z', '2023-01-18T11:17:48.619Z'],
    ['ISO offset', '2023-01-18T12:17:48+01:00'], ['ISO date', '2023-01-18'], ['ISO bad day', '2023-02-30T00:00:00Z'],
    ['a lone surrogate', '\ud800'], ['a pair', '\ud83d\ude00'], ['MONDAY', 'MONDAY'], ['monday', 'monday'],
    ['Monday', 'Monday'], ['FUNDAY', 'FUNDAY'], ['empty list', []], ['a list', [1, 'a', null]],
    ['list of objects', [{ repoTags: [{ repo: 'a', tag: null }], days: 3 }]], ['empty object', {}],
    ['an object', { numberOfTags: 2, sortCriteria: 'createdDate' }], ['nested', { a: [{ b: [1] }] }],
  ];
  const fields = Object.keys(base[0]);
  for (const field of [...fields, 'scheduleScanIntervalInDays', 'futureField', '__proto__', 'constructor']) {
    for (const [label, value] of values) {
      const data = base.map((schedule) => ({ ...schedule }));
      const target = data[Math.floor(random() * data.length)];
      if (value === undefined) delete target[field];
      else Object.defineProperty(target, field, { value, enumerable: true, writable: true, configurable: true });
      cases.push([`${field} ${label}`, page(data)]);
    }
  }
  // Inside the filters and their repository tags.
  for (const [path, label, value] of [
    ...values.map(([label, value]) => [['filters', 0, 'days'], label, value]),
    ...values.map(([label, value]) => [['filters', 0, 'repoTags'], label, value]),
    ...values.map(([label, value]) => [['filters', 0, 'repoTags', 0, 'repo'], label, value]),
    ...values.map(([label, value]) => [['filters', 0, 'repoTags', 0, 'tag'], label, value]),
    ...values.map(([label, value]) => [['filters', 0, 'extra'], label, value]),
    ...values.map(([label, value]) => [['filters', 0], label, value]),
    ...values.map(([label, value]) => [['additionalFilters', 'numberOfTags'], label, value]),
    ...values.map(([label, value]) => [['additionalFilters', 'sortCriteria'], label, value]),
  ]) {
    const data = structuredClone(base);
    const holder = path.slice(0, -1).reduce((node, key) => node?.[key], data[0]);
    if (holder === null || typeof holder !== 'object') continue;
    const key = path.at(-1);
    if (value === undefined) delete holder[key];
    else holder[key] = value;
    cases.push([`${path.join('.')} ${label}`, page(data)]);
  }
  // The page's own fields.
  for (const [label, value] of values) {
    cases.push([`count ${label}`, JSON.stringify({ data: base, count: value })]);
    cases.push([`data ${label}`, JSON.stringify({ data: value, count: 0 })]);
    cases.push([`page extra ${label}`, JSON.stringify({ data: base, count: 3, extra: value })]);
  }
  // Escapes: a lone surrogate written as an escape, in a kept string and in a key.
  const [first] = base;
  cases.push(['an escaped lone surrogate in a name', page([first]).replace('"name":', '"name":"\\ud800","was":')]);
  cases.push(['an escaped pair in a name', page([first]).replace('"name":', '"name":"\\ud83d\\ude00","was":')]);
  cases.push(['an escaped lone surrogate in a key', page([first]).replace('"name":', '"\\udc00":1,"name":')]);
  cases.push(['a number too large for a double', page([first]).replace('"errors":', '"future":1e400,"errors":')]);
  return cases;
}
