// What verify asks the API server: every permission the account was declared, which must be allowed, and
// a fixed set of sensitive actions, which must be denied unless declared on purpose.
import type { PolicyRule } from "../components/rbac";

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
}

/** A resource or URL as a matrix row: `deployments.apps`, `pods/exec`, `/metrics`, with its namespace. */
export function rowOf(group: string, resource: string, namespace: string | undefined): string {
    const base = `${resource}${group && group !== "" ? `.${group}` : ""}`;
    return namespace === undefined ? base : `${base} @${namespace === "" ? "all namespaces" : namespace}`;
}

const SENSITIVE: { verb: string; group: string; resource: string; namespaced: boolean }[] = [
    { verb: "get", group: "", resource: "secrets", namespaced: true },
    { verb: "list", group: "", resource: "secrets", namespaced: true },
    { verb: "create", group: "", resource: "pods/exec", namespaced: true },
    { verb: "create", group: "rbac.authorization.k8s.io", resource: "roles", namespaced: true },
    { verb: "create", group: "rbac.authorization.k8s.io", resource: "rolebindings", namespaced: true },
    { verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterroles", namespaced: false },
    {
        verb: "create",
        group: "rbac.authorization.k8s.io",
        resource: "clusterrolebindings",
        namespaced: false,
    },
    { verb: "escalate", group: "rbac.authorization.k8s.io", resource: "clusterroles", namespaced: false },
    { verb: "bind", group: "rbac.authorization.k8s.io", resource: "clusterroles", namespaced: false },
    { verb: "impersonate", group: "", resource: "users", namespaced: false },
    { verb: "impersonate", group: "", resource: "serviceaccounts", namespaced: true },
    { verb: "impersonate", group: "", resource: "groups", namespaced: false },
    { verb: "get", group: "", resource: "nodes/proxy", namespaced: false },
    { verb: "delete", group: "", resource: "namespaces", namespaced: false },
];

const has = (list: string[] | undefined, value: string) =>
    (list ?? []).includes("*") || (list ?? []).includes(value);

/**
 * True when the declared rules grant `verb` on group/resource or on a URL. A rule limited to some names
 * counts only when `namedToo` is set (the question itself is about named objects).
 */
export function declares(
    rules: PolicyRule[],
    verb: string,
    target: { group: string; resource: string } | { path: string },
    namedToo = false,
): boolean {
    return rules.some((r) => {
        if (!has(r.verbs, verb)) {
            return false;
        }
        if ("path" in target) {
            return (r.nonResourceURLs ?? []).some(
                (u) =>
                    u === target.path ||
                    u === "*" ||
                    (u.endsWith("*") && target.path.startsWith(u.slice(0, -1))),
            );
        }
        return (
            has(r.apiGroups, target.group) &&
            has(r.resources, target.resource) &&
            (namedToo || (r.resourceNames ?? []).length === 0)
        );
    });
}

function splitResource(resource: string): { resource: string; subresource?: string } {
    const [res, sub] = resource.split("/");
    return sub ? { resource: res, subresource: sub } : { resource: res };
}

/** The checks for an account: declared permissions first, then the sensitive actions not declared. */
export function checksFor(expectation: Expectation | undefined, namespace: string): Check[] {
    const checks: Check[] = [];
    const seen = new Set<string>();
    const add = (c: Check) => {
        const key = `${c.verb}|${c.row}`;
        if (!seen.has(key)) {
            seen.add(key);
            checks.push(c);
        }
    };
    const declaredNamespaces = expectation?.scope === "namespace" ? expectation.roleNamespaces : [""];
    for (const rule of expectation?.rules ?? []) {
        for (const verb of rule.verbs) {
            for (const path of rule.nonResourceURLs ?? []) {
                add({ verb, path, row: path, expected: true, why: "declared" });
            }
            for (const group of rule.apiGroups ?? []) {
                for (const res of rule.resources ?? []) {
                    for (const ns of declaredNamespaces) {
                        add({
                            verb,
                            group,
                            ...splitResource(res),
                            name: rule.resourceNames?.[0],
                            namespace: ns,
                            row: rowOf(group, res, expectation?.scope === "namespace" ? ns : undefined),
                            expected: true,
                            why: "declared",
                        });
                    }
                }
            }
        }
    }
    const rules = expectation?.rules ?? [];
    for (const s of SENSITIVE) {
        const places = s.namespaced ? [namespace, ""] : [""];
        for (const ns of places) {
            // A namespaced grant covers the account's namespace only; a cluster grant covers both.
            const declared =
                declares(rules, s.verb, { group: s.group, resource: s.resource }) &&
                (expectation?.scope === "cluster" ||
                    (ns !== "" && (expectation?.roleNamespaces ?? []).includes(ns)));
            add({
                verb: s.verb,
                group: s.group,
                ...splitResource(s.resource),
                namespace: ns,
                row: rowOf(s.group, s.resource, s.namespaced ? ns : undefined),
                expected: declared,
                why: declared ? "declared" : "sensitive",
            });
        }
    }
    return checks;
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

/** What every authenticated identity may do anyway (system:basic-user, system:discovery and friends). */
const BASELINE_RESOURCES = new Set([
    "create selfsubjectaccessreviews.authorization.k8s.io",
    "create selfsubjectrulesreviews.authorization.k8s.io",
    "create selfsubjectreviews.authentication.k8s.io",
]);
const BASELINE_URLS = [
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

/** What SelfSubjectRulesReview says the account can do in a namespace beyond what was declared. */
export function beyondDeclared(
    review: ReviewedRules,
    expectation: Expectation | undefined,
    namespace: string,
): string[] {
    const rules = expectation?.rules ?? [];
    const inScope =
        expectation?.scope === "cluster" || (expectation?.roleNamespaces ?? []).includes(namespace);
    const extra = new Set<string>();
    for (const r of review.resourceRules) {
        for (const verb of r.verbs) {
            for (const group of r.apiGroups ?? [""]) {
                for (const resource of r.resources ?? []) {
                    const label = `${verb} ${resource}${group ? `.${group}` : ""}`;
                    const named = (r.resourceNames ?? []).length > 0;
                    const covered = inScope && declares(rules, verb, { group, resource }, named);
                    if (!covered && !BASELINE_RESOURCES.has(label)) {
                        extra.add(
                            `${label}${named ? ` (names: ${(r.resourceNames ?? []).join(", ")})` : ""}`,
                        );
                    }
                }
            }
        }
    }
    for (const r of review.nonResourceRules) {
        for (const verb of r.verbs) {
            for (const path of r.nonResourceURLs ?? []) {
                if (!BASELINE_URLS.includes(path) && !declares(rules, verb, { path })) {
                    extra.add(`${verb} ${path}`);
                }
            }
        }
    }
    return [...extra].sort();
}
