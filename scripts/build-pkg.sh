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
# The readers of the answers the package reads with the host's JSON.parse, generated
# from the shapes this very module exports (pkg-template/answer.js says why).
node scripts/answer-readers.mjs "$staging"

# wasm-bindgen types the module's raw exports (the `InitOutput` interface) with `any`.
# Nothing public passes through them, so they are narrowed to `unknown`, which keeps
# the package's declarations free of `any`.
sed -i -E '/^ *readonly [A-Za-z0-9_]+: \(/ s/\bany\b/unknown/g' "$staging/qualys_cs.d.ts"
# tsify marks every field with a serde default optional (`onDemand?: boolean`), but a
# listed schedule always has every field, its defaults filled in: in the output-only
# `RegistrySchedule` the marks are dropped, so that `schedule.filters.length` compiles
# under --strict. (Types shared with inputs, such as `ScheduleFilter`, keep theirs.)
sed -i -E '/^export interface RegistrySchedule \{/,/^\}/ s/^( +[A-Za-z0-9_]+)\?: /\1: /' "$staging/qualys_cs.d.ts"
grep -q '^    filters: ScheduleFilter\[\];' "$staging/qualys_cs.d.ts"
# The internal RawClient's `[Symbol.dispose]` needs TypeScript's `esnext.disposable` lib;
# it is dropped so that consumers on older `lib` settings compile without skipLibCheck.
sed -i '/\[Symbol.dispose\]()/d' "$staging/qualys_cs.d.ts"
rm -f "$staging/qualys_cs_bg.wasm.d.ts"

# --- The CommonJS entry (index.cjs, index.d.cts) -------------------------------------
# `require('qualys-cs')` loads one CommonJS file that esbuild bundles from the ESM source
# pkg-template/index.cjs.src.mjs together with the glue, client.js, host.js and loader.js,
# so it works on every Node 20+, not only on those that can require an ES module. `import.meta.url`, which the glue's (unused) default loader reads,
# is the file's own URL. The types are index.d.ts under the name TypeScript looks for
# next to a CommonJS file; they name the glue's types as `./qualys_cs.cjs` (which
# TypeScript finds as qualys_cs.d.cts), because a CommonJS declaration may not import an
# ES module's types on TypeScript before 5.3. Whitespace and syntax are minified (names
# are kept, for readable stack traces): the bundle repeats the JS of the ES module entry,
# and the package's size counts both (11.6 KB gzip unminified, 9.7 KB minified).
esbuild "$staging/index.cjs.src.mjs" --bundle --platform=node --format=cjs \
  --target=node20 --log-level=warning --outfile="$staging/index.cjs" \
  --minify --keep-names --line-limit=160 \
  --define:import.meta.url=__qualys_cs_import_meta_url \
  --banner:js="const __qualys_cs_import_meta_url = require('node:url').pathToFileURL(__filename).href;"
rm "$staging/index.cjs.src.mjs"
sed "s#from './qualys_cs.js'#from './qualys_cs.cjs'#" "$staging/index.d.ts" > "$staging/index.d.cts"
grep -q "from './qualys_cs.cjs'" "$staging/index.d.cts"
cp "$staging/qualys_cs.d.ts" "$staging/qualys_cs.d.cts"
# --- end of the CommonJS entry ---------------------------------------------------------

# The ES module files are shipped minified, with the names of functions and classes kept
# (so stack traces name what the source names), each with a source map that holds the
# commented source for debuggers: issue 5 counts every byte a page loads, and the
# comments were about 40% of the JavaScript's gzip size; shortening local names took
# another 0.5 KB off the browser entry. Lines are broken near 160 characters (esbuild
# breaks where it can), so that the source line Node prints above an uncaught error is a
# short line, not the whole file (about 1.2 KB gzip in all). The command line (cli.js)
# ships the same way.
for file in "$staging"/{qualys_cs,client,loader,index,index.node,host,answer,answer_readers,cli}.js; do
  esbuild "$file" --minify --keep-names --line-limit=160 --sourcemap \
    --log-level=warning --allow-overwrite --outfile="$file"
done

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
