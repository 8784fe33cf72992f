// RBAC building blocks of the component: the rules of the named access presets and the verbs Kubernetes
// knows. Free of Pulumi resources so that the CLI and tests can use them; the policy pack, published on
// its own, does not import it (RBAC semantics live in the shared evaluator, rbac/).
import { AccessPreset, PolicyRule, Scope, valuesOf } from "./args";

// PolicyRule is an argument type, defined in args.ts; tools import it from here too.
export type { PolicyRule } from "./args";

/** Every scope, derived from `Scope` in args.ts. */
export const SCOPES = valuesOf(Scope);
/** Every access preset, derived from `AccessPreset` in args.ts. */
export const ACCESS_PRESETS = valuesOf(AccessPreset);

/** The verbs that read, in the order people read them. */
export const READ_VERBS: readonly string[] = ["get", "list", "watch"];
/** The verbs that write one object, in the order people read them. */
export const WRITE_VERBS: readonly string[] = ["create", "update", "patch", "delete"];

const READ = [...READ_VERBS];
const READ_WRITE = [...READ_VERBS, ...WRITE_VERBS];

/**
 * Verbs the API server authorizes: the resource verbs, the special verbs of RBAC, impersonation, pod
 * security and certificate signing, and the lower-cased HTTP methods used with non-resource URLs.
 */
export const KNOWN_VERBS: readonly string[] = [
    ...READ_VERBS,
    ...WRITE_VERBS,
    "deletecollection",
    "bind",
    "escalate",
    "impersonate",
    "use",
    "approve",
    "sign",
    "attest",
    "post",
    "put",
    "head",
    "options",
    "*",
];

// read-only: the workload, service, config and event resources a dashboard or CI runner reads.
// Secrets are left out on purpose: reading them is reading every credential in the cluster.
const READ_ONLY: PolicyRule[] = [
    {
        apiGroups: [""],
        resources: [
            "configmaps",
            "endpoints",
            "events",
            "namespaces",
            "persistentvolumeclaims",
            "pods",
            "replicationcontrollers",
            "services",
        ],
        verbs: READ,
    },
    {
        apiGroups: ["apps"],
        resources: ["daemonsets", "deployments", "replicasets", "statefulsets"],
        verbs: READ,
    },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: READ },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: READ },
];

// monitoring: what Prometheus' Kubernetes service discovery and node scraping read. The nodes and the
// /metrics URL exist only cluster-wide, so the namespaced variant keeps the namespaced part.
const MONITORING_NAMESPACED: PolicyRule[] = [
    { apiGroups: [""], resources: ["endpoints", "pods", "services"], verbs: READ },
    { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: READ },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: READ },
];
const MONITORING_CLUSTER: PolicyRule[] = [
    { apiGroups: [""], resources: ["nodes", "nodes/metrics"], verbs: READ },
    ...MONITORING_NAMESPACED,
    { nonResourceURLs: ["/metrics"], verbs: ["get"] },
];

// full: the broad read-write role that many tutorials grant, Secrets and pods/exec included. It is
// allowed so that existing setups can move over, and the policy pack flags it.
const FULL: PolicyRule[] = [
    {
        apiGroups: [""],
        resources: [
            "configmaps",
            "endpoints",
            "events",
            "limitranges",
            "namespaces",
            "nodes",
            "persistentvolumeclaims",
            "persistentvolumes",
            "pods",
            "pods/exec",
            "pods/log",
            "replicationcontrollers",
            "resourcequotas",
            "secrets",
            "serviceaccounts",
            "services",
        ],
        verbs: READ_WRITE,
    },
    {
        apiGroups: ["apps"],
        resources: ["daemonsets", "deployments", "replicasets", "statefulsets"],
        verbs: READ_WRITE,
    },
    { apiGroups: ["autoscaling"], resources: ["horizontalpodautoscalers"], verbs: READ_WRITE },
    { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: READ_WRITE },
    { apiGroups: ["networking.k8s.io"], resources: ["ingresses", "networkpolicies"], verbs: READ_WRITE },
    { apiGroups: ["policy"], resources: ["poddisruptionbudgets"], verbs: READ_WRITE },
];

/** The rules of a named preset for a scope. Namespaced roles cannot hold cluster-only rules. */
export function presetRules(access: AccessPreset, scope: Scope): PolicyRule[] {
    switch (access) {
        case "read-only":
            return clone(READ_ONLY);
        case "monitoring":
            return clone(scope === "cluster" ? MONITORING_CLUSTER : MONITORING_NAMESPACED);
        case "full":
            return clone(FULL);
    }
}

function clone(rules: PolicyRule[]): PolicyRule[] {
    return rules.map((rule) => JSON.parse(JSON.stringify(rule)) as PolicyRule);
}
