//! The API's resources, one module per resource, as they travel on the wire.
//!
//! Every type uses the API's camelCase field names on the wire. Decoding is tolerant
//! (unknown fields are ignored or kept, `null` stands for a missing value, timestamps
//! arrive in several forms); what the client sends is always strict and valid JSON.

pub mod connector;
mod nullable;
pub mod page;
pub mod permission;
pub mod platform;
pub mod rate_limit;
pub mod schedule;
pub mod sensor_profile;
pub mod shape;
pub mod timestamp;
mod whole_number;

pub use connector::{AcrConnectorDeletion, AwsConnectorDeletion};
pub use page::{Page, PageRequest};
pub use permission::{required_permission, Permission};
pub use platform::Platform;
pub use rate_limit::RateLimit;
pub use schedule::{
    AdditionalFilters, CreatedSchedule, RegistrySchedule, RegistryScheduleInput, RepoTag,
    ScheduleFilter, WeekDay,
};
pub use sensor_profile::{CreatedSensorProfile, SensorProfile, SensorProfileInput};
pub use timestamp::{EpochMillis, Timestamp};
