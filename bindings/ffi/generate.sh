#!/usr/bin/env bash
# Generates the Kotlin and Swift sources of the binding from the built library (uniffi
# "library mode": the interface is read from the metadata the proc-macros put in
# libscrm_ffi), with the workspace's own uniffi-bindgen so generator and library always
# match. Output goes to bindings/ffi/generated/{kotlin,swift} (git-ignored).
#
# Then checks that every exported item is present in both languages: each method and
# function named in src/ (camelCase), each record, enum, object and error type, and each
# case of the enums and the error. Swift is
# generated and checked here but not compiled (see README.md).
#
# Usage: bindings/ffi/generate.sh [path/to/libscrm_ffi.so]
# Without a path it first builds the library for this machine with the workspace's `mobile`
# profile (the build that ships: see Cargo.toml) into target/mobile, and uses that one.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
case "$(uname -s)" in
    Darwin) ext=dylib ;;
    *) ext=so ;;
esac
if [ $# -eq 0 ]; then
    (cd "$root" && cargo build --profile mobile -p scrm-ffi)
fi
lib="${1:-${CARGO_TARGET_DIR:-$root/target}/mobile/libscrm_ffi.$ext}"
out="$here/generated"

rm -rf "$out"
for language in kotlin swift; do
    (cd "$root" && cargo run --quiet --release -p uniffi-bindgen -- generate \
        --library "$lib" --language "$language" --out-dir "$out/$language" --no-format)
done

kotlin="$(find "$out/kotlin" -name '*.kt')"

# One Kotlin patch, to work around JNA rather than uniffi: the call status of every native
# call becomes a per-thread block of native memory passed as a plain Pointer, instead of a
# JNA Structure marshalled (and, as generated, allocated and left to JNA's cleaner) per call.
# patch_kotlin.py says why and fails loudly if a uniffi bump changes the template.
python3 "$here/patch_kotlin.py" "$kotlin"
swift="$(find "$out/swift" -name '*.swift')"

# Exported callables: every `pub fn` of the #[uniffi::export] blocks, in camelCase.
functions="$(grep -hoE '^\s*pub fn [a-z_0-9]+' "$here"/src/engine/*.rs "$here"/src/segment.rs "$here"/src/models.rs "$here"/src/constants.rs |
    sed -E 's/.*pub fn //' | sed -E 's/_([a-z0-9])/\U\1/g' | sort -u)"
# Exported types: the item after each uniffi derive.
types="$(grep -hA1 -E 'uniffi::(Record|Enum|Object|Error)' "$here"/src/*.rs "$here"/src/engine/*.rs |
    grep -oE 'pub (struct|enum) [A-Za-z0-9]+' | awk '{print $3}' | sort -u)"

# Their cases: every variant of a uniffi enum or error (4-space indented in its block), as
# Type.Variant. Kotlin writes a plain enum's as UPPER_SNAKE entries and the others as nested
# classes or objects; Swift as `case lowerCamel` (backquoted when a keyword, like `in`),
# error cases as `case UpperCamel`.
variants="$(awk '
    /uniffi::(Enum|Error)/ { want = 1; next }
    want && match($0, /pub enum [A-Za-z0-9]+/) { name = substr($0, RSTART + 9, RLENGTH - 9); inside = 1; want = 0; next }
    inside && /^}/ { inside = 0 }
    inside && match($0, /^    [A-Z][A-Za-z0-9]*/) { print name "." substr($0, 5, RLENGTH - 4) }
' "$here"/src/*.rs "$here"/src/engine/*.rs | sort -u)"

missing=0
for v in $variants; do
    t="${v%%.*}" c="${v#*.}"
    upper="$(echo "$c" | sed -E 's/([a-z0-9])([A-Z])/\1_\2/g' | tr '[:lower:]' '[:upper:]')"
    lower="$(echo "${c:0:1}" | tr '[:upper:]' '[:lower:]')${c:1}"
    grep -qE "^\s*$upper[,;]?\s*$|(class|object) $c\b" $kotlin || { echo "Kotlin lacks case $v" >&2; missing=1; }
    grep -qE "case \`?($lower|$c)\`?\b" $swift || { echo "Swift lacks case $v" >&2; missing=1; }
done
for f in $functions; do
    grep -qE "fun \`?$f\`?\(" $kotlin || { echo "Kotlin lacks function $f" >&2; missing=1; }
    grep -qE "func \`?$f\`?\(" $swift || { echo "Swift lacks function $f" >&2; missing=1; }
done
for t in $types; do
    k="${t/%Error/Exception}" # uniffi names error types ...Exception in Kotlin
    grep -qE "class $k\b" $kotlin || { echo "Kotlin lacks type $k" >&2; missing=1; }
    grep -qE "(struct|enum|class) $t\b" $swift || { echo "Swift lacks type $t" >&2; missing=1; }
done
if [ "$missing" -ne 0 ]; then
    echo "generated bindings are incomplete" >&2
    exit 1
fi
echo "generated Kotlin and Swift: $(echo "$functions" | wc -w) functions, $(echo "$types" | wc -w) types and $(echo "$variants" | wc -w) enum cases, all present"
