#!/usr/bin/env bash
# The binding's figures from Kotlin: per-call overhead of trivial methods and batch ingest
# of 1,000,000 events (kotlin/src/bench/kotlin/dev/scrm/bench/Bench.kt, a plain main class
# on a plain JVM: no JUnit, no Surefire), then the same workload from Rust without the FFI
# (examples/ffi_baseline.rs), to split the Kotlin figures into core, conversion and FFI.
#
# Builds (the `mobile` profile) and generates like test.sh, compiles the benchmark with Maven's `bench`
# profile (into kotlin/target/bench, apart from the tests) and runs it. Works from any
# directory. Arguments go to the Kotlin benchmark: --events N (default 1,000,000),
# --breakdown (time the pieces of a generated call apart). JAVA_OPTS adds JVM flags.
# Set SCRM_BENCH_NO_RUST=1 to skip the Rust baseline.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

"$here/generate.sh" >/dev/null

cd "$here/kotlin"
mvn -q -B -Pbench test-compile dependency:build-classpath \
    -Dmdep.outputFile=target/bench/classpath.txt -Dmdep.includeScope=runtime
classpath="target/bench/classes:target/bench/test-classes:$(cat target/bench/classpath.txt)"
events=()
parts=(calls)
while [ $# -gt 0 ]; do
    case "$1" in
        --events) events=(--events "$2"); shift 2 ;;
        --breakdown) parts+=(breakdown); shift ;;
        *) echo "usage: bench.sh [--events N] [--breakdown]" >&2; exit 2 ;;
    esac
done
parts+=(ingest)
# One JVM per part: what JNA leaves for its cleaner in one part must not slow the next.
for part in "${parts[@]}"; do
    # shellcheck disable=SC2086 # JAVA_OPTS is a list of flags
    java ${JAVA_OPTS:-} -Djna.library.path="$target/mobile" -cp "$classpath" \
        dev.scrm.bench.BenchKt "$part" "${events[@]}"
done

if [ -z "${SCRM_BENCH_NO_RUST:-}" ]; then
    echo "== the same from Rust, without the FFI (examples/ffi_baseline.rs)"
    (cd "$root" && cargo run --quiet --release -p scrm-ffi --example ffi_baseline)
fi
