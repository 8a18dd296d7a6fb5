//! Typed, validated access to the Qualys Container Security (CS) REST API, version 1.22.
//!
//! The crate has three layers, and only the last one knows about JavaScript:
//!
//! - [`model`]: the API's resources (registry scan schedules, connectors, sensor
//!   profiles, permissions, pages) as serde types, named as the API spells them.
//! - [`validate`] and [`api`]: a sans-IO core. It checks caller input, builds each
//!   endpoint's request as plain data and turns a status, headers and body into a value
//!   or a typed [`Error`]. It builds and tests natively with `cargo test`.
//! - `wasm` (only on `wasm32`): the wasm-bindgen layer that performs the host's `fetch`
//!   and converts values to and from JavaScript. The npm package wraps it.

// `Error` is large (it carries every validation issue), but it is built only on the
// failure path, where its size costs nothing worth boxing it for.
#![allow(clippy::result_large_err)]

pub mod api;
pub mod error;
pub mod model;
pub mod validate;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use error::{Error, ErrorCode};
pub use validate::ValidationIssue;
