// Decoding: one page of 5,000 realistic schedules, as one JSON text of the API's page
// shape `{ "data": [...], "count": 5000 }`, read by the package (decoded and validated
// into its typed values) against `JSON.parse` of the same text.
//
//   node --expose-gc bench/decode.mjs [--items 5000] [--runs 30] [--warmup 5]
//
// The package decodes answers inside its calls, so it is driven through
// `client.listRegistrySchedules` with a `fetch` option that answers a fresh
// `new Response(text, { status: 200, headers: { 'content-type': 'application/json' } })`
// each time: nothing goes over a network. Two baselines are timed: `JSON.parse(text)`,
// and `await new Response(text).json()` (made the same way), which also pays for reading
// a body out of a Response, so that part of the cost shows separately. The call's own
// work besides decoding (validating the arguments, building the request) is included
// in the package's time; it is small next to 5,000 items.
//
// Each run times all three once, in an order that cycles through the six permutations;
// a full collection (with --expose-gc) runs before each timing, outside it. The figures
// are medians over the runs after `--warmup` untimed ones, and the medians of each run's
// ratios. Before timing, the package's result is checked field by field against the
// generated schedules (exit 1 when it differs), so a failing path is never measured;
// every timed result is checked for its length and one exact field.

import { SEED, TOKENS, importPackage } from './load.mjs';
import { findGc, fixed, line, median, parseOptions, runIfMain } from './common.mjs';
import { exposedTimestamp, wireSchedules } from './schedules.mjs';

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

// The six orders of the three contenders, cycled through run by run.
const ORDERS = [[0, 1, 2], [1, 2, 0], [2, 0, 1], [0, 2, 1], [2, 1, 0], [1, 0, 2]];

/**
 * Times `runs` rounds of the three decoders after `warmup` untimed ones. Each decoder
 * resolves to something `check(name, result)` accepts (it throws otherwise). Resolves
 * to `{ jsonParse, responseJson, package, ratio, responseRatio }`: lists of ms and of
 * per-run ratios (package over JSON.parse, and over Response.json()).
 */
export async function measureDecode({ decoders, check, runs, warmup, gc = null }) {
  const names = ['jsonParse', 'responseJson', 'package'];
  const times = { jsonParse: [], responseJson: [], package: [] };
  for (let run = 0; run < warmup + runs; run += 1) {
    const spent = {};
    for (const index of ORDERS[run % ORDERS.length]) {
      const name = names[index];
      gc?.();
      const started = performance.now();
      const result = await decoders[name]();
      spent[name] = performance.now() - started;
      check(name, result);
    }
    if (run >= warmup) {
      for (const name of names) {
        times[name].push(spent[name]);
      }
    }
  }
  return {
    ...times,
    ratio: times.package.map((ms, i) => ms / times.jsonParse[i]),
    responseRatio: times.package.map((ms, i) => ms / times.responseJson[i]),
  };
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
    ['decode_ratio_median', fixed(median(result.ratio)), 'x'],
    ['decode_response_json_ratio_median', fixed(median(result.responseRatio)), 'x'],
    ['decode_target', fixed(DECODE_TARGET, 1), 'x'],
  ];
}

async function main() {
  const options = parseOptions(process.argv.slice(2), DEFAULTS, USAGE);
  const { gc } = findGc();
  if (!gc) {
    process.stderr.write('note: run with node --expose-gc for steadier figures\n');
  }
  const { pkg } = await importPackage();
  const { schedules, text } = pageText(options.items);
  const decodeWithPackage = packageDecoder(pkg, text);

  // The whole page, field by field, once before anything is timed.
  const problem = pageProblem(await decodeWithPackage(), schedules);
  if (problem) {
    throw new Error(`the package's page differs from what was sent: ${problem}`);
  }
  const probe = Math.floor(schedules.length / 2);
  const expectedId = schedules[probe].scheduleUuid;
  const expectedCreated = exposedTimestamp(schedules[probe].created);
  const check = (name, result) => {
    const data = name === 'package' ? result.data : result?.data;
    const created = name === 'package' ? data?.[probe]?.created
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
      package: decodeWithPackage,
    },
    check,
    runs: options.runs,
    warmup: options.warmup,
    gc,
  });
  const bytes = Buffer.byteLength(text);
  for (const [name, value, unit] of decodeFigures(result, { items: options.items, bytes })) {
    line(name, value, unit);
  }
}

await runIfMain(import.meta.url, 'decode', main);
