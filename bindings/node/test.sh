#!/usr/bin/env bash
# Builds and tests the Node binding from a fresh clone: installs the pinned dev tools
# (npm ci), builds the native addon in release (which also generates index.js and
# index.d.ts), type-checks __test__/typings.ts and the example service
# examples/node/service.ts against the generated index.d.ts (tsc --strict, npm run
# typecheck), then runs the node --test suite, shared parity scenarios included.
# Works from any directory: bindings/node/test.sh from the repository root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

npm ci --no-audit --no-fund
npm run build
npm run typecheck
node --test __test__/*.test.mjs
