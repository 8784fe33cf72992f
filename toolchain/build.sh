#!/usr/bin/env bash
# Builds the pinned real engine (Pulumi CLI, providers, Kubernetes control plane, OpenBao) from Go modules,
# once, into a cache outside the repository, and prints the folder to put first on PATH as its last line.
#
# Usage: toolchain/build.sh [--cached] [FAMILY...]     (default: every family in toolchain/families/)
#   --cached: build nothing; exit 3 naming the first family that is not built yet.
# Cache: ${KUBE_API_ACCESS_TOOLS:-~/.cache/kube-api-access}/toolchain/<family>-<key>/bin, where <key> hashes
# the family's script, its own sources (toolchain/families/<family>/, if any), toolchain/lib.sh and its
# lines of toolchain/versions.env. A family builds into a temporary folder that is renamed into place only
# when every binary of it built, so a failed or interrupted build leaves nothing half-built behind.
# Progress goes to stderr; stdout is the PATH folder.
set -euo pipefail
# The whole script is one block, read before it runs: bash reads a script as it goes, so an edit made
# during a build of many minutes would otherwise run a different script from the middle on.
{
here="$(cd "$(dirname "$0")" && pwd)"
cache="${KUBE_API_ACCESS_TOOLS:-$HOME/.cache/kube-api-access}/toolchain"
mkdir -p "$cache"
set -a
# shellcheck source=toolchain/versions.env
. "$here/versions.env"
set +a

cached_only=false
if [ "${1:-}" = "--cached" ]; then
    cached_only=true
    shift
fi
families=("$@")
if [ ${#families[@]} -eq 0 ]; then
    for f in "$here"/families/*.sh; do families+=("$(basename "$f" .sh)"); done
fi

family_dir() {
    local family=$1 prefix
    prefix=$(echo "$family" | tr 'a-z-' 'A-Z_')
    # Another family's prefix can start with this one's (KUBERNETES_PROVIDER_ vs KUBERNETES_): leave its
    # lines out, so pinning the Kubernetes provider does not rebuild the control plane.
    local others="^$" f p
    for f in "$here"/families/*.sh; do
        p=$(basename "$f" .sh | tr 'a-z-' 'A-Z_')
        if [ "$p" != "$prefix" ] && [[ $p == "${prefix}_"* ]]; then others="$others|^${p}_"; fi
    done
    local key
    key=$({
        cat "$here/families/$family.sh" "$here/lib.sh"
        if [ -d "$here/families/$family" ]; then
            find "$here/families/$family" -type f | LC_ALL=C sort | xargs cat
        fi
        grep -E "^${prefix}_" "$here/versions.env" | grep -Ev "$others" || true
    } | sha256sum | cut -c1-12)
    echo "$cache/$family-$key"
}

bins=()
for family in "${families[@]}"; do
    script="$here/families/$family.sh"
    [ -f "$script" ] || { echo "toolchain: no family '$family' (expected $script)" >&2; exit 2; }
    dir=$(family_dir "$family")
    if [ -d "$dir/bin" ]; then
        echo "toolchain: $family cached in $dir" >&2
    elif $cached_only; then
        echo "toolchain: $family is not built for the pins in toolchain/versions.env; run npm run toolchain" >&2
        exit 3
    else
        tmp=$(mktemp -d "$cache/.building-$family-XXXXXX")
        trap 'rm -rf "$tmp"' EXIT
        echo "toolchain: building $family into $dir (the first build takes minutes)" >&2
        start=$SECONDS
        # The family's `step` lines are its per-binary progress; everything else stays in the log.
        if ! (cd "$tmp" && bash "$script" "$tmp/bin" "$tmp/work") 2>&1 | tee "$tmp/build.log" |
            { grep --line-buffered '^== ' || true; } | sed -u "s/^== /toolchain: $family: /" >&2; then
            echo "toolchain: building $family FAILED; the last lines of its log:" >&2
            tail -n 40 "$tmp/build.log" >&2
            exit 1
        fi
        rm -rf "$tmp/work"
        mv "$tmp" "$dir"
        trap - EXIT
        echo "toolchain: built $family in $((SECONDS - start)) s" >&2
    fi
    bins+=("$dir/bin")
done

# One folder for PATH, keyed by the families it links, so concurrent checkouts with other pins don't clash.
path_key=$(printf '%s\n' "${bins[@]}" | sha256sum | cut -c1-12)
out="$cache/path-$path_key"
if [ ! -d "$out" ]; then
    tmp=$(mktemp -d "$cache/.path-XXXXXX")
    for b in "${bins[@]}"; do
        for f in "$b"/*; do ln -sf "$f" "$tmp/$(basename "$f")"; done
    done
    mv "$tmp" "$out" 2>/dev/null || rm -rf "$tmp"
fi
echo "$out"
exit
}
