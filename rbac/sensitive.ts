// The one table of sensitive permissions: what in a role, a ClusterRole's labels or a binding lets its
// holder reach more than it was given. The pack's hygiene policies, verify's sensitive checks and plan's
// matrix marks all come from it; adding a path is one row here and one test case. Pure (no SDK import).
import { RBAC_GROUP } from "./evaluator";

/** How far a row reaches: the whole cluster, the credentials of others, or a namespace's accounts. */
export type Severity = "critical" | "high" | "medium";

/** One permission a row needs: any of `verbs` on the resource (and subresource) of one API group. */
export interface Requirement {
    readonly verbs: readonly string[];
    /** API group; "" is the core group. */
    readonly group: string;
    readonly resource: string;
    /** `exec` for `pods/exec`; `*` means any subresource the rule names (each `userextras/<key>`), or one it does not. */
    readonly subresource?: string;
}

interface Row {
    /** Stable identifier: `read-secrets`. */
    readonly id: string;
    /** What the holder can reach, as a finding's reason: "reads every credential ...". */
    readonly reaches: string;
    readonly severity: Severity;
    /** Where the path is documented or flagged by other checkers (upstream docs, issues). */
    readonly sources: readonly string[];
    /**
     * The pack policy that reports the row. Absent for what the API server's own escalation check
     * guards (creating roles and bindings): verify and plan still show it.
     */
    readonly policy?: string;
}

/** A rule that grants any of `grants`, in a role whose rules also grant each of `andAlso`. */
export interface RuleRow extends Row {
    readonly kind: "rules";
    readonly grants: readonly Requirement[];
    /** Needed too, from any rule of the same role: approving a CSR takes the approval and the signer. */
    readonly andAlso?: readonly Requirement[];
    /** Only in these role kinds (default both): Secrets read by a Role stays in its namespace. */
    readonly roleKinds?: readonly ("Role" | "ClusterRole")[];
    /** The pods it makes may run as any ServiceAccount of their namespace: the finding names them. */
    readonly runsAsAnyAccount?: boolean;
    /**
     * What it reaches when the rule names its objects (`resourceNames`), given them in words
     * (`payments/reporter`, or `reporter of every namespace it is bound in`) and how many there are.
     * Names limit every verb but a whole resource's create and deletecollection (carriesNoName), a
     * subresource's create included: POST .../serviceaccounts/<name>/token names the account.
     */
    readonly reachesNamed?: (objects: string, count: number) => string;
}

/** A ClusterRole carrying any of these labels (key and value). */
export interface LabelRow extends Row {
    readonly kind: "labels";
    readonly labels: readonly { readonly key: string; readonly value: string }[];
}

/** A binding whose roleRef names this ClusterRole (through a ClusterRoleBinding only, when `clusterWide`). */
export interface RoleRefRow extends Row {
    readonly kind: "roleRef";
    readonly role: string;
    readonly clusterWide?: boolean;
}

/** A binding to this User or Group name. */
export interface SubjectRow extends Row {
    readonly kind: "subject";
    readonly subject: string;
}

export type SensitiveRow = RuleRow | LabelRow | RoleRefRow | SubjectRow;

const WRITE_ONE = ["create", "update", "patch"];
const READ = ["get", "list", "watch"];
// A proxied or streamed request's verb is its HTTP method's (GET get, POST create, ...).
const PROXY_VERBS = ["get", "create", "update", "patch", "delete"];
const STREAM_VERBS = ["get", "create"];
const AUTHN = "authentication.k8s.io";
const RBAC_DOCS = "https://kubernetes.io/docs/concepts/security/rbac-good-practices/";
const AGGREGATED_ROLES = ["view", "edit", "admin"];

/** Resources whose create, update or patch makes pods (`kubectl explain` lists each one's pod template). */
export const WORKLOADS: readonly { readonly group: string; readonly resource: string }[] = [
    { group: "", resource: "pods" },
    { group: "", resource: "replicationcontrollers" },
    ...["deployments", "replicasets", "statefulsets", "daemonsets"].map((resource) => ({
        group: "apps",
        resource,
    })),
    ...["jobs", "cronjobs"].map((resource) => ({ group: "batch", resource })),
];

export const SENSITIVE: readonly SensitiveRow[] = [
    {
        kind: "rules",
        id: "read-secrets",
        grants: [{ verbs: READ, group: "", resource: "secrets" }],
        roleKinds: ["ClusterRole"],
        reaches: "reads every Secret, and so every credential and token, of every namespace it is bound in",
        reachesNamed: (objects, count) =>
            `reads only Secret${count > 1 ? "s" : ""} ${objects}, and every credential in ${count > 1 ? "them" : "it"}`,
        severity: "high",
        sources: [RBAC_DOCS],
        policy: "no-cluster-wide-secret-read",
    },
    {
        kind: "rules",
        id: "pods-exec-attach",
        grants: ["exec", "attach"].map((subresource) => ({
            verbs: STREAM_VERBS,
            group: "",
            resource: "pods",
            subresource,
        })),
        reaches: "opens a shell in running containers, with every credential mounted there",
        severity: "high",
        sources: [RBAC_DOCS, "kubescape/kubescape#3093"],
        policy: "no-pod-exec-attach",
    },
    {
        kind: "rules",
        id: "pods-portforward",
        grants: [{ verbs: STREAM_VERBS, group: "", resource: "pods", subresource: "portforward" }],
        reaches: "connects to any port of a pod, past Services and NetworkPolicies",
        severity: "medium",
        sources: [RBAC_DOCS],
        policy: "no-pod-exec-attach",
    },
    {
        kind: "rules",
        id: "nodes-proxy",
        grants: [{ verbs: PROXY_VERBS, group: "", resource: "nodes", subresource: "proxy" }],
        reaches: "reaches the kubelet API, which runs commands in any pod of the node, unaudited",
        severity: "critical",
        sources: [RBAC_DOCS],
        policy: "no-nodes-proxy",
    },
    ...(["escalate", "bind"] as const).map((verb): RuleRow => ({
        kind: "rules",
        id: `${verb}-roles`,
        grants: ["roles", "clusterroles"].map((resource) => ({
            verbs: [verb],
            group: RBAC_GROUP,
            resource,
        })),
        reaches:
            verb === "escalate"
                ? "writes roles with rights beyond its own"
                : "binds roles with rights beyond its own",
        severity: "critical",
        sources: [RBAC_DOCS],
        policy: "no-escalation-verbs",
    })),
    {
        kind: "rules",
        id: "impersonate",
        // What the API server checks impersonation against (k8s.io/apiserver pkg/endpoints/filters/impersonation.go).
        grants: [
            ...["users", "groups", "serviceaccounts"].map((resource) => ({
                verbs: ["impersonate"],
                group: "",
                resource,
            })),
            { verbs: ["impersonate"], group: AUTHN, resource: "uids" },
            { verbs: ["impersonate"], group: AUTHN, resource: "userextras", subresource: "*" },
        ],
        reaches: "acts as other users, groups and accounts, with their rights",
        severity: "critical",
        sources: [RBAC_DOCS],
        policy: "no-escalation-verbs",
    },
    {
        kind: "rules",
        id: "create-workloads",
        grants: WORKLOADS.map((w) => ({
            ...w,
            verbs: w.resource === "pods" ? ["create"] : WRITE_ONE,
        })),
        runsAsAnyAccount: true,
        reaches: "runs pods, which may run as any ServiceAccount of their namespace and read its token",
        severity: "medium",
        sources: [RBAC_DOCS, "stackrox/kube-linter#187", "prowler-cloud/prowler#3314"],
        policy: "no-workload-creation",
    },
    {
        kind: "rules",
        id: "create-serviceaccount-tokens",
        grants: [{ verbs: ["create"], group: "", resource: "serviceaccounts", subresource: "token" }],
        reaches: "mints tokens for any ServiceAccount it reaches, and acts as them",
        // POST .../serviceaccounts/<name>/token names the account, so resourceNames limits whose tokens.
        reachesNamed: (objects, count) =>
            `mints tokens only for ServiceAccount${count > 1 ? "s" : ""} ${objects}, and acts as ${count > 1 ? "them" : "it"}`,
        severity: "high",
        sources: [RBAC_DOCS, "aquasecurity/kubectl-who-can#94"],
        policy: "no-escalation-paths",
    },
    {
        kind: "rules",
        id: "ephemeral-containers",
        grants: [
            { verbs: ["update", "patch"], group: "", resource: "pods", subresource: "ephemeralcontainers" },
        ],
        reaches: "adds a container to a running pod, which runs as the pod's account and mounts",
        severity: "high",
        sources: ["stackrox/kube-linter#1211", "kubernetes/website#55255"],
        policy: "no-escalation-paths",
    },
    ...["mutatingwebhookconfigurations", "validatingwebhookconfigurations"].map((resource): RuleRow => ({
        kind: "rules",
        id: resource.replace("configurations", "s"),
        grants: [{ verbs: WRITE_ONE, group: "admissionregistration.k8s.io", resource }],
        reaches: resource.startsWith("mutating")
            ? "sends every matching object to a webhook of its choosing, which can change it (pods, roles, bindings)"
            : "sends every matching object to a webhook of its choosing, which sees it and can block the cluster's writes",
        severity: "critical",
        sources: [RBAC_DOCS, "kubescape/kubescape#3093"],
        policy: "no-escalation-paths",
    })),
    {
        kind: "rules",
        id: "approve-csrs",
        grants: [
            {
                verbs: ["update", "patch"],
                group: "certificates.k8s.io",
                resource: "certificatesigningrequests",
                subresource: "approval",
            },
        ],
        andAlso: [{ verbs: ["approve"], group: "certificates.k8s.io", resource: "signers" }],
        reaches: "approves certificates, such as a client certificate for any user or group (system:masters)",
        severity: "critical",
        sources: [RBAC_DOCS, "aquasecurity/kubectl-who-can#83"],
        policy: "no-escalation-paths",
    },
    {
        kind: "rules",
        id: "create-persistentvolumes",
        grants: [{ verbs: ["create"], group: "", resource: "persistentvolumes" }],
        reaches: "mounts any folder of a node (hostPath) into a pod that claims the volume",
        severity: "high",
        sources: [RBAC_DOCS, "aquasecurity/kubectl-who-can#84"],
        policy: "no-escalation-paths",
    },
    {
        kind: "labels",
        id: "aggregate-to-builtin-roles",
        labels: AGGREGATED_ROLES.map((role) => ({
            key: `rbac.authorization.k8s.io/aggregate-to-${role}`,
            value: "true",
        })),
        reaches: "adds its rules to the built-in view, edit or admin role of everyone bound to them",
        severity: "high",
        sources: ["https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles"],
        policy: "no-escalation-paths",
    },
    ...["roles", "rolebindings", "clusterroles", "clusterrolebindings"].map((resource): RuleRow => ({
        kind: "rules",
        id: `create-${resource}`,
        grants: [{ verbs: ["create"], group: RBAC_GROUP, resource }],
        reaches: "writes RBAC objects (the API server refuses rights its holder does not have)",
        severity: "medium",
        sources: [RBAC_DOCS],
    })),
    {
        kind: "rules",
        id: "delete-namespaces",
        grants: [{ verbs: ["delete"], group: "", resource: "namespaces" }],
        reaches: "deletes a namespace with everything in it",
        severity: "medium",
        sources: [RBAC_DOCS],
    },
    {
        kind: "roleRef",
        id: "bind-cluster-admin",
        role: "cluster-admin",
        reaches: "allows every action on every resource",
        severity: "critical",
        sources: [RBAC_DOCS],
        policy: "no-cluster-admin-binding",
    },
    ...["admin", "edit"].map((role): RoleRefRow => ({
        kind: "roleRef",
        id: `bind-${role}-cluster-wide`,
        role,
        clusterWide: true,
        reaches: "allows writing workloads and reading Secrets in every namespace",
        severity: "high",
        sources: [RBAC_DOCS],
        policy: "no-cluster-admin-binding",
    })),
    ...[
        ["system:anonymous", "every request without credentials"],
        ["system:unauthenticated", "every request without credentials"],
        ["system:masters", "a group that bypasses RBAC authorization entirely"],
    ].map(([subject, reaches]): SubjectRow => ({
        kind: "subject",
        id: `bind-${subject.replace("system:", "")}`,
        subject,
        reaches,
        severity: "critical",
        sources: [RBAC_DOCS],
        policy: "no-anonymous-or-masters-binding",
    })),
];

/**
 * What a row lets its holder reach, for a finding: a workload row names the accounts whose tokens it
 * reaches, those of the Role's `namespace` ("" when it names none, "?" when not known yet), or of every
 * namespace a ClusterRole is bound in (namespace undefined). `names`, the rule's resourceNames, narrow a
 * row that says what it reaches by name (`reachesNamed`) to those objects of that namespace.
 */
export function reachOf(row: SensitiveRow, namespace?: string, names: readonly string[] = []): string {
    if (row.kind !== "rules") {
        return row.reaches;
    }
    const where =
        namespace === undefined
            ? "of every namespace it is bound in"
            : namespace === "" || namespace === "?"
              ? "of the namespace it is created in"
              : `of namespace ${namespace}`;
    if (row.reachesNamed && names.length > 0) {
        const objects =
            namespace && namespace !== "?"
                ? names.map((n) => `${namespace}/${n}`).join(", ")
                : `${names.join(", ")} ${where}`;
        return row.reachesNamed(objects, names.length);
    }
    if (!row.runsAsAnyAccount) {
        return row.reaches;
    }
    const accounts =
        namespace === undefined
            ? `${where} (through a ClusterRoleBinding, every account of the cluster: system:serviceaccounts)`
            : namespace === "" || namespace === "?"
              ? where
              : `${where} (system:serviceaccounts:${namespace})`;
    return `runs pods as any ServiceAccount ${accounts}, and reads that account's token`;
}

/** One request a permission row names, for a SelfSubjectAccessReview. */
export interface SensitiveRequest {
    readonly row: RuleRow;
    readonly verb: string;
    readonly group: string;
    readonly resource: string;
    readonly subresource?: string;
}

/**
 * Every verb on every target of the permission rows (`grants` and `andAlso`), for verify; a `*`
 * subresource (any userextras key) is left out, as no one request names every key.
 */
export function sensitiveRequests(): SensitiveRequest[] {
    return SENSITIVE.flatMap((row) =>
        row.kind !== "rules"
            ? []
            : [...row.grants, ...(row.andAlso ?? [])]
                  .filter((g) => g.subresource !== "*")
                  .flatMap((g) =>
                      g.verbs.map((verb) => ({
                          row,
                          verb,
                          group: g.group,
                          resource: g.resource,
                          ...(g.subresource ? { subresource: g.subresource } : {}),
                      })),
                  ),
    );
}

/** The rows one policy reports, of one kind. */
export function rowsOf<K extends SensitiveRow["kind"]>(
    policy: string,
    kind: K,
): Extract<SensitiveRow, { kind: K }>[] {
    return SENSITIVE.filter(
        (r): r is Extract<SensitiveRow, { kind: K }> => r.policy === policy && r.kind === kind,
    );
}
