// The Node entry: the wasm is read from disk and compiled synchronously at import, so
// every function, validateRegistrySchedule included, works without awaiting anything.
import { readFileSync } from 'node:fs';
import { initSync } from './qualys_cs.js';
import { markWasmLoaded } from './loader.js';

initSync({ module: readFileSync(new URL('./qualys_cs_bg.wasm', import.meta.url)) });

/** Resolves once the wasm is loaded; in Node it already is. */
export const ready = markWasmLoaded();

export * from './client.js';
