// The bench scripts of `make bench`, run at tiny sizes: each must exit 0 and print every
// figure it promises as a `name value unit` line with a finite number. No time is
// asserted here; the figures themselves come from `make bench` at full size.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

import { median, parseOptions } from '../../bench/common.mjs';
import { pageProblem, pageText, packageDecoder, packageReader } from '../../bench/decode.mjs';
import { run } from './helpers.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

const BENCHES = [
  {
    script: 'bench/load.mjs',
    args: ['--concurrent', '100', '--sequential', '50'],
    names: [
      'load_concurrent_calls', 'load_concurrent_ok', 'load_concurrent_failed',
      'load_concurrent_problems', 'load_concurrent_ms', 'load_concurrent_calls_per_sec',
      'load_concurrent_capped16_failed', 'load_concurrent_capped16_problems',
      'load_concurrent_capped16_ms', 'load_sequential_calls', 'load_sequential_failed',
      'load_sequential_ms', 'load_sequential_per_call', 'load_sequential_rss_before',
      'load_sequential_rss_growth', 'load_sequential_wasm_before',
      'load_sequential_wasm_growth',
    ],
  },
  {
    script: 'bench/overhead.mjs',
    args: ['--calls', '20', '--rounds', '2', '--warmup', '2'],
    names: [
      'overhead_items_per_page', 'overhead_calls_per_kind', 'overhead_package_call_median',
      'overhead_raw_fetch_median', 'overhead_ratio_median', 'overhead_target',
    ],
  },
  {
    script: 'bench/decode.mjs',
    args: ['--items', '200', '--runs', '3', '--warmup', '1'],
    names: [
      'decode_items', 'decode_body_bytes', 'decode_runs', 'decode_json_parse_median',
      'decode_response_json_median', 'decode_package_median', 'decode_package_call_median',
      'decode_ratio_median', 'decode_call_ratio_median', 'decode_target',
    ],
  },
  {
    script: 'bench/coldstart.mjs',
    args: ['--runs', '2', '--warmup', '0'],
    names: [
      'coldstart_runs', 'coldstart_package_first_call_median', 'coldstart_raw_fetch_median',
      'coldstart_difference_median', 'coldstart_package_import_median',
      'coldstart_package_call_after_import_median', 'coldstart_node_script_start_median',
      'coldstart_package_wall_median', 'coldstart_raw_fetch_wall_median',
      'coldstart_wall_difference_median',
    ],
  },
];

for (const { script, args, names } of BENCHES) {
  test(`${script} ${args.join(' ')} prints each of its ${names.length} figures`, {
    timeout: 90_000,
  }, async () => {
    const result = await run(process.execPath, ['--expose-gc', script, ...args], {
      cwd: ROOT, timeoutMs: 80_000,
    });
    assert.equal(result.code, 0, `${script} failed:\n${result.stderr}`);
    const lines = result.stdout.trim().split('\n');
    const figures = new Map();
    for (const text of lines) {
      const match = /^([a-z0-9_]+) (\S+) (\S+)$/.exec(text);
      assert.ok(match, `not a "name value unit" line: ${JSON.stringify(text)}`);
      assert.ok(Number.isFinite(Number(match[2])), `${match[1]} is not a finite number: ${text}`);
      assert.ok(!figures.has(match[1]), `${match[1]} is printed twice`);
      figures.set(match[1], Number(match[2]));
    }
    assert.deepEqual([...figures.keys()], names);
  });
}

test('a bench refuses an unknown or malformed size flag', () => {
  const defaults = { calls: 2000, rounds: 20 };
  assert.deepEqual(parseOptions(['--calls', '20', '--rounds=2'], defaults, 'x'),
    { calls: 20, rounds: 2 });
  assert.throws(() => parseOptions(['--items', '3'], defaults, 'x'), /usage: x/);
  assert.throws(() => parseOptions(['--calls'], defaults, 'x'), /usage: x/);
  assert.throws(() => parseOptions(['--calls', '-1'], defaults, 'x'), /usage: x/);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});

test("the decode bench's check catches a page that differs from what was sent", async () => {
  const pkg = await import('qualys-cs');
  const { schedules, text } = pageText(20);
  const page = await packageDecoder(pkg, text)();
  assert.equal(pageProblem(page, schedules), null);
  const shifted = schedules.map((schedule) => ({ ...schedule }));
  shifted[7].created = String(Number(page.data[7].created) + 1);
  assert.match(pageProblem(page, shifted), /^item 7 decoded as/);
  assert.match(pageProblem({ ...page, data: page.data.slice(1) }, schedules), /19 items, not 20/);
  // The step the bench times on its own reads the body to the same page.
  const read = packageReader(new TextEncoder().encode(text));
  assert.equal(pageProblem(read, schedules), null);
  assert.deepEqual(read, page);
});
