// Command gen writes the embed files of pulumi-resource-kubernetes's main package from the module's schema.json
// and terraform-mapping.json, re-encoded compactly with the schema's version set, as upstream's
// cmd/pulumi-resource-kubernetes/generate.go does (toolchain/families/kubernetes-provider.sh).
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
