// The package under load, sized for CI: 1,000 concurrent calls through one client,
// checked against the emulator's state and request log (nothing lost, nothing
// duplicated, every promise settled), and 2,000 sequential calls with RSS and the wasm
// module's memory measured before and after. `node --expose-gc bench/load.mjs` runs the
// full sizes (10,000 sequential) and prints the figures; this file shares its code.
//
// The emulator runs in a child process, as a gateway would be elsewhere: the figures are
// the client's alone, and the two processes share the machine's two cores.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import {
  MB,
  findGc,
  importPackage,
  inMb,
  runConcurrent,
  runSequential,
  startEmulatorProcess,
} from '../../bench/load.mjs';
import { SEED, TOKENS } from '../emulator/server.mjs';

const CONCURRENT_CALLS = 1_000;
const SEQUENTIAL_CALLS = 2_000;
// The wasm memory must not grow; RSS is noisy (the JS heap, undici's pools), so its
// bound is looser.
const MAX_WASM_GROWTH = 5 * MB;
const MAX_RSS_GROWTH = 30 * MB;

const { pkg, wasmMemory } = await importPackage();
const { ContainerSecurityClient } = pkg;

let emulator;

before(async () => {
  emulator = await startEmulatorProcess();
});

after(async () => {
  await emulator.close();
});

test(`${CONCURRENT_CALLS} concurrent calls through one client: nothing lost or duplicated`, {
  timeout: 50_000,
}, async () => {
  const client = new ContainerSecurityClient({
    baseUrl: emulator.url, token: TOKENS.admin, retry: false,
  });

  const result = await runConcurrent({
    client, url: emulator.url, total: CONCURRENT_CALLS, deadlineMs: 40_000,
  });

  console.log(`load concurrent: ${result.calls} calls, ${result.ok} ok, ${result.failed} failed, ` +
    `${result.ms} ms`);
  assert.deepEqual(result.failures, [], 'no call failed');
  assert.deepEqual(result.problems, [], 'the emulator agrees with every answer');
  assert.equal(result.ok, CONCURRENT_CALLS);
  assert.deepEqual(result.counts, {
    listSchedules: 300,
    createSchedule: 200,
    updateSchedule: 200,
    createProfile: 100,
    deleteProfile: 100,
    listProfiles: 100,
  });
});

test(`${CONCURRENT_CALLS} concurrent calls sharing one AbortSignal: no listener-leak warning`, {
  timeout: 50_000,
}, async () => {
  // A page that cancels a bulk operation hands one signal to every call. Node's fetch
  // allows 1,500 abort listeners on a signal it is given and adds one per call; the
  // package must not add more per call, or Node prints MaxListenersExceededWarning as if
  // the listeners leaked.
  const warnings = [];
  const onWarning = (warning) => warnings.push(`${warning.name}: ${warning.message}`);
  process.on('warning', onWarning);
  try {
    const client = new ContainerSecurityClient({
      baseUrl: emulator.url, token: TOKENS.admin, retry: false,
    });
    const controller = new AbortController();
    const calls = Array.from({ length: CONCURRENT_CALLS }, () => client
      .listRegistrySchedules(SEED.registryId, undefined, { signal: controller.signal })
      .then((page) => page.count, (error) => error.code));
    const outcomes = await Promise.all(calls);
    assert.deepEqual(new Set(outcomes), new Set([1]), 'every call listed the one schedule');
    // Warnings are emitted on the next tick.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(warnings.filter((text) => text.startsWith('MaxListenersExceeded')), []);

    // The shared signal still aborts every call in flight.
    const aborted = Array.from({ length: 50 }, () => client
      .listRegistrySchedules(SEED.registryId, undefined, { signal: controller.signal })
      .then(() => 'listed', (error) => error.code));
    controller.abort();
    assert.deepEqual(new Set(await Promise.all(aborted)), new Set(['ABORTED']));
  } finally {
    process.off('warning', onWarning);
  }
});

test(`${SEQUENTIAL_CALLS} sequential calls leave the wasm memory and RSS where they were`, {
  timeout: 50_000,
}, async () => {
  const { gc, how } = findGc();
  const client = new ContainerSecurityClient({
    baseUrl: emulator.url, token: TOKENS.admin, retry: false,
  });

  const result = await runSequential({
    client, url: emulator.url, calls: SEQUENTIAL_CALLS, wasmMemory, gc,
  });

  const rssGrowth = result.rssAfter - result.rssBefore;
  const wasmGrowth = result.wasmAfter - result.wasmBefore;
  console.log(`load sequential: ${result.calls} calls, rss ${rssGrowth < 0 ? '' : '+'}` +
    `${inMb(rssGrowth)} MB, wasm +${inMb(wasmGrowth)} MB (${result.ms} ms, gc: ${how})`);
  assert.equal(result.failed, 0, `no call failed: ${result.firstFailure?.message}`);
  assert.ok(wasmGrowth < MAX_WASM_GROWTH, `wasm memory grew by ${wasmGrowth} bytes`);
  assert.ok(rssGrowth < MAX_RSS_GROWTH, `RSS grew by ${rssGrowth} bytes`);
});

test('calls with a signal and a time limit leave the heap where it was', {
  timeout: 60_000,
}, async () => {
  // Node keeps a combined signal (`AbortSignal.any`, made for a call's signal together
  // with its timeoutMs or deadlineMs) alive for as long as it has an abort listener; one
  // the package left on it kept about 7 KB per call that no collection freed.
  const { gc } = findGc();
  assert.ok(gc, 'the collector can be run');
  const CALLS = 1_500;
  const settle = async () => {
    for (let round = 0; round < 3; round += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      gc();
    }
    return process.memoryUsage().heapUsed;
  };
  const shared = new AbortController();
  for (const [what, options, call] of [
    ['a fresh signal per call and timeoutMs', { timeoutMs: 5_000 },
      () => ({ signal: new AbortController().signal })],
    ['one shared signal and deadlineMs', { deadlineMs: 5_000 }, () => ({ signal: shared.signal })],
  ]) {
    const client = new ContainerSecurityClient({
      baseUrl: emulator.url, token: TOKENS.admin, retry: false, ...options,
    });
    await client.listSensorProfiles(undefined, call());
    const before = await settle();
    for (let i = 0; i < CALLS; i += 1) {
      await client.listSensorProfiles(undefined, call());
    }
    const growth = (await settle()) - before;
    console.log(`heap after ${CALLS} calls with ${what}: ${growth < 0 ? '' : '+'}${inMb(growth)} MB`);
    // 7 KB a call would be 10 MB; what is left of a normal run is well under 2 MB.
    assert.ok(growth < 4 * MB, `${what}: the heap grew by ${inMb(growth)} MB`);
  }
});

test('the check finds a duplicated create and a call that never reached the emulator', {
  timeout: 30_000,
}, async () => {
  // A transport that sends the fifth create twice and answers the tenth schedule listing
  // itself, so that the check is seen to catch both.
  let creates = 0;
  let lists = 0;
  const listing = JSON.stringify({ data: [], count: 0 });
  const faulty = async (url, init) => {
    const isSchedules = url.includes(`/registry/${SEED.emptyRegistryId}/schedule`);
    if (init.method === 'POST' && isSchedules && (creates += 1) === 5) {
      await fetch(url, init);
    }
    if (init.method === 'GET' && url.includes(`/registry/${SEED.registryId}/schedule`)
      && (lists += 1) === 10) {
      return new Response(listing, { headers: { 'content-type': 'application/json' } });
    }
    return fetch(url, init);
  };
  const client = new ContainerSecurityClient({
    baseUrl: emulator.url, token: TOKENS.admin, retry: false, fetch: faulty,
  });

  const result = await runConcurrent({ client, url: emulator.url, total: 100, deadlineMs: 20_000 });

  assert.equal(result.failed, 0);
  assert.deepEqual(result.problems, [
    'GET schedules: 29 requests logged, 30 calls made',
    '1 schedule listings were not the seeded sample',
    'POST schedules: 21 requests logged, 20 calls made',
    `schedules posted more than once: ${result.problems[3]?.split(': ')[1]}`,
    '21 schedules stored for 20 successful creates',
  ]);
  assert.match(result.problems[3], /^schedules posted more than once: load-schedule-\d+$/);
});
