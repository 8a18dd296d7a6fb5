// Whether the wasm module is loaded yet. The entry file for the host (Node, or browsers
// and bundlers) starts the loading and records it here; the client waits on it.
let loading = null;
let loaded = false;

/** Records that the entry file loaded the wasm synchronously. */
export function markWasmLoaded() {
  loaded = true;
  loading = Promise.resolve();
  return loading;
}

/** Records how the entry file loads the wasm asynchronously. */
export function setWasmLoading(promise) {
  loading = Promise.resolve(promise).then(() => {
    loaded = true;
  });
  // A failed load is reported by every call that waits for it; this keeps the
  // rejection from also surfacing as an unhandled one at import time.
  loading.catch(() => {});
  return loading;
}

/** Resolves once the wasm is loaded; rejects with the load's failure. */
export function whenLoaded() {
  return loading ?? Promise.reject(new Error('qualys-cs: import the package, not client.js'));
}

/** Whether the wasm is loaded, for the calls that cannot wait. */
export function isLoaded() {
  return loaded;
}
