// Reading a success body with the host's `JSON.parse`, for the answers that come in bulk.
//
// A page of schedules is the one answer that comes in bulk. Copying its text into the wasm
// module and the result back out as text for another `JSON.parse` made up most of a call's
// time (issue 5), so the package reads such a page here and checks it against its shape.
// The shape is the module's (src/model/shape.rs, kept equal to the Rust types' fields by
// tests/core_shape.rs); scripts/answer-readers.mjs turns it into one plain function per
// object at build time (answer_readers.js), because reading fields by name in a loop cost
// the page twice as much as named fields in object literals.
//
// A reader takes only what it is sure the Rust types read the same way. Anything else (an
// alias, a form of timestamp it leaves to the module, a number that is not a whole one, a
// string that is not well-formed, nesting beyond the module's limit, a wrong type) makes
// `readAnswer` return `undefined`, and the module decodes the bytes and words the error as
// it always does. tests/js/answer.test.mjs compares both readings.
import { parseTimestamp } from './qualys_cs.js';

// The deepest nesting the module reads (its serde_json recursion limit).
export const MAX_DEPTH = 127;

// Thrown when the body is not in a form the reader is sure of; the generated readers
// throw it too.
export const UNSURE = Symbol('unsure');

// `fatal` refuses bytes that are not UTF-8 and `ignoreBOM` keeps a byte-order mark, which
// is not JSON: both are left to the module, which refuses them too.
let utf8 = null;

/**
 * The value of the body `bytes` as `read` reads it (`read(value, depth)`, generated), or
 * `undefined` to leave the body to the module. `names` are the field names `read` looks up.
 * Never throws.
 */
export function readAnswer(bytes, read, names) {
  // A field the body leaves out would be read from `Object.prototype` if a page's code had
  // put one of these names there; the module, which does not look there, reads it then.
  for (const name of names) if (name in Object.prototype) return undefined;
  try {
    utf8 ??= new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const text = utf8.decode(bytes);
    // Text decoded from UTF-8 holds no lone surrogate, so only a `\u` escape can put one in
    // a string; without any, no string needs checking (most answers have none).
    escapes = text.includes('\\u');
    return read(JSON.parse(text), 0);
  } catch {
    return undefined;
  }
}

// Whether the body being read has a `\u` escape, so that its strings must be checked for
// lone surrogates, which `JSON.parse` keeps and serde_json refuses.
let escapes = true;

function wellFormed(text) {
  return !escapes || text.isWellFormed();
}

// The readers of single values. `null` and a missing field (`undefined`) mean the same,
// as they do to the Rust types.

export function string(value) {
  if (typeof value === 'string' && wellFormed(value)) return value;
  throw UNSURE;
}

export function optionalString(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' && wellFormed(value)) return value;
  throw UNSURE;
}

export function flag(value) {
  if (value === null || value === undefined) return false;
  if (typeof value === 'boolean') return value;
  throw UNSURE;
}

// Whether `value` is a whole number from 0 to `max` as serde_json reads one: a `-0` (the
// text `-0`) is a float to it, which it refuses where a whole number belongs.
function isWhole(value, max) {
  return Number.isInteger(value) && value >= 0 && value <= max && !Object.is(value, -0);
}

export function optionalU32(value) {
  if (value === null || value === undefined) return null;
  if (isWhole(value, 0xffff_ffff)) return value;
  throw UNSURE;
}

export function optionalEnum(values, value) {
  if (value === null || value === undefined) return null;
  if (values.has(value)) return value;
  throw UNSURE;
}

// The furthest a timestamp may lie from 1970: a `Date`'s range, as the module has it
// (MAX_TIMESTAMP_MS in src/model/timestamp.rs).
const MAX_TIMESTAMP_MS = 8_640_000_000_000_000;

// Strings of up to 15 digits are exact as numbers and within a `Date`'s range; the module
// reads every other string (a call into it costs less than `Date.parse` and a check of its
// result), so that timestamps have one reading.
export function timestamp(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (Number.isInteger(value) && Math.abs(value) <= MAX_TIMESTAMP_MS) return value + 0;
    throw UNSURE;
  }
  if (typeof value !== 'string' || !wellFormed(value)) throw UNSURE;
  const ms = digits(value);
  if (ms >= 0) return ms;
  const parsed = parseTimestamp(value);
  if (typeof parsed === 'number') return parsed;
  throw UNSURE;
}

// The number a string of 1 to 15 ASCII digits spells, or -1 for any other string. A loop
// over the characters took half the time of a regular expression and `Number` (40,000
// timestamps in a page of 5,000 schedules).
function digits(text) {
  const length = text.length;
  if (length === 0 || length > 15) return -1;
  let number = 0;
  for (let i = 0; i < length; i += 1) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    number = number * 10 + digit;
  }
  return number;
}

/** Any JSON value, kept as it is, once it is known to be what the module would keep. */
export function json(value, depth) {
  if (value === null || value === undefined) return null;
  checkPlain(value, depth);
  return value;
}

/** Whether the own and inherited enumerable keys of `value` are `names`, in that order. */
export function hasExactly(value, names) {
  let count = 0;
  for (const key in value) {
    if (count === names.length || key !== names[count]) return false;
    count += 1;
  }
  return count === names.length;
}

/**
 * Checks the fields of `value` that `known` does not name (called when it has more keys
 * than the known ones it holds): the Rust types read past them and leave them out of the
 * result, so they are not copied, but they must be what serde_json reads past.
 */
export function unknownFields(value, known, depth) {
  for (const key of Object.keys(value)) {
    if (!known.has(key)) {
      if (!wellFormed(key)) throw UNSURE;
      checkPlain(value[key], depth + 1);
    }
  }
}

// Checks that a value holds only what serde_json reads the same way as `JSON.parse`:
// well-formed strings (no lone surrogates), finite numbers, and nesting within the limit.
function checkPlain(value, depth) {
  if (typeof value === 'string') {
    if (!wellFormed(value)) throw UNSURE;
  } else if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw UNSURE;
  } else if (value !== null && typeof value === 'object') {
    if (depth + 1 > MAX_DEPTH) throw UNSURE;
    if (Array.isArray(value)) {
      for (const item of value) checkPlain(item, depth + 1);
    } else {
      for (const key of Object.keys(value)) {
        if (!wellFormed(key)) throw UNSURE;
        checkPlain(value[key], depth + 1);
      }
    }
  }
}

/** A whole number of items from 0 up, or the number of `data` items when absent. */
export function count(value, items) {
  if (value === null || value === undefined) return items;
  if (isWhole(value, Number.MAX_SAFE_INTEGER)) return value;
  throw UNSURE;
}
