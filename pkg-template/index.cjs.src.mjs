// The source of the CommonJS entry, index.cjs, for `require('qualys-cs')` on any Node 20+
// (not only those that can require an ES module). scripts/build-pkg.sh bundles it with
// esbuild, with the glue, client.js and loader.js, into one CommonJS file; it is not
// shipped itself. Like index.node.js, it reads the wasm next to itself and compiles it
// synchronously, so nothing needs awaiting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { initSync } from './qualys_cs.js';
import { markWasmLoaded } from './loader.js';

// `__dirname` is CommonJS's own: the folder index.cjs was loaded from.
initSync({ module: readFileSync(join(__dirname, 'qualys_cs_bg.wasm')) });

/** Resolves once the wasm is loaded; under `require` it already is. */
export const ready = markWasmLoaded();

export * from './client.js';
