// Public types of the qualys-cs package. The resource types are generated from the Rust
// crate (with their documentation); the client and the error are declared here.
import type {
  AdditionalFilters,
  CreatedSchedule,
  CreatedSensorProfile,
  Page,
  PageRequest,
  Permission,
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
  RegistrySchedule,
  RegistryScheduleInput,
  RepoTag,
  ScheduleFilter,
  SensorProfile,
  SensorProfileInput,
  ValidationIssue,
  WeekDay,
};

/** Settings of a {@link ContainerSecurityClient}. */
export interface ClientOptions {
  /**
   * The gateway of your Qualys platform, e.g. `https://gateway.qg1.apps.qualys.com`.
   * Must be `https://`, or `http://` to a loopback host. A trailing slash is ignored.
   */
  baseUrl: string;
  /** The JWT from the gateway's `/auth`; sent as `Authorization: Bearer <token>`. */
  token: string;
  /**
   * A `fetch` to send requests with (a proxy agent, a test double); the global one by
   * default. It is called as `fetch(url, init)`, `init.headers` a plain object with
   * lower-case names, and may resolve to any object with `status`, `headers.get()` and
   * `text()`.
   */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
  /** How long one call may take before it fails with `TIMEOUT`, in milliseconds. */
  timeoutMs?: number;
}

/** What a single call may add: a signal to abort it, and its own time limit. */
export interface CallOptions {
  /** Aborting it rejects the call with `ABORTED`. */
  signal?: AbortSignal;
  /** Overrides the client's `timeoutMs` for this call. */
  timeoutMs?: number;
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

/** Resolves when the wasm module is loaded (in Node, at import already). */
export const ready: Promise<void>;
