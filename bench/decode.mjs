// Decoding: one page of 5,000 realistic schedules, as one JSON text of the API's page
// shape `{ "data": [...], "count": 5000 }`, read by the package (decoded and validated
// into its typed values) against `JSON.parse` of the same text.
//
//   node --expose-gc bench/decode.mjs [--items 5000] [--runs 30] [--warmup 5]
//
// Two things of the package are timed:
//
// - `package`: its reading of the body, the step every `listRegistrySchedules` call
//   takes once the body's bytes are in: the answer reader of pkg/answer_readers.js
//   (UTF-8, the host's JSON.parse, every field checked against the Rust types' shape,
//   timestamps made epoch milliseconds). Its ratio to `JSON.parse(text)` is the issue's
//   figure, `decode_ratio_median`. The bench exits 1 when the reader leaves this page to
//   the wasm module, as then this would not be what a call does.
// - `packageCall`: a whole `client.listRegistrySchedules` call whose `fetch` option
//   answers a fresh `new Response(text, { status: 200, headers: { 'content-type':
//   'application/json' } })`: nothing goes over a network, but reading the body out of
//   a Response is paid, so it is set against `await new Response(text).json()` made the
//   same way (`decode_call_ratio_median`).
//
// Each run times all four once, in an order that cycles through their permutations; a
// full collection (with --expose-gc) runs before each timing, outside it. The figures
// are medians over the runs after `--warmup` untimed ones, and the medians of each run's
// ratios. Before timing, both of the package's results are checked field by field
// against the generated schedules (exit 1 when they differ), so a failing path is never
// measured; every timed result is checked for its length and one exact field.

import { SEED, TOKENS, importPackage } from './load.mjs';
import { benchCollector, fixed, line, median, parseOptions, runIfMain } from './common.mjs';
import { exposedTimestamp, wireSchedules } from './schedules.mjs';
import { ANSWER_READERS } from '../pkg/answer_readers.js';

export const DECODE_TARGET = 1.5;

export const DEFAULTS = Object.freeze({ items: 5000, runs: 30, warmup: 5 });

const USAGE = 'node --expose-gc bench/decode.mjs [--items N] [--runs N] [--warmup N]';

const JSON_HEADERS = Object.freeze({ 'content-type': 'application/json' });

/** The page's JSON text and the schedules in it (as sent), for `items` schedules. */
export function pageText(items) {
  const schedules = wireSchedules(items);
  return { schedules, text: JSON.stringify({ data: schedules, count: items }) };
}

/**
 * A client whose every call is answered with `text` in a fresh Response, and a function
 * that makes one listing through it, resolving to the decoded page.
 */
export function packageDecoder(pkg, text) {
  const client = new pkg.ContainerSecurityClient({
    // Never reached: the `fetch` below answers every request itself.
    baseUrl: 'http://127.0.0.1:9',
    token: TOKENS.admin,
    retry: false,
    fetch: async () => new Response(text, { status: 200, headers: JSON_HEADERS }),
  });
  return () => client.listRegistrySchedules(SEED.registryId);
}

/**
 * Compares a decoded page with the schedules that were sent: the count, and for every
 * item its id, status, week day, first repository and each timestamp as epoch
 * milliseconds. Returns the first difference found, or null.
 */
export function pageProblem(page, schedules) {
  if (page?.count !== schedules.length || page?.data?.length !== schedules.length) {
    return `the page has count ${page?.count} and ${page?.data?.length} items, ` +
      `not ${schedules.length}`;
  }
  const timestamps = ['created', 'updated', 'jobStartDate', 'jobCompletionDate',
    'jobListingStartDate', 'jobListingCompletionDate', 'jobScanningStartDate',
    'jobScanningCompletionDate'];
  for (let i = 0; i < schedules.length; i += 1) {
    const sent = schedules[i];
    const got = page.data[i];
    const same = got.scheduleUuid === sent.scheduleUuid && got.status === sent.status
      && got.weekDay === sent.weekDay && got.onDemand === sent.onDemand
      && got.filters[0]?.repoTags[0]?.repo === sent.filters[0].repoTags[0].repo
      && timestamps.every((field) => got[field] === exposedTimestamp(sent[field]));
    if (!same) {
      return `item ${i} decoded as ${JSON.stringify(got).slice(0, 300)}`;
    }
  }
  return null;
}

const NAMES = ['jsonParse', 'responseJson', 'package', 'packageCall'];

// Every order of the four contenders, cycled through run by run.
const ORDERS = (function permutations(items) {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)])
    .map((rest) => [item, ...rest]));
})([0, 1, 2, 3]);

/**
 * Times `runs` rounds of the four decoders (`NAMES`) after `warmup` untimed ones. Each
 * decoder resolves to something `check(name, result)` accepts (it throws otherwise).
 * Resolves to lists of ms by name, and of per-run ratios: `ratio` (package over
 * JSON.parse) and `callRatio` (the whole call over Response.json()).
 */
export async function measureDecode({ decoders, check, runs, warmup, gc = null }) {
  const times = Object.fromEntries(NAMES.map((name) => [name, []]));
  for (let run = 0; run < warmup + runs; run += 1) {
    const spent = {};
    for (const index of ORDERS[run % ORDERS.length]) {
      const name = NAMES[index];
      gc?.();
      const started = performance.now();
      const result = await decoders[name]();
      spent[name] = performance.now() - started;
      check(name, result);
    }
    if (run >= warmup) {
      for (const name of NAMES) {
        times[name].push(spent[name]);
      }
    }
  }
  return {
    ...times,
    ratio: times.package.map((ms, i) => ms / times.jsonParse[i]),
    callRatio: times.packageCall.map((ms, i) => ms / times.responseJson[i]),
  };
}

/**
 * The package's reading of a page's body bytes, as every listing call does it, or
 * `undefined` when its answer reader leaves the body to the wasm module.
 */
export function packageReader(bytes) {
  return ANSWER_READERS.registrySchedulePage(bytes);
}

/** The figures of a measurement, as `[name, value, unit]` triples. */
export function decodeFigures(result, { items, bytes }) {
  return [
    ['decode_items', items, 'items'],
    ['decode_body_bytes', bytes, 'bytes'],
    ['decode_runs', result.package.length, 'runs'],
    ['decode_json_parse_median', fixed(median(result.jsonParse)), 'ms'],
    ['decode_response_json_median', fixed(median(result.responseJson)), 'ms'],
    ['decode_package_median', fixed(median(result.package)), 'ms'],
    ['decode_package_call_median', fixed(median(result.packageCall)), 'ms'],
    ['decode_ratio_median', fixed(median(result.ratio)), 'x'],
    ['decode_call_ratio_median', fixed(median(result.callRatio)), 'x'],
    ['decode_target', fixed(DECODE_TARGET, 1), 'x'],
  ];
}

async function main() {
  const options = parseOptions(process.argv.slice(2), DEFAULTS, USAGE);
  const gc = benchCollector();
  const { pkg } = await importPackage();
  const { schedules, text } = pageText(options.items);
  const bytes = new TextEncoder().encode(text);
  const callWithPackage = packageDecoder(pkg, text);

  // The whole page, field by field, both ways, once before anything is timed.
  const read = packageReader(bytes);
  if (read === undefined) {
    throw new Error("the package's answer reader left the page to the wasm module");
  }
  for (const [way, page] of [['reader', read], ['call', await callWithPackage()]]) {
    const problem = pageProblem(page, schedules);
    if (problem) {
      throw new Error(`the package's page (${way}) differs from what was sent: ${problem}`);
    }
  }
  const probe = Math.floor(schedules.length / 2);
  const expectedId = schedules[probe].scheduleUuid;
  const expectedCreated = exposedTimestamp(schedules[probe].created);
  const check = (name, result) => {
    const ours = name === 'package' || name === 'packageCall';
    const data = result?.data;
    const created = ours ? data?.[probe]?.created
      : exposedTimestamp(data?.[probe]?.created ?? null);
    if (data?.length !== schedules.length || data[probe].scheduleUuid !== expectedId
      || created !== expectedCreated) {
      throw new Error(`${name} answered ${data?.length} items, or item ${probe} differs`);
    }
  };
  const result = await measureDecode({
    decoders: {
      jsonParse: () => JSON.parse(text),
      responseJson: () => new Response(text, { status: 200, headers: JSON_HEADERS }).json(),
      package: async () => packageReader(bytes),
      packageCall: callWithPackage,
    },
    check,
    runs: options.runs,
    warmup: options.warmup,
    gc,
  });
  for (const [name, value, unit] of decodeFigures(result, { items: options.items, bytes: bytes.length })) {
    line(name, value, unit);
  }
}

await runIfMain(import.meta.url, 'decode', main);
