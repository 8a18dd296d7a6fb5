# The two commands a newcomer needs: `make demo` and `make test`. Both install what is
# missing first (scripts/setup.sh skips what is already there).
SHELL := /bin/bash
PORT ?= 0

.PHONY: setup pkg demo test bench clean

setup:
	@bash scripts/setup.sh

# Builds the npm package into pkg/ (wasm, glue, types, entry files, README).
pkg: setup
	@bash scripts/build-pkg.sh

# Builds everything, then serves the emulator and the demo page; prints the URL.
demo: pkg
	node tests/emulator/server.mjs --port $(PORT)

# Every test: formatting and lints, native tests, a short bounded fuzz of the core, wasm
# tests in Node and Chromium, JS tests of the built package against the emulator, and
# the demo page in Chromium.
test: setup
	@bash scripts/test.sh

# Figures that are measured, not asserted, as `name value unit` lines on stdout: load and
# memory after 10,000 calls, overhead per call against a raw fetch, decoding a page of
# 5,000 schedules against JSON.parse, and cold start. Each script runs on its own, in turn,
# so that none of them shares the machine with another.
# Its stdout carries only the figures' `name value unit` lines: the installs and the
# build (with its size report) write to stderr.
bench:
	@bash scripts/setup.sh >&2
	@bash scripts/build-pkg.sh >&2
	@node --expose-gc bench/load.mjs
	@node --expose-gc bench/overhead.mjs
	@node --expose-gc bench/decode.mjs
	@node --expose-gc bench/coldstart.mjs

clean:
	rm -rf pkg target/pkg-staging
