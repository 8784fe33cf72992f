# Family "kubernetes-provider": the Pulumi Kubernetes provider (`pulumi-resource-kubernetes`) of release
# KUBERNETES_PROVIDER_VERSION, built from its Go module at that release's commit (a pseudo-version: the
# module is not tagged) in a throwaway wrapper module.
# - provider/v4's go.mod replaces sdk/v4 with ../sdk; the generated Go SDK of a release is published as
#   sdk/v4 at the same version, so the wrapper requires that instead.
# - The command's main embeds schema-embed.json and terraform-mapping-embed.json, which upstream generates
#   (cmd/pulumi-resource-kubernetes/generate.go) and leaves out of the module: so a copy of the main package
#   is built beside embed files made from the module's schema.json (with the version set, as upstream does)
#   and terraform-mapping.json.
. "$(dirname "$0")/../lib.sh"

module=github.com/pulumi/pulumi-kubernetes
version=$KUBERNETES_PROVIDER_VERSION

step "building pulumi-resource-kubernetes $version"
mkdir -p "$WORK_DIR/provider" && cd "$WORK_DIR/provider"
go mod init kube-api-access.local/toolchain/kubernetes-provider
go mod edit -require="$module/sdk/v4@v$version"
go get "$module/provider/v4@$KUBERNETES_PROVIDER_MODULE_VERSION"
src=$(go list -m -f '{{.Dir}}' "$module/provider/v4")/cmd/pulumi-resource-kubernetes
mkdir -p main gen
cp "$src/main.go" main/
chmod u+w main/main.go
# Re-encode the JSON compactly and set the schema's version, as upstream's generate.go does.
cat > gen/main.go <<'EOF'
package main

import (
	"encoding/json"
	"os"
)

// usage: gen SCHEMA.json MAPPING.json OUT_DIR VERSION
func main() {
	schema := map[string]json.RawMessage{}
	must(json.Unmarshal(read(os.Args[1]), &schema))
	v, err := json.Marshal(os.Args[4])
	must(err)
	schema["version"] = v
	write(os.Args[3]+"/schema-embed.json", schema)
	var mapping any
	must(json.Unmarshal(read(os.Args[2]), &mapping))
	write(os.Args[3]+"/terraform-mapping-embed.json", mapping)
}

func read(path string) []byte { b, err := os.ReadFile(path); must(err); return b }

func write(path string, v any) {
	b, err := json.Marshal(v)
	must(err)
	must(os.WriteFile(path, b, 0o644))
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}
EOF
go run ./gen "$src/schema.json" "$src/terraform-mapping.json" main "$version"
go mod tidy
# Version selection must keep the published SDK of the same release (see above).
[ "$(go list -m -f '{{.Version}}' "$module/sdk/v4")" = "v$version" ] ||
    { echo "kubernetes-provider: sdk/v4 resolved to $(go list -m -f '{{.Version}}' "$module/sdk/v4"), not v$version" >&2; exit 1; }
go build -trimpath -ldflags "-s -w -X $module/provider/v4/pkg/version.Version=$version" \
    -o "$BIN_DIR/pulumi-resource-kubernetes" ./main
