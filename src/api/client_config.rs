//! The client's settings, checked once when the client is made.

use super::retry::RetryPolicy;
use crate::error::Error;
use crate::model::Platform;
use crate::validate::Issues;
use serde_json::{Map, Value};
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

/// Where the gateway is and how each request to it is sent; shared by the client and
/// by `login`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatewayConfig {
    /// The gateway, from `baseUrl` or from `platform`.
    pub base_url: BaseUrl,
    /// How long one attempt may take, in milliseconds; `None` waits as long as `fetch`.
    pub timeout_ms: Option<u32>,
    /// Added after `qualys-cs/<version>` in the `User-Agent` header (in Node only:
    /// browsers do not let pages set it).
    pub user_agent: Option<String>,
    /// The largest answer body read; a larger one fails with `DECODE` unread.
    pub max_response_bytes: u64,
}

/// The default of `maxResponseBytes`: 32 MiB, far above any page of 1000 items.
pub const DEFAULT_MAX_RESPONSE_BYTES: u64 = 32 * 1024 * 1024;

impl GatewayConfig {
    /// Reads `{ baseUrl | platform, timeoutMs?, userAgent? }` into `issues`.
    fn read(object: &Map<String, Value>, issues: &mut Issues) -> Option<GatewayConfig> {
        let base_url = match (present(object, "baseUrl"), present(object, "platform")) {
            (Some(_), Some(_)) => {
                issues.add("platform", "give baseUrl or platform, not both");
                None
            }
            (Some(Value::String(url)), None) => BaseUrl::parse(url)
                .map_err(|message| issues.add("baseUrl", message))
                .ok(),
            (Some(_), None) => {
                issues.add("baseUrl", "must be a string");
                None
            }
            (None, Some(platform)) => match platform.as_str().and_then(Platform::from_name) {
                Some(platform) => BaseUrl::parse(platform.gateway_url()).ok(),
                None => {
                    issues.add("platform", "must be one of US1, US2, US3, US4, EU1, EU2, EU3, IN1, CA1, AE1, UK1, AU1, KSA1");
                    None
                }
            },
            (None, None) => {
                issues.add(
                    "baseUrl",
                    "is required (or give a platform such as \"US1\")",
                );
                None
            }
        };
        let timeout_ms = timeout_ms(object.get("timeoutMs"), issues);
        let user_agent = match present(object, "userAgent") {
            None => None,
            Some(Value::String(text))
                if !text.is_empty()
                    && text.len() <= 200
                    && text.chars().all(|c| c.is_ascii_graphic() || c == ' ') =>
            {
                Some(text.clone())
            }
            Some(_) => {
                issues.add(
                    "userAgent",
                    "must be printable ASCII text of at most 200 characters",
                );
                None
            }
        };
        let max_response_bytes = match present(object, "maxResponseBytes") {
            None => DEFAULT_MAX_RESPONSE_BYTES,
            Some(value) => match value.as_f64() {
                Some(bytes) if bytes.fract() == 0.0 && (1.0..=4_294_967_296.0).contains(&bytes) => {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let bytes = bytes as u64;
                    bytes
                }
                _ => {
                    issues.add(
                        "maxResponseBytes",
                        "must be a whole number of bytes, at least 1",
                    );
                    DEFAULT_MAX_RESPONSE_BYTES
                }
            },
        };
        base_url.map(|base_url| GatewayConfig {
            base_url,
            timeout_ms,
            user_agent,
            max_response_bytes,
        })
    }

    /// Reads the settings of `login`: the gateway part of a client's settings.
    pub fn from_options(options: &Value) -> Result<GatewayConfig, Error> {
        let mut issues = Issues::default();
        let Value::Object(object) = options else {
            issues.add(
                "options",
                "must be an object { baseUrl | platform, username, password }",
            );
            return Err(Error::validation(issues.into_vec()));
        };
        let gateway = GatewayConfig::read(object, &mut issues);
        match gateway {
            Some(gateway) if issues.is_empty() => Ok(gateway),
            _ => Err(Error::validation(issues.into_vec())),
        }
    }
}

/// What a client needs: the gateway, the token and how to retry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// The gateway and how requests are sent to it.
    pub gateway: GatewayConfig,
    /// The bearer token; `None` when each call brings its own (from a token provider).
    pub token: Option<Token>,
    /// When and how often failed attempts are tried again.
    pub retry: RetryPolicy,
}

impl ClientConfig {
    /// Reads `{ baseUrl | platform, token, timeoutMs?, retry?, userAgent? }` and reports
    /// every problem at once. With `tokenFromCaller: true` (a token provider), `token`
    /// is not read: each call brings one.
    pub fn from_options(options: &Value) -> Result<ClientConfig, Error> {
        let mut issues = Issues::default();
        let Value::Object(object) = options else {
            issues.add("options", "must be an object { baseUrl, token }");
            return Err(Error::validation(issues.into_vec()));
        };

        let gateway = GatewayConfig::read(object, &mut issues);
        let token_from_caller = object.get("tokenFromCaller") == Some(&Value::Bool(true));
        // The token's own text is never quoted back: only what is wrong with it.
        let token = match present(object, "token") {
            _ if token_from_caller => None,
            Some(Value::String(text)) => Token::parse(text)
                .map_err(|message| issues.add("token", message))
                .ok(),
            Some(_) => {
                issues.add("token", "must be a string or a function returning one");
                None
            }
            None => {
                issues.add("token", "is required (or give credentials)");
                None
            }
        };
        let retry = retry_policy(present(object, "retry"), &mut issues);

        match gateway {
            Some(gateway) if issues.is_empty() => Ok(ClientConfig {
                gateway,
                token,
                retry,
            }),
            _ => Err(Error::validation(issues.into_vec())),
        }
    }
}

/// A field of `object` that is neither missing nor `null`.
fn present<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|value| !value.is_null())
}

/// Reads `retry`: `false` for no retries, or `{ attempts?, baseDelayMs?, maxRetryDelayMs? }`.
fn retry_policy(value: Option<&Value>, issues: &mut Issues) -> RetryPolicy {
    let mut policy = RetryPolicy::default();
    let object = match value {
        None | Some(Value::Bool(true)) => return policy,
        Some(Value::Bool(false)) => return RetryPolicy::NONE,
        Some(Value::Object(object)) => object,
        Some(_) => {
            issues.add(
                "retry",
                "must be false or { attempts, baseDelayMs, maxRetryDelayMs }",
            );
            return policy;
        }
    };
    let mut whole = |key: &str, range: std::ops::RangeInclusive<f64>, target: &mut u32| {
        let Some(value) = present(object, key) else {
            return;
        };
        match value.as_f64() {
            Some(number) if number.fract() == 0.0 && range.contains(&number) => {
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                let number = number as u32;
                *target = number;
            }
            _ => issues.add(
                &format!("retry.{key}"),
                format!(
                    "must be a whole number from {} to {}",
                    range.start(),
                    range.end()
                ),
            ),
        }
    };
    whole("attempts", 1.0..=10.0, &mut policy.attempts);
    whole("baseDelayMs", 0.0..=60_000.0, &mut policy.base_delay_ms);
    whole(
        "maxRetryDelayMs",
        0.0..=3_600_000.0,
        &mut policy.max_retry_delay_ms,
    );
    policy
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
