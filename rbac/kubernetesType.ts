// The Kubernetes provider's type tokens (`kubernetes:rbac.authorization.k8s.io/v1:ClusterRole`), read and
// written in one place for the pack, the mock cluster and plan. Here, in the shared folder, because the
// policy pack (a product) and the tools both need it. Tokens: pulumi/pulumi-kubernetes
// provider/pkg/gen/schema.go (`kubernetes:<group>/<version>:<Kind>`, core objects under `core`, and the
// generated `<Kind>Patch` and `<Kind>List` types).

/** A Kubernetes API object's type token, e.g. `kubernetes:rbac.authorization.k8s.io/v1:RoleBindingPatch`. */
export interface KubernetesType {
    /** The API group, `core` for the legacy group (written without a group in `apiVersion`). */
    readonly group: string;
    readonly version: string;
    /** The object's kind without the provider's variant: `RoleBinding` for `RoleBindingPatch` and `RoleBindingList`. */
    readonly kind: string;
    /** `Patch`: server-side apply of some fields to an object made elsewhere; `List`: a list of `kind`. */
    readonly variant: "" | "Patch" | "List";
}

/** Groups of the provider's own types (components and releases), which are not Kubernetes API objects. */
const PROVIDER_GROUPS = ["helm.sh", "yaml", "kustomize"];

const TYPE_TOKEN = /^kubernetes:([^/:]+)\/([^:]+):([A-Za-z0-9]+?)(Patch|List)?$/;

/**
 * The parts of a Kubernetes API object's type token; undefined for any other token: another package's, a
 * component or release of the provider's own (`kubernetes:yaml/v2:ConfigGroup`, `kubernetes:helm.sh/v4:Chart`).
 */
export function parseKubernetesType(type: string): KubernetesType | undefined {
    const m = TYPE_TOKEN.exec(type);
    if (!m || PROVIDER_GROUPS.includes(m[1])) {
        return undefined;
    }
    return { group: m[1], version: m[2], kind: m[3], variant: (m[4] ?? "") as KubernetesType["variant"] };
}

/** The `kind` of a manifest of this type: a List's is `<Kind>List`, a Patch's the kind of the object it patches. */
export const manifestKindOf = (t: KubernetesType): string =>
    t.variant === "List" ? `${t.kind}List` : t.kind;

/** The `apiVersion` of a manifest of this type: `v1` for the core group, `<group>/<version>` otherwise. */
export const apiVersionOf = (t: KubernetesType): string =>
    t.group === "core" ? t.version : `${t.group}/${t.version}`;

/** The type token of a manifest's object: `apps/v1` `Deployment` is `kubernetes:apps/v1:Deployment`. */
export function kubernetesTypeOf(apiVersion: string, kind: string): string {
    return `kubernetes:${apiVersion.includes("/") ? apiVersion : `core/${apiVersion}`}:${kind}`;
}
