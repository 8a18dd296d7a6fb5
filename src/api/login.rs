//! The gateway's login (`POST {gateway}/auth`) and the lifetime of the JWT it issues.

use super::request::{LoginForm, Method, Request};
use super::response::{check_status, JsonParser, RawResponse};
use crate::error::Error;
use crate::validate::Issues;
use base64::Engine;
use serde::Deserialize;
use serde_json::Value;

/// How long a token lives when its `exp` cannot be read: the gateway's four hours.
pub const DEFAULT_TOKEN_LIFETIME_MS: i64 = 4 * 60 * 60 * 1000;

/// Builds the login request from `{ username, password }`.
///
/// The password is checked for presence only and never quoted in an issue.
pub fn login(username: &Value, password: &Value) -> Result<Request, Error> {
    let mut issues = Issues::default();
    let mut text = |key: &str, value: &Value| match value {
        Value::String(text) if !text.is_empty() => text.clone(),
        Value::String(_) => {
            issues.add(key, "must not be empty");
            String::new()
        }
        Value::Null => {
            issues.add(key, "is required");
            String::new()
        }
        _ => {
            issues.add(key, "must be a string");
            String::new()
        }
    };
    let username = text("username", username);
    let password = text("password", password);
    let form = LoginForm { username, password };
    issues.finish(()).map_err(Error::validation)?;

    let mut request = Request::new(Method::Post, "/auth".to_owned());
    request.prefix = "";
    request.form = Some(form);
    Ok(request)
}

/// Reads the token from a login answer: HTTP 201 (or 200) with the JWT as plain text.
pub fn decode_login<P: JsonParser>(response: &RawResponse, parser: &P) -> Result<String, Error> {
    check_status(response, parser).map_err(|mut error| {
        if error.code == crate::error::ErrorCode::Unauthorized {
            error.message = match &error.server_message {
                Some(text) => format!("the user name or password was refused (HTTP 401): {text}"),
                None => "the user name or password was refused (HTTP 401)".to_owned(),
            };
        }
        error
    })?;
    let token = response.body.trim();
    // A JWT is base64url text with dots; a JSON or HTML body (a proxy's page, an error
    // object sent with a success status) is not a token, however it is spelled.
    let printable = token.chars().all(|c| c.is_ascii_graphic());
    let markup = token.starts_with(['{', '[', '<', '"']);
    if token.is_empty() || !printable || markup {
        return Err(Error {
            status: Some(response.status),
            ..Error::decode("the login answer carries no token")
        });
    }
    Ok(token.to_owned())
}

#[derive(Deserialize)]
struct Claims {
    #[serde(default)]
    exp: Option<f64>,
}

/// When the JWT `token` expires, in epoch milliseconds, read from its `exp` claim;
/// `None` when the token is not a JWT or has no readable `exp`.
pub fn token_expires_at_ms<P: JsonParser>(token: &str, parser: &P) -> Option<i64> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(payload.trim_end_matches('='))
        .ok()?;
    let text = String::from_utf8(bytes).ok()?;
    let seconds = parser.parse::<Claims>(&text).ok()?.exp?;
    let millis = seconds * 1000.0;
    #[allow(clippy::cast_possible_truncation)]
    (millis.is_finite() && millis.abs() < 9.0e15).then_some(millis as i64)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::api::{BaseUrl, SerdeJsonParser};
    use crate::error::ErrorCode;
    use serde_json::json;

    fn answer(status: u16, body: &str) -> RawResponse {
        RawResponse {
            status,
            headers: vec![("content-type".to_owned(), "text/plain".to_owned())],
            body: body.to_owned(),
            received_at_ms: None,
        }
    }

    #[test]
    fn the_login_request_is_a_form_post_to_the_gateway_root() {
        let request = login(&json!("qualys_admin"), &json!("p&ss w=rd")).unwrap();
        let base = BaseUrl::parse("https://gateway.qg1.apps.qualys.com/").unwrap();
        assert_eq!(
            request.url(&base),
            "https://gateway.qg1.apps.qualys.com/auth"
        );
        assert_eq!(request.method, Method::Post);
        assert_eq!(
            request.form.as_ref().unwrap().encode(),
            "username=qualys_admin&password=p%26ss+w%3Drd&token=true"
        );
        assert!(request.headers(None).contains(&(
            "Content-Type",
            "application/x-www-form-urlencoded".to_owned()
        )));
        assert!(!format!("{request:?}").contains("p&ss"));
    }

    #[test]
    fn missing_credentials_are_refused_without_quoting_them() {
        let error = login(&json!(""), &json!(42)).unwrap_err();
        assert_eq!(error.code, ErrorCode::Validation);
        let fields: Vec<&str> = error.issues.iter().map(|i| i.field.as_str()).collect();
        assert_eq!(fields, ["username", "password"]);
        assert!(!error.message.contains("42"));
    }

    #[test]
    fn a_201_answer_carries_the_token_and_a_401_is_unauthorized() {
        let token = decode_login(&answer(201, "eyJ.a.b\n"), &SerdeJsonParser).unwrap();
        assert_eq!(token, "eyJ.a.b");
        let error = decode_login(&answer(401, "bad credentials"), &SerdeJsonParser).unwrap_err();
        assert_eq!(error.code, ErrorCode::Unauthorized);
        let empty = decode_login(&answer(201, " "), &SerdeJsonParser).unwrap_err();
        assert_eq!(empty.code, ErrorCode::Decode);
        let json = decode_login(&answer(201, r#"{"token":null}"#), &SerdeJsonParser).unwrap_err();
        assert_eq!(json.code, ErrorCode::Decode);
    }

    #[test]
    fn the_expiry_is_read_from_the_exp_claim() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(r#"{"sub":"qualys_admin","exp":1675692679}"#);
        let token = format!("eyJhbGciOiJub25lIn0.{payload}.sig");
        assert_eq!(
            token_expires_at_ms(&token, &SerdeJsonParser),
            Some(1_675_692_679_000)
        );
        assert_eq!(token_expires_at_ms("admin-token", &SerdeJsonParser), None);
        assert_eq!(token_expires_at_ms("a.!!!.c", &SerdeJsonParser), None);
    }
}
