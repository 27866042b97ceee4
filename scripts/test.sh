#!/usr/bin/env bash
# Runs every test: installs what is missing, builds, then runs the unit and integration
# tests through ctest (integration tests start their own private redis-server).
# Exits non-zero on any failure.
#   scripts/test.sh [ctest arguments, e.g. -L unit or -R healthz]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
cd build
ctest --output-on-failure --timeout 180 -j"$(nproc)" "$@"
