//! The wasm layer's tests in Node (`wasm-bindgen-test-runner` runs a target without
//! `run_in_browser` in Node).
#![cfg(target_arch = "wasm32")]

#[path = "wasm/suite.rs"]
mod suite;
