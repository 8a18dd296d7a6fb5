//! A request as plain data: what to send, not how.

use super::client_config::{BaseUrl, Token};
use super::API_PREFIX;
use crate::model::{
    AcrConnectorDeletion, AwsConnectorDeletion, PageRequest, RegistryScheduleInput,
    SensorProfileInput,
};
use serde::Serialize;

/// The HTTP methods the API uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// `GET`.
    Get,
    /// `POST`.
    Post,
    /// `PUT`.
    Put,
    /// `DELETE`.
    Delete,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Delete => "DELETE",
        }
    }
}

/// A JSON request body, already validated.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum RequestBody {
    /// `{ "connectorId" }` of an ACR connector deletion.
    AcrConnector(AcrConnectorDeletion),
    /// `{ "arn" }` of an AWS ECR connector deletion.
    AwsConnector(AwsConnectorDeletion),
    /// A registry scan schedule to create or update.
    Schedule(RegistryScheduleInput),
    /// A sensor profile to create or update.
    SensorProfile(SensorProfileInput),
}

/// One call to the API: method, path below [`API_PREFIX`], query and JSON body.
///
/// Path segments are validated UUIDs, so the path needs no escaping.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// The path below `/csapi/v1.3`, starting with `/`.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if the call has one.
    pub body: Option<RequestBody>,
}

impl Request {
    pub(crate) fn new(method: Method, path: String) -> Request {
        Request {
            method,
            path,
            query: Vec::new(),
            body: None,
        }
    }

    pub(crate) fn with_body(mut self, body: RequestBody) -> Request {
        self.body = Some(body);
        self
    }

    pub(crate) fn with_page(mut self, page: PageRequest) -> Request {
        self.query
            .push(("pageNumber", page.page_number.to_string()));
        self.query.push(("pageSize", page.page_size.to_string()));
        self
    }

    /// The full URL on the gateway `base`, query included.
    pub fn url(&self, base: &BaseUrl) -> String {
        let mut url = format!("{}{API_PREFIX}{}", base.as_str(), self.path);
        for (index, (name, value)) in self.query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        url
    }

    /// The headers to send: `Accept`, `Authorization` and, with a body, `Content-Type`.
    pub fn headers(&self, token: &Token) -> Vec<(&'static str, String)> {
        let mut headers = vec![
            ("Accept", "application/json".to_owned()),
            ("Authorization", format!("Bearer {}", token.expose())),
        ];
        if self.body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        headers
    }
}
