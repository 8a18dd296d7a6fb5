// The error type the emulator's handlers throw, and the common error body Qualys answers
// with. Handlers throw instead of returning so that the order of checks (401, 403, 400,
// 404, 412) is simply the order in which a handler's statements run.

// The status text the gateway puts after the number in `errorCode`, e.g. "403 FORBIDDEN".
const STATUS_NAMES = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHORIZED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  412: 'PRECONDITION_FAILED',
  413: 'PAYLOAD_TOO_LARGE',
  429: 'TOO_MANY_REQUESTS',
  500: 'INTERNAL_SERVER_ERROR',
};

/** An error that becomes an HTTP answer with the common error body. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** Throws a 400 whose message names the offending field. */
export function badRequest(message) {
  throw new ApiError(400, message);
}

/** Throws a 404 for an id that names nothing. */
export function notFound(message) {
  throw new ApiError(404, message);
}

/**
 * Builds the common error body. The timestamp is a number of epoch milliseconds, as in
 * every error sample of the release notes.
 */
export function errorBody(status, message) {
  const name = STATUS_NAMES[status] ?? 'ERROR';
  return { errorCode: `${status} ${name}`, message, timestamp: Date.now() };
}
