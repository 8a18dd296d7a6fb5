//! The client class the package's entry file wraps, and the exported functions.

use super::host::{self, Failure, Received};
use crate::api::{
    self, retry_delay_ms, ClientConfig, GatewayConfig, RawResponse, Request, SerdeJsonParser, Token,
};
use crate::error::{Error, Secrets};
use crate::model::shape::REGISTRY_SCHEDULE_PAGE;
use crate::model::timestamp::parse_timestamp;
use crate::model::{Page, Platform, RateLimit, RegistrySchedule, SensorProfile};
use crate::validate::{self, ValidationIssue};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::JsValue;

/// The settings every call of one client shares, and what the last answer said about
/// the gateway's rate limit.
struct Shared {
    config: ClientConfig,
    rate_limit: Cell<Option<RateLimit>>,
}

/// The low-level client. Use `ContainerSecurityClient` from the package instead: it
/// wraps this class, runs each attempt's `fetch` through `host.js`, and turns the JSON
/// text of results and errors into values and `ContainerSecurityError`s.
#[wasm_bindgen(js_name = RawClient)]
pub struct RawClient {
    shared: Rc<Shared>,
}

#[wasm_bindgen(js_class = RawClient)]
impl RawClient {
    /// Checks the JSON text of `{ baseUrl | platform, token | tokenFromCaller,
    /// timeoutMs?, retry?, userAgent?, maxResponseBytes? }`; throws the JSON text of a
    /// `VALIDATION` error when a setting is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(settings: &str) -> Result<RawClient, String> {
        let config = parse_input("options", settings)
            .and_then(|settings| ClientConfig::from_options(&settings))
            .map_err(|error| error_json(&error, None))?;
        Ok(RawClient {
            shared: Rc::new(Shared {
                config,
                rate_limit: Cell::new(None),
            }),
        })
    }

    /// JSON text of the `X-RateLimit-*` headers of the last answer, or `null` before any.
    #[wasm_bindgen(getter, js_name = rateLimit)]
    pub fn rate_limit(&self) -> String {
        to_json(&self.shared.rate_limit.get()).unwrap_or_else(|_| "null".to_owned())
    }

    /// Builds one attempt of `operation` (a method name of `ContainerSecurityClient`)
    /// with `args`, the JSON text of the array of its arguments, and `call`, the JSON
    /// text of `{ token?, timeoutMs?, attempt }`. Throws the JSON text of the error when
    /// the input is wrong, before anything is sent.
    pub fn prepare(&self, operation: &str, args: &str, call: &str) -> Result<Attempt, String> {
        self.build(operation, args, call)
            .map_err(|error| error_json(&error, None))
    }
}

impl RawClient {
    fn build(&self, operation: &str, args: &str, call: &str) -> Result<Attempt, Error> {
        let operation = Operation::from_name(operation)?;
        let request = operation.request(&parse_input("input", args)?)?;
        let call = CallSettings::parse(call)?;
        let config = &self.shared.config;
        let token = call
            .token
            .as_ref()
            .or(config.token.as_ref())
            .ok_or_else(missing_token)?;
        let wire = request_json(
            &request,
            Some(token),
            &config.gateway,
            call.timeout_ms.or(config.gateway.timeout_ms),
            call.attempt,
            operation.answer_shape(),
        );
        Ok(Attempt {
            purpose: Purpose::Call {
                shared: Rc::clone(&self.shared),
                operation,
            },
            secrets: Secrets::new(&[token.expose()]),
            request,
            attempt: call.attempt,
            wire,
        })
    }
}

/// One attempt, built and checked: the request for `host.js`'s `send`, and what the
/// module needs to decode its answer. `finish` consumes it.
#[wasm_bindgen(js_name = Attempt)]
pub struct Attempt {
    purpose: Purpose,
    request: Request,
    /// The token or password in every spelling, kept out of every error.
    secrets: Secrets,
    attempt: u32,
    wire: String,
}

/// What an attempt is for, which decides how its answer is read.
enum Purpose {
    Call {
        shared: Rc<Shared>,
        operation: Operation,
    },
    Login,
}

#[wasm_bindgen(js_class = Attempt)]
impl Attempt {
    /// The JSON text of the request for `host.js`'s `send`: `{ method, url, headers,
    /// body, timeoutMs, maxResponseBytes, attempt, userAgent, answer? }`.
    #[wasm_bindgen(getter)]
    pub fn request(&self) -> String {
        self.wire.clone()
    }

    /// Decodes the answer `send` resolved to: its `status`, its `headers` (names and
    /// values in turn, one per line), `receivedAtMs`, `body` (the bytes) and `decoded`.
    ///
    /// Returns the result's JSON text (`undefined` for operations without a result, the
    /// JWT for a login), or, for a page of registry schedules the package's answer
    /// reader read with the host's `JSON.parse` (`model::shape`, pkg-template/answer.js),
    /// that page itself. Throws the JSON text of the error, with `retryInMs` when the
    /// retry policy allows another attempt after that wait.
    #[wasm_bindgen(unchecked_return_type = "string | object | undefined")]
    pub fn finish(
        self,
        status: u16,
        headers: &str,
        #[wasm_bindgen(js_name = receivedAtMs)] received_at_ms: f64,
        body: Option<Vec<u8>>,
        #[wasm_bindgen(unchecked_param_type = "unknown")] decoded: JsValue,
    ) -> Result<JsValue, String> {
        host::receive(status, headers, received_at_ms, body, decoded)
            .and_then(|received| self.answered(received))
            .map_err(|failure| self.failed(failure))
    }

    /// Ends the attempt with the failure `send` resolved to instead of an answer (its
    /// `code`, `message`, `retryable` and `status`) and returns the error's JSON text,
    /// with `retryInMs` when the retry policy allows another attempt after that wait.
    pub fn fail(self, code: &str, message: &str, retryable: bool, status: Option<u16>) -> String {
        self.failed(host::failure(code, message, retryable, status))
    }
}

impl Attempt {
    /// The result of an answer, or the failure it is.
    fn answered(&self, received: Received) -> Result<JsValue, Failure> {
        let Received {
            mut response,
            decoded,
        } = received;
        let secrets = &self.secrets;
        let retryable = |error| Failure {
            error,
            retryable: true,
        };
        let (shared, operation) = match &self.purpose {
            Purpose::Call { shared, operation } => (shared, *operation),
            Purpose::Login => {
                // A login's answer is small, and its password is taken out before anything
                // of it is read.
                let response = without_secrets(response, secrets);
                return api::decode_login(&response, &SerdeJsonParser)
                    .map(JsValue::from)
                    .map_err(|error| Failure {
                        error,
                        retryable: false,
                    });
            }
        };
        redact_headers(&mut response, secrets);
        if let Some(rate_limit) = RateLimit::from_headers(|name| response.header(name)) {
            shared.rate_limit.set(Some(rate_limit));
        }
        match decoded {
            // A page the package's answer reader read must still be a JSON answer for the
            // module: its status and content-type are checked as `decode_json` checks them
            // before it parses a body.
            Some(value) => api::check_json_answer(&response, true, &SerdeJsonParser)
                .map(|()| value)
                .map_err(retryable),
            // A result is the server's data for the caller who holds the token, so a body
            // is only searched for secrets when it fails to decode: the error is then
            // worded from the body with every secret taken out, so that a server echoing
            // the token cannot get it quoted, even cut in half. A success body is thus
            // neither copied nor searched once per spelling of each secret.
            None => operation
                .decode(&response)
                .or_else(|_| operation.decode(&without_secrets(response, secrets)))
                .map(to_js)
                .map_err(retryable),
        }
    }

    /// The JSON text of a failed attempt's error, secrets taken out, with `retryInMs` when
    /// the retry policy allows another attempt (a login is never retried).
    fn failed(&self, failure: Failure) -> String {
        let retry_in_ms = match &self.purpose {
            Purpose::Call { shared, .. } if failure.retryable => retry_delay_ms(
                &shared.config.retry,
                &self.request,
                self.attempt,
                &failure.error,
                js_sys::Math::random(),
            ),
            _ => None,
        };
        error_json(&failure.error.redact(&self.secrets), retry_in_ms)
    }
}

/// The operations of the API, by the method names of `ContainerSecurityClient`.
#[derive(Clone, Copy)]
enum Operation {
    DeleteAcrConnector,
    DeleteAwsConnector,
    ListRegistrySchedules,
    CreateRegistrySchedule,
    UpdateRegistrySchedule,
    ListSensorProfiles,
    GetSensorProfile,
    CreateSensorProfile,
    UpdateSensorProfile,
    DeleteSensorProfile,
}

impl Operation {
    fn from_name(name: &str) -> Result<Operation, Error> {
        Ok(match name {
            "deleteAcrConnector" => Operation::DeleteAcrConnector,
            "deleteAwsConnector" => Operation::DeleteAwsConnector,
            "listRegistrySchedules" => Operation::ListRegistrySchedules,
            "createRegistrySchedule" => Operation::CreateRegistrySchedule,
            "updateRegistrySchedule" => Operation::UpdateRegistrySchedule,
            "listSensorProfiles" => Operation::ListSensorProfiles,
            "getSensorProfile" => Operation::GetSensorProfile,
            "createSensorProfile" => Operation::CreateSensorProfile,
            "updateSensorProfile" => Operation::UpdateSensorProfile,
            "deleteSensorProfile" => Operation::DeleteSensorProfile,
            _ => return Err(invalid("operation", "is not an operation of the API")),
        })
    }

    /// The name of the answer's shape in [`answer_shapes`], for an answer the package's
    /// answer reader may read itself (`host.js` hands it the body).
    fn answer_shape(self) -> Option<&'static str> {
        match self {
            Operation::ListRegistrySchedules => Some(REGISTRY_SCHEDULE_PAGE_NAME),
            _ => None,
        }
    }

    /// Validates the arguments (a JSON array, in the method's order) and builds the
    /// request; a missing argument reads as `null`.
    fn request(self, args: &Value) -> Result<Request, Error> {
        let arg = |index: usize| args.get(index).unwrap_or(&Value::Null);
        match self {
            Operation::DeleteAcrConnector => api::delete_acr_connector(arg(0)),
            Operation::DeleteAwsConnector => api::delete_aws_connector(arg(0)),
            Operation::ListRegistrySchedules => api::list_registry_schedules(arg(0), arg(1)),
            Operation::CreateRegistrySchedule => api::create_registry_schedule(arg(0), arg(1)),
            Operation::UpdateRegistrySchedule => {
                api::update_registry_schedule(arg(0), arg(1), arg(2))
            }
            Operation::ListSensorProfiles => api::list_sensor_profiles(arg(0)),
            Operation::GetSensorProfile => api::get_sensor_profile(arg(0)),
            Operation::CreateSensorProfile => api::create_sensor_profile(arg(0)),
            Operation::UpdateSensorProfile => api::update_sensor_profile(arg(0), arg(1)),
            Operation::DeleteSensorProfile => api::delete_sensor_profile(arg(0)),
        }
    }

    /// Decodes the answer into the JSON text of the result, or `None` for none.
    fn decode(self, response: &RawResponse) -> Result<Option<String>, Error> {
        let parser = SerdeJsonParser;
        match self {
            Operation::ListRegistrySchedules => decode_as::<Page<RegistrySchedule>>(response),
            Operation::ListSensorProfiles => decode_as::<Page<SensorProfile>>(response),
            Operation::GetSensorProfile => decode_as::<SensorProfile>(response),
            Operation::CreateRegistrySchedule => {
                to_json(&api::decode_created_schedule(response, &parser)?).map(Some)
            }
            Operation::CreateSensorProfile => {
                to_json(&api::decode_created_sensor_profile(response, &parser)?).map(Some)
            }
            Operation::DeleteAcrConnector
            | Operation::DeleteAwsConnector
            | Operation::UpdateRegistrySchedule
            | Operation::UpdateSensorProfile
            | Operation::DeleteSensorProfile => api::decode_empty(response, &parser).map(|()| None),
        }
    }
}

/// The result's JSON text as the value `attempt` resolves to (`undefined` for none).
fn to_js(result: Option<String>) -> JsValue {
    result.map_or(JsValue::UNDEFINED, JsValue::from)
}

fn decode_as<T: DeserializeOwned + Serialize>(
    response: &RawResponse,
) -> Result<Option<String>, Error> {
    to_json(&api::decode_json::<T, _>(response, &SerdeJsonParser)?).map(Some)
}

/// The per-attempt settings the entry file passes, checked: the token of a provider or
/// a login (never quoted when wrong), the attempt's timeout, and the attempt's number.
struct CallSettings {
    token: Option<Token>,
    timeout_ms: Option<u32>,
    attempt: u32,
}

impl CallSettings {
    fn parse(text: &str) -> Result<CallSettings, Error> {
        let value = parse_input("options", text)?;
        let token = match value.get("token") {
            None | Some(Value::Null) => None,
            Some(Value::String(text)) => {
                Some(Token::parse(text).map_err(|message| invalid("token", &message))?)
            }
            Some(_) => return Err(invalid("token", "the token provider must return a string")),
        };
        let timeout_ms = match value.get("timeoutMs") {
            None | Some(Value::Null) => None,
            Some(timeout) => Some(
                timeout
                    .as_u64()
                    .and_then(|ms| u32::try_from(ms).ok())
                    .filter(|ms| (1..=2_147_483_647).contains(ms))
                    .ok_or_else(|| {
                        invalid(
                            "timeoutMs",
                            "must be a whole number of milliseconds, at least 1",
                        )
                    })?,
            ),
        };
        let attempt = value
            .get("attempt")
            .and_then(Value::as_u64)
            .and_then(|attempt| u32::try_from(attempt).ok())
            .filter(|attempt| (1..=100).contains(attempt))
            .unwrap_or(1);
        Ok(CallSettings {
            token,
            timeout_ms,
            attempt,
        })
    }
}

/// The request as `host.js` reads it: `{ method, url, headers, body, timeoutMs,
/// maxResponseBytes, attempt, userAgent }`.
fn request_json(
    request: &Request,
    token: Option<&Token>,
    gateway: &GatewayConfig,
    timeout_ms: Option<u32>,
    attempt: u32,
    answer: Option<&'static str>,
) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct Wire<'a> {
        method: &'a str,
        url: String,
        headers: serde_json::Map<String, Value>,
        body: Option<String>,
        timeout_ms: Option<u32>,
        max_response_bytes: u64,
        attempt: u32,
        user_agent: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        answer: Option<&'static str>,
    }
    let headers = request
        .headers(token)
        .into_iter()
        .map(|(name, value)| (name.to_ascii_lowercase(), Value::String(value)))
        .collect();
    let body = match (&request.body, &request.form) {
        (Some(body), _) => serde_json::to_string(body).ok(),
        (None, Some(form)) => Some(form.encode()),
        (None, None) => None,
    };
    let ours = concat!("qualys-cs/", env!("CARGO_PKG_VERSION"));
    let user_agent = match &gateway.user_agent {
        Some(theirs) => format!("{ours} {theirs}"),
        None => ours.to_owned(),
    };
    let wire = Wire {
        method: request.method.as_str(),
        url: request.url(&gateway.base_url),
        headers,
        body,
        timeout_ms,
        max_response_bytes: gateway.max_response_bytes,
        attempt,
        user_agent,
        answer,
    };
    serde_json::to_string(&wire).unwrap_or_default()
}

/// The answer with every secret taken out of its body and headers before anything is
/// decoded, so that a server echoing the token cannot get it quoted in an error, even
/// cut in half.
fn without_secrets(mut response: RawResponse, secrets: &Secrets) -> RawResponse {
    response.body = secrets.redact(&response.body);
    redact_headers(&mut response, secrets);
    response
}

/// Takes every secret out of the answer's headers, which are small and always read.
fn redact_headers(response: &mut RawResponse, secrets: &Secrets) {
    for (_, value) in &mut response.headers {
        *value = secrets.redact(value);
    }
}

fn missing_token() -> Error {
    invalid("token", "is required (or give credentials)")
}

fn invalid(field: &str, message: &str) -> Error {
    Error::validation(vec![ValidationIssue {
        field: field.to_owned(),
        message: message.to_owned(),
    }])
}

/// Reads the JSON text of an argument the entry file copied into plain data.
fn parse_input(field: &str, text: &str) -> Result<Value, Error> {
    serde_json::from_str(text).map_err(|_| {
        invalid(
            field,
            "must be plain data (strings, numbers, booleans, arrays, objects)",
        )
    })
}

fn to_json<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    serde_json::to_string(value)
        .map_err(|error| Error::decode(format!("could not write the result as JSON: {error}")))
}

/// The JSON text of an error, with `retryInMs` when the call may be tried again.
fn error_json(error: &Error, retry_in_ms: Option<u64>) -> String {
    #[derive(Serialize)]
    #[serde(rename_all = "camelCase")]
    struct WithRetry<'a> {
        #[serde(flatten)]
        error: &'a Error,
        #[serde(skip_serializing_if = "Option::is_none")]
        retry_in_ms: Option<u64>,
    }
    serde_json::to_string(&WithRetry { error, retry_in_ms }).unwrap_or_else(|_| {
        // Serializing an error cannot fail (it holds strings and numbers only); the code
        // alone still makes a proper error on the other side.
        format!(
            r#"{{"code":"{}","message":"qualys-cs failed"}}"#,
            error.code.as_str()
        )
    })
}

/// Checks a registry schedule (the JSON text of a plain copy) without sending anything:
/// the JSON text of every issue found, or `[]`.
#[wasm_bindgen(js_name = validateRegistrySchedule)]
pub fn validate_registry_schedule(input: &str) -> String {
    let issues = match parse_input("input", input) {
        Ok(value) => validate::registry_schedule_input(&value)
            .err()
            .unwrap_or_default(),
        Err(error) => error.issues,
    };
    to_json(&issues).unwrap_or_else(|_| "[]".to_owned())
}

/// Builds the attempt of a login at the gateway (`POST /auth`); its `finish` returns
/// the JWT.
///
/// Takes the JSON text of `{ baseUrl | platform, username, password, timeoutMs?,
/// userAgent?, maxResponseBytes? }`; throws the JSON text of a `VALIDATION` error when
/// one is wrong. The password is sent in the form body only and appears in no error,
/// hook or log.
#[wasm_bindgen(js_name = prepareLogin)]
pub fn prepare_login(settings: &str) -> Result<Attempt, String> {
    let prepared = parse_input("options", settings).and_then(|settings| {
        let gateway = GatewayConfig::from_options(&settings)?;
        let field = |key: &str| settings.get(key).cloned().unwrap_or(Value::Null);
        let request = api::login(&field("username"), &field("password"))?;
        Ok((gateway, request))
    });
    let (gateway, request) = prepared.map_err(|error| error_json(&error, None))?;
    // The password, in every spelling (the form body's included), is kept out of every
    // error, whatever the server or the fetch echoes back.
    let password = request.form.as_ref().map(|form| form.password.as_str());
    let secrets = Secrets::new(&[password.unwrap_or_default()]);
    let wire = request_json(&request, None, &gateway, gateway.timeout_ms, 1, None);
    Ok(Attempt {
        purpose: Purpose::Login,
        request,
        secrets,
        attempt: 1,
        wire,
    })
}

/// The gateway URL of a Qualys platform, e.g. `gatewayUrl("EU1")` is
/// `"https://gateway.qg1.apps.qualys.eu"`; `undefined` for an unknown platform.
#[wasm_bindgen(js_name = gatewayUrl)]
pub fn gateway_url(platform: &str) -> Option<String> {
    Platform::from_name(platform).map(|platform| platform.gateway_url().to_owned())
}

/// The permission a sensor-profile operation needs (`"deleteSensorProfile"` needs
/// `"CS.SENSOR_PROFILE.DELETE"`), or `undefined` for one without a documented one.
#[wasm_bindgen(js_name = requiredPermission)]
pub fn required_permission(operation: &str) -> Option<String> {
    crate::model::required_permission(operation).map(|permission| permission.as_str().to_owned())
}

/// When a JWT expires (epoch ms, from its `exp` claim), or `undefined` when unreadable.
#[wasm_bindgen(js_name = tokenExpiresAtMs)]
pub fn token_expires_at_ms(token: &str) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    api::token_expires_at_ms(token, &SerdeJsonParser).map(|ms| ms as f64)
}

/// The name under which [`answer_shapes`] lists the shape of a page of schedules.
const REGISTRY_SCHEDULE_PAGE_NAME: &str = "registrySchedulePage";

/// JSON text of the shapes of the answers the package may read itself, by name
/// (`model::shape`); the package's build generates its answer readers from them
/// (scripts/answer-readers.mjs), so that they always match this module.
#[wasm_bindgen(js_name = answerShapes)]
pub fn answer_shapes() -> String {
    let shapes =
        std::collections::BTreeMap::from([(REGISTRY_SCHEDULE_PAGE_NAME, REGISTRY_SCHEDULE_PAGE)]);
    to_json(&shapes).unwrap_or_else(|_| "{}".to_owned())
}

/// Epoch milliseconds of a timestamp string in any form an answer may use (digits or
/// ISO-8601), or `undefined`; the package's answer reader asks for the forms it does not
/// read itself, so that there is one reading of timestamps.
#[wasm_bindgen(js_name = parseTimestamp)]
pub fn parse_timestamp_text(text: &str) -> Option<f64> {
    #[allow(clippy::cast_precision_loss)]
    parse_timestamp(text).map(|ms| ms as f64)
}
