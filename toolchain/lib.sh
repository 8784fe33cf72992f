# Shared by the family scripts in toolchain/families/: each is run as `bash <family>.sh BIN_DIR WORK_DIR`
# from a fresh temporary folder, with toolchain/versions.env exported, and must leave its binaries in
# BIN_DIR (build.sh renames the whole folder into the cache only when the script exits 0).
set -euo pipefail
BIN_DIR=$1
WORK_DIR=$2
mkdir -p "$BIN_DIR" "$WORK_DIR"
export GOFLAGS="${GOFLAGS:-} -mod=mod -buildvcs=false"
export CGO_ENABLED="${CGO_ENABLED:-0}"

# step MESSAGE: one progress line, shown in the build log.
step() { echo "== $*"; }
