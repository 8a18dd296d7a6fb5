//! Registry scan schedules (`/csapi/v1.3/registry/{registryId}/schedule`), with the
//! weekly `weekDay` option that v1.22 adds.

use super::nullable::null_as_default;
use super::timestamp::Timestamp;
use super::whole_number::optional_whole_u32;
use serde::{Deserialize, Serialize};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// The day of the week on which a weekly registry scan runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "UPPERCASE")]
pub enum WeekDay {
    /// `"MONDAY"`.
    #[serde(alias = "Monday", alias = "monday")]
    Monday,
    /// `"TUESDAY"`.
    #[serde(alias = "Tuesday", alias = "tuesday")]
    Tuesday,
    /// `"WEDNESDAY"`.
    #[serde(alias = "Wednesday", alias = "wednesday")]
    Wednesday,
    /// `"THURSDAY"`.
    #[serde(alias = "Thursday", alias = "thursday")]
    Thursday,
    /// `"FRIDAY"`.
    #[serde(alias = "Friday", alias = "friday")]
    Friday,
    /// `"SATURDAY"`.
    #[serde(alias = "Saturday", alias = "saturday")]
    Saturday,
    /// `"SUNDAY"`.
    #[serde(alias = "Sunday", alias = "sunday")]
    Sunday,
}

impl WeekDay {
    /// Every day, Monday first.
    pub const ALL: [WeekDay; 7] = [
        WeekDay::Monday,
        WeekDay::Tuesday,
        WeekDay::Wednesday,
        WeekDay::Thursday,
        WeekDay::Friday,
        WeekDay::Saturday,
        WeekDay::Sunday,
    ];

    /// The name the API uses, e.g. `"WEDNESDAY"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            WeekDay::Monday => "MONDAY",
            WeekDay::Tuesday => "TUESDAY",
            WeekDay::Wednesday => "WEDNESDAY",
            WeekDay::Thursday => "THURSDAY",
            WeekDay::Friday => "FRIDAY",
            WeekDay::Saturday => "SATURDAY",
            WeekDay::Sunday => "SUNDAY",
        }
    }

    /// Reads the exact upper-case name the API documents; callers' input is held to it.
    pub fn from_api_name(name: &str) -> Option<WeekDay> {
        WeekDay::ALL.into_iter().find(|day| day.as_str() == name)
    }
}

/// One repository, and optionally one tag of it, that a schedule scans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(expecting = "a repository: an object with `repo` and `tag`")]
pub struct RepoTag {
    /// The repository, e.g. `"qualysdockerhub/tamilnadu_shubham"`.
    pub repo: String,
    /// The tag to scan, or `null` for the repository's tags as `additionalFilters` select.
    #[serde(default)]
    pub tag: Option<String>,
}

/// Which images a schedule scans: repositories and an optional image age.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(
    rename_all = "camelCase",
    expecting = "a filter: an object with `repoTags` and `days`"
)]
pub struct ScheduleFilter {
    /// The repositories (and tags) to scan.
    #[serde(default, deserialize_with = "null_as_default")]
    pub repo_tags: Vec<RepoTag>,
    /// Only images pushed in the last 1 to 7 or 14 days; `null` or `0` means no age
    /// filter (the release notes' own sample answers `0`).
    #[serde(default, deserialize_with = "optional_whole_u32")]
    pub days: Option<u32>,
}

/// How many tags of each repository are scanned, and which ones first.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(
    rename_all = "camelCase",
    expecting = "additional filters: an object with `numberOfTags` and `sortCriteria`"
)]
pub struct AdditionalFilters {
    /// How many tags of each repository to scan, e.g. `5`.
    #[serde(
        default,
        deserialize_with = "optional_whole_u32",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub number_of_tags: Option<u32>,
    /// The order tags are picked in, e.g. `"createdDate"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub sort_criteria: Option<String>,
}

/// A registry scan schedule as the server lists it.
///
/// Timestamps are epoch milliseconds (or `null`), whatever form the server sent them in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(
    rename_all = "camelCase",
    expecting = "a schedule: an object with `scheduleUuid`"
)]
pub struct RegistrySchedule {
    /// The schedule's id, used to update it.
    pub schedule_uuid: String,
    /// Whether this is a one-off, on-demand scan rather than an automatic schedule.
    #[serde(default, deserialize_with = "null_as_default")]
    pub on_demand: bool,
    /// When the schedule was created (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub created: Option<Timestamp>,
    /// When the schedule was last changed (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub updated: Option<Timestamp>,
    /// When the last job started (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub job_start_date: Option<Timestamp>,
    /// When the last job completed (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub job_completion_date: Option<Timestamp>,
    /// The schedule's name, if it has one.
    pub name: Option<String>,
    /// What went wrong in the last job, as the server reports it.
    #[cfg_attr(target_arch = "wasm32", tsify(type = "unknown"))]
    pub errors: Option<serde_json::Value>,
    /// The time of day the scan starts, `"HH:MM"` in UTC.
    pub schedule: Option<String>,
    /// Which repositories and tags are scanned.
    #[serde(default, deserialize_with = "null_as_default")]
    pub filters: Vec<ScheduleFilter>,
    /// How many tags of each repository are scanned.
    pub additional_filters: Option<AdditionalFilters>,
    /// The state of the last job, e.g. `"Finished"`.
    pub status: Option<String>,
    /// When the listing phase of the last job started (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub job_listing_start_date: Option<Timestamp>,
    /// When the listing phase of the last job completed (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub job_listing_completion_date: Option<Timestamp>,
    /// When the scanning phase of the last job started (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub job_scanning_start_date: Option<Timestamp>,
    /// When the scanning phase of the last job completed (epoch ms).
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub job_scanning_completion_date: Option<Timestamp>,
    /// Whether images already scanned are scanned again.
    #[serde(default, deserialize_with = "null_as_default")]
    pub force_scan: bool,
    /// Days between automatic scans, 1 to 365; 7 makes the schedule weekly.
    #[serde(
        default,
        alias = "scheduleScanIntervalInDays",
        deserialize_with = "optional_whole_u32"
    )]
    pub schedule_interval_in_days: Option<u32>,
    /// The day a weekly schedule (interval 7) runs on; `null` for other intervals.
    pub week_day: Option<WeekDay>,
}

/// What a caller sends to create or update a registry scan schedule.
///
/// Build it by hand or pass a `RegistrySchedule` read from the server: fields that only
/// the server sets (`scheduleUuid`, `status`, the timestamps) are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify), tsify(missing_as_null))]
#[serde(rename_all = "camelCase")]
pub struct RegistryScheduleInput {
    /// Which repositories and tags to scan.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub filters: Vec<ScheduleFilter>,
    /// A name for the schedule.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub name: Option<String>,
    /// `true` for a one-off scan now; automatic schedules (the default) need `schedule`.
    #[serde(default)]
    #[cfg_attr(target_arch = "wasm32", tsify(optional))]
    pub on_demand: bool,
    /// The time of day to scan, `"HH:MM"` in UTC, from `"00:00"` to `"23:59"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub schedule: Option<String>,
    /// Whether images already scanned are scanned again.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "boolean | null"))]
    pub force_scan: Option<bool>,
    /// The registry's type as the API names it, e.g. `"Azure"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "string | null"))]
    pub registry_type: Option<String>,
    /// Days between automatic scans, a whole number from 1 to 365; 7 means weekly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "number | null"))]
    pub schedule_interval_in_days: Option<u32>,
    /// How many tags of each repository to scan, and which first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "AdditionalFilters | null"))]
    pub additional_filters: Option<AdditionalFilters>,
    /// The day of a weekly scan: required when the interval is 7, refused otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(target_arch = "wasm32", tsify(type = "WeekDay | null"))]
    pub week_day: Option<WeekDay>,
}

/// The answer to creating a schedule: the new schedule's id.
///
/// The release notes' sample names it `profileUuid`, other pages `scheduleUuid`; both
/// decode to this type, which always names it `scheduleUuid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CreatedSchedule {
    /// The id of the schedule just created.
    pub schedule_uuid: String,
}

/// The create answer as it arrives, with either spelling of the id.
#[derive(Deserialize)]
#[serde(
    rename_all = "camelCase",
    expecting = "an object with the new schedule's `scheduleUuid`"
)]
pub(crate) struct CreatedScheduleWire {
    #[serde(default)]
    schedule_uuid: Option<String>,
    #[serde(default)]
    profile_uuid: Option<String>,
}

impl CreatedScheduleWire {
    /// Picks the id, preferring a non-empty `scheduleUuid` when the server sends both.
    pub(crate) fn into_created(self) -> Option<CreatedSchedule> {
        let usable = |id: &String| !id.trim().is_empty();
        self.schedule_uuid
            .filter(usable)
            .or(self.profile_uuid.filter(usable))
            .map(|schedule_uuid| CreatedSchedule { schedule_uuid })
    }
}
