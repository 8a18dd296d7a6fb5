//! When a failed attempt is tried again, and after how long.

use super::request::Request;
use crate::error::{Error, ErrorCode};

/// How many attempts a call gets and how long it waits between them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; 1 turns retries off.
    pub attempts: u32,
    /// The first backoff's upper bound, doubled for each later attempt.
    pub base_delay_ms: u32,
    /// The longest wait, whether computed or asked for with `Retry-After`.
    pub max_retry_delay_ms: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            attempts: 3,
            base_delay_ms: 250,
            max_retry_delay_ms: 20_000,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub const NONE: RetryPolicy = RetryPolicy {
        attempts: 1,
        base_delay_ms: 0,
        max_retry_delay_ms: 0,
    };
}

/// Whether the failure is one a later attempt may not meet: a rate limit, a gateway
/// that is briefly unavailable, or a network failure or attempt timeout. (The transport
/// never asks about the call's overall deadline or the caller's abort: those are final.)
fn is_transient(error: &Error) -> bool {
    match error.code {
        ErrorCode::RateLimited | ErrorCode::Network | ErrorCode::Timeout => true,
        ErrorCode::Server => matches!(error.status, Some(502..=504)),
        _ => false,
    }
}

/// How long to wait before attempt `attempt + 1`, or `None` when `error` after attempt
/// `attempt` (counted from 1) is final.
///
/// Only idempotent requests are retried, so a create or a login is never sent twice.
/// The wait is the server's `Retry-After` when it gave one, else exponential backoff
/// with full jitter (`random` in `[0, 1)` picks within the bound); both are capped by
/// `max_retry_delay_ms`.
pub fn retry_delay_ms(
    policy: &RetryPolicy,
    request: &Request,
    attempt: u32,
    error: &Error,
    random: f64,
) -> Option<u64> {
    if attempt >= policy.attempts || !request.is_idempotent() || !is_transient(error) {
        return None;
    }
    let cap = u64::from(policy.max_retry_delay_ms);
    if let Some(asked) = error.retry_after_ms {
        return Some(asked.min(cap));
    }
    let doubling = 2_u64.saturating_pow(attempt.saturating_sub(1));
    let bound = u64::from(policy.base_delay_ms)
        .saturating_mul(doubling)
        .min(cap);
    let random = if random.is_finite() {
        random.clamp(0.0, 1.0)
    } else {
        0.0
    };
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let delay = (bound as f64 * random) as u64;
    Some(delay.min(bound))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{delete_sensor_profile, list_sensor_profiles};
    use serde_json::{json, Value};

    fn get() -> Request {
        list_sensor_profiles(&Value::Null).unwrap()
    }

    fn failure(code: ErrorCode, status: Option<u16>) -> Error {
        Error {
            status,
            ..Error::new(code, "failed")
        }
    }

    #[test]
    fn transient_failures_of_idempotent_calls_back_off_exponentially_with_full_jitter() {
        let policy = RetryPolicy::default();
        let busy = failure(ErrorCode::Server, Some(503));
        assert_eq!(
            retry_delay_ms(&policy, &get(), 1, &busy, 0.999_999),
            Some(249)
        );
        assert_eq!(retry_delay_ms(&policy, &get(), 2, &busy, 0.5), Some(250));
        assert_eq!(retry_delay_ms(&policy, &get(), 1, &busy, 0.0), Some(0));
        let delete = delete_sensor_profile(&json!("6963d471-7598-4d4d-b95c-e540c75745b2")).unwrap();
        let network = failure(ErrorCode::Network, None);
        assert_eq!(
            retry_delay_ms(&policy, &delete, 1, &network, 1.0),
            Some(250)
        );
    }

    #[test]
    fn the_last_attempt_and_final_failures_are_not_retried() {
        let policy = RetryPolicy::default();
        let busy = failure(ErrorCode::Server, Some(502));
        assert_eq!(retry_delay_ms(&policy, &get(), 3, &busy, 0.5), None);
        for final_failure in [
            failure(ErrorCode::Server, Some(500)),
            failure(ErrorCode::NotFound, Some(404)),
            failure(ErrorCode::Forbidden, Some(403)),
            failure(ErrorCode::Aborted, None),
            failure(ErrorCode::Validation, None),
            failure(ErrorCode::Decode, Some(200)),
        ] {
            assert_eq!(
                retry_delay_ms(&policy, &get(), 1, &final_failure, 0.5),
                None
            );
        }
        assert_eq!(
            retry_delay_ms(&RetryPolicy::NONE, &get(), 1, &busy, 0.5),
            None
        );
    }

    #[test]
    fn a_create_is_never_retried() {
        let create = crate::api::create_sensor_profile(&json!({"profileName": "p"})).unwrap();
        let limited = failure(ErrorCode::RateLimited, Some(429));
        assert_eq!(
            retry_delay_ms(&RetryPolicy::default(), &create, 1, &limited, 0.5),
            None
        );
    }

    #[test]
    fn retry_after_is_honoured_and_capped() {
        let policy = RetryPolicy {
            max_retry_delay_ms: 5_000,
            ..RetryPolicy::default()
        };
        let mut limited = failure(ErrorCode::RateLimited, Some(429));
        limited.retry_after_ms = Some(2_000);
        assert_eq!(
            retry_delay_ms(&policy, &get(), 1, &limited, 0.9),
            Some(2_000)
        );
        limited.retry_after_ms = Some(3_600_000);
        assert_eq!(
            retry_delay_ms(&policy, &get(), 1, &limited, 0.9),
            Some(5_000)
        );
    }
}
