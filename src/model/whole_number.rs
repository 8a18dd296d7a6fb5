//! Serde helpers for the whole numbers of answers, which JSON may write as `7` or `7.0`.
//!
//! The package reads pages of schedules with the host's `JSON.parse`, which cannot tell
//! `7.0` from `7`, and leaves to the module only the pages it is not sure of; the module
//! reads a whole number written as a decimal too, so that the page means the same
//! whichever of the two reads it. Every other value is refused in serde's words for what
//! it is (`invalid type: floating point `1.5`, ...`), and the errors name what was
//! expected in plain terms rather than as a Rust type.

use serde::de::{self, Deserializer, Unexpected, Visitor};
use std::fmt;

/// An optional whole number up to `u32::MAX` (days, numbers of tags): `null` is `None`,
/// `7` and `7.0` are `Some(7)`.
pub(crate) fn optional_whole_u32<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u32>, D::Error> {
    let whole = deserializer.deserialize_option(OptionalWhole(WholeNumber {
        max: u64::from(u32::MAX),
        expected: "a whole number from 0 to 4294967295",
    }))?;
    // The visitor refuses anything above `u32::MAX`.
    Ok(whole.and_then(|value| u32::try_from(value).ok()))
}

/// An optional count of items: `null` is `None`, `7` and `7.0` are `Some(7)`. A count
/// above 2^53 − 1 is refused, as it would come out rounded as a JavaScript number.
pub(crate) fn optional_count<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<u64>, D::Error> {
    deserializer.deserialize_option(OptionalWhole(WholeNumber {
        max: MAX_SAFE_INTEGER,
        expected: "a whole number of items, at most 2^53 - 1",
    }))
}

/// The largest whole number a JavaScript number holds exactly.
const MAX_SAFE_INTEGER: u64 = (1 << 53) - 1;

/// A whole number from 0 to `max`, described as `expected` in errors.
#[derive(Clone, Copy)]
struct WholeNumber {
    max: u64,
    expected: &'static str,
}

impl<'de> Visitor<'de> for WholeNumber {
    type Value = u64;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str(self.expected)
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<u64, E> {
        if value <= self.max {
            Ok(value)
        } else {
            Err(E::invalid_value(Unexpected::Unsigned(value), &self))
        }
    }

    fn visit_i64<E: de::Error>(self, value: i64) -> Result<u64, E> {
        match u64::try_from(value) {
            Ok(value) if value <= self.max => Ok(value),
            _ => Err(E::invalid_value(Unexpected::Signed(value), &self)),
        }
    }

    fn visit_f64<E: de::Error>(self, value: f64) -> Result<u64, E> {
        // `-0.0` is a whole zero; fractions and negatives are not. Both limits in use
        // (`u32::MAX`, 2^53 - 1) are exact as doubles, so the comparison is too.
        #[allow(clippy::cast_precision_loss)]
        let within = value >= 0.0 && value <= self.max as f64;
        if within && value.fract() == 0.0 {
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            let whole = value as u64;
            Ok(whole)
        } else {
            Err(E::invalid_type(Unexpected::Float(value), &self))
        }
    }
}

/// `null` or a [`WholeNumber`].
struct OptionalWhole(WholeNumber);

impl<'de> Visitor<'de> for OptionalWhole {
    type Value = Option<u64>;

    fn expecting(&self, formatter: &mut fmt::Formatter) -> fmt::Result {
        formatter.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Option<u64>, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Option<u64>, D::Error> {
        // Asked for as a `u64`, serde_json hands over a number in whatever form it was
        // written (`visit_f64` for `7.0`) and refuses anything else where it starts, so
        // that the error names the field, not a place inside its value.
        deserializer.deserialize_u64(self.0).map(Some)
    }
}
