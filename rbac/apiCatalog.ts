// What the Kubernetes API serves, as discovery lists it: resources (subresources as `pods/exec`) by API
// group, and the names RBAC is asked about that no API serves. The built-in catalog is generated from a
// real kube-apiserver (builtin/kubernetesApi.ts, `npm run generate:builtin`); a cluster's own comes from
// its discovery (cli/discovery.ts). Pure, so the component can load it.
import { hasOwnKey } from "./ownKey";

/** One resource of a group as discovery lists it, merged over the group's versions. */
export interface ApiResource {
    /** Plural, lower case, with `/subresource` for a subresource: `deployments`, `pods/exec`. */
    readonly name: string;
    readonly kind: string;
    readonly namespaced: boolean;
    readonly singularName?: string;
    readonly shortNames?: readonly string[];
    readonly verbs: readonly string[];
}

/** Resources by API group ("" is the core group), each list sorted by name. */
export type ApiCatalog = Readonly<Record<string, readonly ApiResource[]>>;

/**
 * Names RBAC rules use that no API serves, by group: the identities impersonation is checked against
 * (k8s.io/apiserver pkg/endpoints/filters/impersonation.go; `userextras/<key>` takes any key), the
 * kubelet API's subresources of nodes (pkg/kubelet/server/auth.go), and certificate signers
 * (pkg/apis/certificates: `approve`, `sign` and `attest` on `signers`). All are cluster-scoped: their
 * requests carry no namespace (scope.ts).
 */
export const RBAC_ONLY: Readonly<Record<string, readonly string[]>> = {
    "": [
        "groups",
        "users",
        ...["checkpoint", "configz", "healthz", "log", "metrics", "pods", "spec", "stats"].map(
            (s) => `nodes/${s}`,
        ),
    ],
    "authentication.k8s.io": ["uids", "userextras"],
    "certificates.k8s.io": ["signers"],
};

/** True when `resource` (with any `/subresource`) is one the catalog's group serves or RBAC_ONLY names. */
export function serves(catalog: ApiCatalog, group: string, resource: string): boolean {
    const rbacOnly = hasOwnKey(RBAC_ONLY, group) ? RBAC_ONLY[group] : [];
    const base = resource.split("/")[0];
    if (rbacOnly.includes(resource) || (base === "userextras" && rbacOnly.includes(base))) {
        return true;
    }
    return hasOwnKey(catalog, group) && catalog[group].some((r) => r.name === resource);
}
