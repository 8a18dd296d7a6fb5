//! Timestamps, exposed as epoch milliseconds whatever form the server used.
//!
//! The release notes' samples send timestamps as strings of epoch milliseconds
//! (`"1674040668619"`); other answers of the API send numbers or ISO-8601 strings. All
//! three decode to the same `i64` of milliseconds, and `null` decodes to `None`.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;

/// Milliseconds since 1970-01-01T00:00:00Z, as the API counts them.
pub type EpochMillis = i64;

/// The furthest a timestamp may lie from 1970, either way: the range of a JavaScript
/// `Date` (100,000,000 days). Within it, epoch milliseconds are exact as JavaScript
/// numbers; beyond it a value would come out rounded, so it is refused instead.
pub const MAX_TIMESTAMP_MS: EpochMillis = 8_640_000_000_000_000;

fn within_range(ms: EpochMillis) -> Option<EpochMillis> {
    (-MAX_TIMESTAMP_MS..=MAX_TIMESTAMP_MS)
        .contains(&ms)
        .then_some(ms)
}

/// Parses one timestamp string: digits are epoch milliseconds, anything else must be an
/// ISO-8601 date-time (one without an offset is taken as UTC, as the API's times are).
pub fn parse_timestamp(text: &str) -> Option<EpochMillis> {
    let text = text.trim();
    if !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()) {
        return text.parse().ok().and_then(within_range);
    }
    parse_iso_8601(text.as_bytes()).and_then(within_range)
}

/// Reads `YYYY-MM-DD[Thh:mm[:ss[.fff]]][Z|±hh[:mm]]`, the extended ISO-8601 forms the API
/// and RFC 3339 use; a time without an offset is UTC.
///
/// This replaces the `time` crate, which cost the wasm module about 15 KB for these few
/// forms (issue 5's size budget).
fn parse_iso_8601(text: &[u8]) -> Option<EpochMillis> {
    let mut cursor = Cursor { text, at: 0 };
    let year = cursor.digits(4)?;
    cursor.expect(b'-')?;
    let month = cursor.digits(2)?;
    cursor.expect(b'-')?;
    let day = cursor.digits(2)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let (mut hour, mut minute, mut second, mut millis) = (0, 0, 0, 0);
    if matches!(cursor.peek(), Some(b'T' | b't' | b' ')) {
        cursor.at += 1;
        hour = cursor.digits(2)?;
        cursor.expect(b':')?;
        minute = cursor.digits(2)?;
        if cursor.peek() == Some(b':') {
            cursor.at += 1;
            second = cursor.digits(2)?;
            if matches!(cursor.peek(), Some(b'.' | b',')) {
                cursor.at += 1;
                millis = cursor.fraction_as_millis()?;
            }
        }
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let offset_minutes = match cursor.peek() {
        None => 0,
        Some(b'Z' | b'z') => {
            cursor.at += 1;
            0
        }
        Some(sign @ (b'+' | b'-')) => {
            cursor.at += 1;
            let hours = cursor.digits(2)?;
            if cursor.peek() == Some(b':') {
                cursor.at += 1;
            }
            let minutes = if cursor.peek().is_some() {
                cursor.digits(2)?
            } else {
                0
            };
            if hours > 23 || minutes > 59 {
                return None;
            }
            let offset = hours * 60 + minutes;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        Some(_) => return None,
    };
    if cursor.peek().is_some() {
        return None;
    }
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3_600 + (minute - offset_minutes) * 60 + second;
    seconds.checked_mul(1_000)?.checked_add(millis)
}

/// Reads fixed-width decimal fields of an ISO-8601 text.
struct Cursor<'a> {
    text: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn expect(&mut self, byte: u8) -> Option<()> {
        (self.peek() == Some(byte)).then(|| self.at += 1)
    }

    fn digits(&mut self, count: usize) -> Option<i64> {
        let mut value = 0;
        for _ in 0..count {
            let digit = self.peek().filter(u8::is_ascii_digit)?;
            value = value * 10 + i64::from(digit - b'0');
            self.at += 1;
        }
        Some(value)
    }

    /// Reads the digits of a fraction of a second (at least one) as whole milliseconds;
    /// digits past the third are dropped, as a millisecond clock would.
    fn fraction_as_millis(&mut self) -> Option<i64> {
        let mut millis = 0;
        let mut count = 0;
        while let Some(digit) = self.peek().filter(u8::is_ascii_digit) {
            if count < 3 {
                millis = millis * 10 + i64::from(digit - b'0');
            }
            count += 1;
            self.at += 1;
        }
        match count {
            0 => None,
            1 => Some(millis * 100),
            2 => Some(millis * 10),
            _ => Some(millis),
        }
    }
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// well-known formula, counting in 400-year eras from 0000-03-01).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let shifted_month = (month + 9) % 12;
    let day_of_year = (153 * shifted_month + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
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
        within_range(value).map(Timestamp).ok_or_else(out_of_range)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<Self::Value, E> {
        i64::try_from(value)
            .ok()
            .and_then(within_range)
            .map(Timestamp)
            .ok_or_else(out_of_range)
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<Self::Value, E> {
        // JavaScript hands every number over as a double, and `7.0` is a whole number to
        // it; within a `Date`'s range every whole one is exact.
        if !(value.is_finite() && value.fract() == 0.0) {
            return Err(E::custom("timestamp is not a whole number of milliseconds"));
        }
        #[allow(clippy::cast_precision_loss)]
        let max = MAX_TIMESTAMP_MS as f64;
        if value.abs() > max {
            return Err(out_of_range());
        }
        #[allow(clippy::cast_possible_truncation)]
        let whole = value as i64;
        // `-0.0` is the zero it is equal to.
        Ok(Timestamp(whole))
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        parse_timestamp(value)
            .map(Timestamp)
            .ok_or_else(|| E::custom(format!("`{}` is not a timestamp", shorten(value))))
    }
}

fn out_of_range<E: de::Error>() -> E {
    E::custom("timestamp is out of range (more than 100,000,000 days from 1970)")
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
    fn dates_times_and_offsets_of_every_allowed_form() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("1970-01-01"), Some(0));
        assert_eq!(parse_timestamp("1969-12-31T23:59:59.999Z"), Some(-1));
        assert_eq!(parse_timestamp("2000-02-29T12:00Z"), Some(951_825_600_000));
        assert_eq!(
            parse_timestamp("2023-01-18 06:17:48.6191-05:00"),
            Some(1_674_040_668_619)
        );
        assert_eq!(
            parse_timestamp("2023-01-18T11:17:48.6+0000"),
            Some(1_674_040_668_600)
        );
        assert_eq!(
            parse_timestamp("2024-12-31t23:59:60z"),
            Some(1_735_689_600_000)
        );
    }

    #[test]
    fn other_strings_are_not_timestamps() {
        for text in [
            "2023-02-29T00:00:00Z",
            "2023-13-01",
            "2023-01-32",
            "2023-01-18T24:00:00Z",
            "2023-01-18T11:60Z",
            "2023-01-18T11:17:48.Z",
            "2023-01-18T11:17:48Zjunk",
            "2023-01-18T11:17+25:00",
            "2023-1-18",
            "",
        ] {
            assert_eq!(parse_timestamp(text), None, "{text}");
        }
        assert_eq!(parse_timestamp("yesterday"), None);
        assert_eq!(parse_timestamp("99999999999999999999999"), None);
        assert_eq!(parse_timestamp("8640000000000001"), None);
        assert_eq!(parse_timestamp("8640000000000000"), Some(MAX_TIMESTAMP_MS));
    }
}
