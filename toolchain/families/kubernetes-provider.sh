# Family "kubernetes-provider": the Pulumi Kubernetes provider (`pulumi-resource-kubernetes`) of release
# KUBERNETES_PROVIDER_VERSION, built from its Go module at that release's commit (a pseudo-version: the
# module is not tagged) in a wrapper module of ours (graph kubernetes-provider/provider/, toolchain/lib.sh).
# - provider/v4's go.mod replaces sdk/v4 with ../sdk; the generated Go SDK of a release is published as
#   sdk/v4 at the same version, so the wrapper requires that instead.
# - The command's main embeds schema-embed.json and terraform-mapping-embed.json, which upstream generates
#   (cmd/pulumi-resource-kubernetes/generate.go) and leaves out of the module: so a copy of the main package
#   is built beside embed files made from the module's schema.json (with the version set, as upstream does)
#   and terraform-mapping.json.
. "$(dirname "$0")/../lib.sh"

module=github.com/pulumi/pulumi-kubernetes
version=$KUBERNETES_PROVIDER_VERSION

# The main package and the embed generator are ours to compile, so locking needs them in place too.
prepare_main() {
    local src=$1
    mkdir -p main gen
    cp "$src/main.go" main/
    chmod u+w main/main.go
    cp "$RECORD_DIR/gen/main.go" gen/
}

resolve_provider() {
    go mod edit -require="$module/sdk/v4@v$version"
    go get "$module/provider/v4@$KUBERNETES_PROVIDER_MODULE_VERSION"
    prepare_main "$(go list -m -f '{{.Dir}}' "$module/provider/v4")/cmd/pulumi-resource-kubernetes"
    go mod tidy
}

step "building pulumi-resource-kubernetes $version"
graph provider
src=$(module_dir "$module/provider/v4")/cmd/pulumi-resource-kubernetes
[ -f main/main.go ] || prepare_main "$src"
go run ./gen "$src/schema.json" "$src/terraform-mapping.json" main "$version"
# Version selection must keep the published SDK of the same release (see above).
[ "$(go list -m -f '{{.Version}}' "$module/sdk/v4")" = "v$version" ] ||
    { echo "kubernetes-provider: sdk/v4 resolved to $(go list -m -f '{{.Version}}' "$module/sdk/v4"), not v$version" >&2; exit 1; }
go build -trimpath -ldflags "-s -w -X $module/provider/v4/pkg/version.Version=$version" \
    -o "$BIN_DIR/pulumi-resource-kubernetes" ./main
