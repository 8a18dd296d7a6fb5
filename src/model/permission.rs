//! Permissions, as named by the role-based access of v1.22 (`CS.<AREA>.<ACTION>`).

use serde::{Deserialize, Serialize};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// A sensor-profile permission a role must hold for the matching operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub enum Permission {
    /// Needed by every `GET` of sensor profiles.
    #[serde(rename = "CS.SENSOR_PROFILE.VIEW")]
    SensorProfileView,
    /// Needed to create a sensor profile (`POST /sensorProfile`).
    #[serde(rename = "CS.SENSOR_PROFILE.CREATE")]
    SensorProfileCreate,
    /// Needed to update a sensor profile (`PUT /sensorProfile/{id}`).
    #[serde(rename = "CS.SENSOR_PROFILE.UPDATE")]
    SensorProfileUpdate,
    /// Needed to delete a sensor profile (`DELETE /sensorProfile/{id}`).
    #[serde(rename = "CS.SENSOR_PROFILE.DELETE")]
    SensorProfileDelete,
}

impl Permission {
    /// Every sensor-profile permission, in the order view, create, update, delete.
    pub const ALL: [Permission; 4] = [
        Permission::SensorProfileView,
        Permission::SensorProfileCreate,
        Permission::SensorProfileUpdate,
        Permission::SensorProfileDelete,
    ];

    /// The permission's name as the API writes it, e.g. `CS.SENSOR_PROFILE.VIEW`.
    pub fn as_str(self) -> &'static str {
        match self {
            Permission::SensorProfileView => "CS.SENSOR_PROFILE.VIEW",
            Permission::SensorProfileCreate => "CS.SENSOR_PROFILE.CREATE",
            Permission::SensorProfileUpdate => "CS.SENSOR_PROFILE.UPDATE",
            Permission::SensorProfileDelete => "CS.SENSOR_PROFILE.DELETE",
        }
    }
}

/// The permission a sensor-profile operation needs, by the client method's name
/// (`"deleteSensorProfile"` needs `CS.SENSOR_PROFILE.DELETE`); `None` for the other
/// operations, whose permissions v1.22 does not document.
pub fn required_permission(operation: &str) -> Option<Permission> {
    match operation {
        "listSensorProfiles" | "getSensorProfile" | "sensorProfiles" => {
            Some(Permission::SensorProfileView)
        }
        "createSensorProfile" => Some(Permission::SensorProfileCreate),
        "updateSensorProfile" => Some(Permission::SensorProfileUpdate),
        "deleteSensorProfile" => Some(Permission::SensorProfileDelete),
        _ => None,
    }
}

/// Finds the permission a 403 message names, such as `CS.SENSOR_PROFILE.DELETE` in
/// "The quays_xb42 user does not have the CS.SENSOR_PROFILE.DELETE permission ...".
///
/// Any name of the `CS.<AREA>.<ACTION>` shape is returned, not only the four sensor
/// profile ones, because other areas of the API (`CS.IMAGE.VIEW`) refuse the same way.
pub fn permission_in_message(message: &str) -> Option<String> {
    message
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
        .map(|word| word.trim_end_matches('.'))
        .find(|word| is_permission_name(word))
        .map(str::to_owned)
}

fn is_permission_name(word: &str) -> bool {
    let mut parts = word.split('.');
    let is_part = |part: &str| {
        !part.is_empty()
            && part
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
    };
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("CS"), Some(area), Some(action), None) if is_part(area) && is_part(action)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_permission_in_the_release_notes_messages() {
        let view = "The user does not have the CS.SENSOR_PROFILE.VIEW permission to perform \
                    this operation. Ensure that required permissions are assigned to the user";
        assert_eq!(
            permission_in_message(view).as_deref(),
            Some("CS.SENSOR_PROFILE.VIEW")
        );
        let delete = "The quays_xb42 user does not have the CS.SENSOR_PROFILE.DELETE permission";
        assert_eq!(
            permission_in_message(delete).as_deref(),
            Some("CS.SENSOR_PROFILE.DELETE")
        );
    }

    #[test]
    fn finds_permissions_of_other_areas_and_at_the_end_of_a_sentence() {
        assert_eq!(
            permission_in_message("missing CS.IMAGE.VIEW.").as_deref(),
            Some("CS.IMAGE.VIEW")
        );
    }

    #[test]
    fn ignores_text_without_a_permission() {
        assert_eq!(permission_in_message("Forbidden"), None);
        assert_eq!(
            permission_in_message("see CS.SENSOR_PROFILE for details"),
            None
        );
        assert_eq!(permission_in_message("cs.sensor_profile.view"), None);
    }

    #[test]
    fn each_sensor_profile_operation_needs_its_permission() {
        assert_eq!(
            required_permission("listSensorProfiles"),
            Some(Permission::SensorProfileView)
        );
        assert_eq!(
            required_permission("getSensorProfile"),
            Some(Permission::SensorProfileView)
        );
        assert_eq!(
            required_permission("createSensorProfile"),
            Some(Permission::SensorProfileCreate)
        );
        assert_eq!(
            required_permission("updateSensorProfile"),
            Some(Permission::SensorProfileUpdate)
        );
        assert_eq!(
            required_permission("deleteSensorProfile"),
            Some(Permission::SensorProfileDelete)
        );
        assert_eq!(required_permission("listRegistrySchedules"), None);
    }

    #[test]
    fn names_match_their_serde_spelling() {
        for permission in Permission::ALL {
            let json = serde_json::to_string(&permission).unwrap();
            assert_eq!(json, format!("\"{}\"", permission.as_str()));
        }
    }
}
