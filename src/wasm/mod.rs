//! The wasm-bindgen layer: the only code that knows about JavaScript.
//!
//! Everything crosses the boundary as JSON text: arguments come in as the text of plain
//! copies, results go out as text the package's entry file hands to `JSON.parse`, and
//! errors go out as the text of `{ code, message, status, ... }`, which the entry file
//! turns into `ContainerSecurityError`s. One `JSON.parse` in the host builds the objects
//! far faster than one boundary call per value, and no converter is compiled in.
//!
//! Each attempt is driven from here: the core builds the request, `host.js` hands it to
//! the host's `fetch` and reads the answer back, and the core decodes it. The one
//! exception is a page of schedules, which the package's answer reader reads with
//! `JSON.parse` against the shape the core exports (`model::shape`) when it is sure of
//! it; the module then checks only the status and headers.

mod client;
pub use client::{validate_registry_schedule, RawClient};
mod host;
