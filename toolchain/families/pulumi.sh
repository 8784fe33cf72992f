# Family "pulumi": the Pulumi CLI (`pulumi`, release PULUMI_VERSION) and the language hosts it bundles that
# this project uses (`pulumi-language-nodejs`, `pulumi-language-yaml`), built from Go modules in wrapper
# modules of ours (graphs pulumi/cli/, pulumi/inner-host/ and pulumi/yaml-host/, toolchain/lib.sh). The CLI
# looks for bundled language hosts beside the running `pulumi` binary (pulumi/pulumi
# sdk/go/common/workspace/plugins.go, GetPluginPath), so they belong in this family's folder.
# - CLI: `go install pkg@version` refuses pkg/v3, whose go.mod replaces sdk/v3 with ../sdk; the wrapper
#   requires sdk/v3 at the same release instead and repeats pkg/v3's other replace (a clipboard fork).
# - Node.js language host: since v3.69 it is its own module (sdk/nodejs/cmd/pulumi-language-nodejs/v3), which
#   the Go module proxy here refuses at every version (403); the newest module that contains it is sdk/v3
#   PULUMI_NODEJS_HOST_VERSION, where it is a package of the SDK. That host runs programs under the current
#   CLI, but answers RunPlugin "not supported", so it can start neither a policy pack nor a component
#   package. So it is installed as pulumi-language-nodejs-$PULUMI_NODEJS_HOST_VERSION, and
#   `pulumi-language-nodejs` is our relay (pulumi/nodejs-host/main.go, built against the CLI's sdk/v3) that
#   forwards every call to it and runs plugins itself.
# - YAML language host: github.com/pulumi/pulumi-yaml PULUMI_YAML_VERSION, in a graph of its own (it
#   requires an older pkg/v3 and sdk/v3 than the CLI).
. "$(dirname "$0")/../lib.sh"

module=github.com/pulumi/pulumi
version_pkg=$module/sdk/v3/go/common/version.Version
inner=pulumi-language-nodejs-$PULUMI_NODEJS_HOST_VERSION
yaml_module=github.com/pulumi/pulumi-yaml

# The CLI and our relay (which imports the CLI's sdk/v3) share one graph.
resolve_cli() {
    go mod edit \
        -require="$module/sdk/v3@$PULUMI_VERSION" \
        -replace="github.com/atotto/clipboard=github.com/tgummerer/clipboard@$PULUMI_CLIPBOARD_FORK"
    go get -tool "$module/pkg/v3/cmd/pulumi@$PULUMI_VERSION"
}

resolve_yaml-host() {
    go get -tool "$yaml_module/cmd/pulumi-language-yaml@$PULUMI_YAML_VERSION"
}

resolve_inner-host() {
    # sdk/v3's own replace at that version.
    go mod edit -replace="golang.org/x/text=golang.org/x/text@$PULUMI_NODEJS_HOST_X_TEXT"
    go get -tool "$module/sdk/v3/nodejs/cmd/pulumi-language-nodejs@$PULUMI_NODEJS_HOST_VERSION"
}

step "building pulumi $PULUMI_VERSION and pulumi-language-nodejs (relay to the host of sdk/v3 $PULUMI_NODEJS_HOST_VERSION)"
graph cli
# Version selection must not have raised the SDK above the release (it would no longer be "one release").
[ "$(go list -m -f '{{.Version}}' "$module/sdk/v3")" = "$PULUMI_VERSION" ] ||
    { echo "pulumi: sdk/v3 resolved to $(go list -m -f '{{.Version}}' "$module/sdk/v3"), not $PULUMI_VERSION" >&2; exit 1; }
mkdir -p relay
cp "$RECORD_DIR/nodejs-host/main.go" relay/
go build -trimpath -ldflags "-s -w -X $version_pkg=$PULUMI_VERSION" -o "$BIN_DIR/pulumi" "$module/pkg/v3/cmd/pulumi"
go build -trimpath -ldflags "-s -w -X main.innerHost=$inner" -o "$BIN_DIR/pulumi-language-nodejs" ./relay
"$BIN_DIR/pulumi" version

step "building $inner (the language host inside sdk/v3 $PULUMI_NODEJS_HOST_VERSION)"
graph inner-host
go build -trimpath -ldflags "-s -w -X $version_pkg=$PULUMI_NODEJS_HOST_VERSION" -o "$BIN_DIR/$inner" \
    "$module/sdk/v3/nodejs/cmd/pulumi-language-nodejs"

step "building pulumi-language-yaml $PULUMI_YAML_VERSION"
graph yaml-host
go build -trimpath -ldflags "-s -w -X $yaml_module/pkg/version.Version=$PULUMI_YAML_VERSION" \
    -o "$BIN_DIR/pulumi-language-yaml" "$yaml_module/cmd/pulumi-language-yaml"
