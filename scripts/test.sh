#!/usr/bin/env bash
# Runs every test of the project, in the order that fails fastest. `make test` and
# `.ci/run` both call this script.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

step() { printf '\n== %s\n' "$1"; }

step "formatting and lints (native and wasm32)"
cargo fmt --all -- --check
cargo clippy --quiet --all-targets -- -D warnings
cargo clippy --quiet --all-targets --target wasm32-unknown-unknown -- -D warnings

step "native tests of the core"
cargo test --quiet

# A short, bounded fuzz of the response decoder and the input validators; the longer
# runs that count a million executions are `bash scripts/fuzz.sh 120`. cargo-fuzz needs
# the nightly toolchain, which machines of this kind carry; without it the step says so.
step "bounded fuzzing of the core (cargo-fuzz, nightly)"
if cargo +nightly --version >/dev/null 2>&1; then
  # libFuzzer's progress lines run to thousands; the summary lines are what matter.
  for target in decode_response validate_input; do
    bash scripts/fuzz.sh "${QUALYS_CS_FUZZ_SECONDS:-15}" "$target" 2>&1 | tail -n 8
  done
else
  echo "fuzzing skipped: no nightly toolchain on this machine"
fi

step "wasm tests in Node and in headless Chromium"
# The Chromium that chromedriver starts for these tests can leave its profile (about
# 17 MB) in the temp folder when it is stopped; the step gets a temp folder of its own,
# which is removed however the step ends.
wasm_tmp=$(mktemp -d)
trap 'rm -rf "$wasm_tmp"' EXIT
TMPDIR="$wasm_tmp" CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm_node --test wasm_browser

step "the npm package"
bash scripts/build-pkg.sh

step "JS tests of the package against the emulator, and the demo page in Chromium"
node --test --test-concurrency=1 tests/js/*.test.mjs tests/browser/*.test.mjs
