//! The wasm layer's tests, shared by the Node target (`wasm_node.rs`) and the headless
//! Chromium target (`wasm_browser.rs`) so that both hosts run the very same cases.
//!
//! Each test hands the client a fake `fetch` written in JavaScript, which records the
//! request it was given and answers with a canned `Response`; no server is needed. Each
//! attempt runs as the package runs it: the module prepares the request, the package's
//! `host.js` sends it, and the module finishes the attempt with the answer.

use js_sys::{Function, Reflect, Uint8Array};
use qualys_cs::wasm::{prepare_login, validate_registry_schedule, Attempt, RawClient};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::wasm_bindgen_test;

#[wasm_bindgen(module = "/pkg-template/host.js")]
extern "C" {
    /// The package's host side of one attempt; resolves to `{ head, body, decoded }`.
    fn send(request: &str, host: &JsValue, options: &JsValue) -> js_sys::Promise;
}

const LIST_SAMPLE: &str = include_str!("../fixtures/list_schedules_response.json");
const FORBIDDEN_DELETE: &str = include_str!("../fixtures/forbidden_delete.json");
const REGISTRY: &str = "ef91aff4-5679-4c0d-9fc0-523ca7f218f4";
const PROFILE: &str = "6963d471-7598-4d4d-b95c-e540c75745b2";

/// A fake fetch `(url, init)` that stores its arguments in `globalThis.__qcsSeen` as
/// `{ url, init }`, counts calls in `__qcsCalls` and answers `status` with `body`.
fn fake_fetch(status: u16, content_type: &str, body: &str) -> Function {
    let code = format!(
        "globalThis.__qcsCalls = (globalThis.__qcsCalls || 0) + 1;
         globalThis.__qcsSeen = {{ url, init }};
         return Promise.resolve(new Response({status} === 204 ? null : {body}, {{
           status: {status}, headers: {{ 'content-type': {content_type} }} }}));",
        body = js_string(body),
        content_type = js_string(content_type),
    );
    Function::new_with_args("url, init", &code)
}

/// A fake fetch that never answers, but rejects as fetch does when its signal aborts.
///
/// It holds a timer until then, as a real connection would: Node does not wait for the
/// timer of `AbortSignal.timeout`, and would otherwise end the run mid-test.
fn hanging_fetch() -> Function {
    Function::new_with_args(
        "url, init",
        "const open = setInterval(() => {}, 1000);
         return new Promise((_, reject) => init.signal.addEventListener('abort', () => {
           clearInterval(open);
           reject(init.signal.reason);
         }));",
    )
}

fn js_string(text: &str) -> String {
    js_sys::JSON::stringify(&JsValue::from_str(text))
        .unwrap()
        .as_string()
        .unwrap()
}

/// A raw client and the caller's functions `host.js` sends its attempts with.
struct Client {
    raw: RawClient,
    host: JsValue,
}

fn host_with(fetch: &Function) -> JsValue {
    let host = js_sys::Object::new();
    set(&host, "fetch", fetch);
    host.into()
}

fn client(fetch: &Function, token: &str) -> Client {
    let settings = format!(
        r#"{{"baseUrl":"https://gateway.qg1.apps.qualys.com/","token":{},"timeoutMs":200}}"#,
        js_string(token)
    );
    Client {
        raw: RawClient::new(&settings).unwrap(),
        host: host_with(fetch),
    }
}

/// Reads JSON text (a result or an error) into a JavaScript value.
fn parse(value: JsValue) -> JsValue {
    match value.as_string() {
        Some(text) => js_sys::JSON::parse(&text).unwrap(),
        None => value,
    }
}

/// Sends a prepared attempt through `host.js` and concludes it with the answer or the
/// failure: the module's result as it is (JSON text, or a login's JWT), or its error
/// read as JSON.
async fn run(attempt: Attempt, host: &JsValue, options: &JsValue) -> Result<JsValue, JsValue> {
    let answer = JsFuture::from(send(&attempt.request(), host, options))
        .await
        .unwrap();
    let failure = get(&answer, "failure");
    if !failure.is_undefined() {
        let status = get(&failure, "status").as_f64().map(|status| status as u16);
        return Err(parse(
            attempt
                .fail(
                    &text(&failure, "code").unwrap(),
                    &text(&failure, "message").unwrap(),
                    get(&failure, "retryable").as_bool().unwrap(),
                    status,
                )
                .into(),
        ));
    }
    let headers = text(&answer, "headers").unwrap();
    let body = get(&answer, "body");
    let body = (!body.is_undefined()).then(|| Uint8Array::new(&body).to_vec());
    attempt
        .finish(
            get(&answer, "status").as_f64().unwrap() as u16,
            &headers,
            get(&answer, "receivedAtMs").as_f64().unwrap(),
            body,
            get(&answer, "decoded"),
        )
        .map_err(|error| parse(error.into()))
}

/// One attempt of `operation` with the JSON text of its arguments; both the result and
/// the error come back as JSON text, read here into JavaScript values.
async fn call(
    client: &Client,
    operation: &str,
    args: &str,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let attempt = client
        .raw
        .prepare(operation, args, "{}")
        .map_err(|error| parse(error.into()))?;
    run(attempt, &client.host, &options).await.map(parse)
}

fn set(target: &JsValue, key: &str, value: &JsValue) {
    Reflect::set(target, &key.into(), value).unwrap();
}

fn get(target: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(target.clone(), |value, key| {
        let key = match key.parse::<u32>() {
            Ok(index) => JsValue::from_f64(f64::from(index)),
            Err(_) => JsValue::from_str(key),
        };
        Reflect::get(&value, &key).unwrap()
    })
}

/// The string at `path` of `target` (see [`get`]), or `None` when it is no string.
fn text(target: &JsValue, path: &str) -> Option<String> {
    get(target, path).as_string()
}

/// A value written as JSON text, to search it for what must not be there.
fn json_text(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).unwrap().as_string().unwrap()
}

fn global(key: &str) -> JsValue {
    get(&js_sys::global(), key)
}

fn reset_seen() {
    set(&js_sys::global(), "__qcsCalls", &JsValue::from_f64(0.0));
    set(&js_sys::global(), "__qcsSeen", &JsValue::UNDEFINED);
}

#[wasm_bindgen_test]
async fn lists_the_seed_schedule_with_numeric_timestamps() {
    reset_seen();
    let fetch = fake_fetch(200, "application/json", LIST_SAMPLE);
    let args = format!(r#"["{REGISTRY}"]"#);
    let page = call(
        &client(&fetch, "t0k3n"),
        "listRegistrySchedules",
        &args,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();

    assert_eq!(get(&page, "count").as_f64(), Some(1.0));
    let schedule = get(&page, "data.0");
    assert_eq!(
        text(&schedule, "scheduleUuid").as_deref(),
        Some("633e7b79-c43d-4bb2-bd07-c8a06edc8a4c")
    );
    assert_eq!(
        get(&schedule, "created").as_f64(),
        Some(1_674_040_668_619.0)
    );
    assert!(get(&schedule, "jobListingCompletionDate").is_null());
    assert_eq!(text(&schedule, "weekDay").as_deref(), Some("WEDNESDAY"));
    assert_eq!(get(&schedule, "filters.0.days").as_f64(), Some(0.0));
    assert_eq!(
        text(&schedule, "filters.0.repoTags.0.repo").as_deref(),
        Some("qualysdockerhub/tamilnadu_shubham")
    );
    // Results are plain objects, not Maps, so they read like any JSON in JavaScript.
    assert!(!get(&schedule, "additionalFilters").is_instance_of::<js_sys::Map>());

    let seen = global("__qcsSeen");
    assert_eq!(text(&seen, "init.method").as_deref(), Some("GET"));
    assert_eq!(text(&seen, "init.redirect").as_deref(), Some("manual"));
    assert_eq!(
        text(&seen, "url").as_deref(),
        Some(
            "https://gateway.qg1.apps.qualys.com/csapi/v1.3/registry/\
             ef91aff4-5679-4c0d-9fc0-523ca7f218f4/schedule?pageNumber=1&pageSize=50"
        )
    );
    assert_eq!(
        text(&seen, "init.headers.authorization").as_deref(),
        Some("Bearer t0k3n")
    );
    assert_eq!(
        text(&seen, "init.headers.accept").as_deref(),
        Some("application/json")
    );
    assert!(get(&seen, "init.body").is_undefined());
}

#[wasm_bindgen_test]
async fn deletes_an_acr_connector_with_its_id_in_a_json_body() {
    reset_seen();
    let fetch = fake_fetch(200, "application/json", "");
    let args = r#"["f3c6d648-81d8-11ed-a1eb-0242ac120003"]"#;
    let result = call(
        &client(&fetch, "t"),
        "deleteAcrConnector",
        args,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap();

    assert!(result.is_undefined());
    let seen = global("__qcsSeen");
    assert_eq!(text(&seen, "init.method").as_deref(), Some("DELETE"));
    assert_eq!(
        text(&seen, "init.headers.content-type").as_deref(),
        Some("application/json")
    );
    assert_eq!(
        text(&seen, "init.body").as_deref(),
        Some(r#"{"connectorId":"f3c6d648-81d8-11ed-a1eb-0242ac120003"}"#)
    );
}

#[wasm_bindgen_test]
async fn an_associated_connector_rejects_with_precondition_failed() {
    let body =
        r#"{"errorCode":"412 PRECONDITION_FAILED","message":"still associated","timestamp":1}"#;
    let fetch = fake_fetch(412, "application/json", body);
    let args = r#"["arn:aws:iam::362990800442:role/test_UID1"]"#;
    let error = call(
        &client(&fetch, "t"),
        "deleteAwsConnector",
        args,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();

    assert_eq!(text(&error, "code").as_deref(), Some("PRECONDITION_FAILED"));
    assert_eq!(get(&error, "status").as_f64(), Some(412.0));
    assert_eq!(
        text(&error, "serverMessage").as_deref(),
        Some("still associated")
    );
    assert_eq!(
        text(&global("__qcsSeen"), "init.body").as_deref(),
        Some(r#"{"arn":"arn:aws:iam::362990800442:role/test_UID1"}"#)
    );
}

#[wasm_bindgen_test]
async fn a_forbidden_answer_names_the_missing_permission_and_not_the_token() {
    let fetch = fake_fetch(403, "application/json", FORBIDDEN_DELETE);
    let args = format!(r#"["{PROFILE}"]"#);
    let error = call(
        &client(&fetch, "secret-token-123"),
        "deleteSensorProfile",
        &args,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();

    assert_eq!(text(&error, "code").as_deref(), Some("FORBIDDEN"));
    assert_eq!(
        text(&error, "permission").as_deref(),
        Some("CS.SENSOR_PROFILE.DELETE")
    );
    let json = json_text(&error);
    assert!(!json.contains("secret-token-123"), "{json}");
}

#[wasm_bindgen_test]
async fn invalid_input_is_refused_before_fetch_is_called() {
    reset_seen();
    let fetch = fake_fetch(200, "application/json", "{}");
    let args = r#"[42, {"schedule":"24:00","scheduleIntervalInDays":7,
        "filters":[{"repoTags":[{"repo":""}]}]}]"#;
    let error = call(
        &client(&fetch, "t"),
        "createRegistrySchedule",
        args,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();

    assert_eq!(text(&error, "code").as_deref(), Some("VALIDATION"));
    let fields: Vec<String> = js_sys::Array::from(&get(&error, "issues"))
        .iter()
        .map(|issue| text(&issue, "field").unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "registryId",
            "schedule",
            "weekDay",
            "filters[0].repoTags[0].repo"
        ]
    );
    assert_eq!(global("__qcsCalls").as_f64(), Some(0.0));
}

#[wasm_bindgen_test]
async fn a_fetch_that_never_answers_times_out() {
    let args = format!(r#"["{PROFILE}"]"#);
    let error = call(
        &client(&hanging_fetch(), "t"),
        "getSensorProfile",
        &args,
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();

    assert_eq!(text(&error, "code").as_deref(), Some("TIMEOUT"));
}

#[wasm_bindgen_test]
async fn an_aborted_signal_rejects_with_aborted_and_the_client_keeps_working() {
    let controller = web_sys::AbortController::new().unwrap();
    let options = js_sys::Object::new();
    set(&options, "signal", &controller.signal());
    let hanging = client(&hanging_fetch(), "t");
    let args = format!(r#"["{PROFILE}"]"#);
    let pending = call(&hanging, "getSensorProfile", &args, options.into());
    controller.abort();
    let error = pending.await.unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("ABORTED"));

    let body = r#"{"profileUuid":"6963d471-7598-4d4d-b95c-e540c75745b2","profileName":"P","x":1}"#;
    let working = client(&fake_fetch(200, "application/json", body), "t");
    let profile = call(&working, "getSensorProfile", &args, JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(text(&profile, "profileName").as_deref(), Some("P"));
    assert_eq!(get(&profile, "x").as_f64(), Some(1.0));
}

#[wasm_bindgen_test]
async fn a_success_answer_that_is_not_json_is_a_decode_error() {
    let fetch = fake_fetch(200, "text/html", "<html>maintenance</html>");
    let error = call(
        &client(&fetch, "t"),
        "listSensorProfiles",
        "[]",
        JsValue::UNDEFINED,
    )
    .await
    .unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("DECODE"));
}

#[wasm_bindgen_test]
fn validate_registry_schedule_returns_every_issue_or_none() {
    let weekly = r#"{"schedule":"09:30","scheduleIntervalInDays":7,"weekDay":"THURSDAY",
        "filters":[{"days":null,"repoTags":[{"repo":"azuretest","tag":null}]}]}"#;
    assert_eq!(validate_registry_schedule(weekly), "[]");

    let daily_with_day = r#"{"schedule":"09:30","scheduleIntervalInDays":1,"weekDay":"MONDAY"}"#;
    let issues = js_sys::JSON::parse(&validate_registry_schedule(daily_with_day)).unwrap();
    let issues = js_sys::Array::from(&issues);
    assert_eq!(issues.length(), 1);
    assert_eq!(text(&issues.get(0), "field").as_deref(), Some("weekDay"));
}

#[wasm_bindgen_test]
fn a_plain_http_gateway_is_refused_when_the_client_is_made() {
    let settings = r#"{"baseUrl":"http://example.com","token":"t"}"#;
    let error = RawClient::new(settings).err().unwrap();
    let error = js_sys::JSON::parse(&error).unwrap();
    assert_eq!(text(&error, "code").as_deref(), Some("VALIDATION"));
    assert_eq!(text(&error, "issues.0.field").as_deref(), Some("baseUrl"));
}

#[wasm_bindgen_test]
async fn a_login_posts_the_form_and_finishes_with_the_jwt_never_quoting_the_password() {
    reset_seen();
    let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjE5MDAwMDAwMDB9.c2ln";
    let settings = r#"{"baseUrl":"https://gateway.qg1.apps.qualys.com","username":"qualys_admin",
        "password":"pa$$ word&1","timeoutMs":200}"#;
    let host = host_with(&fake_fetch(201, "text/plain", jwt));
    let token = run(prepare_login(settings).unwrap(), &host, &JsValue::UNDEFINED)
        .await
        .unwrap();
    assert_eq!(token.as_string().as_deref(), Some(jwt));
    let seen = global("__qcsSeen");
    assert_eq!(
        text(&seen, "url").as_deref(),
        Some("https://gateway.qg1.apps.qualys.com/auth")
    );
    assert_eq!(
        text(&seen, "init.body").as_deref(),
        Some("username=qualys_admin&password=pa%24%24+word%261&token=true")
    );

    // A server that echoes the password gets it redacted from the error.
    let echo = host_with(&fake_fetch(401, "text/plain", "bad password pa$$ word&1"));
    let error = run(prepare_login(settings).unwrap(), &echo, &JsValue::UNDEFINED)
        .await
        .unwrap_err();
    assert_eq!(text(&error, "code").as_deref(), Some("UNAUTHORIZED"));
    let json = json_text(&error);
    assert!(!json.contains("pa$$ word&1"), "{json}");
    assert!(json.contains("<redacted>"), "{json}");
}

#[wasm_bindgen_test]
fn a_login_without_a_password_is_refused_before_anything_is_sent() {
    let error =
        prepare_login(r#"{"baseUrl":"https://gateway.qg1.apps.qualys.com","username":"u"}"#)
            .err()
            .unwrap();
    let error = js_sys::JSON::parse(&error).unwrap();
    assert_eq!(text(&error, "code").as_deref(), Some("VALIDATION"));
    assert_eq!(text(&error, "issues.0.field").as_deref(), Some("password"));
}
