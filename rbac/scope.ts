// Which resources are cluster-scoped, and so what a Role's rules grant once bound in a namespace. The
// authorizer itself knows no scopes: a request for a cluster-scoped resource carries no namespace, so a
// RoleBinding never matches it (k8s.io/apiserver pkg/endpoints/request/requestinfo.go builds the request).
import { RBAC_ONLY } from "./apiCatalog";
import { BUILTIN_API } from "./builtin/kubernetesApi";
import {
    ALL,
    carriesNoName,
    isUrlPermission,
    NAMELESS_VERBS,
    Permission,
    ResourceRequest,
} from "./evaluator";
import { hasOwnKey } from "./ownKey";

/**
 * The cluster-scoped resources by group ("" is core): what the pinned release's built-in API serves
 * without a namespace (builtin/kubernetesApi.ts, generated from its discovery), the names RBAC alone uses
 * (RBAC_ONLY: `users`, `groups`, `uids`, `userextras` for impersonation, `signers` for certificates;
 * their requests carry no namespace), and metrics.k8s.io's `nodes` (metrics-server's aggregated API). The
 * differential test compares it with the discovery documents of a real API server.
 */
export const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = clusterScoped();

function clusterScoped(): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    const add = (group: string, resource: string) => {
        const list = (out[group] ??= []);
        if (!resource.includes("/") && !list.includes(resource)) {
            list.push(resource);
        }
    };
    for (const [group, resources] of Object.entries(BUILTIN_API)) {
        resources.filter((r) => !r.namespaced).forEach((r) => add(group, r.name));
    }
    for (const [group, names] of Object.entries(RBAC_ONLY)) {
        names.forEach((name) => add(group, name));
    }
    add("metrics.k8s.io", "nodes");
    return out;
}

/** True for a known cluster-scoped resource; `resource` may carry a subresource (`nodes/proxy`). */
export function isClusterScoped(group: string, resource: string): boolean {
    const base = resource.split("/")[0];
    return hasOwnKey(CLUSTER_SCOPED, group) && CLUSTER_SCOPED[group].includes(base);
}

// A Namespace object is addressed as /api/v1/namespaces/<name>, so the request carries its own name as
// namespace: a Role in that namespace grants the verbs that name one object, on that one Namespace.
const UNNAMED_VERBS = new Set([...NAMELESS_VERBS, "list"]);

/**
 * The request the API server builds for `verb` on a resource, asked for in `namespace` ("" = all or
 * none): no namespace for cluster-scoped resources, the object's own name for a Namespace, no name for
 * create and deletecollection (list and watch keep it: a client selecting by metadata.name sends one).
 */
export function requestFor(target: Omit<ResourceRequest, "namespace">, namespace: string): ResourceRequest {
    // create and deletecollection address no one object, so their requests carry no name.
    const named = carriesNoName(target.verb, target.subresource) ? { ...target, name: "" } : target;
    if (named.group === "" && named.resource === "namespaces") {
        return { ...named, namespace: named.name ?? "" };
    }
    return { ...named, namespace: isClusterScoped(named.group, named.resource) ? "" : namespace };
}

/**
 * What a Role's permission grants once bound in `namespace`: the permission itself, a Namespace limited
 * to that one name, or undefined when it grants nothing there (a cluster-scoped resource, a URL).
 */
export function inNamespace(p: Permission, namespace: string): Permission | undefined {
    if (isUrlPermission(p)) {
        return undefined;
    }
    if (p.group === ALL || p.resource === ALL || p.resource.startsWith("*/")) {
        return p;
    }
    if (p.group === "" && p.resource.split("/")[0] === "namespaces") {
        const ok = !UNNAMED_VERBS.has(p.verb) && (p.names ?? [namespace]).includes(namespace);
        return ok ? { ...p, names: [namespace] } : undefined;
    }
    return isClusterScoped(p.group, p.resource) ? undefined : p;
}
