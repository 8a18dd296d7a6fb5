//! What the native core tests share: the release notes' samples, the ids they use and
//! small constructors for answers and settings.
//!
//! Each `tests/core_*.rs` target uses only part of this module.
#![allow(dead_code)]

use qualys_cs::api::{BaseUrl, RawResponse, Token};
use serde_json::Value;

/// The list sample of the release notes, verbatim (string timestamps, `"days": 0`).
pub const LIST_SCHEDULES_RESPONSE: &str = include_str!("../fixtures/list_schedules_response.json");
/// The create-schedule request body of the release notes (repaired: a comma added).
pub const CREATE_SCHEDULE_REQUEST: &str = include_str!("../fixtures/create_schedule_request.json");
/// The create-schedule answer of the release notes, `{"profileUuid": ...}`.
pub const CREATE_SCHEDULE_RESPONSE: &str =
    include_str!("../fixtures/create_schedule_response.json");
/// The ACR connector deletion body of the release notes.
pub const DELETE_ACR_REQUEST: &str = include_str!("../fixtures/delete_acr_request.json");
/// The AWS connector deletion body of the release notes (repaired: trailing comma removed).
pub const DELETE_AWS_REQUEST: &str = include_str!("../fixtures/delete_aws_request.json");
/// The 403 bodies of the release notes' sensor-profile table.
pub const FORBIDDEN_VIEW: &str = include_str!("../fixtures/forbidden_view.json");
pub const FORBIDDEN_DELETE: &str = include_str!("../fixtures/forbidden_delete.json");
pub const FORBIDDEN_UPDATE: &str = include_str!("../fixtures/forbidden_update.json");
pub const FORBIDDEN_CREATE: &str = include_str!("../fixtures/forbidden_create.json");

/// The gateway of US1, as the DOMAIN page gives it.
pub const GATEWAY: &str = "https://gateway.qg1.apps.qualys.com";
/// A token for building headers; no real secret.
pub const TOKEN: &str = "eyJhbGciOiJIUzI1NiJ9.test-payload.test-signature";

/// The registry of the list sample.
pub const REGISTRY_ID: &str = "ef91aff4-5679-4c0d-9fc0-523ca7f218f4";
/// The registry of the create sample.
pub const CREATE_REGISTRY_ID: &str = "fd05c5d5-7583-4e47-b538-c8b414bd9c86";
/// The schedule of the list sample.
pub const SCHEDULE_ID: &str = "633e7b79-c43d-4bb2-bd07-c8a06edc8a4c";
/// The ACR connector of the release notes.
pub const ACR_CONNECTOR_ID: &str = "f3c6d648-81d8-11ed-a1eb-0242ac120003";
/// The ECR connector ARN of the release notes.
pub const AWS_CONNECTOR_ARN: &str = "arn:aws:iam::362990800442:role/test_UID1";
/// The id the create sample answers (used here as a sensor profile id too).
pub const PROFILE_ID: &str = "6963d471-7598-4d4d-b95c-e540c75745b2";

/// Parses a fixture (or any JSON text a test wrote) into a value.
pub fn json(text: &str) -> Value {
    serde_json::from_str(text).expect("the fixture is valid JSON")
}

/// The gateway as a checked base URL.
pub fn base_url() -> BaseUrl {
    BaseUrl::parse(GATEWAY).expect("the gateway URL is valid")
}

/// The test token, checked.
pub fn token() -> Token {
    Token::parse(TOKEN).expect("the test token is valid")
}

/// An answer with `status`, one `content-type` header and `body`.
pub fn response(status: u16, content_type: &str, body: &str) -> RawResponse {
    RawResponse {
        status,
        headers: vec![("content-type".to_owned(), content_type.to_owned())],
        body: body.to_owned(),
        received_at_ms: None,
    }
}

/// A JSON answer with `status` and `body`.
pub fn json_response(status: u16, body: &str) -> RawResponse {
    response(status, "application/json", body)
}
