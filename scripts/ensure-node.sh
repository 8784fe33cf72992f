#!/usr/bin/env bash
# Prints a folder to put first on PATH so that `node` is Node.js 22 or newer, as @pulumi/pulumi requires.
# Uses the machine's node when it is new enough; otherwise installs the npm registry's `node` package
# into a tool folder outside the repository (KUBE_API_ACCESS_TOOLS, default ~/.cache/kube-api-access).
set -euo pipefail
want=22
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -ge "$want" ]; then
    dirname "$(command -v node)"
    exit 0
fi
tools="${KUBE_API_ACCESS_TOOLS:-$HOME/.cache/kube-api-access}/node"
if [ ! -x "$tools/node_modules/.bin/node" ] ||
    [ "$("$tools/node_modules/.bin/node" -p 'process.versions.node.split(".")[0]')" -lt "$want" ]; then
    mkdir -p "$tools"
    echo "installing Node.js $want from the npm registry into $tools (this machine has $(node --version 2>/dev/null || echo none))" >&2
    npm install --prefix "$tools" --no-save --no-audit --no-fund "node@$want" >&2
fi
echo "$tools/node_modules/.bin"
