//! The reading of what `host.js` made of one attempt's answer into the core's types.
//!
//! The package's JavaScript runs the attempt itself: it asks the module for the request
//! ([`super::Attempt`]), hands it to `host.js`'s `send` (the host's `fetch`), and gives
//! the answer back to the module to decode. The waiting thus happens in JavaScript, and
//! the module needs neither an executor for futures nor closures across the boundary.
//! The answer comes as plain arguments, not as JSON text: reading that text with serde
//! cost the module 3.7 KB gzip (issue 5).

use crate::api::RawResponse;
use crate::error::{sanitize_server_text, Error, ErrorCode};
use wasm_bindgen::JsValue;

/// An answer as the module receives it.
pub(crate) struct Received {
    /// The status and headers; the body is empty when `decoded` holds its value.
    pub(crate) response: RawResponse,
    /// The value of a success body read by the package's answer reader.
    pub(crate) decoded: Option<JsValue>,
}

/// A failed attempt, and whether another attempt could overcome it.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) retryable: bool,
}

/// Reads an answer `send` resolved to: its `status`; its `headers` as names and values in
/// turn, each on a line of its own (`"name\nvalue\n..."`, names in lower case; a header
/// value holds no line break); `received_at_ms`, when it came (epoch milliseconds);
/// `body`, the body's bytes (absent when `decoded` holds the body's value); `decoded`,
/// the value of a success body that the package's answer reader read against its shape
/// (`model::shape`), or `undefined`.
pub(crate) fn receive(
    status: u16,
    headers: &str,
    received_at_ms: f64,
    body: Option<Vec<u8>>,
    decoded: JsValue,
) -> Result<Received, Failure> {
    let mut lines = headers.split('\n');
    let mut pairs = Vec::new();
    while let (Some(name), Some(value)) = (lines.next(), lines.next()) {
        pairs.push((name.to_owned(), value.to_owned()));
    }
    #[allow(clippy::cast_possible_truncation)]
    let received_at_ms = (received_at_ms.is_finite() && received_at_ms.abs() < 9.0e15)
        .then_some(received_at_ms as i64);
    let response = |body: String| RawResponse {
        status,
        headers: pairs,
        body,
        received_at_ms,
    };
    let success = (200..300).contains(&status);
    if success && !decoded.is_undefined() {
        return Ok(Received {
            response: response(String::new()),
            decoded: Some(decoded),
        });
    }
    let bytes = body.unwrap_or_default();
    // A success answer must be exact UTF-8, or it is not the JSON the API documents; an
    // error answer is only read for its message, so a bad byte there is replaced.
    let body = if success {
        String::from_utf8(bytes).map_err(|_| Failure {
            error: Error {
                status: Some(status),
                ..Error::decode("the body is not valid UTF-8")
            },
            retryable: false,
        })?
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(Received {
        response: response(body),
        decoded: None,
    })
}

/// The failure `send` resolved to instead of an answer: its `code` (one of the error
/// codes, `NETWORK` for any other), `message`, whether another attempt may overcome it,
/// and the status of an answer it refused (a redirect, a body over the size limit).
pub(crate) fn failure(code: &str, message: &str, retryable: bool, status: Option<u16>) -> Failure {
    let code = ErrorCode::from_name(code).unwrap_or(ErrorCode::Network);
    // The host's message can quote the fetch's own error text: it is cleaned and cut like
    // server text (secrets are taken out by the caller before it is cut again).
    Failure {
        error: Error {
            status,
            ..Error::new(code, sanitize_server_text(message, 4000))
        },
        retryable,
    }
}
