//! Turning a status, headers and body into a value or a typed [`Error`].

use crate::error::{sanitize_server_text, Error, ErrorCode};
use crate::model::permission::permission_in_message;
use crate::model::schedule::CreatedScheduleWire;
use crate::model::{CreatedSchedule, CreatedSensorProfile, RateLimit};
use serde::de::DeserializeOwned;
use serde::Deserialize;

/// The longest server message kept in an error's `serverMessage`.
const MAX_SERVER_MESSAGE_CHARS: usize = 500;

/// The longest part of the server's message quoted in the error's own `message`, which
/// should stay one readable line.
const MAX_QUOTED_CHARS: usize = 200;

/// An answer as the transport received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawResponse {
    /// The HTTP status.
    pub status: u16,
    /// The headers, names in lower case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// When the answer arrived (epoch ms), to read a `Retry-After` given as a date.
    pub received_at_ms: Option<i64>,
}

impl RawResponse {
    /// The value of header `name` (give it in lower case), if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Parses JSON text into a type, reporting the JSON path of the first wrong field.
pub trait JsonParser {
    /// Parses `body` as a `T`; the error says where and what was wrong.
    fn parse<T: DeserializeOwned>(&self, body: &str) -> Result<T, String>;
}

/// The [`JsonParser`] of both builds, native and wasm: serde_json straight into the Rust
/// types.
///
/// In the wasm build this was measured against the host's `JSON.parse` followed by
/// serde-wasm-bindgen (one call across the boundary per value): parsing the text in Rust
/// is several times faster for a page of schedules and the module is smaller (README,
/// "Size and speed").
#[derive(Debug, Clone, Copy, Default)]
pub struct SerdeJsonParser;

impl JsonParser for SerdeJsonParser {
    fn parse<T: DeserializeOwned>(&self, body: &str) -> Result<T, String> {
        serde_json::from_str(body).map_err(|error| {
            // serde_json stops at its recursion limit, before deep nesting could exhaust
            // the stack (which would trap the wasm module for good); a field of the wrong
            // type can stop it sooner, and the nesting is still the first thing to say.
            if nests_deeper_than(body, MAX_BODY_DEPTH) {
                return format!("the body nests deeper than {MAX_BODY_DEPTH} levels");
            }
            // serde_json reports a number where an enum belongs as a syntax error too,
            // so only a text that is not JSON at all is called so; any other failure is
            // a field of the wrong shape, and its path is named.
            if let Err(syntax) = serde_json::from_str::<serde::de::IgnoredAny>(body) {
                return format!("the body is not valid JSON ({syntax})");
            }
            let offset = byte_offset(body, error.line(), error.column());
            let message = error.to_string();
            let message = message
                .rfind(" at line ")
                .and_then(|at| message.get(..at))
                .unwrap_or(&message);
            describe_path_error(&json_path_at(body, offset), message)
        })
    }
}

/// How deep an answer's JSON may nest: serde_json's recursion limit.
const MAX_BODY_DEPTH: usize = 127;

/// Whether the JSON text `body` opens more than `limit` arrays or objects at once,
/// counting brackets outside strings only.
fn nests_deeper_than(body: &str, limit: usize) -> bool {
    let mut depth: usize = 0;
    let mut in_string = false;
    let mut escaped = false;
    for byte in body.bytes() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

/// The byte offset of serde_json's 1-based line and column (a column counts bytes).
fn byte_offset(body: &str, line: usize, column: usize) -> usize {
    let line_start = if line <= 1 {
        0
    } else {
        body.match_indices('\n')
            .nth(line - 2)
            .map_or(body.len(), |(at, _)| at + 1)
    };
    (line_start + column).min(body.len())
}

/// The JSON path (`data[3].weekDay`) of the value that ends at byte `offset` of `body`.
///
/// serde_json knows where decoding failed but not the path there; serde_path_to_error
/// does, but wraps every deserializer and doubled the wasm module's decoding code. This
/// walk runs only when decoding has already failed, over text known to be JSON.
fn json_path_at(body: &str, offset: usize) -> String {
    enum Frame<'a> {
        Object(Option<&'a str>),
        Array(usize),
    }
    let bytes = body.as_bytes();
    let mut frames: Vec<Frame<'_>> = Vec::new();
    let mut expecting_key = false;
    let mut at = 0;
    while at < offset {
        let Some(&byte) = bytes.get(at) else { break };
        match byte {
            b'"' => {
                let start = at + 1;
                at = start;
                while let Some(&inner) = bytes.get(at) {
                    match inner {
                        b'\\' => at += 2,
                        b'"' => break,
                        _ => at += 1,
                    }
                }
                if expecting_key {
                    if let Some(Frame::Object(key)) = frames.last_mut() {
                        *key = body.get(start..at);
                    }
                    expecting_key = false;
                }
            }
            b'{' => {
                frames.push(Frame::Object(None));
                expecting_key = true;
            }
            b'[' => frames.push(Frame::Array(0)),
            b'}' | b']' => {
                frames.pop();
            }
            b',' => match frames.last_mut() {
                Some(Frame::Array(index)) => *index += 1,
                Some(Frame::Object(_)) => expecting_key = true,
                None => {}
            },
            _ => {}
        }
        at += 1;
    }
    let mut path = String::new();
    for frame in &frames {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Object(None) => {}
            Frame::Array(index) => {
                path.push('[');
                path.push_str(&index.to_string());
                path.push(']');
            }
        }
    }
    path
}

/// Words a decoding failure: which field, and what serde said about it.
pub(crate) fn describe_path_error(path: &str, message: &str) -> String {
    // serde quotes the offending value, which came from the server: it is cleaned and
    // cut like any other server text.
    let message = sanitize_server_text(message, 300);
    let path = sanitize_server_text(path, 200);
    if path.is_empty() || path == "." {
        format!("the body does not match the API: {message}")
    } else {
        format!("field `{path}` does not match the API: {message}")
    }
}

/// The API's common error body: `{ "errorCode", "message", "timestamp" }`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ServerErrorBody {
    #[serde(default)]
    error_code: Option<String>,
    #[serde(default)]
    message: Option<String>,
}

/// Decodes a success answer with a JSON body as `T`.
///
/// Every answer of the API is a JSON object, so a body that is an array is refused before
/// it is parsed: serde's derived structs also read an array of their fields in order,
/// which would take `[]` for an empty page.
pub fn decode_json<T: DeserializeOwned, P: JsonParser>(
    response: &RawResponse,
    parser: &P,
) -> Result<T, Error> {
    check_json_answer(response, !response.body.trim().is_empty(), parser)?;
    let first = response
        .body
        .bytes()
        .find(|byte| !matches!(byte, b' ' | b'\t' | b'\n' | b'\r'));
    if first == Some(b'[') {
        return Err(Error {
            status: Some(response.status),
            ..Error::decode("the body does not match the API: it is a JSON array, not an object")
        });
    }
    parser.parse(&response.body).map_err(|message| Error {
        status: Some(response.status),
        ..Error::decode(message)
    })
}

/// Checks what a JSON answer needs besides its body's content: a success status, a body
/// (`has_body`, and never on a 204), and a content-type, if any, that names JSON.
///
/// [`decode_json`] checks this before it parses; the wasm layer checks it for a page the
/// package read with the host's `JSON.parse`, which has no body for the module to see.
pub fn check_json_answer<P: JsonParser>(
    response: &RawResponse,
    has_body: bool,
    parser: &P,
) -> Result<(), Error> {
    check_status(response, parser)?;
    if response.status == 204 || !has_body {
        return Err(Error {
            status: Some(response.status),
            ..Error::decode(format!(
                "expected a JSON body, but the {} answer was empty",
                response.status
            ))
        });
    }
    if let Some(content_type) = response.header("content-type") {
        if !content_type.to_ascii_lowercase().contains("json") {
            return Err(Error {
                status: Some(response.status),
                ..Error::decode(format!(
                    "expected JSON, but the answer is `{}`",
                    sanitize_server_text(content_type, 80)
                ))
            });
        }
    }
    Ok(())
}

/// Decodes a success answer whose body does not matter (deletes and updates).
pub fn decode_empty<P: JsonParser>(response: &RawResponse, parser: &P) -> Result<(), Error> {
    check_status(response, parser)
}

/// Decodes the answer to creating a schedule, whichever name it gives the new id.
pub fn decode_created_schedule<P: JsonParser>(
    response: &RawResponse,
    parser: &P,
) -> Result<CreatedSchedule, Error> {
    let wire: CreatedScheduleWire = decode_json(response, parser)?;
    wire.into_created().ok_or_else(|| Error {
        status: Some(response.status),
        ..Error::decode("the answer names no new schedule (neither scheduleUuid nor profileUuid)")
    })
}

/// Decodes the answer to creating a sensor profile; an empty id is no id, as it is for a
/// schedule.
pub fn decode_created_sensor_profile<P: JsonParser>(
    response: &RawResponse,
    parser: &P,
) -> Result<CreatedSensorProfile, Error> {
    let created: CreatedSensorProfile = decode_json(response, parser)?;
    if created.profile_uuid.trim().is_empty() {
        return Err(Error {
            status: Some(response.status),
            ..Error::decode("the answer names no new sensor profile (its profileUuid is empty)")
        });
    }
    Ok(created)
}

/// Turns any status but 2xx into the matching error, reading the common error body.
pub(crate) fn check_status<P: JsonParser>(response: &RawResponse, parser: &P) -> Result<(), Error> {
    let status = response.status;
    if (200..300).contains(&status) {
        return Ok(());
    }

    let body: Option<ServerErrorBody> = parser.parse(&response.body).ok();
    let (server_error_code, server_message) = match body {
        Some(body) => (body.error_code, body.message),
        None => (None, plain_text_message(response)),
    };
    let server_message =
        server_message.map(|text| sanitize_server_text(&text, MAX_SERVER_MESSAGE_CHARS));
    let server_error_code = server_error_code.map(|text| sanitize_server_text(&text, 80));

    let (code, summary) = classify(status);
    let mut error = Error::new(code, summary);
    error.status = Some(status);
    if code == ErrorCode::Forbidden {
        error.permission = server_message.as_deref().and_then(permission_in_message);
        if let Some(permission) = &error.permission {
            error.message = format!("the user's role lacks the {permission} permission");
        }
    }
    if code == ErrorCode::RateLimited {
        error.retry_after_ms = rate_limited_wait_ms(response);
    } else if code == ErrorCode::Server {
        // A gateway that is briefly down (503, sometimes 502 or 504) may say when to
        // come back; the retry policy honours it as it does for a 429.
        error.retry_after_ms = response
            .header("retry-after")
            .and_then(|value| retry_after_ms(value, response.received_at_ms));
    }
    if let Some(text) = &server_message {
        let quoted = sanitize_server_text(text, MAX_QUOTED_CHARS);
        error.message = format!("{} (HTTP {status}): {quoted}", error.message);
    } else {
        error.message = format!("{} (HTTP {status})", error.message);
    }
    error.server_message = server_message;
    error.server_error_code = server_error_code;
    Err(error)
}

/// The error code and a short description for a status that is not 2xx.
fn classify(status: u16) -> (ErrorCode, &'static str) {
    match status {
        401 => (ErrorCode::Unauthorized, "the token was refused"),
        403 => (ErrorCode::Forbidden, "the user's role lacks a permission"),
        404 => (ErrorCode::NotFound, "not found"),
        412 => (
            ErrorCode::PreconditionFailed,
            "precondition failed: the connector is still associated with a registry",
        ),
        429 => (
            ErrorCode::RateLimited,
            "the gateway's rate limit was reached",
        ),
        300..=399 => (
            ErrorCode::Http,
            "the server redirected, and redirects are not followed",
        ),
        500..=599 => (ErrorCode::Server, "the server failed"),
        _ => (ErrorCode::Http, "unexpected HTTP status"),
    }
}

/// Keeps a short plain-text error body as the server's message; HTML pages from proxies
/// and empty bodies say nothing useful and are dropped.
fn plain_text_message(response: &RawResponse) -> Option<String> {
    let is_plain = response
        .header("content-type")
        .is_some_and(|value| value.to_ascii_lowercase().starts_with("text/plain"));
    let text = response.body.trim();
    (is_plain && !text.is_empty()).then(|| text.to_owned())
}

/// How long a 429 asks the caller to wait: its `Retry-After`, or, without one, the rest
/// of the window when `X-RateLimit-Remaining` says the window's budget is spent (the
/// gateways send only the `X-RateLimit-*` headers).
fn rate_limited_wait_ms(response: &RawResponse) -> Option<u64> {
    if let Some(value) = response.header("retry-after") {
        return retry_after_ms(value, response.received_at_ms);
    }
    let rate_limit = RateLimit::from_headers(|name| response.header(name))?;
    match (rate_limit.remaining, rate_limit.window_sec) {
        (Some(0), Some(window_sec)) => Some(window_sec.saturating_mul(1000).min(MAX_WAIT_MS)),
        _ => None,
    }
}

/// The longest wait an answer can ask for, a day: anything longer is taken as a day, so
/// that the figure stays an exact JavaScript number and means something to a caller.
const MAX_WAIT_MS: u64 = 24 * 60 * 60 * 1000;

/// Reads `Retry-After`: a number of seconds, or an HTTP date measured from `now_ms`.
fn retry_after_ms(value: &str, now_ms: Option<i64>) -> Option<u64> {
    let value = value.trim();
    if let Some(ms) = seconds_as_ms(value) {
        return Some(ms.min(MAX_WAIT_MS));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    let date_ms = date.duration_since(std::time::UNIX_EPOCH).ok()?.as_millis();
    let now_ms = u128::try_from(now_ms?).ok()?;
    let wait = u64::try_from(date_ms.saturating_sub(now_ms)).unwrap_or(MAX_WAIT_MS);
    Some(wait.min(MAX_WAIT_MS))
}

/// Reads a number of seconds as whole milliseconds, as a JavaScript or Rust `f64` reading
/// of the text would see it: an optional sign, digits with an optional fraction, and an
/// optional exponent (`3`, `1.5`, `.25`, `+2`, `1e20`). `None` for anything else, for a
/// value below zero (also one a double would read as `-0`, such as `-1e-400`; `-0` itself
/// is 0), and for one a double reads as infinity (`1.8e308`, `1e400`). The exact decimal
/// is rounded at a fourth decimal, not the double nearest to it (`4.0005` is 4,001 ms),
/// and a value over `u64::MAX` ms saturates (the caller caps every wait at a day).
///
/// Written out with integers instead of `text.parse::<f64>()`: the float parser's tables
/// were 14 KB of the gzip wasm module (issue 5), and a wait needs no float.
fn seconds_as_ms(text: &str) -> Option<u64> {
    let (negative, unsigned) = split_sign(text);
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (unsigned.get(..at)?, Some(unsigned.get(at + 1..)?)),
        None => (unsigned, None),
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    let all_digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if (whole.is_empty() && fraction.is_empty()) || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let exponent = match exponent {
        None => 0,
        Some(exponent) => {
            let (below_one, digits) = split_sign(exponent);
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            // Held at a million: any exponent past that is past every limit below.
            let size = digits.bytes().fold(0_i64, |sum, byte| {
                (sum * 10 + i64::from(byte - b'0')).min(1_000_000)
            });
            if below_one {
                -size
            } else {
                size
            }
        }
    };
    // Each digit's power of ten in milliseconds: the first whole digit's is the number of
    // whole digits, minus one, plus the exponent, plus three.
    let digits = whole
        .bytes()
        .chain(fraction.bytes())
        .map(|byte| byte - b'0');
    let first_power = i64::try_from(whole.len()).ok()? - 1 + exponent + 3;
    let Some((leading, _)) = digits.clone().enumerate().find(|(_, digit)| *digit != 0) else {
        return Some(0);
    };
    // Infinity to a double is not a wait.
    let magnitude = first_power - i64::try_from(leading).ok()? - 3;
    if negative
        || magnitude > 308
        || (magnitude == 308 && reads_as_infinity(digits.clone().skip(leading)))
    {
        return None;
    }
    // More than 10^19 ms does not fit a u64 anyway.
    if magnitude + 3 > 19 {
        return Some(u64::MAX);
    }
    let mut ms = 0_u64;
    for (index, digit) in digits.enumerate() {
        let power = first_power - i64::try_from(index).ok()?;
        if power >= 0 {
            let place = 10_u64.saturating_pow(u32::try_from(power).ok()?);
            ms = ms.saturating_add(u64::from(digit).saturating_mul(place));
        } else {
            if power == -1 && digit >= 5 {
                ms = ms.saturating_add(1);
            }
            break;
        }
    }
    Some(ms)
}

/// Whether `text` starts with `-`, and the text after its sign (`+` or `-`), if any.
fn split_sign(text: &str) -> (bool, &str) {
    match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    }
}

/// The digits of 2^1024 − 2^970, halfway between the largest double and 2^1024: the least
/// number a double reads as infinity (a tie rounds to the even side, which is infinity).
const DOUBLE_INFINITY_DIGITS: &str = "179769313486231580793728971405303415079934132710037826936173778980444968292764750946649017977587207096330286416692887910946555547851940402630657488671505820681908902000708383676273854845817711531764475730270069855571366959622842914819860834936475292719074168444365510704342711559699508093042880177904174497792";

/// Whether a number of 309 whole digits, given by its `significant` digits from the first
/// non-zero one, is at least [`DOUBLE_INFINITY_DIGITS`].
fn reads_as_infinity(mut significant: impl Iterator<Item = u8>) -> bool {
    for limit in DOUBLE_INFINITY_DIGITS.bytes().map(|byte| byte - b'0') {
        let digit = significant.next().unwrap_or(0);
        if digit != limit {
            return digit > limit;
        }
    }
    true
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;

    #[test]
    fn a_read_page_is_still_checked_for_its_status_and_content_type() {
        let answer = |status: u16, content_type: &str| RawResponse {
            status,
            headers: vec![("content-type".to_owned(), content_type.to_owned())],
            body: String::new(),
            received_at_ms: None,
        };
        assert!(
            check_json_answer(&answer(200, "application/json"), true, &SerdeJsonParser).is_ok()
        );
        let html =
            check_json_answer(&answer(200, "text/html"), true, &SerdeJsonParser).unwrap_err();
        assert_eq!(html.code, ErrorCode::Decode);
        assert_eq!(html.message, "expected JSON, but the answer is `text/html`");
        let no_content =
            check_json_answer(&answer(204, "application/json"), true, &SerdeJsonParser)
                .unwrap_err();
        assert_eq!(
            no_content.message,
            "expected a JSON body, but the 204 answer was empty"
        );
        let refused = check_json_answer(&answer(404, "application/json"), true, &SerdeJsonParser);
        assert_eq!(refused.unwrap_err().code, ErrorCode::NotFound);
    }

    #[test]
    fn a_503_with_retry_after_says_how_long_to_wait() {
        let response = RawResponse {
            status: 503,
            headers: vec![("retry-after".to_owned(), "2".to_owned())],
            body: "<html>down</html>".to_owned(),
            received_at_ms: None,
        };
        let error = check_status(&response, &SerdeJsonParser).unwrap_err();
        assert_eq!(error.code, ErrorCode::Server);
        assert_eq!(error.retry_after_ms, Some(2_000));
    }

    #[test]
    fn retry_after_in_seconds_becomes_milliseconds() {
        // Each text and the wait it gives: the forms a double reads (sign, fraction,
        // exponent), rounded to the millisecond, and at most a day.
        let read = [
            ("3", 3000),
            (" 1.5 ", 1500),
            ("0.25", 250),
            (".5", 500),
            ("2.", 2000),
            ("0.0015", 2),
            ("0.0014", 1),
            ("+3", 3000),
            ("2e1", 20_000),
            ("25E-1", 2500),
            ("1.5e+1", 15_000),
            ("5e-4", 1),
            ("4e-4", 0),
            ("-0", 0),
            ("0e999999999999", 0),
            ("1e-999999999999", 0),
            ("86401", MAX_WAIT_MS),
            ("99999999999999999999999", MAX_WAIT_MS),
            ("1e20", MAX_WAIT_MS),
            ("1.7976931348623157e308", MAX_WAIT_MS),
            // Below the halfway point to 2^1024, a double still rounds to its largest value.
            ("1.7976931348623158e308", MAX_WAIT_MS),
            ("1.79769313486231580793e308", MAX_WAIT_MS),
            ("0.01e310", MAX_WAIT_MS),
        ];
        for (text, ms) in read {
            assert_eq!(retry_after_ms(text, None), Some(ms), "{text:?}");
        }
        // Below zero, beyond what a double holds (infinity), or not a number at all.
        // Exactly the least number a double reads as infinity, and the one below it.
        assert_eq!(retry_after_ms(DOUBLE_INFINITY_DIGITS, None), None);
        let below = DOUBLE_INFINITY_DIGITS
            .get(..308)
            .map(|head| format!("{head}1"));
        assert_eq!(retry_after_ms(&below.unwrap(), None), Some(MAX_WAIT_MS));
        for refused in [
            "-1",
            "-1e-9",
            ".",
            "1e400",
            "10e308",
            "1.8e308",
            "9e308",
            "1.7976931348623159e308",
            "inf",
            "NaN",
            "1.2.3",
            "1 2",
            "0x10",
            "",
            "e3",
            "1e",
            "1e+",
            "++1",
            "+",
            "-",
            "1..2",
            "١",
        ] {
            assert_eq!(retry_after_ms(refused, None), None, "{refused:?}");
        }
    }

    #[test]
    fn retry_after_as_an_http_date_is_the_time_left_until_then() {
        // 2026-10-21T07:28:00Z is 1_792_567_680_000 ms; the answer came 2.5 s before.
        let date = "Wed, 21 Oct 2026 07:28:00 GMT";
        assert_eq!(retry_after_ms(date, Some(1_792_567_677_500)), Some(2_500));
        assert_eq!(retry_after_ms(date, Some(1_792_567_690_000)), Some(0));
        assert_eq!(retry_after_ms(date, None), None);
    }

    #[test]
    fn the_json_path_is_found_where_a_value_ends() {
        let body = r#"{"data":[{"a":1},{"b":[true, "x\"]"], "c":{"d":null}}],"count":2}"#;
        let at = |text: &str| body.find(text).unwrap() + text.len();
        assert_eq!(json_path_at(body, at("1")), "data[0].a");
        assert_eq!(json_path_at(body, at("true")), "data[1].b[0]");
        assert_eq!(json_path_at(body, at(r#""x\"]""#)), "data[1].b[1]");
        assert_eq!(json_path_at(body, at("null")), "data[1].c.d");
        // Just past an object's end, the path is the object's own (a missing field).
        assert_eq!(json_path_at(body, at("{\"a\":1}")), "data[0]");
        assert_eq!(json_path_at(body, at("2")), "count");
        assert_eq!(json_path_at(body, 0), "");
    }

    #[test]
    fn serde_json_positions_become_byte_offsets() {
        let body = "{\n  \"a\": 1,\n  \"b\": x\n}";
        assert_eq!(byte_offset(body, 1, 1), 1);
        assert_eq!(byte_offset(body, 3, 8), body.find('x').unwrap() + 1);
        assert_eq!(byte_offset(body, 9, 9), body.len());
    }

    #[test]
    fn a_wrong_field_deep_in_a_multi_line_answer_is_named() {
        let body =
            "{\n \"data\": [\n  {\"scheduleUuid\": \"s\", \"weekDay\": 3}\n ],\n \"count\": 1\n}";
        let error = SerdeJsonParser
            .parse::<crate::model::Page<crate::model::RegistrySchedule>>(body)
            .unwrap_err();
        // serde_json words a number where an enum belongs as "expected value"; the path
        // is what tells the reader where to look.
        assert_eq!(
            error,
            "field `data[0].weekDay` does not match the API: expected value"
        );
    }
}
