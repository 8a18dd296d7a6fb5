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

/// The form body of the gateway login, `username`, `password` and `token=true`. Its
/// `Debug` form hides the password.
#[derive(Clone, PartialEq, Eq)]
pub struct LoginForm {
    /// The Qualys user name.
    pub username: String,
    /// The user's password.
    pub password: String,
}

impl LoginForm {
    /// The body as `application/x-www-form-urlencoded` text.
    pub fn encode(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .append_pair("username", &self.username)
            .append_pair("password", &self.password)
            .append_pair("token", "true")
            .finish()
    }
}

impl std::fmt::Debug for LoginForm {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LoginForm")
            .field("username", &self.username)
            .field("password", &"<hidden>")
            .finish()
    }
}

/// One call to the API: method, path below [`API_PREFIX`], query and JSON body.
///
/// Path segments are validated UUIDs, so the path needs no escaping.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The HTTP method.
    pub method: Method,
    /// What comes between the gateway and `path`: [`API_PREFIX`] for the CS API, empty
    /// for the gateway's own `/auth`.
    pub prefix: &'static str,
    /// The path below `prefix`, starting with `/`.
    pub path: String,
    /// Query parameters, in order.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if the call has one.
    pub body: Option<RequestBody>,
    /// The form body of a login; a request has this or `body`, never both.
    pub form: Option<LoginForm>,
}

impl Request {
    pub(crate) fn new(method: Method, path: String) -> Request {
        Request {
            method,
            prefix: API_PREFIX,
            path,
            query: Vec::new(),
            body: None,
            form: None,
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
        let mut url = format!("{}{}{}", base.as_str(), self.prefix, self.path);
        for (index, (name, value)) in self.query.iter().enumerate() {
            url.push(if index == 0 { '?' } else { '&' });
            url.push_str(name);
            url.push('=');
            url.push_str(value);
        }
        url
    }

    /// The headers to send: `Accept`, `Authorization` (when there is a token; a login
    /// has none) and, with a body, `Content-Type`.
    pub fn headers(&self, token: Option<&Token>) -> Vec<(&'static str, String)> {
        let mut headers = vec![("Accept", "application/json".to_owned())];
        if let Some(token) = token {
            headers.push(("Authorization", format!("Bearer {}", token.expose())));
        }
        if self.body.is_some() {
            headers.push(("Content-Type", "application/json".to_owned()));
        }
        if self.form.is_some() {
            headers.push((
                "Content-Type",
                "application/x-www-form-urlencoded".to_owned(),
            ));
        }
        headers
    }

    /// Whether sending this request twice has the effect of sending it once, which is
    /// what makes a retry safe: `GET`, `PUT` and `DELETE` are, `POST` (a create or a
    /// login) is not.
    pub fn is_idempotent(&self) -> bool {
        self.method != Method::Post
    }
}
