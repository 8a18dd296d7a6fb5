// The package's JavaScript face, shared by the Node and the browser entry files.
//
// The wasm module does the work (validation, requests, decoding); this file gives it
// the shape JavaScript users expect: a class with async methods, and failures that are
// real `Error` subclasses with a `code`.
import { RawClient, validateRegistrySchedule as validateRaw } from './qualys_cs.js';

/** Every `code` a `ContainerSecurityError` can carry. */
export const ERROR_CODES = Object.freeze([
  'VALIDATION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'PRECONDITION_FAILED',
  'RATE_LIMITED', 'SERVER', 'HTTP', 'NETWORK', 'TIMEOUT', 'ABORTED', 'DECODE',
]);

// The entry file says how the wasm is loaded; until it is, calls wait for it.
let loading = null;
let loaded = false;

/** Records that the entry file loaded the wasm synchronously. Internal. */
export function markWasmLoaded() {
  loaded = true;
  loading = Promise.resolve();
  return loading;
}

/** Records how the entry file loads the wasm asynchronously. Internal. */
export function setWasmLoading(promise) {
  loading = Promise.resolve(promise).then(() => {
    loaded = true;
  });
  // A failed load is reported by every call that waits for it; this keeps the
  // rejection from also surfacing as an unhandled one at import time.
  loading.catch(() => {});
  return loading;
}

function whenLoaded() {
  return loading ?? Promise.reject(new Error('qualys-cs: import the package, not client.js'));
}

/** A failed call of the Container Security API. */
export class ContainerSecurityError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ContainerSecurityError';
    this.code = ERROR_CODES.includes(details.code) ? details.code : 'NETWORK';
    const optional = ['status', 'serverMessage', 'serverErrorCode', 'permission',
      'retryAfterMs'];
    for (const key of optional) {
      if (details[key] !== undefined && details[key] !== null) this[key] = details[key];
    }
    if (this.code === 'VALIDATION') {
      this.issues = Array.isArray(details.issues) ? details.issues : [];
    }
  }
}

/** Turns whatever the wasm layer rejected with into a `ContainerSecurityError`. */
function toError(failure) {
  if (failure instanceof ContainerSecurityError) return failure;
  if (failure !== null && typeof failure === 'object' && typeof failure.code === 'string'
    && typeof failure.message === 'string' && !(failure instanceof Error)) {
    return new ContainerSecurityError(failure.message, failure);
  }
  // Anything else is a failure of the module itself, not of the API.
  const message = failure instanceof Error ? failure.message : String(failure);
  return new ContainerSecurityError(`qualys-cs internal failure: ${message}`, {
    code: 'NETWORK', cause: failure,
  });
}

function createRaw(options) {
  try {
    return new RawClient(options);
  } catch (failure) {
    throw toError(failure);
  }
}

/**
 * A client of one Container Security gateway with one token.
 *
 * Every method returns a promise and rejects with a `ContainerSecurityError`.
 */
export class ContainerSecurityClient {
  #options;
  #raw = null;

  constructor(options) {
    this.#options = options;
    // Once the wasm is loaded (at once in Node), wrong options throw here; before that
    // (a browser's first moments) they reject the first call instead.
    if (loaded) this.#raw = createRaw(options);
  }

  async #call(method, ...args) {
    try {
      await whenLoaded();
      this.#raw ??= createRaw(this.#options);
      return await this.#raw[method](...args);
    } catch (failure) {
      throw toError(failure);
    }
  }

  deleteAcrConnector(connectorId, options) {
    return this.#call('deleteAcrConnector', connectorId, options);
  }

  deleteAwsConnector(arn, options) {
    return this.#call('deleteAwsConnector', arn, options);
  }

  listRegistrySchedules(registryId, page, options) {
    return this.#call('listRegistrySchedules', registryId, page, options);
  }

  createRegistrySchedule(registryId, input, options) {
    return this.#call('createRegistrySchedule', registryId, input, options);
  }

  updateRegistrySchedule(registryId, scheduleId, input, options) {
    return this.#call('updateRegistrySchedule', registryId, scheduleId, input, options);
  }

  listSensorProfiles(page, options) {
    return this.#call('listSensorProfiles', page, options);
  }

  getSensorProfile(id, options) {
    return this.#call('getSensorProfile', id, options);
  }

  createSensorProfile(input, options) {
    return this.#call('createSensorProfile', input, options);
  }

  updateSensorProfile(id, input, options) {
    return this.#call('updateSensorProfile', id, input, options);
  }

  deleteSensorProfile(id, options) {
    return this.#call('deleteSensorProfile', id, options);
  }
}

/**
 * Checks a registry schedule input without sending anything.
 * Returns every issue found, or `[]` when the input is valid.
 */
export function validateRegistrySchedule(input) {
  if (!loaded) {
    throw new Error('qualys-cs: the wasm module is still loading; `await ready` first');
  }
  return validateRaw(input);
}
