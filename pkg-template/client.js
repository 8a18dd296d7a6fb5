// The package's JavaScript face, shared by the Node and the browser entry files.
//
// The wasm module does the work of one attempt: validation, the request, the decoding,
// and the choice of whether and when a failure may be retried; host.js does its fetch.
// This file gives it the shape JavaScript users expect: a class with async methods, a
// retry loop, tokens that renew themselves, a concurrency cap, async iterators over
// pages, and failures that are real `Error` subclasses with a `code`.
import {
  RawClient,
  gatewayUrl as rawGatewayUrl,
  prepareLogin,
  requiredPermission as rawRequiredPermission,
  tokenExpiresAtMs,
  validateRegistrySchedule as rawValidateRegistrySchedule,
} from './qualys_cs.js';
import { isLoaded, whenLoaded } from './loader.js';
import { ANSWER_READERS } from './answer_readers.js';
import { send, whenAborted } from './host.js';

/** Every `code` a `ContainerSecurityError` can carry. */
export const ERROR_CODES = Object.freeze([
  'VALIDATION', 'UNAUTHORIZED', 'FORBIDDEN', 'NOT_FOUND', 'PRECONDITION_FAILED',
  'RATE_LIMITED', 'SERVER', 'HTTP', 'NETWORK', 'TIMEOUT', 'ABORTED', 'DECODE',
]);

/** Every platform `gatewayUrl` and the `platform` option know. */
export const PLATFORMS = Object.freeze([
  'US1', 'US2', 'US3', 'US4', 'EU1', 'EU2', 'EU3', 'IN1', 'CA1', 'AE1', 'UK1', 'AU1', 'KSA1',
]);

// A token that expires within this margin is renewed before it is used, so that a call
// does not start with a token that dies on the way.
const RENEW_MARGIN_MS = 60_000;
// How long a token is trusted when its `exp` cannot be read: the gateway's 4 hours.
const DEFAULT_TOKEN_LIFETIME_MS = 4 * 60 * 60 * 1000;

function requireLoaded(name) {
  if (!isLoaded()) {
    throw new Error(`qualys-cs: the wasm module is still loading; \`await ready\` before ${name}`);
  }
}

const ERROR_FIELDS = ['status', 'serverMessage', 'serverErrorCode', 'permission',
  'retryAfterMs'];

/** A failed call of the Container Security API. */
export class ContainerSecurityError extends Error {
  constructor(message, details = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'ContainerSecurityError';
    this.code = ERROR_CODES.includes(details.code) ? details.code : 'NETWORK';
    for (const key of ERROR_FIELDS) {
      if (details[key] !== undefined && details[key] !== null) this[key] = details[key];
    }
    if (this.code === 'VALIDATION') {
      this.issues = Array.isArray(details.issues) ? details.issues : [];
    }
  }

  /** The error as plain data, for logs: its name, code, message and details. */
  toJSON() {
    const json = { name: this.name, code: this.code, message: this.message };
    for (const key of [...ERROR_FIELDS, 'issues']) {
      if (this[key] !== undefined) json[key] = this[key];
    }
    return json;
  }
}

/** The module's rejection, the JSON text of `{ code, message, ... }`, as an object. */
function fromModule(failure) {
  if (typeof failure === 'string' && failure.startsWith('{')) {
    try {
      return JSON.parse(failure);
    } catch {
      // Not the module's error after all; `toError` reports it as it is.
    }
  }
  return failure;
}

/** Turns whatever the wasm layer rejected with into a `ContainerSecurityError`. */
function toError(failure) {
  if (failure instanceof ContainerSecurityError) return failure;
  failure = fromModule(failure);
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

/**
 * Waits `ms`, or rejects as the call's signal says when it fires first. Many calls may
 * wait on one signal at once (a burst that met the rate limit), so they share its one
 * listener (host.js's `whenAborted`).
 */
function sleep(ms, signal) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const forget = signal ? whenAborted(signal, () => {
      clearTimeout(timer);
      reject(abortError(signal));
    }) : () => {};
    const timer = setTimeout(() => {
      forget();
      resolve();
    }, ms);
  });
}

function abortError(signal) {
  const deadline = signal?.reason?.name === 'TimeoutError';
  return new ContainerSecurityError(
    deadline ? 'the call ran past its deadline' : 'the call was aborted by its signal',
    { code: deadline ? 'TIMEOUT' : 'ABORTED' },
  );
}

/**
 * The signal an entire call listens to: the caller's, and its overall deadline. The
 * deadline is a timer of its own (Node does not wait for `AbortSignal.timeout`'s), which
 * `release` clears when the call ends.
 */
function callSignal(signal, deadlineMs) {
  if (deadlineMs === undefined) return { signal, release() {} };
  const deadline = new AbortController();
  const timer = setTimeout(() => {
    deadline.abort(new DOMException('the call ran past its deadline', 'TimeoutError'));
  }, deadlineMs);
  return {
    signal: signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal,
    release: () => clearTimeout(timer),
  };
}

/** A counter that lets at most `limit` attempts run at once; the rest queue in order. */
class Semaphore {
  #free;
  #waiting = [];

  constructor(limit) {
    this.#free = limit;
  }

  async run(task) {
    if (this.#free > 0) {
      this.#free -= 1;
    } else {
      await new Promise((resolve) => this.#waiting.push(resolve));
    }
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free += 1;
    }
  }
}

/**
 * Where a client's tokens come from: a fixed string, the caller's provider, or a login
 * with credentials that is repeated shortly before the JWT expires and after a 401.
 */
class TokenSource {
  #provider;
  #credentials;
  #login;
  #current = null;
  #pending = null;

  constructor({ token, credentials }, login) {
    this.#provider = typeof token === 'function' ? token : null;
    this.#credentials = credentials ?? null;
    this.#login = login;
  }

  /** Whether a 401 can be answered by asking for a new token. */
  get renewable() {
    return this.#provider !== null || this.#credentials !== null;
  }

  /** The token for the next attempt, or `undefined` for the client's fixed one. */
  async token({ refresh = false } = {}) {
    if (this.#provider) {
      const token = await this.#provider({ refresh });
      if (typeof token !== 'string') {
        throw new ContainerSecurityError('the token provider did not return a string', {
          code: 'UNAUTHORIZED',
        });
      }
      return token;
    }
    if (!this.#credentials) return undefined;
    const fresh = this.#current && Date.now() < this.#current.expiresAt - RENEW_MARGIN_MS;
    if (fresh && !refresh) return this.#current.token;
    // Concurrent calls that find the token stale share one login.
    this.#pending ??= this.#renew().finally(() => {
      this.#pending = null;
    });
    return this.#pending;
  }

  async #renew() {
    const token = await this.#login(this.#credentials);
    const expiresAt = tokenExpiresAtMs(token) ?? Date.now() + DEFAULT_TOKEN_LIFETIME_MS;
    this.#current = { token, expiresAt };
    return token;
  }
}

// How deep caller input may nest. The API's own objects nest four levels; the limit only
// has to stop input deep enough to exhaust the wasm module's stack, which would trap it.
const MAX_INPUT_DEPTH = 64;

// The name of each argument of each method, for the field an issue names.
const ARGUMENT_NAMES = {
  deleteAcrConnector: ['connectorId'],
  deleteAwsConnector: ['arn'],
  listRegistrySchedules: ['registryId', 'page'],
  createRegistrySchedule: ['registryId', 'input'],
  updateRegistrySchedule: ['registryId', 'scheduleId', 'input'],
  listSensorProfiles: ['page'],
  getSensorProfile: ['sensorProfileId'],
  createSensorProfile: ['input'],
  updateSensorProfile: ['sensorProfileId', 'input'],
  deleteSensorProfile: ['sensorProfileId'],
};

// Object arguments name their fields from the top (`schedule`, `filters[0].days`), as the
// module's own issues do; the others by the argument's name.
const OBJECT_ARGUMENTS = new Set(['input', 'page']);

/**
 * Copies an argument into plain data for the module, finding on the way what JSON
 * cannot carry or the module must not be handed: nesting deeper than MAX_INPUT_DEPTH,
 * numbers that are not finite, BigInts, strings that are not well-formed Unicode, and
 * getters or proxies that throw, and objects that contain themselves. Each property is
 * read once, into the copy, so a getter cannot answer the check one thing and the module
 * another. The walk keeps a stack of its own, so it cannot overflow either.
 */
function plainCopy(value, name) {
  const issues = [];
  const root = OBJECT_ARGUMENTS.has(name) && value !== null && typeof value === 'object' ? '' : name;
  const join = (path, key) => (path === '' ? key : `${path}.${key}`);
  const holder = { value: undefined };
  // Each item carries the chain of objects it sits in (`{ object, outer }`), so that an
  // object found inside itself is named where the circle closes.
  const pending = [[value, root, 0, holder, 'value', null]];
  while (pending.length > 0 && issues.length < 20) {
    const [item, path, depth, parent, slot, within] = pending.pop();
    const field = path === '' ? name : path;
    if (typeof item === 'number' && !Number.isFinite(item)) {
      issues.push({ field, message: `must be a finite number, not ${item}` });
    } else if (typeof item === 'bigint') {
      issues.push({ field, message: 'must be a number, not a BigInt' });
    } else if (typeof item === 'string' && !item.isWellFormed()) {
      issues.push({ field, message: 'must be well-formed Unicode text (it has a lone surrogate)' });
    } else if (item !== null && typeof item === 'object') {
      if (contains(within, item)) {
        issues.push({ field, message: 'contains itself (a circular structure JSON cannot hold)' });
        continue;
      }
      if (depth >= MAX_INPUT_DEPTH) {
        issues.push({ field, message: `nests deeper than ${MAX_INPUT_DEPTH} levels` });
        continue;
      }
      const chain = { object: item, outer: within };
      // Even asking what kind of object it is can throw (a revoked proxy).
      try {
        if (Array.isArray(item)) {
          const copy = new Array(item.length);
          parent[slot] = copy;
          for (let index = 0; index < item.length; index += 1) {
            pending.push([item[index], `${path}[${index}]`, depth + 1, copy, index, chain]);
          }
        } else if (isPlainObject(item)) {
          // A null prototype keeps a `__proto__` key an own key, for the module to refuse.
          const copy = Object.create(null);
          parent[slot] = copy;
          for (const key of Object.keys(item)) {
            if (!key.isWellFormed()) {
              issues.push({ field: join(path, '?'), message: 'a key is not well-formed Unicode' });
            }
            pending.push([item[key], join(path, key), depth + 1, copy, key, chain]);
          }
        } else {
          // A Map, a Date, a class instance: JSON would turn it into something else.
          issues.push({ field, message: NOT_PLAIN });
        }
      } catch (failure) {
        issues.push({ field, message: 'could not be read (a getter or a proxy threw)' });
      }
    } else if (typeof item === 'function' || typeof item === 'symbol') {
      issues.push({ field, message: NOT_PLAIN });
    } else {
      // Strings, numbers, booleans, null and undefined (which JSON writes as null in an
      // array and leaves out of an object, as a missing field).
      parent[slot] = item;
    }
  }
  return { copy: holder.value, issues };
}

const NOT_PLAIN = 'must be plain data (strings, numbers, booleans, arrays, objects)';

/** Whether `object` is one of the objects of the chain `within` (see plainCopy). */
function contains(within, object) {
  for (let link = within; link !== null; link = link.outer) {
    if (link.object === object) return true;
  }
  return false;
}

function isPlainObject(item) {
  const prototype = Object.getPrototypeOf(item);
  return prototype === Object.prototype || prototype === null;
}

/** The arguments as plain copies; throws `VALIDATION` when one cannot be made. */
function plainArguments(method, args) {
  const names = ARGUMENT_NAMES[method] ?? [];
  const copies = args.map((value, index) => plainCopy(value, names[index] ?? 'input'));
  const issues = copies.flatMap(({ issues: found }) => found);
  if (issues.length > 0) throw validationError(issues);
  return copies.map(({ copy }) => copy);
}

function validationError(issues) {
  const listed = issues.map((issue) => `${issue.field}: ${issue.message}`).join('; ');
  return new ContainerSecurityError(`invalid input: ${listed}`, { code: 'VALIDATION', issues });
}

/** The largest delay `setTimeout` keeps; a longer one would fire at once. */
const MAX_TIMER_MS = 2_147_483_647;

/** Checks the per-call options the entry file itself uses. */
function checkCallOptions(options) {
  if (options === undefined || options === null) return;
  if (typeof options !== 'object') {
    throw validationError([{ field: 'options', message: 'must be an object { signal?, timeoutMs? }' }]);
  }
  const issues = [];
  if (options.signal !== undefined && options.signal !== null
    && !(options.signal instanceof AbortSignal)) {
    issues.push({ field: 'signal', message: 'must be an AbortSignal' });
  }
  if (options.deadlineMs !== undefined && !isWholeMs(options.deadlineMs)) {
    issues.push({ field: 'deadlineMs', message: `must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` });
  }
  if (options.timeoutMs !== undefined && options.timeoutMs !== null
    && !isWholeMs(options.timeoutMs)) {
    issues.push({ field: 'timeoutMs', message: 'must be a whole number of milliseconds, at least 1' });
  }
  if (issues.length > 0) throw validationError(issues);
}

function isWholeMs(value) {
  return Number.isInteger(value) && value >= 1 && value <= MAX_TIMER_MS;
}

/** A token provider that threw: the call cannot be authorised. */
function providerFailure(failure) {
  if (failure instanceof ContainerSecurityError) throw failure;
  const message = failure instanceof Error ? failure.message : String(failure);
  throw new ContainerSecurityError(`the token provider failed: ${message}`, {
    code: 'UNAUTHORIZED', cause: failure,
  });
}

const PAGE_DEFAULT_SIZE = 50;

/**
 * A client of one Container Security gateway.
 *
 * Every method returns a promise and rejects with a `ContainerSecurityError`.
 */
export class ContainerSecurityClient {
  #options;
  #raw = null;
  #host;
  #tokens;
  #semaphore;
  #deadlineMs;

  constructor(options) {
    const given = options !== null && typeof options === 'object' ? options : {};
    const { credentials, maxConcurrency, deadlineMs } = given;
    this.#options = { ...given };
    // With credentials and no token, each call brings the token of the latest login.
    if (credentials && given.token === undefined) {
      this.#options.token = () => undefined;
    }
    delete this.#options.credentials;
    delete this.#options.maxConcurrency;
    delete this.#options.deadlineMs;
    this.#tokens = new TokenSource(given, (found) => login({
      baseUrl: given.baseUrl,
      platform: given.platform,
      fetch: given.fetch,
      timeoutMs: given.timeoutMs,
      userAgent: given.userAgent,
      onRequest: given.onRequest,
      onResponse: given.onResponse,
      username: found.username,
      password: found.password,
    }));
    checkClientOptions(given);
    // The caller's functions and the package's answer readers, for host.js; a wrong one
    // throws here, wherever the wasm is in its loading.
    this.#host = { ...hostFunctions(given), answerReaders: ANSWER_READERS };
    this.#semaphore = maxConcurrency === undefined ? null : new Semaphore(maxConcurrency);
    this.#deadlineMs = deadlineMs;
    // Once the wasm is loaded (at once in Node), wrong settings of the module's (gateway,
    // token, timeouts, retry) throw here; before that (a browser's first moments) they
    // reject the first call instead.
    if (isLoaded()) this.#raw = createRaw(this.#options);
  }

  /** The `X-RateLimit-*` headers of the last answer: `{ limit, windowSec, remaining }`. */
  get rateLimit() {
    return this.#raw ? JSON.parse(this.#raw.rateLimit) : null;
  }

  async #call(method, args, options) {
    try {
      checkCallOptions(options);
      const plain = JSON.stringify(plainArguments(method, args));
      await whenLoaded();
      this.#raw ??= createRaw(this.#options);
      const call = callSignal(options?.signal, options?.deadlineMs ?? this.#deadlineMs);
      try {
        return await this.#attempts(method, plain, options, call.signal);
      } finally {
        call.release();
      }
    } catch (failure) {
      throw toError(failure);
    }
  }

  // Runs attempts until one succeeds or a failure is final. The wasm layer says, on each
  // failure, whether and after how long to try again (`retryInMs`).
  async #attempts(method, args, options, signal) {
    let renewed = false;
    let refresh = false;
    for (let attempt = 1; ; attempt += 1) {
      const token = await this.#tokens.token({ refresh }).catch(providerFailure);
      refresh = false;
      const settings = JSON.stringify({ token, timeoutMs: options?.timeoutMs, attempt });
      const run = () => runAttempt(this.#raw.prepare(method, args, settings), this.#host, signal);
      try {
        const result = await (this.#semaphore ? this.#semaphore.run(run) : run());
        // The module's result is JSON text, or a page `host.js` already read.
        return typeof result === 'string' ? JSON.parse(result) : result;
      } catch (raw) {
        const failure = fromModule(raw);
        if (failure?.code === 'UNAUTHORIZED' && this.#tokens.renewable && !renewed) {
          renewed = true;
          refresh = true;
          continue;
        }
        if (typeof failure?.retryInMs !== 'number') throw failure;
        await sleep(failure.retryInMs, signal);
      }
    }
  }

  deleteAcrConnector(connectorId, options) {
    return this.#call('deleteAcrConnector', [connectorId], options);
  }

  deleteAwsConnector(arn, options) {
    return this.#call('deleteAwsConnector', [arn], options);
  }

  listRegistrySchedules(registryId, page, options) {
    return this.#call('listRegistrySchedules', [registryId, page], options);
  }

  createRegistrySchedule(registryId, input, options) {
    return this.#call('createRegistrySchedule', [registryId, input], options);
  }

  updateRegistrySchedule(registryId, scheduleId, input, options) {
    return this.#call('updateRegistrySchedule', [registryId, scheduleId, input], options);
  }

  listSensorProfiles(page, options) {
    return this.#call('listSensorProfiles', [page], options);
  }

  getSensorProfile(id, options) {
    return this.#call('getSensorProfile', [id], options);
  }

  createSensorProfile(input, options) {
    return this.#call('createSensorProfile', [input], options);
  }

  updateSensorProfile(id, input, options) {
    return this.#call('updateSensorProfile', [id, input], options);
  }

  deleteSensorProfile(id, options) {
    return this.#call('deleteSensorProfile', [id], options);
  }

  /** Every schedule of a registry, page after page: `for await (const s of ...)`. */
  registrySchedules(registryId, options) {
    return paginate((page, call) => this.listRegistrySchedules(registryId, page, call), options);
  }

  /** Every sensor profile, page after page: `for await (const p of ...)`. */
  sensorProfiles(options) {
    return paginate((page, call) => this.listSensorProfiles(page, call), options);
  }
}

/** Checks the options the wasm layer does not read; throws `VALIDATION`. */
function checkClientOptions({ maxConcurrency, deadlineMs, credentials, token }) {
  const issues = [];
  if (credentials !== undefined && token !== undefined) {
    issues.push({ field: 'credentials', message: 'give token or credentials, not both' });
  }
  if (maxConcurrency !== undefined
    && !(Number.isInteger(maxConcurrency) && maxConcurrency >= 1)) {
    issues.push({ field: 'maxConcurrency', message: 'must be a whole number, at least 1' });
  }
  if (deadlineMs !== undefined && !isWholeMs(deadlineMs)) {
    issues.push({ field: 'deadlineMs', message: `must be a whole number of milliseconds from 1 to ${MAX_TIMER_MS}` });
  }
  if (credentials !== undefined && (typeof credentials?.username !== 'string'
    || typeof credentials?.password !== 'string')) {
    issues.push({ field: 'credentials', message: 'must be { username, password } strings' });
  }
  if (issues.length > 0) throw validationError(issues);
}

function createRaw(options) {
  try {
    return new RawClient(JSON.stringify(plainSettings(options)));
  } catch (failure) {
    throw toError(failure);
  }
}

/**
 * One attempt, in its three steps: the module's `prepared` request, sent by host.js
 * (which never rejects), and its answer or failure concluded by the module, which
 * consumes `prepared`. Resolves to the result; rejects with the module's error text.
 */
async function runAttempt(prepared, host, signal) {
  const answer = await send(prepared.request, host, { signal });
  const { failure } = answer;
  if (failure !== undefined) {
    throw prepared.fail(failure.code, failure.message, failure.retryable, failure.status);
  }
  return prepared.finish(answer.status, answer.headers, answer.receivedAtMs, answer.body,
    answer.decoded);
}

// The settings the module checks itself, as plain data.
const SETTINGS = ['baseUrl', 'platform', 'token', 'timeoutMs', 'retry', 'userAgent',
  'maxResponseBytes'];

/**
 * The plain-data settings of `options` for the module; functions (`fetch`, hooks, a
 * token provider) stay here. A value that is not plain data becomes `false`, which the
 * module reports as the wrong type without quoting it (it could be the token).
 */
function plainSettings(options, extra = []) {
  if (options === null || typeof options !== 'object') {
    return plainCopy(options, 'options').issues.length === 0 ? options ?? null : false;
  }
  const settings = {};
  for (const key of [...SETTINGS, ...extra]) {
    const value = options[key];
    if (key === 'token' && typeof value === 'function') {
      settings.tokenFromCaller = true;
      continue;
    }
    const { copy, issues } = plainCopy(value, key);
    settings[key] = issues.length === 0 ? copy ?? null : false;
  }
  return settings;
}

/** The caller's functions for the module's host side; throws `VALIDATION` when wrong. */
function hostFunctions(options) {
  if (options === null || typeof options !== 'object') return {};
  const issues = [];
  const take = (key, message) => {
    const value = options[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'function') issues.push({ field: key, message });
    return value;
  };
  const host = {
    fetch: take('fetch', 'must be a function like the global fetch'),
    onRequest: take('onRequest', 'must be a function'),
    onResponse: take('onResponse', 'must be a function'),
  };
  if (issues.length > 0) throw validationError(issues);
  return host;
}

/**
 * Yields every item of a paged listing. It stops at the total `count`, at an empty page,
 * or after `limit` items, and fetches no page beyond what it yields.
 */
async function* paginate(fetchPage, options) {
  const { pageSize = PAGE_DEFAULT_SIZE, limit, ...call } = options ?? {};
  if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
    throw validationError([{ field: 'limit', message: 'must be a whole number' }]);
  }
  let yielded = 0;
  for (let pageNumber = 1; limit === undefined || yielded < limit; pageNumber += 1) {
    const page = await fetchPage({ pageNumber, pageSize }, call);
    for (const item of page.data) {
      yield item;
      yielded += 1;
      if (limit !== undefined && yielded >= limit) return;
    }
    const seen = (pageNumber - 1) * pageSize + page.data.length;
    if (page.data.length === 0 || seen >= page.count) return;
  }
}

/**
 * Checks a registry schedule input without sending anything.
 * Returns every issue found, or `[]` when the input is valid.
 */
export function validateRegistrySchedule(input) {
  requireLoaded('validateRegistrySchedule');
  const { copy, issues } = plainCopy(input, 'input');
  if (issues.length > 0) return issues;
  try {
    return JSON.parse(rawValidateRegistrySchedule(JSON.stringify(copy ?? null)));
  } catch (failure) {
    throw toError(failure);
  }
}

/** Logs in at the gateway (`POST /auth`) and resolves to the JWT. */
export async function login(options) {
  try {
    await whenLoaded();
    const signal = options?.signal ?? undefined;
    if (signal !== undefined && !(signal instanceof AbortSignal)) {
      throw validationError([{ field: 'signal', message: 'must be an AbortSignal' }]);
    }
    const settings = plainSettings(options, ['username', 'password']);
    const host = hostFunctions(options);
    return await runAttempt(prepareLogin(JSON.stringify(settings)), host, signal);
  } catch (failure) {
    throw toError(failure);
  }
}

/** The gateway URL of a platform, e.g. `gatewayUrl('US1')`. */
export function gatewayUrl(platform) {
  requireLoaded('gatewayUrl');
  const url = typeof platform === 'string' ? rawGatewayUrl(platform) : undefined;
  if (url === undefined) {
    throw validationError([{ field: 'platform', message: `must be one of ${PLATFORMS.join(', ')}` }]);
  }
  return url;
}

/** The permission a sensor-profile operation needs, or `null`. */
export function requiredPermission(operation) {
  requireLoaded('requiredPermission');
  return typeof operation === 'string' ? rawRequiredPermission(operation) ?? null : null;
}
