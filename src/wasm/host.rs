//! The reading of what `host.js` made of one attempt's answer into the core's types.
//!
//! The package's JavaScript runs the attempt itself: it asks the module for the request
//! ([`super::Attempt`]), hands it to `host.js`'s `send` (the host's `fetch`), and gives
//! the answer back to the module to decode. The waiting thus happens in JavaScript, and
//! the module needs neither an executor for futures nor closures across the boundary.

use crate::api::RawResponse;
use crate::error::{sanitize_server_text, Error, ErrorCode};
use serde::Deserialize;
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

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Head {
    #[serde(default)]
    status: u16,
    #[serde(default)]
    headers: Vec<(String, String)>,
    #[serde(default)]
    received_at_ms: Option<i64>,
    #[serde(default)]
    failure: Option<HostFailure>,
}

#[derive(Deserialize)]
struct HostFailure {
    code: ErrorCode,
    message: String,
    retryable: bool,
    #[serde(default)]
    status: Option<u16>,
}

/// Reads the answer `send` resolved to: `head`, the JSON text of `{ status, headers,
/// receivedAtMs }` or `{ failure }`; `body`, the body's bytes (absent on failure and when
/// `decoded` holds the body's value); `decoded`, the value of a success body that the
/// package's answer reader read against its shape (`model::shape`), or `undefined`.
pub(crate) fn receive(
    head: &str,
    body: Option<Vec<u8>>,
    decoded: JsValue,
) -> Result<Received, Failure> {
    let head: Head = serde_json::from_str(head).map_err(|_| unreadable())?;
    if let Some(failure) = head.failure {
        // The host's message can quote the fetch's own error text: it is cleaned and cut
        // like server text (secrets are taken out by the caller before it is cut again).
        return Err(Failure {
            error: Error {
                status: failure.status,
                ..Error::new(failure.code, sanitize_server_text(&failure.message, 4000))
            },
            retryable: failure.retryable,
        });
    }
    let status = head.status;
    let success = (200..300).contains(&status);
    if success && !decoded.is_undefined() {
        return Ok(Received {
            response: RawResponse {
                status,
                headers: head.headers,
                body: String::new(),
                received_at_ms: head.received_at_ms,
            },
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
        response: RawResponse {
            status,
            headers: head.headers,
            body,
            received_at_ms: head.received_at_ms,
        },
        decoded: None,
    })
}

fn unreadable() -> Failure {
    Failure {
        error: Error::new(ErrorCode::Network, "the host's answer could not be read"),
        retryable: false,
    }
}
