# Folio: `make serve` and `make test` work on a fresh machine (they install what they need).
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
export PATH := $(CURDIR)/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
# Build outputs are shared by every checkout on this machine: CI clones afresh for each run.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/folio/target
export CHROMEDRIVER ?= /usr/bin/chromedriver
PORT ?= 8080
FUZZ_SECONDS ?= 60
# Import cycles found by cargo-cycles: "report" prints them, "fail" also fails the target.
CYCLES ?= fail

.PHONY: serve dev test tools tools-build dist dist-bench lint cycles native-test browser-test e2e fuzz bench bench-page fixtures xirr-vectors bench-performance

## serve: build the release bundle and serve it at http://127.0.0.1:$(PORT)
serve: tools-build dist
	node scripts/serve.mjs dist $(PORT)

## test: every test: lint, native, wasm in the browser, end-to-end, fuzz smoke run
test: tools lint native-test fuzz browser-test e2e

tools:
	bash scripts/install-tools.sh all

tools-build:
	bash scripts/install-tools.sh build

# Trunk's post_build hook (Trunk.toml) finishes the build: the whole app's module, the CSP.
dist:
	trunk build --release

## dist-bench: the release build with the bench page (cargo feature `bench`), for `make bench`
dist-bench:
	trunk build --release --features bench --dist dist-bench

lint: cycles
	cargo fmt --all --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --bins --tests -- -D warnings
	cargo clippy --all-targets --features bench -- -D warnings
	cargo clippy --target wasm32-unknown-unknown --lib --bins --tests --features bench -- -D warnings

## cycles: import cycles between the crate's files (cargo-cycles); CYCLES=fail makes one fail
cycles:
	node scripts/cycles.mjs $(CYCLES)

native-test:
	cargo test

browser-test:
	cargo test --target wasm32-unknown-unknown --test browser_store --test browser_prices --test browser_prices_worker --test browser_crypto --test browser_backup --test browser_upgrade

e2e: dist
	node --test --test-concurrency=1 tests/e2e/

## fuzz: run the importer fuzz target (nightly) for FUZZ_SECONDS
fuzz:
	@if rustup toolchain list | grep -q '^nightly'; then \
	  CARGO_TARGET_DIR=$(CARGO_TARGET_DIR)/fuzz cargo +nightly fuzz run import -- -max_total_time=$(FUZZ_SECONDS) -rss_limit_mb=4096; \
	else \
	  echo "fuzz: SKIPPED, no nightly toolchain on this machine (cargo-fuzz needs one); the proptest no-panic tests still ran"; \
	fi

## bench-page: the end-to-end test of the bench page, on the bench build
bench-page: dist-bench
	FOLIO_DIST=dist-bench node --test --test-concurrency=1 tests/bench-page/

## bench: every figure of the README's benchmark table, side by side in one run: the seeded
## synthetic files (examples/synth.rs); the release build with the bench page in headless
## Chromium (bench page, PapaParse in the same page, Import page; the first visit and the next
## page on the build users get), its importer, plan and risk report in
## rounds alternating with criterion's native runs and numpy + empyrical's (a virtualenv in
## ~/.cache/folio); one JSON (bench/results.json) and a table (bench/results.md)
bench: tools dist dist-bench bench-page
	cargo run --release --features bench --example synth -- bench/out/files
	cargo bench --features bench --bench import --bench rebalance --bench risk --no-run
	python3 -m venv $(HOME)/.cache/folio/bench-venv
	$(HOME)/.cache/folio/bench-venv/bin/pip install -q numpy scipy pandas empyrical-reloaded
	BENCH_PYTHON=$(HOME)/.cache/folio/bench-venv/bin/python FOLIO_DIST=dist-bench node bench/browser.mjs bench/out/files bench/out/browser.json
	node bench/report.mjs bench/out bench/results.json bench/results.md

## fixtures: regenerate tests/fixtures (XLSX needs openpyxl)
fixtures:
	python3 scripts/make_fixtures.py --xlsx

## xirr-vectors: re-record tests/vectors/xirr.json (pyxirr, numpy-financial) in the bench virtualenv
xirr-vectors:
	python3 -m venv $(HOME)/.cache/folio/bench-venv
	$(HOME)/.cache/folio/bench-venv/bin/pip install -q pyxirr numpy-financial pandas
	$(HOME)/.cache/folio/bench-venv/bin/python scripts/xirr_vectors.py tests/vectors/xirr.json

## bench-performance: performance accounting, 100,000 transactions (criterion; FOLIO_BENCH_1M=1 adds
## 1,000,000, FOLIO_BENCH_PHASES=1 prints each part's CPU time), then the same ledger in pandas +
## pyxirr (bench/performance_pandas.py), its agreement with Folio's results and the time ratio
bench-performance:
	cargo bench --bench performance
	python3 -m venv $(HOME)/.cache/folio/bench-venv
	$(HOME)/.cache/folio/bench-venv/bin/pip install -q pyxirr numpy-financial pandas
	$(HOME)/.cache/folio/bench-venv/bin/python bench/performance_pandas.py bench/out/performance_input.json \
	  $(CARGO_TARGET_DIR)/criterion/performance/100k_tx_500_assets_1826_days_from_scratch/new/estimates.json
