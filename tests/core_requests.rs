//! Building requests: for each of the ten endpoints, the exact method, URL, query,
//! headers and JSON body, checked against the release notes' samples.
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

mod common;

use common::*;
use qualys_cs::api::{
    self, decode_json, BaseUrl, ClientConfig, Method, Request, SerdeJsonParser, API_PREFIX,
};
use qualys_cs::model::{Page, RegistrySchedule};
use serde_json::{json, Value};

/// The JSON the request would send, as a value (or `None` without a body).
fn body_of(request: &Request) -> Option<Value> {
    request
        .body
        .as_ref()
        .map(|body| serde_json::to_value(body).unwrap())
}

/// The body text exactly as it goes on the wire, parsed again to prove it is JSON.
fn body_text_is_valid_json(request: &Request) -> Value {
    let text = serde_json::to_string(request.body.as_ref().unwrap()).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn headers_without_body() -> Vec<(&'static str, String)> {
    vec![
        ("Accept", "application/json".to_owned()),
        ("Authorization", format!("Bearer {TOKEN}")),
    ]
}

fn headers_with_body() -> Vec<(&'static str, String)> {
    let mut headers = headers_without_body();
    headers.push(("Content-Type", "application/json".to_owned()));
    headers
}

fn default_page_query() -> Vec<(&'static str, String)> {
    vec![
        ("pageNumber", "1".to_owned()),
        ("pageSize", "50".to_owned()),
    ]
}

fn url(path_and_query: &str) -> String {
    format!("https://gateway.qg1.apps.qualys.com/csapi/v1.3{path_and_query}")
}

/// Checks that `request` gives the same URL on the gateway with and without trailing
/// slashes, and returns it.
fn url_on_every_spelling_of_the_gateway(request: &Request) -> String {
    let plain = request.url(&base_url());
    for spelling in [
        "https://gateway.qg1.apps.qualys.com/",
        "https://gateway.qg1.apps.qualys.com//",
    ] {
        let base = BaseUrl::parse(spelling).unwrap();
        assert_eq!(request.url(&base), plain, "{spelling}");
    }
    plain
}

/// A schedule from the list sample, as the server sent it.
fn listed_schedule_wire() -> Value {
    json(LIST_SCHEDULES_RESPONSE)["data"][0].clone()
}

/// What the client sends for the list sample's schedule: the writable fields only.
fn listed_schedule_body() -> Value {
    json!({
        "filters": [
            {"repoTags": [{"repo": "qualysdockerhub/tamilnadu_shubham", "tag": null}], "days": 0}
        ],
        "onDemand": false,
        "schedule": "11:19",
        "forceScan": true,
        "scheduleIntervalInDays": 7,
        "additionalFilters": {"numberOfTags": 5, "sortCriteria": "createdDate"},
        "weekDay": "WEDNESDAY"
    })
}

// ---------------------------------------------------------------------------------------
// Connectors
// ---------------------------------------------------------------------------------------

#[test]
fn delete_acr_connector_sends_the_release_notes_body() {
    let request = api::delete_acr_connector(&json!(ACR_CONNECTOR_ID)).unwrap();
    assert_eq!(request.method, Method::Delete);
    assert_eq!(request.method.as_str(), "DELETE");
    assert_eq!(request.path, "/registry/acr/connector");
    assert!(request.query.is_empty());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/registry/acr/connector")
    );
    assert_eq!(request.headers(Some(&token())), headers_with_body());
    assert_eq!(body_of(&request), Some(json(DELETE_ACR_REQUEST)));
    assert_eq!(
        serde_json::to_string(request.body.as_ref().unwrap()).unwrap(),
        r#"{"connectorId":"f3c6d648-81d8-11ed-a1eb-0242ac120003"}"#
    );
}

#[test]
fn delete_aws_connector_sends_the_repaired_release_notes_body() {
    let request = api::delete_aws_connector(&json!(AWS_CONNECTOR_ARN)).unwrap();
    assert_eq!(request.method, Method::Delete);
    assert_eq!(request.path, "/registry/aws/connector");
    assert!(request.query.is_empty());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/registry/aws/connector")
    );
    assert_eq!(request.headers(Some(&token())), headers_with_body());
    assert_eq!(body_of(&request), Some(json(DELETE_AWS_REQUEST)));
    // The notes' sample has a trailing comma; what is sent never does.
    assert_eq!(
        serde_json::to_string(request.body.as_ref().unwrap()).unwrap(),
        r#"{"arn":"arn:aws:iam::362990800442:role/test_UID1"}"#
    );
}

#[test]
fn delete_aws_connector_accepts_the_other_partitions_and_role_paths() {
    for arn in [
        "arn:aws-cn:iam::123456789012:role/name",
        "arn:aws-us-gov:iam::123456789012:role/path/to/name",
        "arn:aws:iam::123456789012:role/with+=,.@_-chars",
    ] {
        let request = api::delete_aws_connector(&json!(arn)).unwrap();
        assert_eq!(body_of(&request), Some(json!({ "arn": arn })));
    }
}

#[test]
fn delete_acr_connector_accepts_upper_case_uuids_unchanged() {
    let request =
        api::delete_acr_connector(&json!("F3C6D648-81D8-11ED-A1EB-0242AC120003")).unwrap();
    assert_eq!(
        body_of(&request),
        Some(json!({"connectorId": "F3C6D648-81D8-11ED-A1EB-0242AC120003"}))
    );
}

// ---------------------------------------------------------------------------------------
// Registry schedules
// ---------------------------------------------------------------------------------------

#[test]
fn list_registry_schedules_defaults_to_page_1_of_50() {
    for page in [Value::Null, json!({}), json!({"pageNumber": null})] {
        let request = api::list_registry_schedules(&json!(REGISTRY_ID), &page).unwrap();
        assert_eq!(request.method, Method::Get);
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.path, format!("/registry/{REGISTRY_ID}/schedule"));
        assert_eq!(request.query, default_page_query());
        assert_eq!(request.body, None);
        assert_eq!(request.headers(Some(&token())), headers_without_body());
        // The release notes' own request URL.
        assert_eq!(
            url_on_every_spelling_of_the_gateway(&request),
            url("/registry/ef91aff4-5679-4c0d-9fc0-523ca7f218f4/schedule?pageNumber=1&pageSize=50")
        );
    }
}

#[test]
fn list_registry_schedules_sends_the_page_asked_for() {
    let request = api::list_registry_schedules(
        &json!(REGISTRY_ID),
        &json!({"pageNumber": 3, "pageSize": 1000}),
    )
    .unwrap();
    assert_eq!(
        request.query,
        vec![
            ("pageNumber", "3".to_owned()),
            ("pageSize", "1000".to_owned())
        ]
    );
    assert_eq!(
        request.url(&base_url()),
        url(&format!(
            "/registry/{REGISTRY_ID}/schedule?pageNumber=3&pageSize=1000"
        ))
    );

    // One of the two given: the other keeps its default. Whole doubles are whole numbers.
    let request =
        api::list_registry_schedules(&json!(REGISTRY_ID), &json!({"pageSize": 10.0})).unwrap();
    assert_eq!(
        request.query,
        vec![
            ("pageNumber", "1".to_owned()),
            ("pageSize", "10".to_owned())
        ]
    );
}

#[test]
fn create_registry_schedule_sends_the_release_notes_body_as_valid_json() {
    let input = json(CREATE_SCHEDULE_REQUEST);
    let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(
        request.path,
        format!("/registry/{CREATE_REGISTRY_ID}/schedule")
    );
    assert!(request.query.is_empty());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/registry/fd05c5d5-7583-4e47-b538-c8b414bd9c86/schedule")
    );
    assert_eq!(request.headers(Some(&token())), headers_with_body());
    assert_eq!(body_of(&request), Some(input.clone()));
    assert_eq!(body_text_is_valid_json(&request), input);
}

#[test]
fn update_registry_schedule_sends_the_same_body_to_the_schedules_url() {
    let input = json(CREATE_SCHEDULE_REQUEST);
    let request =
        api::update_registry_schedule(&json!(REGISTRY_ID), &json!(SCHEDULE_ID), &input).unwrap();
    assert_eq!(request.method, Method::Put);
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(
        request.path,
        format!("/registry/{REGISTRY_ID}/schedule/{SCHEDULE_ID}")
    );
    assert!(request.query.is_empty());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/registry/ef91aff4-5679-4c0d-9fc0-523ca7f218f4/schedule/633e7b79-c43d-4bb2-bd07-c8a06edc8a4c")
    );
    assert_eq!(request.headers(Some(&token())), headers_with_body());
    assert_eq!(body_of(&request), Some(input));
}

#[test]
fn days_zero_is_accepted_and_sent_back_unchanged() {
    let mut input = json(CREATE_SCHEDULE_REQUEST);
    input["filters"][0]["days"] = json!(0);
    let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
    let body = body_of(&request).unwrap();
    assert_eq!(body["filters"][0]["days"], json!(0));
    assert_eq!(body, input);
}

#[test]
fn every_allowed_days_value_is_sent_unchanged() {
    for days in [
        json!(null),
        json!(0),
        json!(1),
        json!(2),
        json!(3),
        json!(4),
        json!(5),
        json!(6),
        json!(7),
        json!(14),
    ] {
        let mut input = json(CREATE_SCHEDULE_REQUEST);
        input["filters"][0]["days"] = days.clone();
        let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
        assert_eq!(body_of(&request).unwrap()["filters"][0]["days"], days);
    }
}

#[test]
fn a_schedule_decoded_from_the_list_sample_can_be_sent_back_to_update_unchanged() {
    let page: Page<RegistrySchedule> = decode_json(
        &json_response(200, LIST_SCHEDULES_RESPONSE),
        &SerdeJsonParser,
    )
    .unwrap();
    let schedule = &page.data[0];
    let as_input = serde_json::to_value(schedule).unwrap();
    let request = api::update_registry_schedule(
        &json!(REGISTRY_ID),
        &json!(schedule.schedule_uuid),
        &as_input,
    )
    .unwrap();
    assert_eq!(
        request.url(&base_url()),
        url(&format!("/registry/{REGISTRY_ID}/schedule/{SCHEDULE_ID}"))
    );
    // Read-only fields (scheduleUuid, status, errors, the timestamps) are not sent.
    assert_eq!(body_of(&request), Some(listed_schedule_body()));
}

#[test]
fn a_schedule_as_the_server_listed_it_can_be_sent_back_to_update_unchanged() {
    let request = api::update_registry_schedule(
        &json!(REGISTRY_ID),
        &json!(SCHEDULE_ID),
        &listed_schedule_wire(),
    )
    .unwrap();
    assert_eq!(body_of(&request), Some(listed_schedule_body()));
}

#[test]
fn the_other_spelling_of_the_interval_is_sent_under_the_documented_name() {
    let mut input = json(CREATE_SCHEDULE_REQUEST);
    let object = input.as_object_mut().unwrap();
    object.remove("scheduleIntervalInDays");
    object.insert("scheduleScanIntervalInDays".to_owned(), json!(7));
    let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
    assert_eq!(body_of(&request), Some(json(CREATE_SCHEDULE_REQUEST)));
}

#[test]
fn an_on_demand_schedule_needs_no_time_and_sends_only_what_was_given() {
    let input = json!({
        "onDemand": true,
        "filters": [{"repoTags": [{"repo": "azuretest", "tag": "latest"}]}]
    });
    let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
    assert_eq!(
        body_of(&request),
        Some(json!({
            "filters": [{"repoTags": [{"repo": "azuretest", "tag": "latest"}], "days": null}],
            "onDemand": true
        }))
    );
}

#[test]
fn a_daily_schedule_without_filters_sends_an_empty_filter_list() {
    let input = json!({"schedule": "00:00", "scheduleIntervalInDays": 1});
    let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
    assert_eq!(
        body_of(&request),
        Some(json!({
            "filters": [],
            "onDemand": false,
            "schedule": "00:00",
            "scheduleIntervalInDays": 1
        }))
    );
}

#[test]
fn null_optional_fields_are_left_out_of_the_body() {
    let input = json!({
        "schedule": "23:59",
        "name": null,
        "forceScan": null,
        "registryType": null,
        "additionalFilters": null,
        "weekDay": null,
        "scheduleIntervalInDays": null,
        "filters": null,
        "onDemand": null
    });
    let request = api::create_registry_schedule(&json!(CREATE_REGISTRY_ID), &input).unwrap();
    assert_eq!(
        body_of(&request),
        Some(json!({"filters": [], "onDemand": false, "schedule": "23:59"}))
    );
}

// ---------------------------------------------------------------------------------------
// Sensor profiles
// ---------------------------------------------------------------------------------------

fn profile_input() -> Value {
    json!({
        "profileName": "Registry sensors",
        "description": "Applied to every registry sensor",
        "profileType": "Registry",
        "config": {
            "blackoutConfig": [{"day": "SUNDAY", "start": "01:00", "end": "03:00"}],
            "performance": {"cpuLimit": 20}
        },
        "associatedRegistries": ["ef91aff4-5679-4c0d-9fc0-523ca7f218f4"],
        "associatedSensors": []
    })
}

#[test]
fn list_sensor_profiles_defaults_to_page_1_of_50() {
    let request = api::list_sensor_profiles(&Value::Null).unwrap();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.path, "/sensorProfile");
    assert_eq!(request.query, default_page_query());
    assert_eq!(request.body, None);
    assert_eq!(request.headers(Some(&token())), headers_without_body());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/sensorProfile?pageNumber=1&pageSize=50")
    );

    let request = api::list_sensor_profiles(&json!({"pageNumber": 2, "pageSize": 1})).unwrap();
    assert_eq!(
        request.url(&base_url()),
        url("/sensorProfile?pageNumber=2&pageSize=1")
    );
}

#[test]
fn get_sensor_profile_has_no_body_and_no_content_type() {
    let request = api::get_sensor_profile(&json!(PROFILE_ID)).unwrap();
    assert_eq!(request.method, Method::Get);
    assert_eq!(request.path, format!("/sensorProfile/{PROFILE_ID}"));
    assert!(request.query.is_empty());
    assert_eq!(request.body, None);
    assert_eq!(request.headers(Some(&token())), headers_without_body());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/sensorProfile/6963d471-7598-4d4d-b95c-e540c75745b2")
    );
}

#[test]
fn create_sensor_profile_sends_every_field_given() {
    let request = api::create_sensor_profile(&profile_input()).unwrap();
    assert_eq!(request.method, Method::Post);
    assert_eq!(request.path, "/sensorProfile");
    assert!(request.query.is_empty());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/sensorProfile")
    );
    assert_eq!(request.headers(Some(&token())), headers_with_body());
    assert_eq!(body_of(&request), Some(profile_input()));
    assert_eq!(body_text_is_valid_json(&request), profile_input());
}

#[test]
fn create_sensor_profile_with_only_a_name_sends_only_the_name() {
    let request = api::create_sensor_profile(&json!({"profileName": "Minimal"})).unwrap();
    assert_eq!(body_of(&request), Some(json!({"profileName": "Minimal"})));
    // Null modelled fields are dropped; unmodelled ones are sent as given.
    let request = api::create_sensor_profile(
        &json!({"profileName": "Minimal", "description": null, "config": null, "extra": null}),
    )
    .unwrap();
    assert_eq!(
        body_of(&request),
        Some(json!({"profileName": "Minimal", "extra": null}))
    );
}

#[test]
fn update_sensor_profile_sends_the_body_to_the_profiles_url() {
    let request = api::update_sensor_profile(&json!(PROFILE_ID), &profile_input()).unwrap();
    assert_eq!(request.method, Method::Put);
    assert_eq!(request.path, format!("/sensorProfile/{PROFILE_ID}"));
    assert!(request.query.is_empty());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/sensorProfile/6963d471-7598-4d4d-b95c-e540c75745b2")
    );
    assert_eq!(request.headers(Some(&token())), headers_with_body());
    assert_eq!(body_of(&request), Some(profile_input()));
}

#[test]
fn a_sensor_profile_read_from_the_server_is_sent_back_without_server_set_fields() {
    let wire = json!({
        "profileUuid": PROFILE_ID,
        "profileName": "Registry sensors",
        "description": null,
        "profileType": "Registry",
        "created": 1_675_678_279_909_i64,
        "updated": null,
        "config": {"performance": {"cpuLimit": 20}},
        "futureField": [1, 2]
    });
    let profile: qualys_cs::model::SensorProfile =
        decode_json(&json_response(200, &wire.to_string()), &SerdeJsonParser).unwrap();
    let request =
        api::update_sensor_profile(&json!(PROFILE_ID), &serde_json::to_value(&profile).unwrap())
            .unwrap();
    assert_eq!(
        body_of(&request),
        Some(json!({
            "profileName": "Registry sensors",
            "profileType": "Registry",
            "config": {"performance": {"cpuLimit": 20}},
            "futureField": [1, 2]
        }))
    );
}

#[test]
fn delete_sensor_profile_has_no_body_and_no_content_type() {
    let request = api::delete_sensor_profile(&json!(PROFILE_ID)).unwrap();
    assert_eq!(request.method, Method::Delete);
    assert_eq!(request.path, format!("/sensorProfile/{PROFILE_ID}"));
    assert!(request.query.is_empty());
    assert_eq!(request.body, None);
    assert_eq!(request.headers(Some(&token())), headers_without_body());
    assert_eq!(
        url_on_every_spelling_of_the_gateway(&request),
        url("/sensorProfile/6963d471-7598-4d4d-b95c-e540c75745b2")
    );
}

// ---------------------------------------------------------------------------------------
// The gateway and the token
// ---------------------------------------------------------------------------------------

#[test]
fn the_api_prefix_is_csapi_v1_3() {
    assert_eq!(API_PREFIX, "/csapi/v1.3");
}

#[test]
fn a_client_config_gives_the_same_urls_with_or_without_a_trailing_slash() {
    let request = api::get_sensor_profile(&json!(PROFILE_ID)).unwrap();
    for base in [GATEWAY, "https://gateway.qg1.apps.qualys.com/"] {
        let config = ClientConfig::from_options(&json!({"baseUrl": base, "token": TOKEN})).unwrap();
        assert_eq!(config.gateway.base_url.as_str(), GATEWAY);
        assert_eq!(
            request.url(&config.gateway.base_url),
            url("/sensorProfile/6963d471-7598-4d4d-b95c-e540c75745b2")
        );
        assert_eq!(
            request.headers(config.token.as_ref()),
            headers_without_body()
        );
    }
}

#[test]
fn a_gateway_with_a_path_or_on_loopback_keeps_it_before_the_api_prefix() {
    let request = api::list_sensor_profiles(&Value::Null).unwrap();
    let base = BaseUrl::parse("http://127.0.0.1:8080/proxy/").unwrap();
    assert_eq!(
        request.url(&base),
        "http://127.0.0.1:8080/proxy/csapi/v1.3/sensorProfile?pageNumber=1&pageSize=50"
    );
}

#[test]
fn the_token_is_trimmed_in_the_authorization_header() {
    let config = ClientConfig::from_options(&json!({
        "baseUrl": GATEWAY,
        "token": format!("  {TOKEN}\n")
    }));
    // A newline is a control character: refused, not trimmed.
    let error = config.unwrap_err();
    assert_eq!(error.code, qualys_cs::ErrorCode::Validation);
    assert_eq!(error.issues.len(), 1);
    assert_eq!(error.issues[0].field, "token");
    assert_eq!(
        error.issues[0].message,
        "must be printable ASCII, as a JWT is"
    );
    let config =
        ClientConfig::from_options(&json!({"baseUrl": GATEWAY, "token": format!("  {TOKEN} ")}))
            .unwrap();
    let request = api::delete_sensor_profile(&json!(PROFILE_ID)).unwrap();
    assert_eq!(
        request.headers(config.token.as_ref()),
        headers_without_body()
    );
}
