// What verify asks the API server: every permission the account was declared, which must be allowed, and
// every permission of the sensitive table (rbac/sensitive.ts), which must be denied unless declared.
import type { PolicyRule } from "../../components/rbac";
import { authorize, covers, formatPermission, Grant, Permission, permissionsOf } from "../../rbac/evaluator";
import { isClusterScoped, requestFor } from "../../rbac/scope";
import { sensitiveRequests } from "../../rbac/sensitive";

/** What the account was meant to get (the stack's `scope`, `roleNamespaces` and `rules` outputs). */
export interface Expectation {
    readonly scope: "cluster" | "namespace";
    readonly namespace: string;
    readonly roleNamespaces: string[];
    readonly rules: PolicyRule[];
}

/** One question for SelfSubjectAccessReview. */
export interface Check {
    readonly verb: string;
    /** Resource checks: API group ("" core), resource, optional subresource and name; "" namespace = all. */
    readonly group?: string;
    readonly resource?: string;
    readonly subresource?: string;
    readonly name?: string;
    readonly namespace?: string;
    /** Non-resource checks: the URL path. */
    readonly path?: string;
    /** Matrix row. */
    readonly row: string;
    readonly expected: boolean;
    readonly why: "declared" | "sensitive";
    /** The sensitive table's row this permission belongs to (`create-workloads`), declared or not. */
    readonly sensitive?: string;
}

/** A resource or URL as a matrix row: `deployments.apps`, `pods/exec`, `/metrics`, with its namespace. */
export function rowOf(group: string, resource: string, namespace: string | undefined): string {
    const base = `${resource}${group && group !== "" ? `.${group}` : ""}`;
    return namespace === undefined ? base : `${base} @${namespace === "" ? "all namespaces" : namespace}`;
}

/** The grants an expectation describes: its rules cluster-wide, or in each of its role namespaces. */
export function grantsOf(expectation: Expectation | undefined): Grant[] {
    const rules = expectation?.rules ?? [];
    return expectation?.scope === "cluster"
        ? [{ scope: { kind: "cluster" }, rules }]
        : (expectation?.roleNamespaces ?? []).map((namespace) => ({
              scope: { kind: "namespace", namespace },
              rules,
          }));
}

function splitResource(resource: string): { resource: string; subresource?: string } {
    const [res, sub] = resource.split("/");
    return sub ? { resource: res, subresource: sub } : { resource: res };
}

/**
 * The checks for an account: declared permissions first (where they take effect: a namespaced role's
 * cluster-scoped resources grant nothing and are not asked), then the sensitive actions, expected allowed
 * only when the declared grants allow them.
 */
export function checksFor(expectation: Expectation | undefined, namespace: string): Check[] {
    const checks = new Map<string, Check>();
    const add = (c: Check) => {
        const key = `${c.verb}|${c.row}`;
        const had = checks.get(key);
        // A declared permission that the table names is asked once, and known as sensitive.
        checks.set(key, had ? { ...had, sensitive: had.sensitive ?? c.sensitive } : c);
    };
    const grants = grantsOf(expectation);
    const namespaced = expectation?.scope === "namespace";
    const declaredNamespaces = namespaced ? expectation.roleNamespaces : [""];
    for (const p of (expectation?.rules ?? []).flatMap(permissionsOf)) {
        if ("url" in p) {
            add({ verb: p.verb, path: p.url, row: p.url, expected: true, why: "declared" });
            continue;
        }
        for (const ns of declaredNamespaces) {
            const target = { verb: p.verb, group: p.group, ...splitResource(p.resource), name: p.names?.[0] };
            const request = requestFor(target, ns);
            // Not where it takes effect (a Role's cluster-scoped resource), or never (create by name).
            if (!authorize(grants, request)) {
                continue;
            }
            add({
                ...target,
                namespace: request.namespace,
                row: rowOf(p.group, p.resource, namespaced ? ns : undefined),
                expected: true,
                why: "declared",
            });
        }
    }
    for (const s of sensitiveRequests()) {
        const resource = s.subresource ? `${s.resource}/${s.subresource}` : s.resource;
        const clusterScoped = isClusterScoped(s.group, s.resource);
        for (const ns of clusterScoped ? [""] : [namespace, ""]) {
            const target = { verb: s.verb, group: s.group, resource: s.resource, subresource: s.subresource };
            const declared = authorize(grants, requestFor(target, ns));
            add({
                ...target,
                namespace: ns,
                row: rowOf(s.group, resource, clusterScoped ? undefined : ns),
                expected: declared,
                why: declared ? "declared" : "sensitive",
                sensitive: s.row.id,
            });
        }
    }
    return [...checks.values()];
}

/** The rule a denied declared check needs, in the words of a Role's rules. */
export function missingRule(c: Check): string {
    if (c.path) {
        return `{ nonResourceURLs: ["${c.path}"], verbs: ["${c.verb}"] }`;
    }
    const res = c.subresource ? `${c.resource}/${c.subresource}` : c.resource;
    const names = c.name ? `, resourceNames: ["${c.name}"]` : "";
    return `{ apiGroups: ["${c.group}"], resources: ["${res}"]${names}, verbs: ["${c.verb}"] }`;
}

/**
 * What every authenticated identity or ServiceAccount may do anyway: Kubernetes' bootstrap ClusterRoles
 * system:basic-user, system:discovery, system:public-info-viewer, system:service-account-issuer-discovery and
 * (1.33+, bound to the group system:serviceaccounts) system:cluster-trust-bundle-discovery
 * (plugin/pkg/auth/authorizer/rbac/bootstrappolicy/policy.go).
 */
export const BASELINE: PolicyRule[] = [
    {
        verbs: ["get", "list", "watch"],
        apiGroups: ["certificates.k8s.io"],
        resources: ["clustertrustbundles"],
    },
    {
        verbs: ["create"],
        apiGroups: ["authorization.k8s.io"],
        resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"],
    },
    { verbs: ["create"], apiGroups: ["authentication.k8s.io"], resources: ["selfsubjectreviews"] },
    {
        verbs: ["get"],
        nonResourceURLs: [
            "/api",
            "/api/*",
            "/apis",
            "/apis/*",
            "/healthz",
            "/livez",
            "/readyz",
            "/version",
            "/version/",
            "/openapi",
            "/openapi/*",
            "/.well-known/openid-configuration",
            "/.well-known/openid-configuration/",
            "/openid/v1/jwks",
            "/openid/v1/jwks/",
        ],
    },
];

export interface ReviewedRules {
    readonly resourceRules: {
        verbs: string[];
        apiGroups?: string[];
        resources?: string[];
        resourceNames?: string[];
    }[];
    readonly nonResourceRules: { verbs: string[]; nonResourceURLs?: string[] }[];
}

/**
 * What SelfSubjectRulesReview says the account can do in a namespace beyond what was declared there,
 * compared as Kubernetes' policy comparator does (a `*` is covered only by a `*`).
 */
export function beyondDeclared(
    review: ReviewedRules,
    expectation: Expectation | undefined,
    namespace: string,
): string[] {
    const inScope =
        expectation?.scope === "cluster" || (expectation?.roleNamespaces ?? []).includes(namespace);
    const declared = inScope ? (expectation?.rules ?? []) : [];
    // URLs exist only cluster-wide, so a URL is declared by a cluster-scoped expectation's rules alone.
    const declaredUrls = expectation?.scope === "cluster" ? (expectation?.rules ?? []) : [];
    const reviewed: Permission[] = [
        ...review.resourceRules.flatMap((r) => permissionsOf({ ...r, apiGroups: r.apiGroups ?? [""] })),
        ...review.nonResourceRules.flatMap((r) => permissionsOf(r)),
    ];
    const extra = reviewed.filter(
        (p) => !covers(BASELINE, p) && !covers("url" in p ? declaredUrls : declared, p),
    );
    return [...new Set(extra.map(formatPermission))].sort();
}
