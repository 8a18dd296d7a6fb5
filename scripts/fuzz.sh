#!/usr/bin/env bash
# Runs one cargo-fuzz target of fuzz/ for a bounded time and reports, on its last lines:
#
#   fuzz <target> executions <N>
#   fuzz <target> seconds <S>
#   fuzz <target> crashes <K>
#
# Usage: bash scripts/fuzz.sh [seconds=60] [target=decode_response] [libFuzzer flags...]
#
# It installs cargo-fuzz when it is missing (about three minutes, once) and needs the
# nightly toolchain (`cargo +nightly`). The fuzzer starts from a scratch copy of
# fuzz/seeds/<target>/ in fuzz/corpus/<target>/, so the committed seeds never change;
# FUZZ_KEEP_CORPUS=1 keeps the scratch corpus of the last run and grows it further.
# A crash, a timeout or an out-of-memory input is written to fuzz/artifacts/<target>/
# and makes the script exit non-zero.
#
# The build keeps debug assertions and overflow checks on (cargo-fuzz's default) but
# leaves out AddressSanitizer: the crate has no `unsafe` code, and without it the
# fuzzer runs about ten times faster. FUZZ_SANITIZER=address puts it back.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$PATH"

seconds=${1:-60}
target=${2:-decode_response}
extra=("${@:3}")
sanitizer=${FUZZ_SANITIZER:-none}
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz.sh: seconds must be a whole number, at least 1, not '$seconds'" >&2
  exit 2
fi
if [ ! -f "fuzz/fuzz_targets/$target.rs" ]; then
  echo "fuzz.sh: no target '$target'; the targets are:" \
    "$(cd fuzz/fuzz_targets && ls -- *.rs | sed 's/\.rs$//' | tr '\n' ' ')" >&2
  exit 2
fi

step() { printf 'fuzz.sh: %s\n' "$1" >&2; }

if ! cargo +nightly --version >/dev/null 2>&1; then
  step "installing the nightly toolchain (rustup toolchain install nightly --profile minimal)"
  rustup toolchain install nightly --profile minimal
fi
if ! cargo fuzz --version >/dev/null 2>&1; then
  step "installing cargo-fuzz (a few minutes, once)"
  # `--locked` uses the versions cargo-fuzz was released with; when one of them is gone
  # from the registry, the install is retried with the newest compatible ones.
  cargo install --quiet cargo-fuzz --locked || cargo install --quiet cargo-fuzz
fi

seeds="fuzz/seeds/$target"
corpus="fuzz/corpus/$target"
artifacts="fuzz/artifacts/$target"
if [ "${FUZZ_KEEP_CORPUS:-}" != 1 ]; then
  rm -rf "$corpus"
fi
mkdir -p "$corpus" "$artifacts"
if [ -d "$seeds" ]; then
  cp -- "$seeds"/* "$corpus"/ 2>/dev/null || true
fi

# Build first, so that the build's time is reported apart from the fuzzing's.
build_started=$(date +%s)
if ! cargo +nightly fuzz build --sanitizer "$sanitizer" "$target"; then
  echo "fuzz $target build failed"
  exit 1
fi
build_seconds=$(( $(date +%s) - build_started ))

# Crashes are counted as the inputs libFuzzer writes to the artifacts folder.
count_artifacts() {
  find "$artifacts" -maxdepth 1 -type f \( -name 'crash-*' -o -name 'timeout-*' \
    -o -name 'oom-*' -o -name 'leak-*' \) | wc -l
}
artifacts_before=$(count_artifacts)

log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Every new input libFuzzer finds goes to the first folder it is given: the scratch
# copy. `-timeout` flags an input that takes more than 10 s as a hang.
started=$(date +%s)
status=0
cargo +nightly fuzz run --sanitizer "$sanitizer" "$target" "$corpus" -- \
  -max_total_time="$seconds" -timeout=10 -print_final_stats=1 "${extra[@]}" 2>&1 \
  | tee "$log" >&2 \
  || status=$?
wall_seconds=$(( $(date +%s) - started ))

# libFuzzer's final statistics, or its `#N DONE` line when the statistics are missing.
executions=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\).*/\1/p' "$log" | tail -n 1)
if [ -z "$executions" ]; then
  executions=$(sed -n 's/^#\([0-9][0-9]*\)[[:space:]]*DONE.*/\1/p' "$log" | tail -n 1)
fi
if [ -z "$executions" ]; then
  # After a crash libFuzzer prints neither; its last status line is the best count.
  executions=$(sed -n 's/^#\([0-9][0-9]*\)[:[:space:]].*/\1/p' "$log" | tail -n 1)
fi
fuzz_seconds=$(sed -n 's/^Done [0-9][0-9]* runs in \([0-9][0-9]*\) second.*/\1/p' "$log" | tail -n 1)
crashes=$(( $(count_artifacts) - artifacts_before ))
if [ "$status" -ne 0 ] && [ "$crashes" -eq 0 ]; then
  # A failure that wrote no input (a build error, a sanitizer abort) still counts.
  crashes=1
fi

echo "fuzz $target build_seconds $build_seconds"
echo "fuzz $target executions ${executions:-0}"
echo "fuzz $target seconds ${fuzz_seconds:-$wall_seconds}"
echo "fuzz $target crashes $crashes"
if [ "$crashes" -ne 0 ]; then
  grep 'Test unit written to' "$log" | sed 's/^/fuzz.sh: /' >&2 || true
  echo "fuzz.sh: reproduce with:" \
    "cargo +nightly fuzz run --sanitizer $sanitizer $target <artifact>" >&2
  exit 1
fi
