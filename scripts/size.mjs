// Prints the package's size as users download it (wasm + JS glue, gzip -9). With
// `--check` it fails when the size is over the budget, so growth is noticed at once.
import { readFileSync } from 'node:fs';
import { gzipSync, constants } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const BUDGET_BYTES = 60 * 1024;
const pkg = new URL('../pkg/', import.meta.url);
const files = [
  'qualys_cs_bg.wasm', 'qualys_cs.js', 'client.js', 'loader.js', 'index.js', 'index.node.js',
];

let total = 0;
for (const file of files) {
  const bytes = readFileSync(new URL(file, pkg));
  const gzipped = gzipSync(bytes, { level: constants.Z_BEST_COMPRESSION }).length;
  total += gzipped;
  console.log(`size ${file} ${bytes.length} bytes raw ${gzipped} bytes gzip-9`);
}
console.log(`size total ${total} bytes gzip-9 (budget ${BUDGET_BYTES})`);
if (process.argv.includes('--check') && total > BUDGET_BYTES) {
  console.error(`size: ${fileURLToPath(pkg)} is over its budget of ${BUDGET_BYTES} bytes`);
  process.exit(1);
}
