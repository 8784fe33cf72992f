// Which resources are cluster-scoped, and so what a Role's rules grant once bound in a namespace. The
// authorizer itself knows no scopes: a request for a cluster-scoped resource carries no namespace, so a
// RoleBinding never matches it (k8s.io/apiserver pkg/endpoints/request/requestinfo.go builds the request).
import { ALL, isUrlPermission, Permission, ResourceRequest } from "./evaluator";

/**
 * The cluster-scoped resources of Kubernetes' built-in API groups (and metrics.k8s.io), by group ("" is
 * core). `users`, `groups`, `uids` and `userextras` are what impersonation is checked against. The
 * differential test compares this list with the discovery documents of a real API server.
 */
export const CLUSTER_SCOPED: Readonly<Record<string, readonly string[]>> = {
    "": ["componentstatuses", "groups", "namespaces", "nodes", "persistentvolumes", "users"],
    "admissionregistration.k8s.io": [
        "mutatingadmissionpolicies",
        "mutatingadmissionpolicybindings",
        "mutatingwebhookconfigurations",
        "validatingadmissionpolicies",
        "validatingadmissionpolicybindings",
        "validatingwebhookconfigurations",
    ],
    "apiextensions.k8s.io": ["customresourcedefinitions"],
    "apiregistration.k8s.io": ["apiservices"],
    "authentication.k8s.io": ["selfsubjectreviews", "tokenreviews", "uids", "userextras"],
    "authorization.k8s.io": ["selfsubjectaccessreviews", "selfsubjectrulesreviews", "subjectaccessreviews"],
    "certificates.k8s.io": ["certificatesigningrequests", "clustertrustbundles"],
    "flowcontrol.apiserver.k8s.io": ["flowschemas", "prioritylevelconfigurations"],
    "internal.apiserver.k8s.io": ["storageversions"],
    "metrics.k8s.io": ["nodes"],
    "networking.k8s.io": ["ingressclasses", "ipaddresses", "servicecidrs"],
    "node.k8s.io": ["runtimeclasses"],
    "rbac.authorization.k8s.io": ["clusterrolebindings", "clusterroles"],
    "resource.k8s.io": ["deviceclasses", "devicetaintrules", "resourceslices"],
    "scheduling.k8s.io": ["priorityclasses"],
    "storage.k8s.io": [
        "csidrivers",
        "csinodes",
        "storageclasses",
        "volumeattachments",
        "volumeattributesclasses",
    ],
    "storagemigration.k8s.io": ["storageversionmigrations"],
};

/** True for a known cluster-scoped resource; `resource` may carry a subresource (`nodes/proxy`). */
export function isClusterScoped(group: string, resource: string): boolean {
    const base = resource.split("/")[0];
    return Object.hasOwn(CLUSTER_SCOPED, group) && CLUSTER_SCOPED[group].includes(base);
}

// A Namespace object is addressed as /api/v1/namespaces/<name>, so the request carries its own name as
// namespace: a Role in that namespace grants the verbs that name one object, on that one Namespace.
const UNNAMED_VERBS = new Set(["list", "create", "deletecollection"]);

/**
 * The request the API server builds for `verb` on a resource, asked for in `namespace` ("" = all or
 * none): no namespace for cluster-scoped resources, the object's own name for a Namespace.
 */
export function requestFor(target: Omit<ResourceRequest, "namespace">, namespace: string): ResourceRequest {
    if (target.group === "" && target.resource === "namespaces") {
        return { ...target, namespace: target.name ?? "" };
    }
    return { ...target, namespace: isClusterScoped(target.group, target.resource) ? "" : namespace };
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
