// The browser and bundler entry: the wasm is fetched next to this file. Bundlers see the
// `new URL(..., import.meta.url)` and ship the wasm as an asset.
import init from './qualys_cs.js';
import { setWasmLoading } from './loader.js';

/** Resolves once the wasm is loaded; await it before `validateRegistrySchedule`. */
export const ready = setWasmLoading(
  init({ module_or_path: new URL('./qualys_cs_bg.wasm', import.meta.url) }),
);

export * from './client.js';
