#!/usr/bin/env bash
# Builds the pinned real engine (Pulumi CLI, providers, Kubernetes control plane, OpenBao) from Go modules,
# once, into a cache outside the repository, and prints the folder to put first on PATH as its last line.
#
# Usage: toolchain/build.sh [--cached | --estimate | --lock] [--jobs N] [FAMILY...]
#   FAMILY...  default: every family in toolchain/families/, the longest builds first (FAMILIES below)
#   --cached   build nothing; exit 3 naming the first family that is not built yet
#   --estimate build nothing; name each family not built yet with its cold build minutes, and print their
#              sum as the last line (0 when everything is cached)
#   --lock     re-resolve the named families' module graphs from toolchain/versions.env and record them in
#              toolchain/families/<family>/<graph>/go.{mod,sum} (toolchain/lib.sh), then cache what built
#   --jobs N   families built side by side (default $TOOLCHAIN_JOBS, else 2: one family alone leaves a core
#              idle through its downloads and links)
# Cache: ${KUBE_API_ACCESS_TOOLS:-~/.cache/kube-api-access}/toolchain/<family>-<key>/bin, where <key> hashes
# the family's script, its own files (toolchain/families/<family>/: sources and recorded module graphs),
# toolchain/lib.sh and its lines of toolchain/versions.env. A family builds into a temporary folder that is
# renamed into place only when every binary of it built, so a failed or interrupted build leaves nothing
# half-built behind. Progress goes to stderr, each line prefixed by its family; stdout is the PATH folder.
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
# Cold build order, longest first, so that the last family to finish is a short one. A family not listed
# here builds after these. COLD_MINUTES: each family built alone, cold (empty module and build caches), on
# an otherwise idle 2-core machine, rounded up (measured 2026-12-06, docs/toolchain.md).
FAMILIES=(kubernetes-provider kubernetes pulumi openbao)
declare -A COLD_MINUTES=([kubernetes-provider]=9 [kubernetes]=7 [pulumi]=5 [openbao]=5)

mode=build
jobs=${TOOLCHAIN_JOBS:-2}
families=()
while [ $# -gt 0 ]; do
    case $1 in
    --cached) mode=cached ;;
    --estimate) mode=estimate ;;
    --lock) mode=lock ;;
    --jobs)
        jobs=${2:-}
        [ $# -lt 2 ] || shift
        ;;
    -*)
        echo "toolchain: unknown option '$1' (usage: toolchain/build.sh [--cached | --estimate | --lock] [--jobs N] [FAMILY...])" >&2
        exit 2
        ;;
    *) families+=("$1") ;;
    esac
    shift
done
[[ $jobs =~ ^[1-9][0-9]*$ ]] || { echo "toolchain: --jobs '$jobs' is not a positive whole number" >&2; exit 2; }
if [ ${#families[@]} -eq 0 ]; then
    for f in "${FAMILIES[@]}"; do [ ! -f "$here/families/$f.sh" ] || families+=("$f"); done
    for f in "$here"/families/*.sh; do
        f=$(basename "$f" .sh)
        [[ " ${FAMILIES[*]} " == *" $f "* ]] || families+=("$f")
    done
fi
for family in "${families[@]}"; do
    [ -f "$here/families/$family.sh" ] ||
        { echo "toolchain: no family '$family' (expected $here/families/$family.sh)" >&2; exit 2; }
done

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

# build_family FAMILY: builds one family into the cache (run in a subshell of its own).
build_family() {
    local family=$1 dir tmp start graph
    tmp=$(mktemp -d "$cache/.building-$family-XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    [ "$mode" = lock ] || echo "toolchain: building $family into $(family_dir "$family") (the first build takes minutes)" >&2
    start=$SECONDS
    # The family's `step` lines are its per-binary progress; everything else stays in the log.
    if ! (cd "$tmp" && TOOLCHAIN_LOCK=$([ "$mode" = lock ] && echo 1 || echo 0) \
        bash "$here/families/$family.sh" "$tmp/bin" "$tmp/work") 2>&1 | tee "$tmp/build.log" |
        { grep --line-buffered '^== ' || true; } | sed -u "s/^== /toolchain: $family: /" >&2; then
        echo "toolchain: building $family FAILED; the last lines of its log:" >&2
        tail -n 40 "$tmp/build.log" | sed "s/^/toolchain: $family: | /" >&2
        exit 1
    fi
    if [ "$mode" = lock ]; then
        for graph in "$tmp/work"/*/; do
            graph=$(basename "$graph")
            [ -f "$tmp/work/$graph/go.mod" ] || continue
            mkdir -p "$here/families/$family/$graph"
            cp "$tmp/work/$graph/go.mod" "$tmp/work/$graph/go.sum" "$here/families/$family/$graph/"
            echo "toolchain: $family: recorded graph $graph in toolchain/families/$family/$graph/" >&2
        done
    fi
    dir=$(family_dir "$family")
    rm -rf "$tmp/work"
    if [ -d "$dir/bin" ]; then
        echo "toolchain: $family was cached meanwhile in $dir" >&2
        rm -rf "$tmp"
    else
        mv "$tmp" "$dir"
    fi
    trap - EXIT
    # The CPU time (user + system) of every process this family's shell has waited for, that is its build,
    # so that wall time against CPU time shows how busy it kept the cores. `times` runs here: inside $(...)
    # it would count that subshell's children, none. Its second line is "<user>m<s.sss>s <sys>m<s.sss>s".
    local times_file
    times_file=$(mktemp)
    times >"$times_file"
    echo "toolchain: built $family in $((SECONDS - start)) s, $(awk 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) {
        split($i, a, "m"); t += a[1] * 60 + a[2] } printf "%d", t }' "$times_file") CPU-s" >&2
    rm -f "$times_file"
}

missing=()
for family in "${families[@]}"; do
    dir=$(family_dir "$family")
    if [ "$mode" != lock ] && [ -d "$dir/bin" ]; then
        echo "toolchain: $family cached in $dir" >&2
    elif [ "$mode" = cached ]; then
        echo "toolchain: $family is not built for the pins in toolchain/versions.env; run npm run toolchain" >&2
        exit 3
    else
        missing+=("$family")
    fi
done

if [ "$mode" = estimate ]; then
    sum=0
    for family in "${missing[@]}"; do
        echo "toolchain: $family is not built: about ${COLD_MINUTES[$family]:-?} min alone, cold" >&2
        sum=$((sum + ${COLD_MINUTES[$family]:-0}))
    done
    # The sum is an upper bound on an idle machine: side by side, families fill each other's idle time.
    echo "$sum"
    exit 0
fi

# A pool of $jobs families at a time; every family runs to its end, and any failure fails the build.
failed=()
declare -A running=()
reap_one() {
    local pid status=0
    wait -n -p pid || status=$?
    [ "$status" -eq 0 ] || failed+=("${running[$pid]}")
    unset "running[$pid]"
}
for family in "${missing[@]}"; do
    while [ ${#running[@]} -ge "$jobs" ]; do reap_one; done
    build_family "$family" &
    running[$!]=$family
done
while [ ${#running[@]} -gt 0 ]; do reap_one; done
if [ ${#failed[@]} -gt 0 ]; then
    echo "toolchain: FAILED: ${failed[*]} (see the lines above)" >&2
    exit 1
fi

bins=()
for family in "${families[@]}"; do bins+=("$(family_dir "$family")/bin"); done
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
