//! The client's settings, checked once when the client is made.

use crate::error::Error;
use crate::validate::Issues;
use serde_json::Value;
use std::fmt;

/// A gateway URL such as `https://gateway.qg1.apps.qualys.com`, without a trailing
/// slash, so that `baseUrl` with or without one gives the same request URLs.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Checks `text` and keeps it without its trailing slashes.
    ///
    /// It must be `https://`, or `http://` to a loopback host (`localhost`,
    /// `127.0.0.0/8`, `[::1]`) so that a token is never sent in clear over a network.
    /// User info, a query and a fragment are refused: the API paths are appended to it.
    pub fn parse(text: &str) -> Result<BaseUrl, String> {
        let trimmed = text.trim_end_matches('/');
        let (scheme, rest) = trimmed
            .split_once("://")
            .ok_or("must be an absolute URL such as https://gateway.qg1.apps.qualys.com")?;
        let authority = rest.split('/').next().unwrap_or_default();
        if authority.is_empty() {
            return Err("must name a host".to_owned());
        }
        if trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
            || rest.contains(['?', '#', '@', '\\'])
        {
            return Err(
                "must be a plain URL without spaces, user info, query or fragment".to_owned(),
            );
        }
        match scheme.to_ascii_lowercase().as_str() {
            "https" => {}
            "http" if is_loopback(authority) => {}
            "http" => {
                return Err(
                    "must use https:// (plain http:// is accepted only for a loopback host)"
                        .to_owned(),
                )
            }
            _ => return Err("must start with https://".to_owned()),
        }
        Ok(BaseUrl(trimmed.to_owned()))
    }

    /// The URL, without a trailing slash.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

/// Whether an authority (`host[:port]`) names this machine. The port, when given, must
/// be a number, so that `127.0.0.1:80.example.com` is not taken for a loopback host.
fn is_loopback(authority: &str) -> bool {
    let (host, port) = if let Some(bracketed) = authority.strip_prefix('[') {
        let Some((host, rest)) = bracketed.split_once(']') else {
            return false;
        };
        match rest {
            "" => (host, None),
            _ => match rest.strip_prefix(':') {
                Some(port) => (host, Some(port)),
                None => return false,
            },
        }
    } else {
        match authority.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (authority, None),
        }
    };
    if port.is_some_and(|port| port.parse::<u16>().is_err()) {
        return false;
    }
    let host = host.to_ascii_lowercase();
    if host == "localhost" || host == "::1" {
        return true;
    }
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets.first() == Some(&"127")
        && octets.iter().all(|octet| octet.parse::<u8>().is_ok())
}

/// A bearer token (a JWT from the gateway's `/auth`). Its `Debug` form hides it, so it
/// cannot leak through a log line or an error message.
#[derive(Clone, PartialEq, Eq)]
pub struct Token(String);

impl Token {
    /// Checks that `text` can be sent in an `Authorization` header.
    pub fn parse(text: &str) -> Result<Token, String> {
        if text.trim().is_empty() {
            return Err("must not be empty".to_owned());
        }
        if text.chars().any(|c| c.is_control() || !c.is_ascii()) {
            return Err("must be printable ASCII, as a JWT is".to_owned());
        }
        Ok(Token(text.trim().to_owned()))
    }

    /// The token itself, for the `Authorization` header and nothing else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("Token(<hidden>)")
    }
}

/// What a client needs: where the gateway is, the token and the time limit per call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The gateway.
    pub base_url: BaseUrl,
    /// The bearer token.
    pub token: Token,
    /// How long one call may take, in milliseconds; `None` waits as long as `fetch` does.
    pub timeout_ms: Option<u32>,
}

impl ClientConfig {
    /// Reads `{ baseUrl, token, timeoutMs? }` and reports every problem at once.
    pub fn from_options(options: &Value) -> Result<ClientConfig, Error> {
        let mut issues = Issues::default();
        let Value::Object(object) = options else {
            issues.add("options", "must be an object { baseUrl, token }");
            return Err(Error::validation(issues.into_vec()));
        };
        let text = |key: &str, issues: &mut Issues| match object.get(key) {
            Some(Value::String(text)) => Some(text.clone()),
            None | Some(Value::Null) => {
                issues.add(key, "is required");
                None
            }
            Some(_) => {
                issues.add(key, "must be a string");
                None
            }
        };

        let base_url = text("baseUrl", &mut issues).and_then(|url| {
            BaseUrl::parse(&url)
                .map_err(|message| issues.add("baseUrl", message))
                .ok()
        });
        // The token's own text is never quoted back: only what is wrong with it.
        let token = text("token", &mut issues).and_then(|token| {
            Token::parse(&token)
                .map_err(|message| issues.add("token", message))
                .ok()
        });
        let timeout_ms = timeout_ms(object.get("timeoutMs"), &mut issues);

        match (base_url, token) {
            (Some(base_url), Some(token)) if issues.is_empty() => Ok(ClientConfig {
                base_url,
                token,
                timeout_ms,
            }),
            _ => Err(Error::validation(issues.into_vec())),
        }
    }
}

fn timeout_ms(value: Option<&Value>, issues: &mut Issues) -> Option<u32> {
    match value {
        None | Some(Value::Null) => None,
        Some(Value::Number(number)) => {
            let whole = number.as_f64().filter(|ms| {
                ms.is_finite() && ms.fract() == 0.0 && (1.0..=2_147_483_647.0).contains(ms)
            });
            if whole.is_none() {
                issues.add(
                    "timeoutMs",
                    "must be a whole number of milliseconds, at least 1",
                );
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            whole.map(|ms| ms as u32)
        }
        Some(_) => {
            issues.add("timeoutMs", "must be a number of milliseconds");
            None
        }
    }
}
