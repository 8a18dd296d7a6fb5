//! A serde helper for fields where the server may send `null` instead of a value.

use serde::{Deserialize, Deserializer};

/// Decodes `null` (or a missing field, together with `#[serde(default)]`) as the type's
/// default, because the API sends `null` for empty lists and flags in some answers.
/// Without `#[serde(default)]` the field must still be there, if only as `null`.
pub(crate) fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
