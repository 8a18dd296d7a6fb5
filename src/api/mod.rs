//! The API without I/O: each endpoint as a [`Request`] value, and the decoding of an
//! answer into a value or an [`Error`](crate::Error).
//!
//! A transport (the wasm layer's `fetch`, or a test) sends the request it is given and
//! hands back a [`RawResponse`]; nothing in here performs I/O.

mod client_config;
mod login;
mod request;
mod response;
mod retry;

pub use client_config::{BaseUrl, ClientConfig, GatewayConfig, Token};
pub use login::{decode_login, login, token_expires_at_ms, DEFAULT_TOKEN_LIFETIME_MS};
pub use request::{LoginForm, Method, Request, RequestBody};
pub use response::SerdeJsonParser;
pub use response::{
    check_json_answer, decode_created_schedule, decode_created_sensor_profile, decode_empty,
    decode_json, JsonParser, RawResponse,
};
pub use retry::{retry_delay_ms, RetryPolicy};

use crate::error::Error;
use crate::model::{AcrConnectorDeletion, AwsConnectorDeletion};
use crate::validate::{self, all_of};
use serde_json::Value;

/// The prefix of every Container Security path on a gateway.
pub const API_PREFIX: &str = "/csapi/v1.3";

/// `DELETE /registry/acr/connector` with `{ "connectorId" }`: deletes an ACR connector
/// that no registry uses (a used one answers 412).
pub fn delete_acr_connector(connector_id: &Value) -> Result<Request, Error> {
    let connector_id =
        validate::uuid_param("connectorId", connector_id).map_err(Error::validation)?;
    let body = RequestBody::AcrConnector(AcrConnectorDeletion { connector_id });
    Ok(Request::new(Method::Delete, "/registry/acr/connector".to_owned()).with_body(body))
}

/// `DELETE /registry/aws/connector` with `{ "arn" }`: deletes an AWS ECR connector that
/// no registry uses (a used one answers 412).
pub fn delete_aws_connector(arn: &Value) -> Result<Request, Error> {
    let arn = validate::arn_param(arn).map_err(Error::validation)?;
    let body = RequestBody::AwsConnector(AwsConnectorDeletion { arn });
    Ok(Request::new(Method::Delete, "/registry/aws/connector".to_owned()).with_body(body))
}

/// `GET /registry/{registryId}/schedule?pageNumber&pageSize`: one page of a registry's
/// scan schedules.
pub fn list_registry_schedules(registry_id: &Value, page: &Value) -> Result<Request, Error> {
    let (registry_id, page) = all_of(
        validate::uuid_param("registryId", registry_id),
        validate::page_request(page),
    )
    .map_err(Error::validation)?;
    Ok(Request::new(Method::Get, format!("/registry/{registry_id}/schedule")).with_page(page))
}

/// `POST /registry/{registryId}/schedule`: creates a scan schedule.
pub fn create_registry_schedule(registry_id: &Value, input: &Value) -> Result<Request, Error> {
    let (registry_id, input) = all_of(
        validate::uuid_param("registryId", registry_id),
        validate::registry_schedule_input(input),
    )
    .map_err(Error::validation)?;
    Ok(
        Request::new(Method::Post, format!("/registry/{registry_id}/schedule"))
            .with_body(RequestBody::Schedule(input)),
    )
}

/// `PUT /registry/{registryId}/schedule/{scheduleId}`: replaces an idle automatic
/// schedule.
pub fn update_registry_schedule(
    registry_id: &Value,
    schedule_id: &Value,
    input: &Value,
) -> Result<Request, Error> {
    let ((registry_id, schedule_id), input) = all_of(
        all_of(
            validate::uuid_param("registryId", registry_id),
            validate::uuid_param("scheduleId", schedule_id),
        ),
        validate::registry_schedule_input(input),
    )
    .map_err(Error::validation)?;
    let path = format!("/registry/{registry_id}/schedule/{schedule_id}");
    Ok(Request::new(Method::Put, path).with_body(RequestBody::Schedule(input)))
}

/// `GET /sensorProfile?pageNumber&pageSize`: one page of sensor profiles.
pub fn list_sensor_profiles(page: &Value) -> Result<Request, Error> {
    let page = validate::page_request(page).map_err(Error::validation)?;
    Ok(Request::new(Method::Get, "/sensorProfile".to_owned()).with_page(page))
}

/// `GET /sensorProfile/{sensorProfileId}`: one sensor profile.
pub fn get_sensor_profile(sensor_profile_id: &Value) -> Result<Request, Error> {
    let id =
        validate::uuid_param("sensorProfileId", sensor_profile_id).map_err(Error::validation)?;
    Ok(Request::new(Method::Get, format!("/sensorProfile/{id}")))
}

/// `POST /sensorProfile`: creates a sensor profile.
pub fn create_sensor_profile(input: &Value) -> Result<Request, Error> {
    let input = validate::sensor_profile_input(input).map_err(Error::validation)?;
    Ok(Request::new(Method::Post, "/sensorProfile".to_owned())
        .with_body(RequestBody::SensorProfile(input)))
}

/// `PUT /sensorProfile/{sensorProfileId}`: replaces a sensor profile.
pub fn update_sensor_profile(sensor_profile_id: &Value, input: &Value) -> Result<Request, Error> {
    let (id, input) = all_of(
        validate::uuid_param("sensorProfileId", sensor_profile_id),
        validate::sensor_profile_input(input),
    )
    .map_err(Error::validation)?;
    Ok(Request::new(Method::Put, format!("/sensorProfile/{id}"))
        .with_body(RequestBody::SensorProfile(input)))
}

/// `DELETE /sensorProfile/{sensorProfileId}`: deletes a sensor profile.
pub fn delete_sensor_profile(sensor_profile_id: &Value) -> Result<Request, Error> {
    let id =
        validate::uuid_param("sensorProfileId", sensor_profile_id).map_err(Error::validation)?;
    Ok(Request::new(Method::Delete, format!("/sensorProfile/{id}")))
}
