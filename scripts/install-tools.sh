#!/usr/bin/env bash
# Installs what `make serve` (argument "build") and `make test` (argument "all") need, from
# the package registries only (crates.io, npm, Debian). Idempotent: whatever is already
# present at the right version is skipped.
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-all}
TRUNK_VERSION=0.21.14
CARGO_CYCLES_VERSION=0.2.0
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/[^0-9.]/, ""); print; exit }' Cargo.lock)
SUDO=""
[ "$(id -u)" = 0 ] || SUDO=sudo
say() { printf '==> %s\n' "$*"; }

# The toolchain is pinned by rust-toolchain.toml; make sure it has the browser target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 11 minutes on 2 cores)"
  cargo install trunk --version "$TRUNK_VERSION" --locked
fi

# wasm-bindgen-cli must equal Cargo.lock's wasm-bindgen; --locked fails for it (a pinned
# dependency is missing from the registry), so it is installed without.
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
fi
if ! grep -q "^wasm_bindgen = \"$WASM_BINDGEN_VERSION\"" Trunk.toml; then
  echo "Trunk.toml's [tools] wasm_bindgen must be $WASM_BINDGEN_VERSION (the version in Cargo.lock)" >&2
  exit 1
fi

# wasm-opt 132 (npm `binaryen`), playwright-core and papaparse (bench only), pinned by package-lock.json.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
  || [ ! -d node_modules/papaparse ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages (binaryen, playwright-core, papaparse)"
  npm ci --no-audit --no-fund
fi

[ "$what" = build ] && exit 0

# cargo-cycles for `make lint`'s import-cycle check (about 5 minutes to build on 2 cores).
if [ "$(cargo-cycles --version 2>/dev/null)" != "cargo-cycles $CARGO_CYCLES_VERSION" ]; then
  say "installing cargo-cycles $CARGO_CYCLES_VERSION"
  cargo install cargo-cycles --version "$CARGO_CYCLES_VERSION" --locked
fi

# Debian's Chromium and ChromeDriver for the browser and end-to-end tests.
if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
  say "installing chromium and chromium-driver"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y chromium chromium-driver
fi

# cargo-fuzz for the fuzz smoke run (needs the nightly toolchain the machine image ships).
if rustup toolchain list | grep -q '^nightly' && ! cargo fuzz --version >/dev/null 2>&1; then
  say "installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi
