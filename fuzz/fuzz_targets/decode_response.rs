//! Feeds every response decoder of the sans-IO core an answer built from fuzz input and
//! checks that each one returns (never panics), and that every failure explains itself
//! with the code its status calls for.
//!
//! Input layout (so that seeds can be written by hand, see `fuzz/make-seeds.sh`):
//!
//! | bytes | meaning |
//! | --- | --- |
//! | 0–1 | status: `100 + u16::from_be_bytes(..) % 500` (`00 64` is 200, `01 2f` is 403) |
//! | 2 | content type: an index into [`CONTENT_TYPES`] (wraps around) |
//! | 3 | header: low 3 bits index [`HEADERS`] (0 = none); bit 7 set = `received_at_ms` follows |
//! | (8) | when bit 7 of byte 3 is set: `received_at_ms`, big-endian `i64` |
//! | (1 + n) | when a header is chosen: its length `n` (0–63, low 6 bits), then its value |
//! | rest | the body, read as lossy UTF-8 |
#![no_main]

use libfuzzer_sys::fuzz_target;
use qualys_cs::api::{
    decode_created_schedule, decode_created_sensor_profile, decode_empty, decode_json,
    decode_login, RawResponse, SerdeJsonParser,
};
use qualys_cs::model::{Page, RegistrySchedule, SensorProfile};
use qualys_cs::{Error, ErrorCode};

/// What a server or a proxy in front of it may call its answer; `None` sends no header.
const CONTENT_TYPES: [Option<&str>; 10] = [
    Some("application/json"),
    None,
    Some("application/json; charset=utf-8"),
    Some("text/plain"),
    Some("text/plain; charset=utf-8"),
    Some("text/html"),
    Some("application/problem+json"),
    Some(""),
    Some("APPLICATION/JSON"),
    Some("text/json\u{0}\u{7f}"),
];

/// The headers the core reads besides the content type.
const HEADERS: [Option<&str>; 8] = [
    None,
    Some("retry-after"),
    Some("x-ratelimit-limit"),
    Some("x-ratelimit-window-sec"),
    Some("x-ratelimit-remaining"),
    Some("Retry-After"),
    Some("content-length"),
    Some("X-RateLimit-Remaining"),
];

/// The longest server message an error may carry: 500 characters and an ellipsis.
const MAX_SERVER_MESSAGE_CHARS: usize = 501;
/// The longest server error code an error may carry: 80 characters and an ellipsis.
const MAX_SERVER_ERROR_CODE_CHARS: usize = 81;

/// Splits fuzz input into an answer; see the module's documentation for the layout.
fn response(data: &[u8]) -> Option<RawResponse> {
    let (&[high, low, content_type, header], rest) = data.split_first_chunk::<4>()?;
    let status = 100 + u16::from_be_bytes([high, low]) % 500;
    let mut headers = Vec::new();
    if let Some(Some(value)) = CONTENT_TYPES.get(usize::from(content_type) % CONTENT_TYPES.len()) {
        headers.push(("content-type".to_owned(), (*value).to_owned()));
    }

    let mut rest = rest;
    let mut received_at_ms = None;
    if header & 0x80 != 0 {
        let (millis, after) = rest.split_first_chunk::<8>()?;
        received_at_ms = Some(i64::from_be_bytes(*millis));
        rest = after;
    }
    if let Some(Some(name)) = HEADERS.get(usize::from(header & 0x07)) {
        let (&length, after) = rest.split_first()?;
        let length = usize::from(length & 0x3f).min(after.len());
        let (value, after) = after.split_at(length);
        headers.push((
            (*name).to_owned(),
            String::from_utf8_lossy(value).into_owned(),
        ));
        rest = after;
    }

    Some(RawResponse {
        status,
        headers,
        body: String::from_utf8_lossy(rest).into_owned(),
        received_at_ms,
    })
}

/// The code a failure must carry for `status`.
fn expected_code(status: u16) -> ErrorCode {
    match status {
        200..=299 => ErrorCode::Decode,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        412 => ErrorCode::PreconditionFailed,
        429 => ErrorCode::RateLimited,
        500..=599 => ErrorCode::Server,
        _ => ErrorCode::Http,
    }
}

/// Text copied from the server must be short and free of control characters.
fn check_server_text(text: &str, max_chars: usize, what: &str, error: &Error) {
    assert!(
        text.chars().count() <= max_chars,
        "{what} longer than {max_chars} characters: {error:?}"
    );
    assert!(
        !text.chars().any(char::is_control),
        "{what} carries a control character: {error:?}"
    );
}

/// Any decoder's result: `Ok` only for a 2xx answer, and an `Err` that explains itself,
/// names the status and carries the code the status calls for.
fn check<T>(decoder: &str, response: &RawResponse, result: Result<T, Error>) -> Option<T> {
    let status = response.status;
    let success = (200..300).contains(&status);
    let error = match result {
        Ok(value) => {
            assert!(success, "{decoder}: status {status} decoded as a success");
            return Some(value);
        }
        Err(error) => error,
    };
    assert!(
        !error.message.trim().is_empty(),
        "{decoder}: empty message: {error:?}"
    );
    assert!(!error.to_string().is_empty());
    assert_eq!(
        error.code,
        expected_code(status),
        "{decoder}: status {status}: {error:?}"
    );
    assert_eq!(error.status, Some(status), "{decoder}: {error:?}");
    assert!(error.issues.is_empty(), "{decoder}: {error:?}");
    // A wait is read from a 429, and from a `Retry-After` on a 5xx.
    if !matches!(error.code, ErrorCode::RateLimited | ErrorCode::Server) {
        assert!(error.retry_after_ms.is_none(), "{decoder}: {error:?}");
    }
    if error.code != ErrorCode::Forbidden {
        assert!(error.permission.is_none(), "{decoder}: {error:?}");
    }
    if let Some(text) = &error.server_message {
        check_server_text(text, MAX_SERVER_MESSAGE_CHARS, "serverMessage", &error);
    }
    if let Some(text) = &error.server_error_code {
        check_server_text(text, MAX_SERVER_ERROR_CODE_CHARS, "serverErrorCode", &error);
    }
    None
}

fuzz_target!(|data: &[u8]| {
    let Some(response) = response(data) else {
        return;
    };
    let parser = SerdeJsonParser;
    check(
        "decode_json::<Page<RegistrySchedule>>",
        &response,
        decode_json::<Page<RegistrySchedule>, _>(&response, &parser),
    );
    check(
        "decode_json::<Page<SensorProfile>>",
        &response,
        decode_json::<Page<SensorProfile>, _>(&response, &parser),
    );
    check(
        "decode_json::<SensorProfile>",
        &response,
        decode_json::<SensorProfile, _>(&response, &parser),
    );
    check("decode_empty", &response, decode_empty(&response, &parser));
    check(
        "decode_created_schedule",
        &response,
        decode_created_schedule(&response, &parser),
    );
    check(
        "decode_created_sensor_profile",
        &response,
        decode_created_sensor_profile(&response, &parser),
    );
    if let Some(token) = check("decode_login", &response, decode_login(&response, &parser)) {
        assert!(!token.is_empty(), "decode_login: an empty token");
        assert!(
            token.chars().all(|c| c.is_ascii_graphic()),
            "decode_login: a token that cannot be sent in a header: {token:?}"
        );
    }
});
