//! The rules caller input must meet before anything is sent, and the
//! [`ValidationIssue`]s they produce.
//!
//! Input is read from a loosely shaped JSON value rather than from a typed struct, so
//! that a number where a string belongs, or a missing field, becomes an issue naming the
//! field (`filters[0].repoTags[0].repo`) instead of a bare conversion error, and so that
//! every problem is reported at once.

use crate::model::{
    AdditionalFilters, PageRequest, RegistryScheduleInput, RepoTag, ScheduleFilter,
    SensorProfileInput, WeekDay,
};
use serde::Serialize;
use serde_json::{Map, Value};
#[cfg(target_arch = "wasm32")]
use tsify::Tsify;

/// One problem with caller input: the field, by its JSON path, and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(Tsify))]
pub struct ValidationIssue {
    /// The field's JSON path, e.g. `filters[0].repoTags[0].repo` or `registryId`.
    pub field: String,
    /// What is wrong with it, as a sentence fragment for people.
    pub message: String,
}

/// The longest free-text field accepted, so that a runaway string is refused here
/// rather than sent.
const MAX_TEXT_CHARS: usize = 1024;

/// The interval, in days, that makes a schedule weekly and allows `weekDay`.
pub const WEEKLY_INTERVAL_DAYS: u64 = 7;

/// Keys refused anywhere in input objects, because JavaScript treats them specially and
/// a value under them could change an object's prototype on the way out.
const FORBIDDEN_KEYS: [&str; 2] = ["__proto__", "constructor"];

/// Collects issues while a value is read, so that every problem is reported at once.
#[derive(Debug, Default)]
pub(crate) struct Issues(Vec<ValidationIssue>);

impl Issues {
    pub(crate) fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0.push(ValidationIssue {
            field: field.to_owned(),
            message: message.into(),
        });
    }

    /// Returns `value` when no issue was found, or every issue found.
    pub(crate) fn finish<T>(self, value: T) -> Result<T, Vec<ValidationIssue>> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self.0)
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(crate) fn into_vec(self) -> Vec<ValidationIssue> {
        self.0
    }

    fn extend(&mut self, issues: Vec<ValidationIssue>) {
        self.0.extend(issues);
    }
}

fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn describe(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// A field of `object`, with `null` treated as absent (JavaScript's `undefined` also
/// arrives as `null`).
fn field<'a>(object: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    object.get(key).filter(|value| !value.is_null())
}

fn optional_text(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
    issues: &mut Issues,
) -> Option<String> {
    match field(object, key)? {
        Value::String(text) if text.chars().count() > MAX_TEXT_CHARS => {
            issues.add(path, format!("must be at most {MAX_TEXT_CHARS} characters"));
            None
        }
        Value::String(text) => Some(text.clone()),
        other => {
            issues.add(path, format!("must be a string, not {}", describe(other)));
            None
        }
    }
}

fn optional_bool(
    object: &Map<String, Value>,
    key: &str,
    path: &str,
    issues: &mut Issues,
) -> Option<bool> {
    match field(object, key)? {
        Value::Bool(flag) => Some(*flag),
        other => {
            issues.add(path, format!("must be a boolean, not {}", describe(other)));
            None
        }
    }
}

/// Reads a whole number in `range`; `"7"` and `7.5` are refused, not coerced.
fn optional_whole_number(
    value: Option<&Value>,
    path: &str,
    range: std::ops::RangeInclusive<u64>,
    issues: &mut Issues,
) -> Option<u64> {
    let value = value?;
    let in_range = format!(
        "must be a whole number from {} to {}",
        range.start(),
        range.end()
    );
    let Value::Number(number) = value else {
        issues.add(path, format!("{in_range}, not {}", describe(value)));
        return None;
    };
    match number.as_u64().or_else(|| whole_f64(number.as_f64())) {
        Some(whole) if range.contains(&whole) => Some(whole),
        _ => {
            issues.add(path, format!("{in_range}, not {number}"));
            None
        }
    }
}

/// JavaScript numbers arrive as doubles; `7.0` is the whole number 7.
fn whole_f64(value: Option<f64>) -> Option<u64> {
    let value = value?;
    if value.is_finite() && value.fract() == 0.0 && (0.0..=4_294_967_295.0).contains(&value) {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        Some(value as u64)
    } else {
        None
    }
}

fn as_object<'a>(
    value: &'a Value,
    path: &str,
    issues: &mut Issues,
) -> Option<&'a Map<String, Value>> {
    match value {
        Value::Object(object) => Some(object),
        other => {
            issues.add(path, format!("must be an object, not {}", describe(other)));
            None
        }
    }
}

/// Refuses `__proto__` and `constructor` keys at any depth of `value`.
fn refuse_forbidden_keys(value: &Value, path: &str, issues: &mut Issues) {
    match value {
        Value::Object(object) => {
            for (key, inner) in object {
                let inner_path = join(path, key);
                if FORBIDDEN_KEYS.contains(&key.as_str()) {
                    issues.add(&inner_path, "is a reserved key and is not accepted");
                } else {
                    refuse_forbidden_keys(inner, &inner_path, issues);
                }
            }
        }
        Value::Array(items) => {
            for (index, inner) in items.iter().enumerate() {
                refuse_forbidden_keys(inner, &format!("{path}[{index}]"), issues);
            }
        }
        _ => {}
    }
}

/// Whether `text` is a UUID in its 8-4-4-4-12 hexadecimal form (either case).
pub fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.len() == 5
        && groups.iter().zip([8, 4, 4, 4, 12]).all(|(group, length)| {
            group.len() == length && group.bytes().all(|byte| byte.is_ascii_hexdigit())
        })
}

/// Whether `text` is an IAM role ARN: `arn:<partition>:iam::<12 digits>:role/<path/name>`
/// with partition `aws`, `aws-cn` or `aws-us-gov`.
pub fn is_iam_role_arn(text: &str) -> bool {
    let mut parts = text.splitn(6, ':');
    let (Some("arn"), Some(partition), Some("iam"), Some(""), Some(account), Some(resource)) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let Some(role_path) = resource.strip_prefix("role/") else {
        return false;
    };
    let name_characters_only = role_path
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-/".contains(c));
    ["aws", "aws-cn", "aws-us-gov"].contains(&partition)
        && account.len() == 12
        && account.bytes().all(|byte| byte.is_ascii_digit())
        && !role_path.is_empty()
        && role_path.len() <= 512
        && name_characters_only
        && role_path.split('/').all(|segment| !segment.is_empty())
}

/// Whether `text` is a time of day `HH:MM` from `00:00` to `23:59`.
pub fn is_time_of_day(text: &str) -> bool {
    let bytes = text.as_bytes();
    let [h1, h2, b':', m1, m2] = bytes else {
        return false;
    };
    let digit = |byte: &u8| byte.is_ascii_digit().then(|| u32::from(byte - b'0'));
    match (digit(h1), digit(h2), digit(m1), digit(m2)) {
        (Some(h1), Some(h2), Some(m1), Some(m2)) => h1 * 10 + h2 < 24 && m1 * 10 + m2 < 60,
        _ => false,
    }
}

/// Reads a required id that must be a UUID; `field_name` names it in the issue.
pub fn uuid_param(field_name: &str, value: &Value) -> Result<String, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let id = match value {
        Value::String(text) if is_uuid(text) => Some(text.clone()),
        Value::String(_) => {
            issues.add(
                field_name,
                "must be a UUID such as f3c6d648-81d8-11ed-a1eb-0242ac120003",
            );
            None
        }
        Value::Null => {
            issues.add(field_name, "is required");
            None
        }
        other => {
            issues.add(
                field_name,
                format!("must be a UUID string, not {}", describe(other)),
            );
            None
        }
    };
    issues.finish(id.unwrap_or_default())
}

/// Reads the ARN of an AWS ECR connector.
pub fn arn_param(value: &Value) -> Result<String, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let arn = match value {
        Value::String(text) if is_iam_role_arn(text) => Some(text.clone()),
        Value::String(_) => {
            issues.add(
                "arn",
                "must be an IAM role ARN such as arn:aws:iam::123456789012:role/name",
            );
            None
        }
        Value::Null => {
            issues.add("arn", "is required");
            None
        }
        other => {
            issues.add("arn", format!("must be a string, not {}", describe(other)));
            None
        }
    };
    issues.finish(arn.unwrap_or_default())
}

/// Reads an optional `{ pageNumber, pageSize }`; absent fields take the API's defaults.
pub fn page_request(value: &Value) -> Result<PageRequest, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let mut page = PageRequest::default();
    if value.is_null() {
        return Ok(page);
    }
    refuse_forbidden_keys(value, "", &mut issues);
    if let Some(object) = as_object(value, "page", &mut issues) {
        let number = optional_whole_number(
            field(object, "pageNumber"),
            "pageNumber",
            1..=u64::from(u32::MAX),
            &mut issues,
        );
        let size =
            optional_whole_number(field(object, "pageSize"), "pageSize", 1..=1000, &mut issues);
        page.page_number = number
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(page.page_number);
        page.page_size = size
            .and_then(|n| u32::try_from(n).ok())
            .unwrap_or(page.page_size);
    }
    issues.finish(page)
}

/// The top of a schedule or profile input: an object, free of reserved keys at any
/// depth. An input that is not an object at all stops the checks there.
fn input_object<'a>(
    value: &'a Value,
    issues: &mut Issues,
) -> Result<&'a Map<String, Value>, Vec<ValidationIssue>> {
    if value.is_null() {
        issues.add("input", "is required: an object");
        return Err(std::mem::take(issues).into_vec());
    }
    refuse_forbidden_keys(value, "", issues);
    match as_object(value, "input", issues) {
        Some(object) => Ok(object),
        None => Err(std::mem::take(issues).into_vec()),
    }
}

/// Checks a registry schedule and returns it as it will be sent.
///
/// The rules: `schedule` is `HH:MM` (required unless `onDemand` is true);
/// `scheduleIntervalInDays` is a whole number 1–365; `weekDay` is required when the
/// interval is 7 and refused otherwise; `filters[].days` is 1–7, 14, 0 or `null` (0 and
/// `null` both mean no age filter); `filters[].repoTags[].repo` is not empty.
pub fn registry_schedule_input(
    value: &Value,
) -> Result<RegistryScheduleInput, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let object = input_object(value, &mut issues)?;

    let on_demand = optional_bool(object, "onDemand", "onDemand", &mut issues).unwrap_or(false);
    let schedule = optional_text(object, "schedule", "schedule", &mut issues);
    match &schedule {
        Some(time) if !is_time_of_day(time) => issues.add(
            "schedule",
            "must be a time of day \"HH:MM\" (UTC) from 00:00 to 23:59",
        ),
        None if !on_demand && field(object, "schedule").is_none() => issues.add(
            "schedule",
            "is required for an automatic schedule (\"HH:MM\", UTC)",
        ),
        _ => {}
    }

    // Qualys's own pages also spell the interval `scheduleScanIntervalInDays`; a schedule
    // read back from the server may carry either, so both are read.
    let (interval_key, interval_value) = match field(object, "scheduleIntervalInDays") {
        Some(value) => ("scheduleIntervalInDays", Some(value)),
        None => (
            "scheduleScanIntervalInDays",
            field(object, "scheduleScanIntervalInDays"),
        ),
    };
    let interval = optional_whole_number(interval_value, interval_key, 1..=365, &mut issues);
    let week_day = week_day(object, interval_value.is_some(), interval, &mut issues);

    let filters = filters(object, &mut issues);
    let additional_filters = additional_filters(object, &mut issues);

    let input = RegistryScheduleInput {
        filters,
        name: optional_text(object, "name", "name", &mut issues),
        on_demand,
        schedule,
        force_scan: optional_bool(object, "forceScan", "forceScan", &mut issues),
        registry_type: optional_text(object, "registryType", "registryType", &mut issues),
        schedule_interval_in_days: interval.and_then(|days| u32::try_from(days).ok()),
        additional_filters,
        week_day,
    };
    issues.finish(input)
}

/// Reads `weekDay` and checks it against the interval it depends on.
fn week_day(
    object: &Map<String, Value>,
    interval_given: bool,
    interval: Option<u64>,
    issues: &mut Issues,
) -> Option<WeekDay> {
    let day = match field(object, "weekDay") {
        None => None,
        Some(Value::String(name)) => {
            match WeekDay::from_api_name(name) {
                Some(day) => Some(day),
                None => {
                    issues.add("weekDay", "must be one of MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY, SUNDAY");
                    return None;
                }
            }
        }
        Some(other) => {
            issues.add(
                "weekDay",
                format!("must be a day name string, not {}", describe(other)),
            );
            return None;
        }
    };
    let weekly = interval == Some(WEEKLY_INTERVAL_DAYS);
    match (day, weekly) {
        (None, true) => issues.add("weekDay", "is required when scheduleIntervalInDays is 7"),
        // When the interval itself is invalid its own issue says so; a second one here
        // about the day would only repeat it.
        (Some(_), false) if !interval_given || interval.is_some() => {
            issues.add("weekDay", "is only valid when scheduleIntervalInDays is 7")
        }
        _ => {}
    }
    day
}

fn filters(object: &Map<String, Value>, issues: &mut Issues) -> Vec<ScheduleFilter> {
    let Some(value) = field(object, "filters") else {
        return Vec::new();
    };
    let Value::Array(items) = value else {
        issues.add(
            "filters",
            format!("must be an array, not {}", describe(value)),
        );
        return Vec::new();
    };
    items
        .iter()
        .enumerate()
        .filter_map(|(index, item)| filter(item, &format!("filters[{index}]"), issues))
        .collect()
}

fn filter(value: &Value, path: &str, issues: &mut Issues) -> Option<ScheduleFilter> {
    let object = as_object(value, path, issues)?;
    let days_path = join(path, "days");
    let days = match field(object, "days") {
        None => None,
        Some(Value::Number(number)) => match number.as_u64().or_else(|| whole_f64(number.as_f64()))
        {
            Some(days @ (0..=7 | 14)) => u32::try_from(days).ok(),
            _ => {
                issues.add(
                    &days_path,
                    format!("must be 1 to 7, 14, 0 or null, not {number}"),
                );
                None
            }
        },
        Some(other) => {
            issues.add(
                &days_path,
                format!("must be a number or null, not {}", describe(other)),
            );
            None
        }
    };

    let tags_path = join(path, "repoTags");
    let repo_tags = match field(object, "repoTags") {
        Some(Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(index, item)| repo_tag(item, &format!("{tags_path}[{index}]"), issues))
            .collect(),
        Some(other) => {
            issues.add(
                &tags_path,
                format!("must be an array, not {}", describe(other)),
            );
            Vec::new()
        }
        None => {
            issues.add(&tags_path, "is required: a list of { repo, tag }");
            Vec::new()
        }
    };
    Some(ScheduleFilter { repo_tags, days })
}

fn repo_tag(value: &Value, path: &str, issues: &mut Issues) -> Option<RepoTag> {
    let object = as_object(value, path, issues)?;
    let repo_path = join(path, "repo");
    let repo = match optional_text(object, "repo", &repo_path, issues) {
        Some(repo) if !repo.trim().is_empty() => repo,
        Some(_) => {
            issues.add(&repo_path, "must not be empty");
            String::new()
        }
        None => {
            if field(object, "repo").is_none() {
                issues.add(&repo_path, "is required");
            }
            String::new()
        }
    };
    let tag_path = join(path, "tag");
    let tag = optional_text(object, "tag", &tag_path, issues);
    if tag.as_deref().is_some_and(|tag| tag.trim().is_empty()) {
        issues.add(&tag_path, "must not be empty; use null for no tag");
    }
    Some(RepoTag { repo, tag })
}

fn additional_filters(
    object: &Map<String, Value>,
    issues: &mut Issues,
) -> Option<AdditionalFilters> {
    let value = field(object, "additionalFilters")?;
    let object = as_object(value, "additionalFilters", issues)?;
    let number_of_tags = optional_whole_number(
        field(object, "numberOfTags"),
        "additionalFilters.numberOfTags",
        1..=u64::from(u32::MAX),
        issues,
    );
    let sort_criteria = optional_text(
        object,
        "sortCriteria",
        "additionalFilters.sortCriteria",
        issues,
    );
    Some(AdditionalFilters {
        number_of_tags: number_of_tags.and_then(|n| u32::try_from(n).ok()),
        sort_criteria,
    })
}

/// Checks a sensor profile: `profileName` must be a non-empty string, `description` and
/// `profileType` strings, `config` an object; other fields are kept and sent as given,
/// except `profileUuid`, `created` and `updated`, which only the server sets.
pub fn sensor_profile_input(value: &Value) -> Result<SensorProfileInput, Vec<ValidationIssue>> {
    let mut issues = Issues::default();
    let object = input_object(value, &mut issues)?;

    let profile_name = match optional_text(object, "profileName", "profileName", &mut issues) {
        Some(name) if !name.trim().is_empty() => name,
        Some(_) => {
            issues.add("profileName", "must not be empty");
            String::new()
        }
        None => {
            if field(object, "profileName").is_none() {
                issues.add("profileName", "is required");
            }
            String::new()
        }
    };
    let description = optional_text(object, "description", "description", &mut issues);
    let profile_type = optional_text(object, "profileType", "profileType", &mut issues);
    let config = match field(object, "config") {
        None => None,
        Some(value) => as_object(value, "config", &mut issues).cloned(),
    };

    // The modelled fields are read above; the ones only the server sets (the id, which
    // travels in the path, and the timestamps) are left out of what is sent.
    let not_passed_on = [
        "profileName",
        "description",
        "profileType",
        "config",
        "profileUuid",
        "created",
        "updated",
    ];
    let other_fields: Map<String, Value> = object
        .iter()
        .filter(|(key, _)| !not_passed_on.contains(&key.as_str()))
        .map(|(key, value)| (key.clone(), value.clone()))
        .collect();

    let input = SensorProfileInput {
        profile_name,
        description,
        profile_type,
        config,
        other_fields,
    };
    issues.finish(input)
}

/// Combines the results of reading several arguments, keeping every issue of each.
pub(crate) fn all_of<A, B>(
    first: Result<A, Vec<ValidationIssue>>,
    second: Result<B, Vec<ValidationIssue>>,
) -> Result<(A, B), Vec<ValidationIssue>> {
    match (first, second) {
        (Ok(a), Ok(b)) => Ok((a, b)),
        (first, second) => {
            let mut issues = Issues::default();
            if let Err(found) = first {
                issues.extend(found);
            }
            if let Err(found) = second {
                issues.extend(found);
            }
            Err(issues.into_vec())
        }
    }
}
