# Shared by the family scripts in toolchain/families/: each is run as `bash <family>.sh BIN_DIR WORK_DIR`
# from a fresh temporary folder, with toolchain/versions.env exported, and must leave its binaries in
# BIN_DIR (build.sh renames the whole folder into the cache only when the script exits 0).
#
# Every Go module a family builds from is recorded in the repository: a family builds one or more module
# graphs, each a wrapper module of ours whose go.mod and go.sum sit in toolchain/families/<family>/<graph>/.
# A build copies them and runs with -mod=readonly, so it never resolves a version: a module missing from
# the record stops it ("missing go.sum entry", "updates to go.mod needed"), and a module whose content
# differs from its recorded hash stops it ("SECURITY ERROR ... checksum mismatch"). `toolchain/build.sh
# --lock` runs the same script with TOOLCHAIN_LOCK=1: graph() then calls the family's resolve_<graph>
# function, which makes the wrapper module from exact versions only (toolchain/versions.env), the build
# fills in go.mod and go.sum, and build.sh records both once the family built.
set -euo pipefail
BIN_DIR=$1
WORK_DIR=$2
mkdir -p "$BIN_DIR" "$WORK_DIR"
FAMILY=$(basename "$0" .sh)
RECORD_DIR="$(cd "$(dirname "$0")" && pwd)/$FAMILY"
LOCKING=${TOOLCHAIN_LOCK:-0}
# A go.mod naming a newer Go must not make the go command fetch another toolchain; -mod=readonly (last, so
# it wins over a GOFLAGS of the caller's) keeps every build to the record.
export GOTOOLCHAIN=local
export CGO_ENABLED="${CGO_ENABLED:-0}"
if [ "$LOCKING" = 1 ]; then
    export GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=mod"
else
    export GOFLAGS="${GOFLAGS:-} -buildvcs=false -mod=readonly"
fi

# step MESSAGE: one progress line, shown in the build log.
step() { echo "== $*"; }

# graph NAME: makes $WORK_DIR/NAME the wrapper module of graph NAME and enters it: its recorded go.mod and
# go.sum when building; what resolve_NAME makes when locking.
graph() {
    local name=$1 record="$RECORD_DIR/$1"
    mkdir -p "$WORK_DIR/$name"
    cd "$WORK_DIR/$name"
    if [ "$LOCKING" = 1 ]; then
        go mod init "kube-api-access.local/toolchain/$FAMILY/$name" >/dev/null 2>&1
        "resolve_$name"
    elif [ -f "$record/go.mod" ] && [ -f "$record/go.sum" ]; then
        cp "$record/go.mod" "$record/go.sum" .
    else
        echo "toolchain: $FAMILY: graph '$name' has no recorded go.mod and go.sum in $record;" \
            "run toolchain/build.sh --lock $FAMILY" >&2
        exit 1
    fi
}

# module_dir MODULE: the module's folder in the module cache (downloaded from the record if need be).
module_dir() {
    go mod download "$1"
    go list -m -f '{{.Dir}}' "$1"
}
