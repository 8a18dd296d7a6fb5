#!/usr/bin/env bash
# Builds the npm package into pkg/: the release wasm, wasm-bindgen's glue and types,
# wasm-opt, then the hand-kept files from pkg-template/. Prints the gzip size.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$root/node_modules/.bin:$HOME/.cargo/bin:$PATH"

cargo build --quiet --target wasm32-unknown-unknown --release --lib

out="$root/pkg"
staging="$root/target/pkg-staging"
rm -rf "$staging"
mkdir -p "$staging"
wasm-bindgen --target web --out-dir "$staging" --out-name qualys_cs \
  target/wasm32-unknown-unknown/release/qualys_cs.wasm
wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-multivalue \
  "$staging/qualys_cs_bg.wasm" -o "$staging/qualys_cs_bg.wasm"
cp pkg-template/* LICENSE "$staging/"

# wasm-bindgen types the module's raw exports (the `InitOutput` interface) with `any`.
# Nothing public passes through them, so they are narrowed to `unknown`, which keeps
# the package's declarations free of `any`.
sed -i -E '/^ *readonly [A-Za-z0-9_]+: \(/ s/\bany\b/unknown/g' "$staging/qualys_cs.d.ts"
# The internal RawClient's `[Symbol.dispose]` needs TypeScript's `esnext.disposable` lib;
# it is dropped so that consumers on older `lib` settings compile without skipLibCheck.
sed -i '/\[Symbol.dispose\]()/d' "$staging/qualys_cs.d.ts"
rm -f "$staging/qualys_cs_bg.wasm.d.ts"

# The package README is its own introduction followed by the usage, API and error
# sections of the repository README, which are kept in one place only.
sed -n '/<!-- package-docs:start -->/,/<!-- package-docs:end -->/p' README.md \
  | sed '1d;$d' >> "$staging/README.md"

# The staging folder replaces pkg/ in one step, so that a failed build never leaves a
# half-written package for the demo or the tests to load.
rm -rf "$out"
mv "$staging" "$out"

# Tests and the demo import the package by its name, as its users do.
mkdir -p node_modules
ln -sfn ../pkg node_modules/qualys-cs

node scripts/size.mjs
