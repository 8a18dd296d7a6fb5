#!/usr/bin/env bash
# Installs every tool the build and the tests need, skipping what is already present.
# It is idempotent so that `make demo`, `make test` and `.ci/run` can all call it first.
set -euo pipefail

# The version is read from Cargo.toml, where the crate pins it with `=`.
WASM_BINDGEN_VERSION=$(sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' "$(dirname "$0")/../Cargo.toml")
root=$(cd "$(dirname "$0")/.." && pwd)

step() { printf 'setup: %s\n' "$1" >&2; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  step "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# The CLI must match the crate's wasm-bindgen version exactly, or the generated glue
# and the wasm disagree. `--locked` is left out because the CLI's lock file names a
# crate version the registry does not carry.
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (a few minutes)"
  cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi

# The npm tools are the root package.json's devDependencies: binaryen for wasm-opt
# (Debian's is too old; its output fails to load in Node), playwright-core, which
# drives Debian's Chromium rather than downloading its own browser, TypeScript, to
# compile a consumer of the package's declarations, esbuild, which bundles the
# package's CommonJS entry, and Vite, to build a page that uses the package.
if [ ! -x "$root/node_modules/.bin/wasm-opt" ] \
  || [ ! -d "$root/node_modules/playwright-core" ] \
  || [ ! -d "$root/node_modules/typescript" ] \
  || [ ! -x "$root/node_modules/.bin/esbuild" ] \
  || [ ! -x "$root/node_modules/.bin/vite" ] \
  || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  step "installing the npm tools (npm ci)"
  (cd "$root" && npm ci --no-audit --no-fund --loglevel=error)
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "${QUALYS_CS_SKIP_BROWSER:-}" = 1 ]; then
    step "skipping Chromium (QUALYS_CS_SKIP_BROWSER=1)"
  else
    step "installing Debian's chromium and chromium-driver"
    apt-get update -qq
    apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
fi
