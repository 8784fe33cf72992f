# Family "kubernetes": etcd, kube-apiserver and kube-controller-manager of one Kubernetes release, for the
# throwaway control plane of testenv/cluster.ts, and kubectl of the same release (within the supported
# client skew, unlike whatever kubectl a machine has). Pins: KUBERNETES_VERSION, KUBERNETES_ETCD_VERSION.
# Graphs (toolchain/lib.sh): kubernetes/etcd/, kubernetes/kubernetes/.
. "$(dirname "$0")/../lib.sh"
: "${KUBERNETES_VERSION:?set in toolchain/versions.env}" "${KUBERNETES_ETCD_VERSION:?set in toolchain/versions.env}"

# etcd: go.etcd.io/etcd/server/v3 is a main package; its go.mod replaces the sibling modules (api,
# client/pkg, client/v3, pkg) with local folders, so the wrapper requires each of them at the same tag.
resolve_etcd() {
    local module pins=()
    for module in server/v3 api/v3 client/pkg/v3 client/v3 pkg/v3; do
        pins+=("go.etcd.io/etcd/$module@$KUBERNETES_ETCD_VERSION")
    done
    go get "${pins[@]}"
}

# kube-apiserver, kube-controller-manager, kubectl: k8s.io/kubernetes replaces every k8s.io/* staging module
# with ./staging/src/k8s.io/<name>; the wrapper points each one the release requires at the published
# v0.<minor>.<patch>, and restates the release's godebug defaults (they apply to the main module only).
resolve_kubernetes() {
    local upstream_mod staging_version module replaces=()
    upstream_mod=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION" |
        sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p')
    staging_version="v0.${KUBERNETES_VERSION#v1.}"
    for module in $(awk '$2 == "=>" && $3 ~ /^\.\/staging\/src\// { print $1 }' "$upstream_mod"); do
        # Only the staging modules the release requires: some (sample-*) are never published.
        if grep -qE "^[[:space:]]+$module v" "$upstream_mod"; then
            replaces+=("-replace=$module=$module@$staging_version")
        fi
    done
    [ ${#replaces[@]} -gt 20 ] || { echo "found only ${#replaces[@]} staging replaces in $upstream_mod" >&2; exit 1; }
    go mod edit "${replaces[@]}" -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
    sed -n 's/^godebug /godebug /p' "$upstream_mod" >>go.mod
    go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBERNETES_VERSION" \
        "k8s.io/kubernetes/cmd/kube-controller-manager@$KUBERNETES_VERSION" "k8s.io/kubernetes/cmd/kubectl@$KUBERNETES_VERSION"
}

step "building etcd $KUBERNETES_ETCD_VERSION"
graph etcd
go build -trimpath -o "$BIN_DIR/etcd" \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$KUBERNETES_ETCD_VERSION" go.etcd.io/etcd/server/v3
"$BIN_DIR/etcd" --version

step "building kube-apiserver, kube-controller-manager and kubectl $KUBERNETES_VERSION"
graph kubernetes
# The proxy gives no commit for a tag, only its time: that stands as the build date.
release_time=$(go list -m -f '{{.Time.Format "2006-01-02T15:04:05Z"}}' k8s.io/kubernetes)
minor=${KUBERNETES_VERSION#v1.}
minor=${minor%%.*}
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    version_flags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    version_flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$release_time"
done
# One go build for the three: their packages compile once and their links run side by side.
go build -trimpath -o "$BIN_DIR/" -ldflags "-s -w$version_flags" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kubectl
"$BIN_DIR/kube-apiserver" --version
"$BIN_DIR/kube-controller-manager" --version
"$BIN_DIR/kubectl" version --client
