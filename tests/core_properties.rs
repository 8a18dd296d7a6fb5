//! Properties over generated input: no validator, builder or decoder panics, whatever
//! JSON value, status, content type or body it is given, and every failure explains
//! itself.
// The native core is tested natively; the wasm build has its own suite (tests/wasm).
#![cfg(not(target_arch = "wasm32"))]
// Helpers of a test target unwrap, index and panic like the tests themselves: a failing
// test is supposed to stop loudly (clippy.toml allows this inside `#[test]` functions
// only). `Error` is large by design (see `src/lib.rs`).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::result_large_err
)]

use proptest::prelude::*;
use qualys_cs::api::{
    self, decode_created_schedule, decode_created_sensor_profile, decode_empty, decode_json,
    ClientConfig, RawResponse, Request, SerdeJsonParser,
};
use qualys_cs::model::{Page, RegistrySchedule, SensorProfile};
use qualys_cs::validate;
use qualys_cs::{Error, ErrorCode};
use serde_json::{Map, Number, Value};

const CASES: u32 = 256;

/// Keys the validators look at, reserved keys among them, so that generated objects
/// reach the deeper rules rather than only the "unknown field" path.
const KEYS: &[&str] = &[
    "filters",
    "repoTags",
    "repo",
    "tag",
    "days",
    "name",
    "onDemand",
    "schedule",
    "forceScan",
    "registryType",
    "scheduleIntervalInDays",
    "scheduleScanIntervalInDays",
    "additionalFilters",
    "numberOfTags",
    "sortCriteria",
    "weekDay",
    "profileName",
    "description",
    "profileType",
    "config",
    "pageNumber",
    "pageSize",
    "baseUrl",
    "token",
    "timeoutMs",
    "data",
    "count",
    "scheduleUuid",
    "profileUuid",
    "created",
    "errorCode",
    "message",
    "__proto__",
    "constructor",
];

/// Strings that are, or are close to, values the rules accept.
const TEXTS: &[&str] = &[
    "",
    " ",
    "633e7b79-c43d-4bb2-bd07-c8a06edc8a4c",
    "633e7b79-c43d-4bb2-bd07-c8a06edc8a4\u{0441}",
    "../x",
    "arn:aws:iam::362990800442:role/test_UID1",
    "arn:aws-cn:iam::1:role/",
    "09:30",
    "24:00",
    "THURSDAY",
    "thursday",
    "1674040668619",
    "2023-01-18T11:17:48.619Z",
    "https://gateway.qg1.apps.qualys.com",
    "http://127.0.0.1:8080",
    "http://[::1",
    "CS.SENSOR_PROFILE.VIEW",
    "\u{0}\u{7f}\u{202e}",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(str::to_owned),
        1 => ".{0,12}",
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-20i64..400).prop_map(Value::from),
        any::<f64>().prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
        (-20.0f64..400.0).prop_map(|f| Number::from_f64(f).map_or(Value::Null, Value::Number)),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        2 => prop::sample::select(TEXTS).prop_map(str::to_owned),
        1 => ".{0,40}",
        1 => "[0-9:]{0,6}",
    ]
}

/// Any JSON value, a few levels deep, leaning towards the keys and values of the API.
fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..7)
                .prop_map(|entries| Value::Object(entries.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

/// A failure must be a validation error that lists at least one issue, each with a
/// message.
fn check_refusal(error: &Error) {
    assert_eq!(error.code, ErrorCode::Validation, "{error}");
    assert!(!error.message.is_empty());
    assert!(!error.issues.is_empty(), "{error}");
    for issue in &error.issues {
        assert!(!issue.message.is_empty(), "{error}");
    }
}

/// A built request must have a path below the prefix and, if any, a body that is JSON.
fn check_built(request: &Request) {
    assert!(request.path.starts_with('/'));
    assert!(
        !request.path.contains(['?', '#', ' ', '%']),
        "{}",
        request.path
    );
    if let Some(body) = &request.body {
        let text = serde_json::to_string(body).unwrap();
        let again: Value = serde_json::from_str(&text).unwrap();
        assert!(again.is_object(), "{text}");
    }
}

fn check_build(result: Result<Request, Error>) {
    match result {
        Ok(request) => check_built(&request),
        Err(error) => check_refusal(&error),
    }
}

/// Content types a server or proxy might send.
fn content_type() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        Just(None),
        prop::sample::select(
            &[
                "application/json",
                "application/json; charset=utf-8",
                "text/html",
                "text/plain",
                "text/plain; charset=utf-8",
                "",
                "application/problem+json",
            ][..]
        )
        .prop_map(|value| Some(value.to_owned())),
        ".{0,30}".prop_map(Some),
    ]
}

/// Bodies: arbitrary bytes read as lossy UTF-8, generated JSON, or the samples.
fn body() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256)
            .prop_map(|bytes| String::from_utf8_lossy(&bytes).into_owned()),
        any_json().prop_map(|value| value.to_string()),
        prop::sample::select(
            &[
                include_str!("fixtures/list_schedules_response.json"),
                include_str!("fixtures/create_schedule_response.json"),
                include_str!("fixtures/forbidden_view.json"),
                include_str!("fixtures/forbidden_delete.json"),
                "",
                "null",
                "[]",
            ][..]
        )
        .prop_map(str::to_owned),
    ]
}

fn raw_response() -> impl Strategy<Value = RawResponse> {
    (
        100u16..600,
        content_type(),
        body(),
        prop::option::of(".{0,12}"),
    )
        .prop_map(|(status, content_type, body, retry_after)| {
            let mut headers = Vec::new();
            if let Some(value) = content_type {
                headers.push(("content-type".to_owned(), value));
            }
            if let Some(value) = retry_after {
                headers.push(("retry-after".to_owned(), value));
            }
            RawResponse {
                status,
                headers,
                body,
                received_at_ms: None,
            }
        })
}

/// Any decoder's result: `Ok`, or an `Err` that explains itself and fits the status.
fn check_decoded<T>(response: &RawResponse, result: Result<T, Error>) {
    let success = (200..300).contains(&response.status);
    match result {
        Ok(_) => assert!(success, "status {} decoded as success", response.status),
        Err(error) => {
            assert!(!error.message.is_empty());
            assert!(!error.to_string().is_empty());
            assert_eq!(error.status, Some(response.status));
            assert!(error.issues.is_empty());
            if success {
                assert_eq!(error.code, ErrorCode::Decode, "{error}");
            } else {
                assert_ne!(error.code, ErrorCode::Decode, "{error}");
                assert_ne!(error.code, ErrorCode::Validation, "{error}");
            }
            if let Some(message) = &error.server_message {
                assert!(message.chars().count() <= 501);
                assert!(!message.chars().any(char::is_control), "{message:?}");
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: CASES,
        // A failure is reported with its minimal case; no regression file is written
        // into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn validators_never_panic_on_any_json(value in any_json()) {
        for result in [
            validate::uuid_param("registryId", &value).map(drop),
            validate::arn_param(&value).map(drop),
            validate::page_request(&value).map(drop),
            validate::registry_schedule_input(&value).map(drop),
            validate::sensor_profile_input(&value).map(drop),
        ] {
            if let Err(issues) = result {
                prop_assert!(!issues.is_empty());
                for issue in issues {
                    prop_assert!(!issue.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn builders_never_panic_on_any_json(
        first in any_json(),
        second in any_json(),
        third in any_json(),
    ) {
        check_build(api::delete_acr_connector(&first));
        check_build(api::delete_aws_connector(&first));
        check_build(api::list_registry_schedules(&first, &second));
        check_build(api::create_registry_schedule(&first, &second));
        check_build(api::update_registry_schedule(&first, &second, &third));
        check_build(api::list_sensor_profiles(&first));
        check_build(api::get_sensor_profile(&first));
        check_build(api::create_sensor_profile(&second));
        check_build(api::update_sensor_profile(&first, &second));
        check_build(api::delete_sensor_profile(&first));
    }

    #[test]
    fn builders_with_valid_ids_never_panic_on_any_input(input in any_json(), page in any_json()) {
        let id = Value::from("633e7b79-c43d-4bb2-bd07-c8a06edc8a4c");
        check_build(api::list_registry_schedules(&id, &page));
        check_build(api::create_registry_schedule(&id, &input));
        check_build(api::update_registry_schedule(&id, &id, &input));
        check_build(api::list_sensor_profiles(&page));
        check_build(api::update_sensor_profile(&id, &input));
    }

    #[test]
    fn client_options_never_panic_and_never_echo_the_token(
        options in any_json(),
        base in text(),
        secret in "[A-Za-z0-9._\u{0}-\u{7f}é]{0,24}",
    ) {
        let _ = ClientConfig::from_options(&options);
        let token = format!("QCS-SECRET-{secret}");
        let options = serde_json::json!({"baseUrl": base, "token": token});
        match ClientConfig::from_options(&options) {
            Ok(config) => {
                let debug = format!("{:?}", config);
                prop_assert!(!debug.contains("QCS-SECRET"));
            }
            Err(error) => {
                check_refusal(&error);
                let debug = format!("{:?}", error);
                prop_assert!(!debug.contains("QCS-SECRET"));
            }
        }
    }

    #[test]
    fn decoders_never_panic_on_any_answer(response in raw_response()) {
        let parser = SerdeJsonParser;
        check_decoded(&response, decode_json::<Page<RegistrySchedule>, _>(&response, &parser));
        check_decoded(&response, decode_json::<Page<SensorProfile>, _>(&response, &parser));
        check_decoded(&response, decode_json::<SensorProfile, _>(&response, &parser));
        check_decoded(&response, decode_json::<Value, _>(&response, &parser));
        check_decoded(&response, decode_empty(&response, &parser));
        check_decoded(&response, decode_created_schedule(&response, &parser));
        check_decoded(&response, decode_created_sensor_profile(&response, &parser));
    }

    #[test]
    fn decoders_never_panic_on_mutated_list_samples(
        value in any_json(),
        field in prop::sample::select(&[
            "scheduleUuid", "created", "jobStartDate", "filters", "additionalFilters",
            "weekDay", "scheduleIntervalInDays", "forceScan", "onDemand", "errors",
        ][..]),
    ) {
        let mut page: Value =
            serde_json::from_str(include_str!("fixtures/list_schedules_response.json")).unwrap();
        page["data"][0][field] = value;
        let response = RawResponse {
            status: 200,
            headers: vec![("content-type".to_owned(), "application/json".to_owned())],
            body: page.to_string(),
            received_at_ms: None,
        };
        check_decoded(
            &response,
            decode_json::<Page<RegistrySchedule>, _>(&response, &SerdeJsonParser),
        );
    }

    #[test]
    fn timestamps_in_any_string_never_panic(text in ".{0,40}") {
        let _ = qualys_cs::model::timestamp::parse_timestamp(&text);
    }
}
