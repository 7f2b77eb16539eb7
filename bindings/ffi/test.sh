#!/usr/bin/env bash
# Builds the uniffi binding (the `mobile` profile) and generates its Kotlin and Swift
# (generate.sh, which also checks both are complete), then compiles the Kotlin with Maven and runs the JUnit 5
# suite on the JVM against the built library, shared parity scenarios included. Needs Rust,
# a JDK (17+) and Maven; Maven fetches the Kotlin compiler, JNA, JUnit and org.json itself.
# Works from any directory: bindings/ffi/test.sh from the repository root. Extra arguments
# go to Maven (e.g. -Dtest=ErrorsTest).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
target="${CARGO_TARGET_DIR:-$root/target}"

"$here/generate.sh"

cd "$here/kotlin"
rm -rf target/surefire-reports
status=0
mvn -q -B test -Dscrm.lib.dir="$target/mobile" "$@" || status=$?

# Maven runs quiet, so Surefire prints no totals: sum its reports into one closing line.
if compgen -G "target/surefire-reports/TEST-*.xml" >/dev/null; then
    grep -h '<testsuite ' target/surefire-reports/TEST-*.xml | awk '
        function attr(name) { return match($0, name "=\"[0-9]+\"") ? substr($0, RSTART + length(name) + 2, RLENGTH - length(name) - 3) + 0 : 0 }
        { t += attr("tests"); f += attr("failures") + attr("errors"); s += attr("skipped") }
        END { printf "kotlin: %d passed, %d failed, %d skipped\n", t - f - s, f, s }'
fi
exit "$status"
