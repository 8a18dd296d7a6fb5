// The gateway's login, `POST /auth`, and the tokens it issues. A real gateway answers a
// form-encoded username and password with a JWT as plain text, so the emulator does the
// same: a client's login, its reading of the `exp` claim and its logging in again before
// expiry can then be tested without a Qualys account.
//
// The tokens are signed with HMAC-SHA256 under a key made when the emulator starts and
// never shown, so they are well-formed JWTs that no client can verify and no test can
// forge. The emulator trusts no claim of a token it is shown: it accepts a token only if
// it issued it, and judges its expiry by what it recorded when it issued it.
//
// The emulator's clock lives here too, because token expiry is what it exists for. It is
// the real clock plus an offset a test sets, so that four hours can pass in no time.

import { createHmac, randomBytes, randomUUID } from 'node:crypto';

import { ApiError } from './errors.mjs';
import { TOKENS, userForToken } from './seed.mjs';
import { isObject } from './validate.mjs';

/**
 * The users who can log in, under the same keys as `TOKENS`: a JWT issued to one of them
 * carries the permissions of that user's static token.
 */
export const USERS = Object.freeze({
  admin: Object.freeze({ username: 'qualys_admin', password: 'admin-password' }),
  viewer: Object.freeze({ username: 'quays_xb42', password: 'viewer-password' }),
  none: Object.freeze({ username: 'qualys_none', password: 'none-password' }),
});

/** The path of the login, at the gateway's root rather than under /csapi. */
export const LOGIN_PATH = '/auth';

/** What the request log shows in place of a login's password. */
export const REDACTED = '<redacted>';

// The gateway's tokens live about four hours, and a client must plan for exactly that.
const DEFAULT_TOKEN_LIFETIME_SEC = 4 * 60 * 60;

const FORM_TYPE = 'application/x-www-form-urlencoded';

const JWT_HEADER = Object.freeze({ alg: 'HS256', typ: 'JWT' });

const CONTROLS = ['tokenLifetimeSec', 'expireAll', 'clockOffsetMs'];

function defaultSettings() {
  return { tokenLifetimeSec: DEFAULT_TOKEN_LIFETIME_SEC, clockOffsetMs: 0 };
}

function base64url(text) {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function isWholeNumber(value) {
  return Number.isSafeInteger(value) && value >= 0;
}

/**
 * Tells whether a Content-Type names a form body. Parameters such as `charset` are
 * allowed, and the media type is compared without regard to case, as HTTP requires.
 */
export function isFormType(contentType) {
  if (typeof contentType !== 'string') {
    return false;
  }
  return contentType.split(';')[0].trim().toLowerCase() === FORM_TYPE;
}

// Turns a form into an object for the log. A repeated field keeps its first value, since
// that is the one the login reads.
function formObject(form) {
  const fields = {};
  for (const [name, value] of form) {
    if (!Object.hasOwn(fields, name)) {
      fields[name] = name === 'password' ? REDACTED : value;
    }
  }
  return fields;
}

/**
 * Builds the logged body of a login with every password replaced by `REDACTED`, so that
 * a test which searches the log for a leaked password finds only the client's leaks. A
 * form is logged as an object of its fields. Any other body is logged as the API's are,
 * still with a password field redacted, since a client that sends the wrong type must
 * not make the emulator itself leak.
 */
export function loggedLoginBody(text, contentType, parsed) {
  if (text.length === 0) {
    return null;
  }
  if (isFormType(contentType)) {
    return formObject(new URLSearchParams(text));
  }
  if (isObject(parsed)) {
    return Object.hasOwn(parsed, 'password') ? { ...parsed, password: REDACTED } : parsed;
  }
  const form = new URLSearchParams(text);
  return form.has('password') ? formObject(form) : parsed;
}

/**
 * Builds the login, the registry of issued tokens and the clock. `login` answers a token
 * or throws an ApiError; `userFor` answers the user a bearer token stands for, undefined
 * for a token nobody issued, and throws a 401 for an issued token that has expired.
 */
export function createAuthority() {
  const key = randomBytes(32);
  const issued = new Map();
  let settings = defaultSettings();
  let logins = 0;

  function now() {
    return Date.now() + settings.clockOffsetMs;
  }

  function issue(userKey) {
    const { username } = USERS[userKey];
    const iat = Math.floor(now() / 1000);
    const exp = iat + settings.tokenLifetimeSec;
    const claims = { sub: username, iat, exp, jti: randomUUID() };
    const encoded = [JWT_HEADER, claims].map((part) => base64url(JSON.stringify(part)));
    const unsigned = encoded.join('.');
    const signature = createHmac('sha256', key).update(unsigned).digest('base64url');
    const token = `${unsigned}.${signature}`;
    issued.set(token, { user: userForToken(TOKENS[userKey]), exp: claims.exp, revoked: false });
    logins += 1;
    return token;
  }

  // The checks run in the order a gateway can make them: the body's type first, then
  // what the body asks for, then who is asking.
  function login({ contentType, text }) {
    if (!isFormType(contentType)) {
      throw new ApiError(400, `The login body must be ${FORM_TYPE}`);
    }
    const form = new URLSearchParams(text);
    if (form.get('token') !== 'true') {
      throw new ApiError(401, 'The login must ask for a token with token=true');
    }
    const username = form.get('username');
    const userKey = Object.keys(USERS).find((name) => USERS[name].username === username);
    if (userKey === undefined || USERS[userKey].password !== form.get('password')) {
      throw new ApiError(401, 'The username or password is not valid');
    }
    return issue(userKey);
  }

  // The static tokens never expire, so that the tests written before the login keep
  // working whatever a test does to the clock.
  function userFor(token) {
    const user = userForToken(token);
    if (user) {
      return user;
    }
    const record = issued.get(token);
    if (!record) {
      return undefined;
    }
    if (record.revoked || now() >= record.exp * 1000) {
      throw new ApiError(401, 'The bearer token has expired');
    }
    return record.user;
  }

  function describe() {
    return { logins, ...settings };
  }

  // Judges every control before applying any, so that a refused request changes nothing.
  // The answer is a message for a 400, or null once the controls are applied.
  function configure(body) {
    if (!isObject(body)) {
      return `The auth controls are a JSON object with any of ${CONTROLS.join(', ')}`;
    }
    const unknown = Object.keys(body).filter((name) => !CONTROLS.includes(name));
    if (unknown.length > 0) {
      return `Unknown auth control ${unknown.join(', ')}; use ${CONTROLS.join(', ')}`;
    }
    if (Object.hasOwn(body, 'tokenLifetimeSec') && !isWholeNumber(body.tokenLifetimeSec)) {
      return 'tokenLifetimeSec must be a whole number of seconds, 0 or more';
    }
    if (Object.hasOwn(body, 'clockOffsetMs') && !isWholeNumber(body.clockOffsetMs)) {
      return 'clockOffsetMs must be a whole number of milliseconds, 0 or more';
    }
    if (Object.hasOwn(body, 'expireAll') && typeof body.expireAll !== 'boolean') {
      return 'expireAll must be true or false';
    }
    settings = {
      tokenLifetimeSec: body.tokenLifetimeSec ?? settings.tokenLifetimeSec,
      clockOffsetMs: body.clockOffsetMs ?? settings.clockOffsetMs,
    };
    if (body.expireAll === true) {
      for (const record of issued.values()) {
        record.revoked = true;
      }
    }
    return null;
  }

  // A reset restores the settings and the count but keeps the tokens issued so far, as a
  // reset restores data and not sessions: a suite that logs in once before its tests and
  // resets before each one keeps its token. A token made to expire stays expired.
  function reset() {
    settings = defaultSettings();
    logins = 0;
  }

  return { now, login, userFor, describe, configure, reset };
}
