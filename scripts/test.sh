#!/usr/bin/env bash
# Runs every test of every language in the repository. Needs only the toolchains (Rust,
# Python 3.9+, Node 20+, a JDK 17+ with Maven); each binding's script installs what it
# needs itself (pip into a venv, npm ci, Maven downloads).
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n== %s\n' "$*"; }

step "Rust: unit, doc, integration, property, scenario and kill -9 durability tests"
cargo test

step "Rust: benchmarks run once each in criterion's test mode (small sizes)"
SCRM_BENCH_CUSTOMERS=50000 cargo test --release -p scrm --benches

step "Benchmark report, quick run: scrm and its peers agree on every workload (BG/NBD with lifetimes, PageRank with networkx, segment counts with polars, DuckDB and pandas...)"
scripts/bench.sh --quick

step "Python binding: pytest suite and the shared scenarios"
bindings/python/test.sh -q

step "Node binding: node --test suite, typings and the shared scenarios"
bindings/node/test.sh

step "Kotlin/Swift binding (uniffi): Kotlin JUnit suite on the JVM, Swift generated and checked"
bindings/ffi/test.sh

step "all tests passed"
