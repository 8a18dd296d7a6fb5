// The package's size, as scripts/size.mjs measures it at every build (gzip -9 of the wasm
// and every JavaScript file the package runs).
//
// FIXME(issue 5): the budget is 60 KB for the whole package and the package is about
// 145 KiB, most of it the wasm module (serde_json's deserializers for the answer types,
// the input validation, the formatting machinery of core). This test pins today's size:
// it fails if the package grows past the pinned ceiling, and it fails once the package
// fits the budget, so that whoever gets it there turns the check into the budget itself.

import assert from 'node:assert/strict';
import { test } from 'node:test';

import { BUDGET_BYTES, PINNED_CEILING_BYTES, measure } from '../../scripts/size.mjs';

test('the package is no larger than its pinned ceiling (FIXME: over the 60 KB budget)', () => {
  const { files, browser, total } = measure();
  const names = files.map(({ file }) => file);
  for (const file of ['qualys_cs_bg.wasm', 'qualys_cs.js', 'client.js', 'host.js', 'index.js',
    'index.cjs', 'cli.js']) {
    assert.ok(names.includes(file), `${file} is measured`);
  }
  const wasm = files.find(({ file }) => file === 'qualys_cs_bg.wasm');
  assert.ok(wasm.gzip > 0.8 * browser, 'the wasm module is most of what a browser loads');
  assert.ok(browser < total);
  assert.ok(total <= PINNED_CEILING_BYTES,
    `${total} bytes is over the pinned ceiling of ${PINNED_CEILING_BYTES}`);
  // Today's shortcoming, asserted so that fixing it is noticed.
  assert.ok(total > BUDGET_BYTES, `${total} bytes: the package now fits its budget; enforce it`);
});
