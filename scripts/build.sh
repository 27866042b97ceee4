#!/usr/bin/env bash
# Configures (once) and builds Bense in build/ (Release). Shared by run.sh, test.sh, bench.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f build/build.ninja ]; then
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
fi
cmake --build build -- -j"$(nproc)"
