//! The shape of a page of registry schedules, as data the package's host side reads.
//!
//! The serde types of this crate are what an answer means; this table says the same
//! for the one answer that comes in bulk, so that the npm package can read such a page
//! with the host's own `JSON.parse` and check it against the table, instead of copying
//! the text into the wasm module and the result back out (issue 5 measured that copy
//! as most of a call's overhead). The package's build turns the table, as the module
//! exports it, into reader functions (scripts/answer-readers.mjs). A reader only takes
//! a value it is sure of: a field of any other form (an alias, a timestamp it leaves to
//! the module, a list where an object belongs) sends the whole body to the serde types,
//! which decode it or word the error exactly as they always do. `tests/core_shape.rs`
//! keeps the table's fields equal to the serde types' fields, and
//! `tests/js/answer.test.mjs` compares both readings page by page.

use super::schedule::WeekDay;
use serde::Serialize;

/// How one value is read; `null` and a missing field mean the same, as in the serde
/// types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Shape {
    /// A string that must be there.
    String,
    /// A string, or `null`.
    OptionalString,
    /// A boolean; `null` reads as `false`.
    Flag,
    /// A timestamp, as epoch milliseconds, or `null` ([`super::Timestamp`]).
    Timestamp,
    /// Any JSON value, kept as it is, or `null`.
    Json,
    /// A whole number from 0 to `u32::MAX`, or `null`.
    OptionalU32,
    /// One of `values`, spelled exactly so, or `null`.
    OptionalEnum {
        /// The spellings the API documents.
        values: &'static [&'static str],
    },
    /// A list; `null` reads as an empty list.
    List {
        /// The shape of every item.
        item: &'static Shape,
    },
    /// An object with these fields; unknown fields are dropped.
    Object {
        /// The fields, in the order the result lists them.
        fields: &'static [Field],
        /// Whether `null` stands for the whole object.
        nullable: bool,
    },
    /// A page: `{ data: [item...], count }`, where a missing `count` is the number of
    /// items.
    Page {
        /// The shape of every item of `data`.
        item: &'static Shape,
    },
}

/// One field of an [`Shape::Object`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Field {
    /// The field's name on the wire and in the result.
    pub name: &'static str,
    /// How its value is read.
    pub shape: Shape,
    /// Other names the server may use for it; an answer that uses one is left to the
    /// serde types, which also refuse an answer that uses two names at once.
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    pub aliases: &'static [&'static str],
    /// Whether a `null` value is left out of the result rather than written as `null`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub omit_null: bool,
}

const fn field(name: &'static str, shape: Shape) -> Field {
    Field {
        name,
        shape,
        aliases: &[],
        omit_null: false,
    }
}

const WEEK_DAYS: [&str; 7] = [
    WeekDay::Monday.as_str(),
    WeekDay::Tuesday.as_str(),
    WeekDay::Wednesday.as_str(),
    WeekDay::Thursday.as_str(),
    WeekDay::Friday.as_str(),
    WeekDay::Saturday.as_str(),
    WeekDay::Sunday.as_str(),
];

/// [`super::RepoTag`].
const REPO_TAG: Shape = Shape::Object {
    fields: &[
        field("repo", Shape::String),
        field("tag", Shape::OptionalString),
    ],
    nullable: false,
};

/// [`super::ScheduleFilter`].
const SCHEDULE_FILTER: Shape = Shape::Object {
    fields: &[
        field("repoTags", Shape::List { item: &REPO_TAG }),
        field("days", Shape::OptionalU32),
    ],
    nullable: false,
};

/// [`super::AdditionalFilters`], whose absent fields are left out of the result.
const ADDITIONAL_FILTERS: Shape = Shape::Object {
    fields: &[
        Field {
            omit_null: true,
            ..field("numberOfTags", Shape::OptionalU32)
        },
        Field {
            omit_null: true,
            ..field("sortCriteria", Shape::OptionalString)
        },
    ],
    nullable: true,
};

/// [`super::RegistrySchedule`], field for field in its order.
pub const REGISTRY_SCHEDULE: Shape = Shape::Object {
    fields: &[
        field("scheduleUuid", Shape::String),
        field("onDemand", Shape::Flag),
        field("created", Shape::Timestamp),
        field("updated", Shape::Timestamp),
        field("jobStartDate", Shape::Timestamp),
        field("jobCompletionDate", Shape::Timestamp),
        field("name", Shape::OptionalString),
        field("errors", Shape::Json),
        field("schedule", Shape::OptionalString),
        field(
            "filters",
            Shape::List {
                item: &SCHEDULE_FILTER,
            },
        ),
        field("additionalFilters", ADDITIONAL_FILTERS),
        field("status", Shape::OptionalString),
        field("jobListingStartDate", Shape::Timestamp),
        field("jobListingCompletionDate", Shape::Timestamp),
        field("jobScanningStartDate", Shape::Timestamp),
        field("jobScanningCompletionDate", Shape::Timestamp),
        field("forceScan", Shape::Flag),
        Field {
            aliases: &["scheduleScanIntervalInDays"],
            ..field("scheduleIntervalInDays", Shape::OptionalU32)
        },
        field("weekDay", Shape::OptionalEnum { values: &WEEK_DAYS }),
    ],
    nullable: false,
};

/// [`super::Page`] of [`super::RegistrySchedule`]s: the answer of
/// `GET /registry/{registryId}/schedule`.
pub const REGISTRY_SCHEDULE_PAGE: Shape = Shape::Page {
    item: &REGISTRY_SCHEDULE,
};
