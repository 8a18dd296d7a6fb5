//! The same tests as `wasm_node.rs`, in headless Chromium.
#![cfg(target_arch = "wasm32")]
// Tests stop loudly on the first surprise; the library itself denies these.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

#[path = "wasm/suite.rs"]
mod suite;
