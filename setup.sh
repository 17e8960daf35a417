#!/usr/bin/env bash
# README command one: install what is missing, build, run the demo shop, then serve it.
# TAILOR_DEMO_EXIT=1 stops after the example requests instead of serving until Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")"
scripts/install-deps.sh
scripts/build.sh
exec scripts/demo.sh
