#!/usr/bin/env bash
# README command two: install what is missing, build, run the whole test suite.
# Extra arguments go to ctest (e.g. ./test.sh -L unit).
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc 2>/dev/null || echo 2)" "$@"
