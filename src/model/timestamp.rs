//! Timestamps, exposed as epoch milliseconds whatever form the server used.
//!
//! The release notes' samples send timestamps as strings of epoch milliseconds
//! (`"1674040668619"`); other answers of the API send numbers or ISO-8601 strings. All
//! three decode to the same `i64` of milliseconds, and `null` decodes to `None`.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use time::format_description::well_known::{Iso8601, Rfc3339};
use time::{OffsetDateTime, PrimitiveDateTime};

/// Milliseconds since 1970-01-01T00:00:00Z, as the API counts them.
pub type EpochMillis = i64;

/// Parses one timestamp string: digits are epoch milliseconds, anything else must be an
/// ISO-8601 date-time (one without an offset is taken as UTC, as the API's times are).
pub fn parse_timestamp(text: &str) -> Option<EpochMillis> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse().ok();
    }
    let parsed = OffsetDateTime::parse(text, &Rfc3339)
        .or_else(|_| OffsetDateTime::parse(text, &Iso8601::DEFAULT))
        .or_else(|_| PrimitiveDateTime::parse(text, &Iso8601::DEFAULT).map(|t| t.assume_utc()))
        .ok()?;
    i64::try_from(parsed.unix_timestamp_nanos() / 1_000_000).ok()
}

/// A point in time as epoch milliseconds. It serializes as a plain number and
/// deserializes from a number, a string of digits or an ISO-8601 string; `null` is
/// handled by the `Option` around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Timestamp(pub EpochMillis);

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        deserializer.deserialize_any(TimestampVisitor)
    }
}

struct TimestampVisitor;

impl<'de> Visitor<'de> for TimestampVisitor {
    type Value = Timestamp;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("epoch milliseconds as a number or string, or an ISO-8601 string")
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<Self::Value, E> {
        Ok(Timestamp(value))
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        i64::try_from(value)
            .map(Timestamp)
            .map_err(|_| E::custom("timestamp is out of range"))
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        // JavaScript hands every number over as a double; a whole number of milliseconds
        // within the safe integer range is exact, anything else is not a timestamp.
        const MAX_SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;
        if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_SAFE_INTEGER {
            #[allow(clippy::cast_possible_truncation)]
            Ok(Timestamp(value as i64))
        } else {
            Err(E::custom("timestamp is not a whole number of milliseconds"))
        }
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse_timestamp(value)
            .map(Timestamp)
            .ok_or_else(|| E::custom(format!("`{}` is not a timestamp", shorten(value))))
    }
}

/// Cuts and cleans a server-sent string before quoting it in an error message.
fn shorten(text: &str) -> String {
    crate::error::sanitize_server_text(text, 40)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digit_strings_are_epoch_milliseconds() {
        assert_eq!(parse_timestamp("1674040668619"), Some(1_674_040_668_619));
    }

    #[test]
    fn iso_strings_with_and_without_offset_are_utc() {
        assert_eq!(
            parse_timestamp("2023-01-18T11:17:48.619Z"),
            Some(1_674_040_668_619)
        );
        assert_eq!(
            parse_timestamp("2023-01-18T12:17:48.619+01:00"),
            Some(1_674_040_668_619)
        );
        assert_eq!(
            parse_timestamp("2023-01-18T11:17:48.619"),
            Some(1_674_040_668_619)
        );
    }

    #[test]
    fn other_strings_are_not_timestamps() {
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("99999999999999999999999"), None);
    }
}
