#!/usr/bin/env bash
# Installs the Debian packages Bense needs to build, test and run, if any is missing.
# Idempotent and quiet when everything is there; used by run.sh, test.sh and bench.sh.
#   scripts/install-deps.sh [extra-package ...]
set -euo pipefail

packages=(
    g++ cmake ninja-build pkg-config
    libboost1.81-dev      # Beast, Asio, System: header-only, so not the slow -all- package
    libssl-dev ca-certificates
    libhiredis-dev rapidjson-dev libpugixml-dev
    libfmt-dev libspdlog-dev libcli11-dev
    catch2
    redis-server redis-tools curl
    "$@"
)

missing=()
for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$p")
    fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to install: ${missing[*]}" >&2; exit 1; }
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
