//! Sending one request with the host's `fetch` and reading the whole answer.

use super::convert::{to_js, transport_error};
use crate::api::{ClientConfig, RawResponse, Request};
use crate::error::{Error, ErrorCode};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, RequestRedirect};

/// Headers of the answer that the core reads.
const RESPONSE_HEADERS: [&str; 5] = [
    "content-type",
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-window-sec",
    "x-ratelimit-remaining",
];

/// What one call may add to the client's settings: `{ signal?, timeoutMs? }`.
#[derive(Default)]
pub(crate) struct CallOptions {
    pub(crate) signal: Option<AbortSignal>,
    pub(crate) timeout_ms: Option<u32>,
}

impl CallOptions {
    /// Reads the optional last argument of every method.
    pub(crate) fn from_js(value: &JsValue) -> Result<CallOptions, Error> {
        if value.is_undefined() || value.is_null() {
            return Ok(CallOptions::default());
        }
        let invalid = |field: &str, message: &str| {
            Error::validation(vec![crate::ValidationIssue {
                field: field.to_owned(),
                message: message.to_owned(),
            }])
        };
        if !value.is_object() {
            return Err(invalid(
                "options",
                "must be an object { signal?, timeoutMs? }",
            ));
        }
        let signal = Reflect::get(value, &JsValue::from_str("signal")).unwrap_or_default();
        let signal = if signal.is_undefined() || signal.is_null() {
            None
        } else {
            Some(
                signal
                    .dyn_into::<AbortSignal>()
                    .map_err(|_| invalid("signal", "must be an AbortSignal"))?,
            )
        };
        let timeout = Reflect::get(value, &JsValue::from_str("timeoutMs")).unwrap_or_default();
        let timeout_ms = match timeout.as_f64() {
            None if timeout.is_undefined() || timeout.is_null() => None,
            Some(ms)
                if ms.is_finite() && ms.fract() == 0.0 && (1.0..=2_147_483_647.0).contains(&ms) =>
            {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                Some(ms as u32)
            }
            _ => {
                return Err(invalid(
                    "timeoutMs",
                    "must be a whole number of milliseconds, at least 1",
                ))
            }
        };
        Ok(CallOptions { signal, timeout_ms })
    }
}

/// The signals one attempt listens to, kept apart so a failure can say which fired.
struct Signals {
    caller: Option<AbortSignal>,
    timeout: Option<AbortSignal>,
}

impl Signals {
    fn new(options: &CallOptions, config: &ClientConfig) -> Signals {
        let timeout = options
            .timeout_ms
            .or(config.timeout_ms)
            .map(AbortSignal::timeout_with_u32);
        Signals {
            caller: options.signal.clone(),
            timeout,
        }
    }

    /// One signal for `fetch` that fires when either of them does.
    fn combined(&self) -> Option<AbortSignal> {
        match (&self.caller, &self.timeout) {
            (Some(caller), Some(timeout)) => {
                let both = js_sys::Array::of2(caller, timeout);
                Some(AbortSignal::any(&both))
            }
            (Some(one), None) | (None, Some(one)) => Some(one.clone()),
            (None, None) => None,
        }
    }

    /// Names a rejected `fetch` or body read: a timeout, an abort, or a network failure.
    fn explain(&self, failure: &JsValue) -> Error {
        if self.timeout.as_ref().is_some_and(AbortSignal::aborted) {
            return transport_error(
                ErrorCode::Timeout,
                "the call took longer than its timeoutMs",
            );
        }
        if self.caller.as_ref().is_some_and(AbortSignal::aborted) {
            return transport_error(ErrorCode::Aborted, "the call was aborted by its signal");
        }
        transport_error(
            ErrorCode::Network,
            format!("the request failed: {}", describe(failure)),
        )
    }
}

/// A short description of a thrown value: its `name: message`, never the request.
fn describe(failure: &JsValue) -> String {
    let text = |key: &str| {
        Reflect::get(failure, &JsValue::from_str(key))
            .ok()
            .and_then(|value| value.as_string())
    };
    let message = match (text("name"), text("message")) {
        (Some(name), Some(message)) => format!("{name}: {message}"),
        (None, Some(message)) => message,
        _ => failure
            .as_string()
            .unwrap_or_else(|| "fetch rejected".to_owned()),
    };
    crate::error::sanitize_server_text(&message, 300)
}

/// The parts of a `Response` the transport reads, looked up by name rather than by
/// class, so that a test double or another fetch implementation's response works too.
#[wasm_bindgen]
extern "C" {
    type FetchResponse;

    #[wasm_bindgen(method, getter, structural)]
    fn status(this: &FetchResponse) -> JsValue;

    #[wasm_bindgen(method, getter, structural, js_name = type)]
    fn response_type(this: &FetchResponse) -> JsValue;

    #[wasm_bindgen(method, getter, structural)]
    fn headers(this: &FetchResponse) -> JsValue;

    #[wasm_bindgen(method, structural, catch)]
    fn text(this: &FetchResponse) -> Result<JsValue, JsValue>;
}

/// Sends `request` with the caller's `fetch` (or the global one) and reads the answer.
///
/// `fetch` is called as `fetch(url, init)` with a plain `init` object (`method`,
/// `headers` with lower-case names, `body`, `signal`, `redirect`), the form test doubles
/// and other fetch implementations expect most often.
pub(crate) async fn send(
    config: &ClientConfig,
    custom_fetch: Option<&Function>,
    request: &Request,
    options: &CallOptions,
) -> Result<RawResponse, Error> {
    if options.signal.as_ref().is_some_and(AbortSignal::aborted) {
        return Err(transport_error(
            ErrorCode::Aborted,
            "the call was aborted before it was sent",
        ));
    }
    let signals = Signals::new(options, config);
    let url = JsValue::from_str(&request.url(&config.base_url));
    let init = init(config, request, signals.combined().as_ref())?;

    let fetch = match custom_fetch {
        Some(fetch) => fetch.clone(),
        None => global_fetch()?,
    };
    let pending = fetch
        .call2(&JsValue::UNDEFINED, &url, &init)
        .map_err(|failure| signals.explain(&failure))?;
    let answer = JsFuture::from(Promise::resolve(&pending))
        .await
        .map_err(|failure| signals.explain(&failure))?;
    if !answer.is_object() {
        return Err(transport_error(
            ErrorCode::Network,
            "fetch resolved to something that is not a Response",
        ));
    }
    read(answer.unchecked_into(), &signals).await
}

fn global_fetch() -> Result<Function, Error> {
    Reflect::get(&js_sys::global(), &JsValue::from_str("fetch"))
        .ok()
        .and_then(|fetch| fetch.dyn_into::<Function>().ok())
        .ok_or_else(|| {
            transport_error(
                ErrorCode::Network,
                "this JavaScript host has no global fetch; pass one as the `fetch` option",
            )
        })
}

/// Builds the `init` argument of `fetch`. Redirects are not followed, so the token is
/// never sent on to another host.
fn init(
    config: &ClientConfig,
    request: &Request,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, Error> {
    let init = RequestInit::new();
    init.set_method(request.method.as_str());
    init.set_redirect(RequestRedirect::Manual);
    if let Some(signal) = signal {
        init.set_signal(Some(signal));
    }
    let headers = Object::new();
    for (name, value) in request.headers(&config.token) {
        let name = JsValue::from_str(&name.to_ascii_lowercase());
        Reflect::set(&headers, &name, &JsValue::from_str(&value))
            .map_err(|_| transport_error(ErrorCode::Network, "the request could not be built"))?;
    }
    init.set_headers(&headers);
    if let Some(body) = &request.body {
        let text = js_sys::JSON::stringify(&to_js(body)?)
            .map_err(|_| Error::decode("the request body could not be written as JSON"))?;
        init.set_body(&text);
    }
    Ok(init.into())
}

/// Reads the status, the headers the core needs and the whole body.
async fn read(response: FetchResponse, signals: &Signals) -> Result<RawResponse, Error> {
    let status = response.status().as_f64().and_then(|status| {
        (0.0..=999.0).contains(&status).then(|| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let status = status as u16;
            status
        })
    });
    let Some(status) = status else {
        return Err(transport_error(
            ErrorCode::Network,
            "fetch resolved to something that is not a Response (no status)",
        ));
    };
    // A manual redirect shows in browsers as an opaque answer with status 0; Node shows
    // the 3xx itself, which the core turns into the same HTTP error.
    if response.response_type().as_string().as_deref() == Some("opaqueredirect") || status == 0 {
        return Err(Error {
            status: Some(status),
            ..transport_error(
                ErrorCode::Http,
                "the server redirected, and redirects are not followed with the token",
            )
        });
    }

    let headers = response.headers();
    let headers = RESPONSE_HEADERS
        .iter()
        .filter_map(|name| header(&headers, name).map(|value| ((*name).to_owned(), value)))
        .collect();

    let text = response
        .text()
        .map_err(|failure| signals.explain(&failure))?;
    let body = JsFuture::from(Promise::resolve(&text))
        .await
        .map_err(|failure| signals.explain(&failure))?
        .as_string()
        .ok_or_else(|| transport_error(ErrorCode::Network, "the body could not be read as text"))?;
    Ok(RawResponse {
        status,
        headers,
        body,
    })
}

/// Reads one header from a `Headers` object (or anything with a `get` method).
fn header(headers: &JsValue, name: &str) -> Option<String> {
    let get = Reflect::get(headers, &JsValue::from_str("get"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    get.call1(headers, &JsValue::from_str(name))
        .ok()?
        .as_string()
}
