#!/usr/bin/env bash
# Runs every test of every language in the repository. Needs only the toolchains
# (Rust; later Python, Node and a JDK); anything else it needs it installs itself.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Rust: unit, doc, integration, property, scenario and kill -9 durability tests"
cargo test --workspace

step "Rust: benchmarks run once each in criterion's test mode (small sizes)"
SCRM_BENCH_CUSTOMERS=50000 cargo test --release -p scrm --benches

# Bindings join here as they land: Python (issue 7), Node (issue 8), Kotlin/Swift (issue 9).
# Each runs the shared scenarios in tests/scenarios/ through its own API.

step "all tests passed"
