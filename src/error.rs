//! The one error type every operation fails with, and its machine-readable code.

use crate::validate::ValidationIssue;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of failure an [`Error`] is; JavaScript sees the upper-case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// The input was refused by the client before anything was sent.
    Validation,
    /// HTTP 401: the token is missing, expired or unknown.
    Unauthorized,
    /// HTTP 403: the user's role lacks a permission; see [`Error::permission`].
    Forbidden,
    /// HTTP 404: no such registry, schedule, connector or profile.
    NotFound,
    /// HTTP 412: the connector is still associated with a registry.
    PreconditionFailed,
    /// HTTP 429: the gateway's rate limit was reached.
    RateLimited,
    /// HTTP 5xx.
    Server,
    /// Any other HTTP status the call does not expect, redirects included.
    Http,
    /// The request did not reach the server or the answer did not come back.
    Network,
    /// The call took longer than its `timeoutMs`.
    Timeout,
    /// The caller's `AbortSignal` ended the call.
    Aborted,
    /// A success answer whose body is not what the API documents.
    Decode,
}

impl ErrorCode {
    /// The code as JavaScript sees it, e.g. `"PRECONDITION_FAILED"`.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::Validation => "VALIDATION",
            ErrorCode::Unauthorized => "UNAUTHORIZED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::PreconditionFailed => "PRECONDITION_FAILED",
            ErrorCode::RateLimited => "RATE_LIMITED",
            ErrorCode::Server => "SERVER",
            ErrorCode::Http => "HTTP",
            ErrorCode::Network => "NETWORK",
            ErrorCode::Timeout => "TIMEOUT",
            ErrorCode::Aborted => "ABORTED",
            ErrorCode::Decode => "DECODE",
        }
    }

    /// The code of a name as [`ErrorCode::as_str`] gives it, or `None`.
    pub fn from_name(name: &str) -> Option<ErrorCode> {
        ALL_ERROR_CODES
            .into_iter()
            .find(|code| code.as_str() == name)
    }
}

/// Every [`ErrorCode`], in the order they are declared.
const ALL_ERROR_CODES: [ErrorCode; 12] = [
    ErrorCode::Validation,
    ErrorCode::Unauthorized,
    ErrorCode::Forbidden,
    ErrorCode::NotFound,
    ErrorCode::PreconditionFailed,
    ErrorCode::RateLimited,
    ErrorCode::Server,
    ErrorCode::Http,
    ErrorCode::Network,
    ErrorCode::Timeout,
    ErrorCode::Aborted,
    ErrorCode::Decode,
];

/// A failed call: its code, a readable message and whatever the server said.
///
/// The message never contains the token; text copied from the server is shortened and
/// stripped of control characters first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Error {
    /// What kind of failure this is.
    pub code: ErrorCode,
    /// A short sentence for people.
    pub message: String,
    /// The HTTP status, when an answer arrived.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<u16>,
    /// The `message` of the server's error body, when it sent one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_message: Option<String>,
    /// The `errorCode` of the server's error body, e.g. `"403 FORBIDDEN"`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server_error_code: Option<String>,
    /// For [`ErrorCode::Forbidden`]: the permission the server said was missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub permission: Option<String>,
    /// For [`ErrorCode::Validation`]: every problem found, each naming its field.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<ValidationIssue>,
    /// For [`ErrorCode::RateLimited`], and a [`ErrorCode::Server`] answer with a
    /// `Retry-After`: how long the server asked to wait, when it said.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retry_after_ms: Option<u64>,
}

impl Error {
    /// An error of `code` with `message` and nothing else.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
            status: None,
            server_message: None,
            server_error_code: None,
            permission: None,
            issues: Vec::new(),
            retry_after_ms: None,
        }
    }

    /// A validation error listing every issue in its message as well as in `issues`.
    pub fn validation(issues: Vec<ValidationIssue>) -> Error {
        let listed: Vec<String> = issues
            .iter()
            .map(|issue| {
                if issue.field.is_empty() {
                    issue.message.clone()
                } else {
                    format!("{}: {}", issue.field, issue.message)
                }
            })
            .collect();
        let message = format!("invalid input: {}", listed.join("; "));
        Error {
            issues,
            ..Error::new(ErrorCode::Validation, message)
        }
    }

    /// A decoding failure of a success answer, naming the JSON path that was wrong.
    pub fn decode(message: impl Into<String>) -> Error {
        Error::new(ErrorCode::Decode, message)
    }
}

impl fmt::Display for Error {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}: {}", self.code.as_str(), self.message)
    }
}

impl std::error::Error for Error {}

/// Makes server-sent text safe to show: control characters become spaces and anything
/// past `max_chars` is cut, so a hostile or broken answer cannot flood a message.
pub(crate) fn sanitize_server_text(text: &str, max_chars: usize) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| if is_unsafe_to_show(c) { ' ' } else { c })
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.chars().count() <= max_chars {
        trimmed.to_owned()
    } else {
        let mut cut: String = trimmed.chars().take(max_chars).collect();
        cut.push('…');
        cut
    }
}

/// Whether a character could break or disguise a line of text shown to people: control
/// characters, line and paragraph separators, zero-width marks and bidirectional
/// overrides (which can make text read differently from what it is).
fn is_unsafe_to_show(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
                | '\u{2066}'..='\u{2069}' | '\u{FEFF}'
        )
}

// Used by the wasm layer (and the tests); a native build has no transport of its own.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
/// The longest `message` an error carries, before the `…` that marks a cut.
const MAX_MESSAGE_CHARS: usize = 399;

// Used by the wasm layer (and the tests); a native build has no transport of its own.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
/// What stands in an error for a secret found in it.
pub(crate) const REDACTED: &str = "<redacted>";

/// The secrets of one call (the token, a login's password) in every spelling they can
/// take on the way back: as sent, escaped inside a JSON string (with or without `\/`),
/// form-encoded, and with the characters `sanitize_server_text` blanks. The spellings
/// are worked out once per call, not once per text searched. Secrets shorter than four
/// characters are left alone: masking every `a` in a message would only garble it.
// Used by the wasm layer (and the tests); a native build has no transport of its own.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) struct Secrets(Vec<String>);

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Secrets {
    /// Every spelling of each of `secrets`.
    pub(crate) fn new(secrets: &[&str]) -> Secrets {
        let mut all: Vec<String> = secrets
            .iter()
            .filter(|secret| secret.chars().count() >= 4)
            .flat_map(|secret| spellings(secret))
            .collect();
        all.sort();
        all.dedup();
        Secrets(all)
    }

    /// `text` with every occurrence of every spelling replaced by `<redacted>`.
    pub(crate) fn redact(&self, text: &str) -> String {
        self.0.iter().fold(text.to_owned(), |text, spelling| {
            if text.contains(spelling.as_str()) {
                text.replace(spelling.as_str(), REDACTED)
            } else {
                text
            }
        })
    }
}

/// The ways `secret` can be written in text that quotes it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn spellings(secret: &str) -> Vec<String> {
    let mut all = vec![secret.to_owned()];
    if let Ok(quoted) = serde_json::to_string(secret) {
        let inner = quoted
            .strip_prefix('"')
            .and_then(|rest| rest.strip_suffix('"'))
            .unwrap_or(&quoted);
        all.push(inner.to_owned());
        all.push(inner.replace('/', "\\/"));
    }
    all.push(form_urlencoded::byte_serialize(secret.as_bytes()).collect());
    all.push(
        secret
            .chars()
            .map(|c| if is_unsafe_to_show(c) { ' ' } else { c })
            .collect(),
    );
    all
}

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
impl Error {
    /// Removes `secrets` from every text of the error, as a last guard before it is
    /// handed to the caller.
    pub(crate) fn redact(mut self, secrets: &Secrets) -> Error {
        // Text quoted from a failed `fetch` is kept long until here, so that a secret is
        // found whole before the message is cut to a readable length.
        self.message = sanitize_server_text(&secrets.redact(&self.message), MAX_MESSAGE_CHARS);
        self.server_message = self.server_message.map(|text| secrets.redact(&text));
        self.server_error_code = self.server_error_code.map(|text| secrets.redact(&text));
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsafe_characters_become_spaces_and_long_text_is_cut() {
        let shown = sanitize_server_text("a\u{0}b\r\nc\u{1b}[31md\u{2028}e\u{202E}f\u{FEFF}", 100);
        assert_eq!(shown, "a b  c [31md e f");
        assert_eq!(sanitize_server_text("abcdef", 3), "abc…");
    }

    #[test]
    fn secrets_are_redacted_wherever_they_stand() {
        let error = Error {
            server_message: Some("bad header Bearer tok-SECRET-1".to_owned()),
            ..Error::new(
                ErrorCode::Unauthorized,
                "refused tok-SECRET-1 twice tok-SECRET-1",
            )
        };
        let error = error.redact(&Secrets::new(&["tok-SECRET-1", "pw"]));
        assert_eq!(error.message, "refused <redacted> twice <redacted>");
        assert_eq!(
            error.server_message.as_deref(),
            Some("bad header Bearer <redacted>")
        );
        assert_eq!(Secrets::new(&["pw"]).redact("a pw b"), "a pw b");
        // The same secret as JSON escapes it, as a form encodes it, and as cleaning
        // blanks its tab.
        let secret = "pw\"SE/CR\tET";
        let echoed = r#"{"message":"bad pw\"SE\/CR\tET"} pw%22SE%2FCR%09ET pw"SE/CR ET"#;
        assert_eq!(
            Secrets::new(&[secret]).redact(echoed),
            r#"{"message":"bad <redacted>"} <redacted> <redacted>"#
        );
    }
}
