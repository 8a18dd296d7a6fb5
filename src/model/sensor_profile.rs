//! Sensor profiles (`/csapi/v1.3/sensorProfile`), which v1.22 puts behind role-based
//! permissions.

use super::nullable::null_as_default;
use super::timestamp::Timestamp;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// A sensor profile as the server returns it.
///
/// Fields this type does not model (associated registries and sensors, and whatever a
/// later API version adds) are kept as they came, beside the modelled ones, so that a
/// profile read, changed and sent back with `updateSensorProfile` loses nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(
    rename_all = "camelCase",
    expecting = "a sensor profile: an object with `profileName`"
)]
pub struct SensorProfile {
    /// The profile's id.
    pub profile_uuid: Option<String>,
    /// The profile's name. (The server always sends it; `null` reads as `""`.)
    #[serde(deserialize_with = "null_as_default")]
    pub profile_name: String,
    /// A free-text description.
    pub description: Option<String>,
    /// The kind of sensor it configures: `General`, `Registry`, `CICD`, `Cluster` or
    /// `RUNTIME`.
    pub profile_type: Option<String>,
    /// When the profile was created (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub created: Option<Timestamp>,
    /// When the profile was last changed (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub updated: Option<Timestamp>,
    /// Blackout windows, vulnerability-management and performance settings, as sent.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown> | null"))]
    pub config: Option<Map<String, Value>>,
    /// Every field the server sent that is not modelled above.
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub other_fields: Map<String, Value>,
}

/// What a caller sends to create or update a sensor profile.
///
/// `profileName` is required; every other field, modelled or not, is sent as given so
/// that a profile read from the server can be changed and sent back whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SensorProfileInput {
    /// The profile's name; must not be empty.
    pub profile_name: String,
    /// A free-text description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub description: Option<String>,
    /// `General`, `Registry`, `CICD`, `Cluster` or `RUNTIME`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub profile_type: Option<String>,
    /// Blackout windows, vulnerability-management and performance settings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown> | null"))]
    pub config: Option<Map<String, Value>>,
    /// Any other field, sent unchanged.
    #[serde(flatten)]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "Record<string, unknown>"))]
    pub other_fields: Map<String, Value>,
}

/// The answer to creating a sensor profile: the new profile's id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(
    rename_all = "camelCase",
    expecting = "an object with the new profile's `profileUuid`"
)]
pub struct CreatedSensorProfile {
    /// The id of the profile just created.
    pub profile_uuid: String,
}
