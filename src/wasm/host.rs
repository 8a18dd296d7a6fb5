//! The import of `host.js`, which runs the host's `fetch` for one attempt, and the
//! reading of its answer into the core's types.

use crate::api::RawResponse;
use crate::error::{sanitize_server_text, Error, ErrorCode};
use js_sys::Promise;
use serde::Deserialize;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/wasm/host.js")]
extern "C" {
    /// Sends the request (JSON text) with the client's `fetch` and hooks and the call's
    /// signal; resolves to an [`Answer`] and never rejects.
    #[wasm_bindgen(js_name = send)]
    fn host_send(request: &str, host: &JsValue, options: &JsValue) -> Promise;

    /// What `send` resolves to.
    type Answer;

    /// JSON text of `{ status, headers, receivedAtMs }` or `{ failure }`.
    #[wasm_bindgen(method, getter)]
    fn head(this: &Answer) -> String;

    /// The body's bytes; absent on failure, and when `decoded` holds the body's value.
    #[wasm_bindgen(method, getter)]
    fn body(this: &Answer) -> Option<Vec<u8>>;

    /// The value of a success body that the package's answer reader read against the
    /// answer's shape (`model::shape`); `undefined` when it left the body to the module.
    #[wasm_bindgen(method, getter)]
    fn decoded(this: &Answer) -> JsValue;
}

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

/// Sends `request` (JSON text) through `host.js` and reads the whole answer.
pub(crate) async fn send(
    request: &str,
    host: &JsValue,
    options: &JsValue,
) -> Result<Received, Failure> {
    let answer = JsFuture::from(host_send(request, host, options))
        .await
        .map_err(|_| unreadable())?
        .unchecked_into::<Answer>();
    let head: Head = serde_json::from_str(&answer.head()).map_err(|_| unreadable())?;
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
    let decoded = Some(answer.decoded()).filter(|value| !value.is_undefined());
    if decoded.is_some() && (200..300).contains(&status) {
        return Ok(Received {
            response: RawResponse {
                status,
                headers: head.headers,
                body: String::new(),
                received_at_ms: head.received_at_ms,
            },
            decoded,
        });
    }
    let bytes = answer.body().unwrap_or_default();
    // A success answer must be exact UTF-8, or it is not the JSON the API documents; an
    // error answer is only read for its message, so a bad byte there is replaced.
    let body = if (200..300).contains(&status) {
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
