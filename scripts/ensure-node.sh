#!/usr/bin/env bash
# Prints a folder to put first on PATH so that `node` satisfies package.json's engines.node (the full
# version: undici needs 22.19.0, not any 22), as scripts/requireNode.js checks it. Uses the machine's node
# when it is new enough; otherwise installs the npm registry's `node` package (the newest of the major
# version) into a tool folder outside the repository (KUBE_API_ACCESS_TOOLS, default ~/.cache/kube-api-access).
set -euo pipefail
check="$(cd "$(dirname "$0")" && pwd)/requireNode.js"
if command -v node >/dev/null && node "$check" --quiet 2>/dev/null; then
    dirname "$(command -v node)"
    exit 0
fi
want=$(sed -n 's/.*"node": ">=\([0-9]*\).*/\1/p' "$(dirname "$check")/../package.json" | head -1)
tools="${KUBE_API_ACCESS_TOOLS:-$HOME/.cache/kube-api-access}/node"
if [ ! -x "$tools/node_modules/.bin/node" ] || ! "$tools/node_modules/.bin/node" "$check" --quiet; then
    mkdir -p "$tools"
    echo "installing Node.js $want from the npm registry into $tools (this machine has $(node --version 2>/dev/null || echo none))" >&2
    npm install --prefix "$tools" --no-save --no-audit --no-fund "node@$want" >&2
fi
echo "$tools/node_modules/.bin"
