# Family "kubernetes": etcd, kube-apiserver and kube-controller-manager of one Kubernetes release, for the
# throwaway control plane of testenv/cluster.ts, and kubectl of the same release (within the supported
# client skew, unlike whatever kubectl a machine has). Pins: KUBERNETES_VERSION, KUBERNETES_ETCD_VERSION.
. "$(dirname "$0")/../lib.sh"
: "${KUBERNETES_VERSION:?set in toolchain/versions.env}" "${KUBERNETES_ETCD_VERSION:?set in toolchain/versions.env}"

# --- etcd: go.etcd.io/etcd/server/v3 is a main package; its go.mod replaces the sibling modules (api,
# client/pkg, client/v3, pkg) with local folders, so a wrapper module requires them at the same tag.
step "building etcd"
mkdir -p "$WORK_DIR/etcd" && cd "$WORK_DIR/etcd"
go mod init kube-api-access.local/toolchain/etcd >/dev/null 2>&1
etcd_modules=(server/v3 api/v3 client/pkg/v3 client/v3 pkg/v3)
etcd_pins=()
for module in "${etcd_modules[@]}"; do etcd_pins+=("go.etcd.io/etcd/$module@$KUBERNETES_ETCD_VERSION"); done
go get "${etcd_pins[@]}"
go build -trimpath -o "$BIN_DIR/etcd" \
    -ldflags "-s -w -X go.etcd.io/etcd/api/v3/version.GitSHA=$KUBERNETES_ETCD_VERSION" go.etcd.io/etcd/server/v3
"$BIN_DIR/etcd" --version

# --- kube-apiserver, kube-controller-manager: k8s.io/kubernetes replaces every k8s.io/* staging module with
# ./staging/src/k8s.io/<name>; the wrapper points each one it requires at the published v0.<minor>.<patch>.
mkdir -p "$WORK_DIR/kubernetes" && cd "$WORK_DIR/kubernetes"
go mod init kube-api-access.local/toolchain/kubernetes >/dev/null 2>&1
upstream_json=$(go mod download -json "k8s.io/kubernetes@$KUBERNETES_VERSION")
upstream_mod=$(sed -n 's/^\t"GoMod": "\(.*\)",$/\1/p' <<<"$upstream_json")
# The proxy gives no commit for a tag, only its time: that stands as the build date.
release_time=$(go list -m -f '{{.Time.Format "2006-01-02T15:04:05Z"}}' "k8s.io/kubernetes@$KUBERNETES_VERSION")
staging_version="v0.${KUBERNETES_VERSION#v1.}"
replaces=()
for module in $(awk '$2 == "=>" && $3 ~ /^\.\/staging\/src\// { print $1 }' "$upstream_mod"); do
    # Only the staging modules the release requires: some (sample-*) are never published.
    if grep -qE "^[[:space:]]+$module v" "$upstream_mod"; then
        replaces+=("-replace=$module=$module@$staging_version")
    fi
done
[ ${#replaces[@]} -gt 20 ] || { echo "found only ${#replaces[@]} staging replaces in $upstream_mod" >&2; exit 1; }
go mod edit "${replaces[@]}" -require="k8s.io/kubernetes@$KUBERNETES_VERSION"
# The upstream module builds with these GODEBUG defaults; a wrapper must restate them (main module only).
sed -n 's/^godebug /godebug /p' "$upstream_mod" >>go.mod
minor=${KUBERNETES_VERSION#v1.}
minor=${minor%%.*}
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    version_flags+=" -X $pkg.gitVersion=$KUBERNETES_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
    version_flags+=" -X $pkg.gitTreeState=clean -X $pkg.buildDate=$release_time"
done
for binary in kube-apiserver kube-controller-manager kubectl; do
    step "building $binary"
    go get "k8s.io/kubernetes/cmd/$binary@$KUBERNETES_VERSION"
    go build -trimpath -o "$BIN_DIR/$binary" -ldflags "-s -w$version_flags" "k8s.io/kubernetes/cmd/$binary"
    if [ "$binary" = kubectl ]; then "$BIN_DIR/$binary" version --client; else "$BIN_DIR/$binary" --version; fi
done
