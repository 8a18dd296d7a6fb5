// Public types of the qualys-cs package. The resource types are generated from the Rust
// crate (with their documentation); the client and the error are declared here.
import type {
  AdditionalFilters,
  CreatedSchedule,
  CreatedSensorProfile,
  Page,
  PageRequest,
  Permission,
  Platform,
  RateLimit,
  RegistrySchedule,
  RegistryScheduleInput,
  RepoTag,
  ScheduleFilter,
  SensorProfile,
  SensorProfileInput,
  ValidationIssue,
  WeekDay,
} from './qualys_cs.js';

export type {
  AdditionalFilters,
  CreatedSchedule,
  CreatedSensorProfile,
  Page,
  PageRequest,
  Permission,
  Platform,
  RateLimit,
  RegistrySchedule,
  RegistryScheduleInput,
  RepoTag,
  ScheduleFilter,
  SensorProfile,
  SensorProfileInput,
  ValidationIssue,
  WeekDay,
};

/** What one request looked like, for {@link ClientOptions.onRequest}. */
export interface RequestSummary {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** The full URL; it never carries the token. */
  url: string;
  /** 1 for the first attempt, 2 for the first retry, and so on. */
  attempt: number;
}

/** What one answer looked like, for {@link ClientOptions.onResponse}. */
export interface ResponseSummary extends RequestSummary {
  status: number;
  durationMs: number;
}

/** When and how often failed attempts are tried again. */
export interface RetryOptions {
  /** Attempts in all, the first included (default 3; 1 to 10). */
  attempts?: number;
  /** The first backoff's upper bound, doubled per attempt, with full jitter (default 250). */
  baseDelayMs?: number;
  /** The longest wait, `Retry-After` included (default 20000). */
  maxRetryDelayMs?: number;
}

/** A function that supplies tokens; asked again with `refresh: true` after a 401. */
export type TokenProvider = (context: { refresh: boolean }) => string | Promise<string>;

/** Where the gateway is: a URL, or a platform whose gateway `gatewayUrl` knows. */
export type GatewayOptions =
  | {
      /**
       * The gateway of your Qualys platform, e.g. `https://gateway.qg1.apps.qualys.com`.
       * Must be `https://`, or `http://` to a loopback host. A trailing slash is ignored.
       */
      baseUrl: string;
      platform?: undefined;
    }
  | { platform: Platform; baseUrl?: undefined };

/** Settings of {@link login}. */
export type LoginOptions = GatewayOptions & {
  username: string;
  password: string;
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  timeoutMs?: number;
  userAgent?: string;
  signal?: AbortSignal;
  onRequest?: (request: RequestSummary) => void;
  onResponse?: (response: ResponseSummary) => void;
};

/** Settings of a {@link ContainerSecurityClient}. */
export type ClientOptions = GatewayOptions & ClientSettings;

/** Settings of a {@link ContainerSecurityClient} besides where the gateway is. */
export interface ClientSettings {
  /**
   * The JWT from the gateway's `/auth` (sent as `Authorization: Bearer <token>`), or a
   * function that supplies one for each attempt. Give this or `credentials`.
   */
  token?: string | TokenProvider;
  /**
   * A user name and password: the client logs in on first use, again shortly before
   * the JWT's `exp` (4 hours when unreadable) and once more after a 401. Concurrent
   * calls share one login.
   */
  credentials?: { username: string; password: string };
  /**
   * A `fetch` to send requests with (a proxy agent, a test double); the global one by
   * default. It is called as `fetch(url, init)`, `init.headers` a plain object with
   * lower-case names, and may resolve to any object with `status`, `headers.get()` and
   * `text()`.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** How long one attempt may take before it fails with `TIMEOUT` (and may be retried). */
  timeoutMs?: number;
  /** How long a whole call, retries and waits included, may take; then `TIMEOUT`. */
  deadlineMs?: number;
  /** Retries for 429, 502, 503, 504 and network failures of GET, PUT and DELETE; `false` for none. */
  retry?: RetryOptions | false;
  /** The largest answer body read, in bytes (default 32 MiB); a larger one is `DECODE`. */
  maxResponseBytes?: number;
  /** At most this many requests of this client in flight at once; the rest wait in order. */
  maxConcurrency?: number;
  /** Added after `qualys-cs/<version>` in the `User-Agent` header (Node only). */
  userAgent?: string;
  /** Called before each attempt; never given a header or a body. */
  onRequest?: (request: RequestSummary) => void;
  /** Called after each answer; never given a header or a body. */
  onResponse?: (response: ResponseSummary) => void;
}

/** What a single call may add: a signal to abort it, and its own time limit. */
export interface CallOptions {
  /** Aborting it rejects the call with `ABORTED`. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` (per attempt) for this call. */
  timeoutMs?: number;
  /** Overrides the client's `deadlineMs` (the whole call) for this call. */
  deadlineMs?: number;
}

/** Options of the paging iterators. */
export interface PagingOptions extends CallOptions {
  /** Items per page requested (default 50). */
  pageSize?: number;
  /** Stop after this many items; no page beyond them is fetched. */
  limit?: number;
}

/** Every kind of failure, as `ContainerSecurityError.code`. */
export type ErrorCode =
  | 'VALIDATION'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'PRECONDITION_FAILED'
  | 'RATE_LIMITED'
  | 'SERVER'
  | 'HTTP'
  | 'NETWORK'
  | 'TIMEOUT'
  | 'ABORTED'
  | 'DECODE';

/** Every `code`, in a fixed order. */
export const ERROR_CODES: readonly ErrorCode[];

/** Every platform, in a fixed order. */
export const PLATFORMS: readonly Platform[];

/** The error every method of the client rejects with. */
export class ContainerSecurityError extends Error {
  readonly name: 'ContainerSecurityError';
  /** What kind of failure this is. */
  readonly code: ErrorCode;
  /** The HTTP status, when an answer arrived. */
  readonly status?: number;
  /** The `message` of the server's error body. */
  readonly serverMessage?: string;
  /** The `errorCode` of the server's error body, e.g. `"403 FORBIDDEN"`. */
  readonly serverErrorCode?: string;
  /** For `FORBIDDEN`: the missing permission, e.g. `"CS.SENSOR_PROFILE.DELETE"`. */
  readonly permission?: Permission | (string & {});
  /** For `VALIDATION`: every problem, each naming its field by JSON path. */
  readonly issues?: ValidationIssue[];
  /** For `RATE_LIMITED`: how long the server asked to wait, in milliseconds. */
  readonly retryAfterMs?: number;
  /** The error as plain data, for logs. */
  toJSON(): Record<string, unknown>;
}

/**
 * A client of one Container Security gateway.
 *
 * Every method validates its input first (an invalid call sends nothing and rejects with
 * `VALIDATION`) and rejects with a {@link ContainerSecurityError} on any failure.
 */
export class ContainerSecurityClient {
  /** Throws `VALIDATION` for a wrong setting once the wasm is loaded (at once in Node). */
  constructor(options: ClientOptions);

  /** The `X-RateLimit-*` headers of the last answer, or `null` before any. */
  readonly rateLimit: RateLimit | null;

  /** Every schedule of a registry, fetched page by page as the loop asks for more. */
  registrySchedules(registryId: string, options?: PagingOptions): AsyncIterable<RegistrySchedule>;

  /** Every sensor profile, fetched page by page as the loop asks for more. */
  sensorProfiles(options?: PagingOptions): AsyncIterable<SensorProfile>;

  /**
   * Deletes an ACR connector (`DELETE /csapi/v1.3/registry/acr/connector`).
   * Rejects with `PRECONDITION_FAILED` (412) while a registry still uses it.
   */
  deleteAcrConnector(connectorId: string, options?: CallOptions): Promise<void>;

  /**
   * Deletes an AWS ECR connector by its IAM role ARN
   * (`DELETE /csapi/v1.3/registry/aws/connector`).
   * Rejects with `PRECONDITION_FAILED` (412) while a registry still uses it.
   */
  deleteAwsConnector(arn: string, options?: CallOptions): Promise<void>;

  /** Lists one page (default: page 1 of 50) of a registry's scan schedules. */
  listRegistrySchedules(
    registryId: string,
    page?: PageRequest,
    options?: CallOptions,
  ): Promise<Page<RegistrySchedule>>;

  /** Creates a scan schedule; a weekly one (interval 7) needs `weekDay`. */
  createRegistrySchedule(
    registryId: string,
    input: RegistryScheduleInput,
    options?: CallOptions,
  ): Promise<CreatedSchedule>;

  /** Replaces an idle automatic scan schedule. */
  updateRegistrySchedule(
    registryId: string,
    scheduleId: string,
    input: RegistryScheduleInput,
    options?: CallOptions,
  ): Promise<void>;

  /** Lists one page of sensor profiles (needs `CS.SENSOR_PROFILE.VIEW`). */
  listSensorProfiles(page?: PageRequest, options?: CallOptions): Promise<Page<SensorProfile>>;

  /** Reads one sensor profile (needs `CS.SENSOR_PROFILE.VIEW`). */
  getSensorProfile(id: string, options?: CallOptions): Promise<SensorProfile>;

  /** Creates a sensor profile (needs `CS.SENSOR_PROFILE.CREATE`). */
  createSensorProfile(
    input: SensorProfileInput,
    options?: CallOptions,
  ): Promise<CreatedSensorProfile>;

  /**
   * Replaces a sensor profile (needs `CS.SENSOR_PROFILE.UPDATE`). Fields the package
   * does not model are sent as given, so a profile read and sent back loses nothing.
   */
  updateSensorProfile(
    id: string,
    input: SensorProfileInput,
    options?: CallOptions,
  ): Promise<void>;

  /** Deletes a sensor profile (needs `CS.SENSOR_PROFILE.DELETE`). */
  deleteSensorProfile(id: string, options?: CallOptions): Promise<void>;
}

/**
 * Checks a registry schedule input without sending anything: every issue, or `[]`.
 * Synchronous; in a browser, `await ready` before the first call.
 */
export function validateRegistrySchedule(input: unknown): ValidationIssue[];

/**
 * Logs in at the gateway (`POST {gateway}/auth`, form-encoded) and resolves to the JWT.
 * Rejects with `UNAUTHORIZED` for wrong credentials; the password appears in no error.
 */
export function login(options: LoginOptions): Promise<string>;

/** The gateway URL of a platform, e.g. `gatewayUrl('US1')`; `await ready` first in a browser. */
export function gatewayUrl(platform: Platform): string;

/**
 * The permission a sensor-profile operation needs, e.g.
 * `requiredPermission('deleteSensorProfile')` is `"CS.SENSOR_PROFILE.DELETE"`; `null` for
 * operations without a documented one. `await ready` first in a browser.
 */
export function requiredPermission(
  operation: keyof ContainerSecurityClient | (string & {}),
): Permission | null;

/** Resolves when the wasm module is loaded (in Node, at import already). */
export const ready: Promise<void>;
