#!/usr/bin/env bash
# Builds `bao` (OpenBao, MPL-2.0: github.com/openbao/openbao; never HashiCorp Vault, which is BSL) from its
# Go module at the exact commit of a release tag, pinned as a pseudo-version (the module path has no /v2,
# so the proxy lists no versions for it). Its go.mod replaces api/v2, api/auth/*/v2 and sdk/v2 with local
# folders; a dependency's replace lines are ignored, so the wrapper module (graph openbao/bao/,
# toolchain/lib.sh) requires the siblings the `bao` binary imports (api/v2, sdk/v2) itself at the pinned
# versions (see OPENBAO_* in toolchain/versions.env). api/auth/*/v2 are imported only by upstream tests, so
# the build never loads them. Version flags as in upstream goreleaser.linux.yaml, so `bao version` prints
# OPENBAO_VERSION.
. "$(dirname "$0")/../lib.sh"

resolve_bao() {
    go mod edit -require="github.com/openbao/openbao@$OPENBAO_MODULE_VERSION" \
        -require="github.com/openbao/openbao/api/v2@$OPENBAO_API_VERSION" \
        -require="github.com/openbao/openbao/sdk/v2@$OPENBAO_SDK_VERSION"
    # The checksum database behind this proxy lacks some of OpenBao's own modules (go-kms-wrapping wrappers:
    # "verifying module: ... 404 Not Found"); start from upstream's go.sum, whose hashes go then checks.
    go mod download "github.com/openbao/openbao@$OPENBAO_MODULE_VERSION"
    cat "$(go env GOMODCACHE)/github.com/openbao/openbao@$OPENBAO_MODULE_VERSION/go.sum" >go.sum
}

step "building bao (OpenBao $OPENBAO_VERSION, module $OPENBAO_MODULE_VERSION)"
graph bao
pkg=github.com/openbao/openbao/version
go build -trimpath -o "$BIN_DIR/bao" \
    -ldflags "-s -w -X $pkg.fullVersion=$OPENBAO_VERSION -X $pkg.GitCommit=$OPENBAO_COMMIT" \
    github.com/openbao/openbao
"$BIN_DIR/bao" version
