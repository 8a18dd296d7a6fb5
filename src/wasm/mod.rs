//! The wasm-bindgen layer: the only code that knows about JavaScript.
//!
//! Everything crosses the boundary as JSON text: arguments come in as the text of plain
//! copies, results go out as text the package's entry file hands to `JSON.parse`, and
//! errors go out as the text of `{ code, message, status, ... }`, which the entry file
//! turns into `ContainerSecurityError`s. One `JSON.parse` in the host builds the objects
//! far faster than one boundary call per value, and no converter is compiled in.
//!
//! Each attempt runs in three steps: the module builds and checks the request
//! (`RawClient.prepare`, `prepareLogin`), the package's `host.js` hands it to the host's
//! `fetch` and reads the answer back, and the module decodes that answer
//! (`Attempt.finish`). The waiting is JavaScript's, so the module holds no futures and
//! no closures (issue 5 measured what they cost). The one exception to decoding here is
//! a page of schedules, which the package's answer reader reads with `JSON.parse`
//! against the shape the core exports (`model::shape`) when it is sure of it; the
//! module then checks only the status and headers.

mod client;
pub use client::{prepare_login, validate_registry_schedule, Attempt, RawClient};
mod host;
