#!/usr/bin/env bash
# Fails when a module includes one it must not: handlers -> wechat -> server, and only
# server/main.cpp (the composition root) may know every part.
set -euo pipefail
top=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$top"
status=0
bad=$(grep -rlE '#include +"(wechat|handlers)/' server | grep -v '^server/main\.cpp$' || true)
if [ -n "$bad" ]; then
    echo "server/ must not include wechat/ or handlers/: $bad" >&2
    status=1
fi
bad=$(grep -rlE '#include +"handlers/' wechat || true)
if [ -n "$bad" ]; then
    echo "wechat/ must not include handlers/: $bad" >&2
    status=1
fi
[ $status -eq 0 ] && echo "layering ok: handlers -> wechat -> server"
exit $status
