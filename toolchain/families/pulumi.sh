# Family "pulumi": the Pulumi CLI (`pulumi`, release PULUMI_VERSION) and a Node.js language host
# (`pulumi-language-nodejs`), built from Go modules in throwaway wrapper modules.
# - CLI: `go install pkg@version` refuses pkg/v3, whose go.mod replaces sdk/v3 with ../sdk; the wrapper
#   requires sdk/v3 at the same release instead and repeats pkg/v3's other replace (a clipboard fork).
# - Language host: since v3.69 it is its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3), which the
#   Go module proxy here refuses at every version (403); the newest module that contains it is sdk/v3
#   PULUMI_NODEJS_HOST_VERSION, where it is a package of the SDK. That host runs programs under the current
#   CLI, but answers RunPlugin "not supported", so it cannot start a policy pack. So it is installed as
#   pulumi-language-nodejs-$PULUMI_NODEJS_HOST_VERSION, and `pulumi-language-nodejs` is our relay
#   (pulumi/nodejs-host/main.go, built against the CLI's sdk/v3) that forwards every call to it and runs
#   policy packs itself.
. "$(dirname "$0")/../lib.sh"

own_sources=$(cd "$(dirname "$0")/pulumi" && pwd)
module=github.com/pulumi/pulumi
version_pkg=$module/sdk/v3/go/common/version.Version

step "building pulumi $PULUMI_VERSION"
mkdir -p "$WORK_DIR/cli" && cd "$WORK_DIR/cli"
go mod init kube-api-access.local/toolchain/pulumi
go mod edit \
    -require="$module/sdk/v3@$PULUMI_VERSION" \
    -replace="github.com/atotto/clipboard=github.com/tgummerer/clipboard@$PULUMI_CLIPBOARD_FORK"
go get -tool "$module/pkg/v3/cmd/pulumi@$PULUMI_VERSION"
# Version selection must not have raised the SDK above the release (it would no longer be "one release").
[ "$(go list -m -f '{{.Version}}' "$module/sdk/v3")" = "$PULUMI_VERSION" ] ||
    { echo "pulumi: sdk/v3 resolved to $(go list -m -f '{{.Version}}' "$module/sdk/v3"), not $PULUMI_VERSION" >&2; exit 1; }
go build -trimpath -ldflags "-s -w -X $version_pkg=$PULUMI_VERSION" -o "$BIN_DIR/pulumi" "$module/pkg/v3/cmd/pulumi"
"$BIN_DIR/pulumi" version

step "building pulumi-language-nodejs (relay to the host of sdk/v3 $PULUMI_NODEJS_HOST_VERSION)"
inner=pulumi-language-nodejs-$PULUMI_NODEJS_HOST_VERSION
mkdir -p relay
cp "$own_sources/nodejs-host/main.go" relay/
go build -trimpath -ldflags "-s -w -X main.innerHost=$inner" -o "$BIN_DIR/pulumi-language-nodejs" ./relay

step "building $inner (the language host inside sdk/v3 $PULUMI_NODEJS_HOST_VERSION)"
mkdir -p "$WORK_DIR/nodejs" && cd "$WORK_DIR/nodejs"
go mod init kube-api-access.local/toolchain/pulumi-language-nodejs
# sdk/v3's own replace at that version.
go mod edit -replace="golang.org/x/text=golang.org/x/text@$PULUMI_NODEJS_HOST_X_TEXT"
host=$module/sdk/v3/nodejs/cmd/pulumi-language-nodejs
go get -tool "$host@$PULUMI_NODEJS_HOST_VERSION"
go build -trimpath -ldflags "-s -w -X $version_pkg=$PULUMI_NODEJS_HOST_VERSION" -o "$BIN_DIR/$inner" "$host"
