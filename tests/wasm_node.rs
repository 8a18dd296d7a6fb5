//! The wasm layer's tests in Node (`wasm-bindgen-test-runner` runs a target without
//! `run_in_browser` in Node).
#![cfg(target_arch = "wasm32")]
// Tests stop loudly on the first surprise; the library itself denies these.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "wasm/suite.rs"]
mod suite;
