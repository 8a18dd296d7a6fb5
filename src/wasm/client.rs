//! The client class the package's entry file wraps, and the exported validator.

use super::convert::{error_to_js, input_value, to_js, HostJsonParser};
use super::transport::{CallOptions, Failure, Hooks, Transport};
use crate::api::{self, retry_delay_ms, ClientConfig, GatewayConfig, RawResponse, Request};
use crate::error::{Error, Secrets};
use crate::model::{Platform, RateLimit};
use crate::validate;
use js_sys::{Function, Promise, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::future_to_promise;

/// The settings every call of one client shares, and what the last answer said about
/// the gateway's rate limit.
struct Shared {
    config: ClientConfig,
    transport: Transport,
    rate_limit: RefCell<Option<RateLimit>>,
}

/// The low-level client. Use `ContainerSecurityClient` from the package instead: it
/// wraps this class and turns its rejections into `ContainerSecurityError`s.
#[wasm_bindgen(js_name = RawClient)]
pub struct RawClient {
    shared: Rc<Shared>,
}

#[wasm_bindgen(js_class = RawClient)]
impl RawClient {
    /// Checks `{ baseUrl | platform, token, fetch?, timeoutMs?, retry?, userAgent?,
    /// onRequest?, onResponse? }`; throws a plain error object
    /// `{ code: "VALIDATION", issues }` when a setting is wrong. A `token` that is a
    /// function means each call brings its token in its options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Result<RawClient, JsValue> {
        let config = ClientConfig::from_options(&plain_settings(&options)).map_err(error_to_js)?;
        let transport = transport(&options, config.gateway.clone()).map_err(error_to_js)?;
        Ok(RawClient {
            shared: Rc::new(Shared {
                config,
                transport,
                rate_limit: RefCell::new(None),
            }),
        })
    }

    /// The `X-RateLimit-*` headers of the last answer, or `null` before any.
    #[wasm_bindgen(getter, js_name = rateLimit, unchecked_return_type = "RateLimit | null")]
    pub fn rate_limit(&self) -> JsValue {
        let last = *self.shared.rate_limit.borrow();
        to_js(&last).unwrap_or(JsValue::NULL)
    }

    /// Deletes an ACR connector no registry uses.
    #[wasm_bindgen(js_name = deleteAcrConnector, unchecked_return_type = "Promise<void>")]
    pub fn delete_acr_connector(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] connector_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request =
            input_value("connectorId", &connector_id).and_then(|id| api::delete_acr_connector(&id));
        self.call(request, options, decode_nothing)
    }

    /// Deletes an AWS ECR connector no registry uses.
    #[wasm_bindgen(js_name = deleteAwsConnector, unchecked_return_type = "Promise<void>")]
    pub fn delete_aws_connector(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] arn: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = input_value("arn", &arn).and_then(|arn| api::delete_aws_connector(&arn));
        self.call(request, options, decode_nothing)
    }

    /// Lists one page of a registry's scan schedules.
    #[wasm_bindgen(
        js_name = listRegistrySchedules,
        unchecked_return_type = "Promise<Page<RegistrySchedule>>"
    )]
    pub fn list_registry_schedules(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] registry_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] page: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = both_inputs(("registryId", &registry_id), ("page", &page))
            .and_then(|(id, page)| api::list_registry_schedules(&id, &page));
        self.call(
            request,
            options,
            decode_value::<crate::model::Page<crate::model::RegistrySchedule>>,
        )
    }

    /// Creates a registry scan schedule.
    #[wasm_bindgen(
        js_name = createRegistrySchedule,
        unchecked_return_type = "Promise<CreatedSchedule>"
    )]
    pub fn create_registry_schedule(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] registry_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = both_inputs(("registryId", &registry_id), ("input", &input))
            .and_then(|(id, input)| api::create_registry_schedule(&id, &input));
        self.call(request, options, |response| {
            to_js(&api::decode_created_schedule(response, &HostJsonParser)?)
        })
    }

    /// Updates an idle automatic registry scan schedule.
    #[wasm_bindgen(js_name = updateRegistrySchedule, unchecked_return_type = "Promise<void>")]
    pub fn update_registry_schedule(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] registry_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] schedule_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = both_inputs(("registryId", &registry_id), ("scheduleId", &schedule_id))
            .and_then(|ids| Ok((ids, input_value("input", &input)?)))
            .and_then(|((registry, schedule), input)| {
                api::update_registry_schedule(&registry, &schedule, &input)
            });
        self.call(request, options, decode_nothing)
    }

    /// Lists one page of sensor profiles.
    #[wasm_bindgen(
        js_name = listSensorProfiles,
        unchecked_return_type = "Promise<Page<SensorProfile>>"
    )]
    pub fn list_sensor_profiles(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] page: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = input_value("page", &page).and_then(|page| api::list_sensor_profiles(&page));
        self.call(
            request,
            options,
            decode_value::<crate::model::Page<crate::model::SensorProfile>>,
        )
    }

    /// Reads one sensor profile.
    #[wasm_bindgen(js_name = getSensorProfile, unchecked_return_type = "Promise<SensorProfile>")]
    pub fn get_sensor_profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] sensor_profile_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = input_value("sensorProfileId", &sensor_profile_id)
            .and_then(|id| api::get_sensor_profile(&id));
        self.call(
            request,
            options,
            decode_value::<crate::model::SensorProfile>,
        )
    }

    /// Creates a sensor profile.
    #[wasm_bindgen(
        js_name = createSensorProfile,
        unchecked_return_type = "Promise<CreatedSensorProfile>"
    )]
    pub fn create_sensor_profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request =
            input_value("input", &input).and_then(|input| api::create_sensor_profile(&input));
        self.call(request, options, |response| {
            to_js(&api::decode_created_sensor_profile(
                response,
                &HostJsonParser,
            )?)
        })
    }

    /// Replaces a sensor profile.
    #[wasm_bindgen(js_name = updateSensorProfile, unchecked_return_type = "Promise<void>")]
    pub fn update_sensor_profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] sensor_profile_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = both_inputs(("sensorProfileId", &sensor_profile_id), ("input", &input))
            .and_then(|(id, input)| api::update_sensor_profile(&id, &input));
        self.call(request, options, decode_nothing)
    }

    /// Deletes a sensor profile.
    #[wasm_bindgen(js_name = deleteSensorProfile, unchecked_return_type = "Promise<void>")]
    pub fn delete_sensor_profile(
        &self,
        #[wasm_bindgen(unchecked_param_type = "unknown")] sensor_profile_id: JsValue,
        #[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue,
    ) -> Promise {
        let request = input_value("sensorProfileId", &sensor_profile_id)
            .and_then(|id| api::delete_sensor_profile(&id));
        self.call(request, options, decode_nothing)
    }
}

impl RawClient {
    /// Sends a built request and decodes its answer, as a promise for JavaScript.
    ///
    /// A request that failed validation rejects at once: nothing is sent. A failure that
    /// a later attempt could overcome carries `retryInMs`, the wait the retry policy
    /// chose; the package's entry file runs the retry loop.
    fn call<F>(&self, request: Result<Request, Error>, options: JsValue, decode: F) -> Promise
    where
        F: FnOnce(&RawResponse) -> Result<JsValue, Error> + 'static,
    {
        let shared = Rc::clone(&self.shared);
        future_to_promise(async move {
            let request = request.map_err(error_to_js)?;
            let options = CallOptions::from_js(&options).map_err(error_to_js)?;
            let token = options
                .token
                .as_ref()
                .or(shared.config.token.as_ref())
                .ok_or_else(|| error_to_js(missing_token()))?;

            let secrets = Secrets::new(&[token.expose()]);
            let outcome = shared.transport.send(&request, Some(token), &options).await;
            let failure = match outcome.map(|response| without_secrets(response, &secrets)) {
                Ok(response) => {
                    if let Some(rate_limit) = RateLimit::from_headers(|name| response.header(name))
                    {
                        *shared.rate_limit.borrow_mut() = Some(rate_limit);
                    }
                    match decode(&response) {
                        Ok(value) => return Ok(value),
                        Err(error) => Failure {
                            error,
                            retryable: true,
                        },
                    }
                }
                Err(failure) => failure,
            };
            let retry_in_ms = failure
                .retryable
                .then(|| {
                    let random = js_sys::Math::random();
                    retry_delay_ms(
                        &shared.config.retry,
                        &request,
                        options.attempt,
                        &failure.error,
                        random,
                    )
                })
                .flatten();
            Err(failure_to_js(failure.error.redact(&secrets), retry_in_ms))
        })
    }
}

/// The answer with every secret taken out of its body and headers before anything is
/// decoded, so that a server echoing the token cannot get it quoted in an error, even
/// cut in half.
fn without_secrets(mut response: RawResponse, secrets: &Secrets) -> RawResponse {
    response.body = secrets.redact(&response.body);
    for (_, value) in &mut response.headers {
        *value = secrets.redact(value);
    }
    response
}

fn missing_token() -> Error {
    Error::validation(vec![crate::ValidationIssue {
        field: "token".to_owned(),
        message: "is required (or give credentials)".to_owned(),
    }])
}

/// The error object for JavaScript, with `retryInMs` when the call may be tried again.
fn failure_to_js(error: Error, retry_in_ms: Option<u64>) -> JsValue {
    let value = error_to_js(error);
    if let Some(delay) = retry_in_ms {
        #[allow(clippy::cast_precision_loss)]
        let delay = JsValue::from_f64(delay as f64);
        let _ = Reflect::set(&value, &JsValue::from_str("retryInMs"), &delay);
    }
    value
}

/// The transport for `options`: its `fetch` and hooks, and the gateway settings.
fn transport(options: &JsValue, gateway: GatewayConfig) -> Result<Transport, Error> {
    Ok(Transport {
        gateway,
        fetch: custom_fetch(options)?,
        hooks: Hooks::from_options(options)?,
    })
}

/// Decodes a JSON answer as `T` and converts it for JavaScript.
fn decode_value<T: DeserializeOwned + Serialize>(response: &RawResponse) -> Result<JsValue, Error> {
    to_js(&api::decode_json::<T, _>(response, &HostJsonParser)?)
}

/// Checks the status of an answer whose body does not matter; resolves to `undefined`.
fn decode_nothing(response: &RawResponse) -> Result<JsValue, Error> {
    api::decode_empty(response, &HostJsonParser).map(|()| JsValue::UNDEFINED)
}

/// Reads two arguments, reporting the issues of both when both are unreadable.
fn both_inputs(first: (&str, &JsValue), second: (&str, &JsValue)) -> Result<(Value, Value), Error> {
    match (
        input_value(first.0, first.1),
        input_value(second.0, second.1),
    ) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (Err(mut a), Err(b)) => {
            a.issues.extend(b.issues);
            Err(Error::validation(a.issues))
        }
        (Err(error), _) | (_, Err(error)) => Err(error),
    }
}

/// Takes the `fetch` option, which must be a function when given.
fn custom_fetch(options: &JsValue) -> Result<Option<Function>, Error> {
    if !options.is_object() {
        return Ok(None);
    }
    let fetch = Reflect::get(options, &JsValue::from_str("fetch")).unwrap_or_default();
    if fetch.is_undefined() || fetch.is_null() {
        return Ok(None);
    }
    fetch.dyn_into::<Function>().map(Some).map_err(|_| {
        Error::validation(vec![crate::ValidationIssue {
            field: "fetch".to_owned(),
            message: "must be a function like the global fetch".to_owned(),
        }])
    })
}

/// The options that are plain data, for the core to check; functions (`fetch`, hooks,
/// a token provider) are taken by the wasm layer itself.
fn plain_settings(options: &JsValue) -> Value {
    if !options.is_object() {
        return input_value("options", options).unwrap_or(Value::Null);
    }
    let mut settings = Map::new();
    for key in [
        "baseUrl",
        "platform",
        "token",
        "timeoutMs",
        "retry",
        "userAgent",
        "maxResponseBytes",
    ] {
        let value = Reflect::get(options, &JsValue::from_str(key)).unwrap_or_default();
        if key == "token" && value.is_function() {
            settings.insert("tokenFromCaller".to_owned(), Value::Bool(true));
            continue;
        }
        // A value that is not plain data stays as a marker the core reports as the
        // wrong type, without quoting it (it could be the token).
        let value = input_value(key, &value).unwrap_or(Value::Bool(false));
        settings.insert(key.to_owned(), value);
    }
    Value::Object(settings)
}

/// Checks a registry schedule without sending anything: every issue found, or `[]`.
///
/// Needs the wasm module loaded: in a browser, `await ready` first.
#[wasm_bindgen(js_name = validateRegistrySchedule, unchecked_return_type = "ValidationIssue[]")]
pub fn validate_registry_schedule(
    #[wasm_bindgen(unchecked_param_type = "unknown")] input: JsValue,
) -> JsValue {
    let issues = match input_value("input", &input) {
        Ok(value) => validate::registry_schedule_input(&value)
            .err()
            .unwrap_or_default(),
        Err(error) => error.issues,
    };
    to_js(&issues).unwrap_or_else(|_| js_sys::Array::new().into())
}

/// Logs in at the gateway (`POST /auth`) and resolves to the JWT.
///
/// Takes `{ baseUrl | platform, username, password, fetch?, timeoutMs?, userAgent?,
/// onRequest?, onResponse?, signal? }`. The password is sent in the form body only and
/// appears in no error, hook or log.
#[wasm_bindgen(js_name = login, unchecked_return_type = "Promise<string>")]
pub fn login(#[wasm_bindgen(unchecked_param_type = "unknown")] options: JsValue) -> Promise {
    future_to_promise(async move {
        let settings = plain_settings(&options);
        let gateway = GatewayConfig::from_options(&settings).map_err(error_to_js)?;
        let transport = transport(&options, gateway).map_err(error_to_js)?;
        let field = |key: &str| {
            let value = Reflect::get(&options, &JsValue::from_str(key)).unwrap_or_default();
            input_value(key, &value).unwrap_or(Value::Bool(false))
        };
        let request = api::login(&field("username"), &field("password")).map_err(error_to_js)?;
        let call = CallOptions::from_js(&options).map_err(error_to_js)?;
        // The password, in every spelling (the form body's included), is kept out of
        // every error, whatever the server or the fetch echoes back.
        let password = request.form.as_ref().map(|form| form.password.as_str());
        let secrets = Secrets::new(&[password.unwrap_or_default()]);
        let response = transport
            .send(&request, None, &call)
            .await
            .map_err(|failure| error_to_js(failure.error.redact(&secrets)))?;
        let response = without_secrets(response, &secrets);
        let token = api::decode_login(&response, &HostJsonParser)
            .map_err(|error| error_to_js(error.redact(&secrets)))?;
        Ok(JsValue::from_str(&token))
    })
}

/// The gateway URL of a Qualys platform, e.g. `gatewayUrl("EU1")` is
/// `"https://gateway.qg1.apps.qualys.eu"`. Throws `VALIDATION` for an unknown platform.
#[wasm_bindgen(js_name = gatewayUrl)]
pub fn gateway_url(
    #[wasm_bindgen(unchecked_param_type = "Platform")] platform: JsValue,
) -> Result<String, JsValue> {
    platform
        .as_string()
        .and_then(|name| Platform::from_name(&name))
        .map(|platform| platform.gateway_url().to_owned())
        .ok_or_else(|| {
            error_to_js(Error::validation(vec![crate::ValidationIssue {
                field: "platform".to_owned(),
                message: "must be one of US1, US2, US3, US4, EU1, EU2, EU3, IN1, CA1, AE1, UK1, AU1, KSA1"
                    .to_owned(),
            }]))
        })
}

/// The permission a sensor-profile operation needs (`"deleteSensorProfile"` needs
/// `"CS.SENSOR_PROFILE.DELETE"`), or `null` for an operation without a documented one.
#[wasm_bindgen(js_name = requiredPermission, unchecked_return_type = "Permission | null")]
pub fn required_permission(
    #[wasm_bindgen(unchecked_param_type = "string")] operation: JsValue,
) -> JsValue {
    let permission = operation
        .as_string()
        .and_then(|name| crate::model::required_permission(&name));
    to_js(&permission).unwrap_or(JsValue::NULL)
}

/// When a JWT expires (epoch ms, from its `exp` claim), or `undefined` when unreadable.
#[wasm_bindgen(js_name = tokenExpiresAtMs)]
pub fn token_expires_at_ms(token: &str) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    api::token_expires_at_ms(token, &HostJsonParser).map(|ms| ms as f64)
}
