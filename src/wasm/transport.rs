//! Sending one request with the host's `fetch` and reading the whole answer.

use super::convert::{to_js, transport_error};
use crate::api::{GatewayConfig, RawResponse, Request, Token};
use crate::error::{Error, ErrorCode};
use js_sys::{Function, Object, Promise, Reflect, Uint8Array};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestInit, RequestRedirect};

/// Headers of the answer that the core reads.
const RESPONSE_HEADERS: [&str; 6] = [
    "content-type",
    "content-length",
    "retry-after",
    "x-ratelimit-limit",
    "x-ratelimit-window-sec",
    "x-ratelimit-remaining",
];

/// What one call (one attempt of it) brings besides the request: the public
/// `{ signal?, timeoutMs? }`, and `token` and `attempt`, which the package's entry file
/// adds when it runs the retry loop and asks a token provider.
#[derive(Default)]
pub(crate) struct CallOptions {
    pub(crate) signal: Option<AbortSignal>,
    pub(crate) timeout_ms: Option<u32>,
    pub(crate) token: Option<Token>,
    pub(crate) attempt: u32,
}

impl CallOptions {
    /// Reads the optional last argument of every method.
    pub(crate) fn from_js(value: &JsValue) -> Result<CallOptions, Error> {
        let mut options = CallOptions {
            attempt: 1,
            ..CallOptions::default()
        };
        if value.is_undefined() || value.is_null() {
            return Ok(options);
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
        let field = |key: &str| {
            Some(Reflect::get(value, &JsValue::from_str(key)).unwrap_or_default())
                .filter(|value| !value.is_undefined() && !value.is_null())
        };
        if let Some(signal) = field("signal") {
            let signal = signal
                .dyn_into::<AbortSignal>()
                .map_err(|_| invalid("signal", "must be an AbortSignal"))?;
            options.signal = Some(signal);
        }
        if let Some(timeout) = field("timeoutMs") {
            options.timeout_ms =
                Some(whole_number(&timeout, 1.0, 2_147_483_647.0).ok_or_else(|| {
                    invalid(
                        "timeoutMs",
                        "must be a whole number of milliseconds, at least 1",
                    )
                })?);
        }
        if let Some(token) = field("token") {
            // The provider's answer is checked like a configured token, and never quoted.
            let token = token
                .as_string()
                .ok_or_else(|| invalid("token", "the token provider must return a string"))?;
            options.token =
                Some(Token::parse(&token).map_err(|message| invalid("token", &message))?);
        }
        if let Some(attempt) = field("attempt") {
            options.attempt = whole_number(&attempt, 1.0, 100.0).unwrap_or(1);
        }
        Ok(options)
    }
}

fn whole_number(value: &JsValue, low: f64, high: f64) -> Option<u32> {
    let number = value.as_f64()?;
    (number.fract() == 0.0 && (low..=high).contains(&number)).then(|| {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let number = number as u32;
        number
    })
}

/// A failed attempt, and whether a later one could succeed: an attempt's own timeout or
/// a network failure could; the caller's abort or overall deadline could not.
pub(crate) struct Failure {
    pub(crate) error: Error,
    pub(crate) retryable: bool,
}

/// The signals one attempt listens to, kept apart so a failure can say which fired.
///
/// The attempt's time limit is a timer of its own rather than `AbortSignal.timeout`,
/// whose timer Node does not wait for: a call whose only pending work is a `fetch` that
/// never answers must still end with `TIMEOUT`. Dropping the signals clears the timer.
struct Signals {
    caller: Option<AbortSignal>,
    timeout: Option<AbortSignal>,
    timer: Option<JsValue>,
}

impl Signals {
    fn new(options: &CallOptions, gateway: &GatewayConfig) -> Signals {
        let (timeout, timer) = options
            .timeout_ms
            .or(gateway.timeout_ms)
            .and_then(start_timer)
            .map_or((None, None), |(signal, timer)| (Some(signal), Some(timer)));
        Signals {
            caller: options.signal.clone(),
            timeout,
            timer,
        }
    }

    /// One signal for `fetch` that fires when either of them does. It is always a new
    /// signal of this attempt's own, so that the listener `settle` adds to it never
    /// stays behind on a signal the caller keeps for many calls.
    fn combined(&self) -> Option<AbortSignal> {
        let signals = js_sys::Array::new();
        for signal in [&self.caller, &self.timeout].into_iter().flatten() {
            signals.push(signal);
        }
        (signals.length() > 0).then(|| AbortSignal::any(&signals))
    }

    /// Names a rejected `fetch` or body read: a timeout, an abort, or a network failure.
    fn explain(&self, failure: &JsValue) -> Failure {
        if self.timeout.as_ref().is_some_and(AbortSignal::aborted) {
            return Failure {
                error: transport_error(
                    ErrorCode::Timeout,
                    "the attempt took longer than its timeoutMs",
                ),
                retryable: true,
            };
        }
        if let Some(caller) = self.caller.as_ref().filter(|signal| signal.aborted()) {
            // The package's overall deadline aborts with a `TimeoutError`; any other
            // reason is the caller's own abort.
            let reason = Reflect::get(&caller.reason(), &JsValue::from_str("name"))
                .ok()
                .and_then(|name| name.as_string());
            let error = if reason.as_deref() == Some("TimeoutError") {
                transport_error(ErrorCode::Timeout, "the call ran past its deadline")
            } else {
                transport_error(ErrorCode::Aborted, "the call was aborted by its signal")
            };
            return Failure {
                error,
                retryable: false,
            };
        }
        Failure {
            error: transport_error(
                ErrorCode::Network,
                format!("the request failed: {}", describe(failure)),
            ),
            retryable: true,
        }
    }
}

impl Drop for Signals {
    fn drop(&mut self) {
        if let Some(timer) = self.timer.take() {
            let global = js_sys::global();
            if let Ok(clear) = Reflect::get(&global, &JsValue::from_str("clearTimeout")) {
                if let Ok(clear) = clear.dyn_into::<Function>() {
                    let _ = clear.call1(&global, &timer);
                }
            }
        }
    }
}

/// Starts a timer that aborts a new signal after `ms`; `None` if the host has no timer.
fn start_timer(ms: u32) -> Option<(AbortSignal, JsValue)> {
    let controller = web_sys::AbortController::new().ok()?;
    let abort = Reflect::get(&controller, &JsValue::from_str("abort"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    // The bound `abort` is the timer's callback, so no Rust closure has to be kept.
    let callback = abort.bind0(&controller);
    let global = js_sys::global();
    let set_timeout = Reflect::get(&global, &JsValue::from_str("setTimeout"))
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let timer = set_timeout
        .call2(&global, &callback, &JsValue::from_f64(f64::from(ms)))
        .ok()?;
    Some((controller.signal(), timer))
}

/// Waits for `promise`, or for `signal` to fire, whichever comes first.
///
/// `fetch` and body reads are given the signal too, but a `fetch` that ignores it (a
/// test double, another implementation) would otherwise hang the call past its timeout.
async fn settle(promise: &JsValue, signal: Option<&AbortSignal>) -> Result<JsValue, JsValue> {
    let promise = Promise::resolve(promise);
    let Some(signal) = signal else {
        return JsFuture::from(promise).await;
    };
    if signal.aborted() {
        return Err(signal.reason());
    }
    // The promise's own `reject` is the abort listener, so no Rust closure is kept.
    let mut listener: Option<Function> = None;
    let aborted = Promise::new(&mut |_resolve, reject| {
        let _ = signal.add_event_listener_with_callback("abort", &reject);
        listener = Some(reject);
    });
    let result = JsFuture::from(Promise::race(&js_sys::Array::of2(&promise, &aborted))).await;
    if let Some(listener) = listener {
        let _ = signal.remove_event_listener_with_callback("abort", &listener);
    }
    result
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
    // Cut long only: the client takes secrets out before the message is cut short, so
    // that no piece of one survives the cut.
    crate::error::sanitize_server_text(&message, 4000)
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

    #[wasm_bindgen(method, getter, structural, catch)]
    fn body(this: &FetchResponse) -> Result<JsValue, JsValue>;
}

/// The caller's `onRequest` and `onResponse` hooks. They are given the method, the URL,
/// the attempt and (after) the status and duration; never a header or a body.
#[derive(Default)]
pub(crate) struct Hooks {
    pub(crate) on_request: Option<Function>,
    pub(crate) on_response: Option<Function>,
}

impl Hooks {
    /// Takes `onRequest` and `onResponse` from `options`; each must be a function.
    pub(crate) fn from_options(options: &JsValue) -> Result<Hooks, Error> {
        let hook = |key: &str| -> Result<Option<Function>, Error> {
            let value = Reflect::get(options, &JsValue::from_str(key)).unwrap_or_default();
            if value.is_undefined() || value.is_null() {
                return Ok(None);
            }
            value.dyn_into::<Function>().map(Some).map_err(|_| {
                Error::validation(vec![crate::ValidationIssue {
                    field: key.to_owned(),
                    message: "must be a function".to_owned(),
                }])
            })
        };
        if !options.is_object() {
            return Ok(Hooks::default());
        }
        Ok(Hooks {
            on_request: hook("onRequest")?,
            on_response: hook("onResponse")?,
        })
    }

    /// Calls `hook` with `fields`; what it throws is ignored, as a hook must not be able
    /// to break the call it observes.
    fn call(hook: Option<&Function>, fields: &[(&str, JsValue)]) {
        let Some(hook) = hook else {
            return;
        };
        let summary = Object::new();
        for (key, value) in fields {
            let _ = Reflect::set(&summary, &JsValue::from_str(key), value);
        }
        let _ = hook.call1(&JsValue::UNDEFINED, &summary);
    }
}

/// Whether this host is Node, the one place a `User-Agent` header can be set.
fn is_node() -> bool {
    let versions = Reflect::get(&js_sys::global(), &JsValue::from_str("process"))
        .and_then(|process| Reflect::get(&process, &JsValue::from_str("versions")))
        .and_then(|versions| Reflect::get(&versions, &JsValue::from_str("node")));
    versions.is_ok_and(|node| node.is_string())
}

/// The `User-Agent` sent from Node: the package and version, then the caller's text.
fn user_agent(gateway: &GatewayConfig) -> Option<String> {
    is_node().then(|| {
        let ours = concat!("qualys-cs/", env!("CARGO_PKG_VERSION"));
        match &gateway.user_agent {
            Some(theirs) => format!("{ours} {theirs}"),
            None => ours.to_owned(),
        }
    })
}

/// Everything needed to send requests to one gateway.
pub(crate) struct Transport {
    pub(crate) gateway: GatewayConfig,
    pub(crate) fetch: Option<Function>,
    pub(crate) hooks: Hooks,
}

impl Transport {
    /// Sends `request` with the caller's `fetch` (or the global one) and reads the
    /// answer.
    ///
    /// `fetch` is called as `fetch(url, init)` with a plain `init` object (`method`,
    /// `headers` with lower-case names, `body`, `signal`, `redirect`), the form test
    /// doubles and other fetch implementations expect most often.
    pub(crate) async fn send(
        &self,
        request: &Request,
        token: Option<&Token>,
        options: &CallOptions,
    ) -> Result<RawResponse, Failure> {
        if options.signal.as_ref().is_some_and(AbortSignal::aborted) {
            let signals = Signals {
                caller: options.signal.clone(),
                timeout: None,
                timer: None,
            };
            return Err(signals.explain(&JsValue::UNDEFINED));
        }
        let final_failure = |error| Failure {
            error,
            retryable: false,
        };
        let signals = Signals::new(options, &self.gateway);
        let combined = signals.combined();
        let url = request.url(&self.gateway.base_url);
        let init = self
            .init(request, token, combined.as_ref())
            .map_err(final_failure)?;
        let fetch = match &self.fetch {
            Some(fetch) => fetch.clone(),
            None => global_fetch().map_err(final_failure)?,
        };

        let method = JsValue::from_str(request.method.as_str());
        let url_value = JsValue::from_str(&url);
        let attempt = JsValue::from_f64(f64::from(options.attempt));
        Hooks::call(
            self.hooks.on_request.as_ref(),
            &[
                ("method", method.clone()),
                ("url", url_value.clone()),
                ("attempt", attempt.clone()),
            ],
        );
        let started = js_sys::Date::now();

        let pending = fetch
            .call2(&JsValue::UNDEFINED, &url_value, &init)
            .map_err(|failure| signals.explain(&failure))?;
        let answer = settle(&pending, combined.as_ref())
            .await
            .map_err(|failure| signals.explain(&failure))?;
        if !answer.is_object() {
            return Err(final_failure(transport_error(
                ErrorCode::Network,
                "fetch resolved to something that is not a Response",
            )));
        }
        let response = read(
            answer.unchecked_into(),
            &self.gateway,
            &signals,
            combined.as_ref(),
        )
        .await?;

        Hooks::call(
            self.hooks.on_response.as_ref(),
            &[
                ("method", method),
                ("url", url_value),
                ("status", JsValue::from_f64(f64::from(response.status))),
                ("attempt", attempt),
                (
                    "durationMs",
                    JsValue::from_f64(js_sys::Date::now() - started),
                ),
            ],
        );
        Ok(response)
    }

    /// Builds the `init` argument of `fetch`. Redirects are not followed, so the token
    /// is never sent on to another host.
    fn init(
        &self,
        request: &Request,
        token: Option<&Token>,
        signal: Option<&AbortSignal>,
    ) -> Result<JsValue, Error> {
        let init = RequestInit::new();
        init.set_method(request.method.as_str());
        init.set_redirect(RequestRedirect::Manual);
        if let Some(signal) = signal {
            init.set_signal(Some(signal));
        }
        let headers = Object::new();
        let set = |name: &str, value: &str| {
            Reflect::set(
                &headers,
                &JsValue::from_str(name),
                &JsValue::from_str(value),
            )
            .map(|_| ())
            .map_err(|_| transport_error(ErrorCode::Network, "the request could not be built"))
        };
        for (name, value) in request.headers(token) {
            set(&name.to_ascii_lowercase(), &value)?;
        }
        if let Some(agent) = user_agent(&self.gateway) {
            set("user-agent", &agent)?;
        }
        init.set_headers(&headers);
        if let Some(body) = &request.body {
            let text = js_sys::JSON::stringify(&to_js(body)?)
                .map_err(|_| Error::decode("the request body could not be written as JSON"))?;
            init.set_body(&text);
        }
        if let Some(form) = &request.form {
            init.set_body(&JsValue::from_str(&form.encode()));
        }
        Ok(init.into())
    }
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

/// Reads the status, the headers the core needs and the whole body.
async fn read(
    response: FetchResponse,
    gateway: &GatewayConfig,
    signals: &Signals,
    signal: Option<&AbortSignal>,
) -> Result<RawResponse, Failure> {
    let final_failure = |error| Failure {
        error,
        retryable: false,
    };
    let status = response.status().as_f64().and_then(|status| {
        (0.0..=999.0).contains(&status).then(|| {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let status = status as u16;
            status
        })
    });
    let Some(status) = status else {
        return Err(final_failure(transport_error(
            ErrorCode::Network,
            "fetch resolved to something that is not a Response (no status)",
        )));
    };
    // A manual redirect shows in browsers as an opaque answer with status 0; Node shows
    // the 3xx itself, which the core turns into the same HTTP error.
    if response.response_type().as_string().as_deref() == Some("opaqueredirect") || status == 0 {
        return Err(final_failure(Error {
            status: Some(status),
            ..transport_error(
                ErrorCode::Http,
                "the server redirected, and redirects are not followed with the token",
            )
        }));
    }

    let headers = response.headers();
    let headers = RESPONSE_HEADERS
        .iter()
        .filter_map(|name| header(&headers, name).map(|value| ((*name).to_owned(), value)))
        .collect();

    let limit = gateway.max_response_bytes;
    let declared = header(&response.headers(), "content-length")
        .and_then(|length| length.trim().parse::<u64>().ok());
    if declared.is_some_and(|length| length > limit) {
        cancel_body(&response);
        return Err(final_failure(too_large(status, limit)));
    }
    let bytes = read_body(&response, limit, status, signals, signal).await?;
    // A success answer must be exact UTF-8, or it is not the JSON the API documents; an
    // error answer is only read for its message, so a bad byte there is replaced.
    let body = if (200..300).contains(&status) {
        String::from_utf8(bytes).map_err(|_| {
            final_failure(Error {
                status: Some(status),
                ..Error::decode("the body is not valid UTF-8")
            })
        })?
    } else {
        String::from_utf8_lossy(&bytes).into_owned()
    };
    Ok(RawResponse {
        status,
        headers,
        body,
        received_at_ms: Some(js_sys::Date::now() as i64),
    })
}

fn too_large(status: u16, limit: u64) -> Error {
    Error {
        status: Some(status),
        ..Error::decode(format!(
            "the body is larger than maxResponseBytes ({limit} bytes) and was dropped"
        ))
    }
}

/// Drops the rest of a body that will not be read, so the connection is freed.
fn cancel_body(response: &FetchResponse) {
    let cancel = response
        .body()
        .ok()
        .filter(|body| body.is_object())
        .and_then(|body| {
            let cancel = Reflect::get(&body, &JsValue::from_str("cancel")).ok()?;
            Some((body, cancel.dyn_into::<Function>().ok()?))
        });
    if let Some((body, cancel)) = cancel {
        if let Ok(pending) = cancel.call0(&body) {
            // The cancellation's own outcome does not matter; awaiting it here keeps a
            // rejection from surfacing as an unhandled one.
            let pending = Promise::resolve(&pending);
            wasm_bindgen_futures::spawn_local(async move {
                let _ = JsFuture::from(pending).await;
            });
        }
    }
}

/// Reads the whole body as bytes, chunk by chunk from its stream when it has one, and
/// stops as soon as it grows past `limit`.
async fn read_body(
    response: &FetchResponse,
    limit: u64,
    status: u16,
    signals: &Signals,
    signal: Option<&AbortSignal>,
) -> Result<Vec<u8>, Failure> {
    let final_failure = |error| Failure {
        error,
        retryable: false,
    };
    let stream = response.body().ok().filter(|body| body.is_object());
    let reader = stream.and_then(|body| {
        let get_reader = Reflect::get(&body, &JsValue::from_str("getReader")).ok()?;
        get_reader.dyn_into::<Function>().ok()?.call0(&body).ok()
    });
    let Some(reader) = reader else {
        // A response without a stream (a test double, an empty body): read its text.
        let text = response
            .text()
            .map_err(|failure| signals.explain(&failure))?;
        let text = settle(&text, signal)
            .await
            .map_err(|failure| signals.explain(&failure))?
            .as_string()
            .unwrap_or_default();
        if text.len() as u64 > limit {
            return Err(final_failure(too_large(status, limit)));
        }
        return Ok(text.into_bytes());
    };

    let read = Reflect::get(&reader, &JsValue::from_str("read"))
        .ok()
        .and_then(|read| read.dyn_into::<Function>().ok())
        .ok_or_else(|| {
            final_failure(transport_error(
                ErrorCode::Network,
                "the body could not be read",
            ))
        })?;
    // The chunks stay JavaScript arrays until the whole body is known to fit, so that a
    // refused body never grows the wasm memory (which does not shrink again).
    let chunks = js_sys::Array::new();
    let mut total: u64 = 0;
    loop {
        let pending = read
            .call0(&reader)
            .map_err(|failure| signals.explain(&failure))?;
        let chunk = settle(&pending, signal)
            .await
            .map_err(|failure| signals.explain(&failure))?;
        let done = Reflect::get(&chunk, &JsValue::from_str("done")).unwrap_or_default();
        if done.is_truthy() {
            break;
        }
        let value =
            Uint8Array::new(&Reflect::get(&chunk, &JsValue::from_str("value")).unwrap_or_default());
        total += u64::from(value.length());
        if total > limit {
            if let Ok(cancel) = Reflect::get(&reader, &JsValue::from_str("cancel")) {
                if let Ok(cancel) = cancel.dyn_into::<Function>() {
                    let _ = cancel.call0(&reader);
                }
            }
            return Err(final_failure(too_large(status, limit)));
        }
        chunks.push(&value);
    }
    let mut bytes = Vec::with_capacity(usize::try_from(total).unwrap_or_default());
    for chunk in chunks.iter() {
        bytes.extend(Uint8Array::new(&chunk).to_vec());
    }
    Ok(bytes)
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
