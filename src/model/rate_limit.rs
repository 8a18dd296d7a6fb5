//! The gateway's rate-limit headers, as the last answer reported them.

use serde::Serialize;
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// What the gateway said about its per-window call budget (`X-RateLimit-*` headers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RateLimit {
    /// Calls allowed per window (`X-RateLimit-Limit`).
    pub limit: Option<u64>,
    /// The window's length in seconds (`X-RateLimit-Window-Sec`).
    pub window_sec: Option<u64>,
    /// Calls left in the current window (`X-RateLimit-Remaining`).
    pub remaining: Option<u64>,
}

impl RateLimit {
    /// Reads the three headers through `header`; `None` when none of them is present.
    pub fn from_headers<'a>(header: impl Fn(&str) -> Option<&'a str>) -> Option<RateLimit> {
        // A value JavaScript cannot hold exactly is as good as missing.
        const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;
        let number = |name: &str| {
            header(name)
                .and_then(|value| value.trim().parse::<u64>().ok())
                .filter(|value| *value <= MAX_SAFE_INTEGER)
        };
        let rate_limit = RateLimit {
            limit: number("x-ratelimit-limit"),
            window_sec: number("x-ratelimit-window-sec"),
            remaining: number("x-ratelimit-remaining"),
        };
        let any = rate_limit.limit.is_some()
            || rate_limit.window_sec.is_some()
            || rate_limit.remaining.is_some();
        any.then_some(rate_limit)
    }
}
