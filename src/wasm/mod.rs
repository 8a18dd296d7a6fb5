//! The wasm-bindgen layer: the only code that knows about JavaScript.
//!
//! It converts JavaScript values to the core's input, performs the host's `fetch` and
//! hands the core's results back as plain JavaScript values. Errors cross as plain
//! objects (`{ code, message, status, ... }`); the package's entry file turns them into
//! `ContainerSecurityError` instances.

mod client;
pub use client::{validate_registry_schedule, RawClient};
mod convert;
mod transport;
