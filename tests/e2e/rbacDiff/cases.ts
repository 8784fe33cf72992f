// The differential test's cases: seeded random rules, roles, bindings and one request each, the same
// case for the same seed and number on every machine.
import { effectiveClusterRoleRules, LabelSelector } from "../../../rbac/aggregation";
import { isKnown } from "../../../rbac/maybe";
import { authorize, PolicyRule, Request } from "../../../rbac/evaluator";
import { requestFor } from "../../../rbac/scope";
import { VERB_ORDER } from "../../../cli/matrix";
import { KNOWN_VERBS } from "../../../components/rbac";
import { SENSITIVE } from "../../../rbac/sensitive";

export const SEED = Number(process.env.RBAC_DIFF_SEED ?? 20261129);
export const CASES = Number(process.env.RBAC_DIFF_CASES ?? 2000);
export const ONLY = process.env.RBAC_DIFF_ONLY === undefined ? undefined : Number(process.env.RBAC_DIFF_ONLY);
export const BATCH = 200;
export const NS = "rbac-diff";
export const OTHER_NS = "rbac-diff-other";
export const RUN_LABEL = "rbac-diff.test/run";
export const CASE_LABEL = "rbac-diff.test/case";
export const MARKER = "/rbac-diff-own/";
export const QUIET_MS = 2000;
// ---- seeded generation ------------------------------------------------------------------------

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
function rng(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const chance = (r: Rand, p: number) => r() < p;
function some<T>(r: Rand, xs: readonly T[], max: number): T[] {
    const n = 1 + Math.floor(r() * max);
    return [...new Set(Array.from({ length: n }, () => pick(r, xs)))];
}

// Every permission the sensitive table names (sensitive.ts), so cases are drawn from the whole table;
// a `*` subresource (any userextras key) as one key.
const TABLE = SENSITIVE.flatMap((r) => (r.kind === "rules" ? [...r.grants, ...(r.andAlso ?? [])] : []));
const TABLE_RESOURCES = TABLE.map((g) =>
    g.subresource ? `${g.resource}/${g.subresource === "*" ? "scopes" : g.subresource}` : g.resource,
);
// The matrix's verbs, every verb the table and Kubernetes know, then * and a wrongly cased one.
const VERBS = [...new Set([...VERB_ORDER, ...KNOWN_VERBS, ...TABLE.flatMap((g) => g.verbs)]), "Get"];
const GROUPS = [
    ...new Set(["", "apps", "rbac.authorization.k8s.io", "example.com", "*", ...TABLE.map((g) => g.group)]),
];
// Resources and subresources that requests name; rules also use wildcards (and two that are none).
const CONCRETE = [
    ...new Set([
        "pods",
        "pods/exec",
        "pods/log",
        "nodes",
        "nodes/proxy",
        "namespaces",
        "secrets",
        "deployments",
        "deployments/scale",
        "clusterroles",
        "roles",
        "users",
        ...TABLE_RESOURCES,
    ]),
];
const RESOURCES = [...CONCRETE, "*", "*/exec", "*/scale", "*/proxy", "pods/*", "*/*"];
const NAMES = ["a", "b"];
const URL_RULES = ["/metrics", "/metrics*", "/api/*", "/healthz", "*", "/logs/*", "/api"];
const URL_VERBS = ["get", "post", "put", "*"];
const REQ_VERBS = VERBS.filter((v) => v !== "Get");
const REQ_GROUPS = GROUPS.filter((g) => g !== "*");
const REQ_RESOURCES = [...CONCRETE, "pods/attach", "namespaces/status", "services/proxy"];
const PATHS = [
    "/metrics",
    "/metrics/cadvisor",
    "/api",
    "/api/v1",
    "/healthz",
    "/healthzz",
    "/logs/x",
    "/logs",
];

export interface RoleSpec {
    readonly name: string;
    readonly labels: Record<string, string>;
    readonly rules: PolicyRule[];
    readonly selectors?: LabelSelector[];
}

export interface Case {
    readonly index: number;
    readonly id: string;
    readonly binding: "RoleBinding" | "ClusterRoleBinding";
    readonly roleRef: { readonly kind: "Role" | "ClusterRole"; readonly name: string };
    readonly role?: RoleSpec;
    readonly clusterRoles: RoleSpec[];
    readonly request: Request;
}

function resourceRule(r: Rand): PolicyRule {
    return {
        verbs: some(r, VERBS, 3),
        apiGroups: some(r, GROUPS, 2),
        resources: some(r, RESOURCES, 3),
        ...(chance(r, 0.25) ? { resourceNames: some(r, NAMES, 2) } : {}),
    };
}

const rule = (r: Rand, urls: boolean): PolicyRule =>
    urls && chance(r, 0.25)
        ? { verbs: some(r, URL_VERBS, 2), nonResourceURLs: some(r, URL_RULES, 2) }
        : resourceRule(r);

/** A request drawn from the case's rules most of the time (so many are allowed), else at random. */
function request(r: Rand, rules: PolicyRule[]): Request {
    const from = rules.length > 0 && chance(r, 0.7) ? pick(r, rules) : undefined;
    const concrete = (xs: readonly string[] | undefined, pool: readonly string[]) => {
        const x = xs && xs.length > 0 && chance(r, 0.9) ? pick(r, xs) : pick(r, pool);
        return x.includes("*") && chance(r, 0.6) ? pick(r, pool) : x;
    };
    if (from?.nonResourceURLs || (!from && chance(r, 0.15))) {
        const path = concrete(from?.nonResourceURLs, PATHS).replace(/\*+$/, chance(r, 0.5) ? "" : "/x");
        return { verb: concrete(from?.verbs, URL_VERBS), path: path.startsWith("/") ? path : `/${path}` };
    }
    const [resource, subresource] = concrete(from?.resources, REQ_RESOURCES).split("/");
    const target = {
        verb: concrete(from?.verbs, REQ_VERBS),
        group: concrete(from?.apiGroups, REQ_GROUPS),
        resource,
        ...(subresource ? { subresource } : {}),
        name:
            from?.resourceNames && chance(r, 0.7) ? pick(r, from.resourceNames) : pick(r, ["", "", "a", "c"]),
    };
    const namespace = pick(r, [NS, NS, NS, OTHER_NS, ""]);
    // Half as the API server would build the request (scope.ts), half as raw authorizer attributes.
    return chance(r, 0.5) ? requestFor(target, namespace) : { ...target, namespace };
}

function selector(r: Rand, id: string): LabelSelector {
    const expressions = [
        { key: "a", operator: "In", values: ["x"] },
        { key: "a", operator: "In", values: ["x", "y"] },
        { key: "a", operator: "NotIn", values: ["x"] },
        { key: "b", operator: "Exists" },
        { key: "b", operator: "DoesNotExist" },
    ];
    const matchLabels: Record<string, string> = { [CASE_LABEL]: id };
    if (chance(r, 0.4)) {
        // "w" is on no role: such a selector matches nothing.
        matchLabels.a = pick(r, ["x", "y", "w"]);
    }
    return { matchLabels, matchExpressions: chance(r, 0.5) ? some(r, expressions, 2) : [] };
}

/** Case number `index` of the seed's sequence: the same case whatever the batch or CASES. */
export function generate(index: number, run: string): Case {
    const r = rng(SEED ^ Math.imul(index + 1, 0x9e3779b1));
    const id = `${run}-${index}`;
    const name = (suffix: string) => `rbac-diff-${id}-${suffix}`;
    const shape = pick(r, ["role", "role", "cluster", "clusterInNamespace", "aggregated", "aggregated"]);
    const binding =
        shape === "cluster" || (shape === "aggregated" && chance(r, 0.5))
            ? "ClusterRoleBinding"
            : "RoleBinding";
    const rules = (urls: boolean) => Array.from({ length: 1 + Math.floor(r() * 3) }, () => rule(r, urls));
    if (shape === "role") {
        const role = { name: name("role"), labels: {}, rules: rules(false) };
        return {
            index,
            id,
            binding,
            roleRef: { kind: "Role", name: role.name },
            role,
            clusterRoles: [],
            request: request(r, role.rules),
        };
    }
    if (shape !== "aggregated") {
        const cr = { name: name("cr"), labels: {}, rules: rules(true) };
        return {
            index,
            id,
            binding,
            roleRef: { kind: "ClusterRole", name: cr.name },
            clusterRoles: [cr],
            request: request(r, cr.rules),
        };
    }
    const labels = () => ({
        [CASE_LABEL]: id,
        ...(chance(r, 0.6) ? { a: pick(r, ["x", "y"]) } : {}),
        ...(chance(r, 0.5) ? { b: "z" } : {}),
        ...(chance(r, 0.3) ? { nested: "src" } : {}),
    });
    // Its own rules, which the controller replaces by a non-empty union and leaves alone otherwise.
    const ownRules = (who: string): PolicyRule[] =>
        chance(r, 0.5) ? [{ verbs: ["get"], nonResourceURLs: [`${MARKER}${who}`] }] : rules(true);
    const sources: RoleSpec[] = Array.from({ length: 1 + Math.floor(r() * 4) }, (_, k) => ({
        name: name(`src${k}`),
        labels: labels(),
        rules: rules(true),
    }));
    // One level of nesting: an aggregated source that selects only roles labelled nested=src, which the
    // target never is, so roles never select each other in a cycle.
    if (chance(r, 0.3)) {
        sources.push({
            name: name("mid"),
            labels: labels(),
            rules: ownRules(`${id}-mid`),
            selectors: [{ matchLabels: { [CASE_LABEL]: id, nested: "src" } }],
        });
    }
    const target: RoleSpec = {
        name: name("agg"),
        labels: { [CASE_LABEL]: id },
        rules: ownRules(id),
        selectors: Array.from({ length: 1 + Math.floor(r() * 2) }, () => selector(r, id)),
    };
    const all = [...sources, target];
    return {
        index,
        id,
        binding,
        roleRef: { kind: "ClusterRole", name: target.name },
        clusterRoles: all,
        request: request(r, chance(r, 0.4) ? target.rules : all.flatMap((s) => s.rules)),
    };
}

/**
 * resourceNames with every verb Kubernetes knows: a Role limited to the name "a" and the request the API
 * server builds for that verb on "a" (requestFor: create and deletecollection carry no name, list and
 * watch carry it as a client selecting by metadata.name does). Numbered after the seeded cases.
 */
export function namedCases(run: string): Case[] {
    return KNOWN_VERBS.filter((v) => v !== "*").map((verb, i) => {
        const index = CASES + i;
        const id = `${run}-${index}`;
        const role = {
            name: `rbac-diff-${id}-role`,
            labels: {},
            rules: [{ verbs: [verb], apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"] }],
        };
        return {
            index,
            id,
            binding: "RoleBinding",
            roleRef: { kind: "Role", name: role.name },
            role,
            clusterRoles: [],
            request: requestFor({ verb, group: "", resource: "configmaps", name: "a" }, NS),
        };
    });
}

// ---- the evaluator's answer ---------------------------------------------------------------------

export const subjectOf = (c: Case) => `system:serviceaccount:${NS}:sa-${c.id}`;

export function evaluate(c: Case): boolean {
    const rules =
        c.roleRef.kind === "Role"
            ? c.role!.rules
            : effectiveClusterRoleRules(
                  c.clusterRoles.map((cr) => ({
                      name: cr.name,
                      labels: cr.labels,
                      rules: cr.rules,
                      selectors: cr.selectors,
                  })),
              ).get(c.roleRef.name)!;
    if (!isKnown(rules)) {
        throw new Error(
            `case ${c.index}: the evaluator cannot resolve its aggregation; the generator must not make such cases`,
        );
    }
    const scope =
        c.binding === "RoleBinding"
            ? { kind: "namespace" as const, namespace: NS }
            : { kind: "cluster" as const };
    return authorize([{ scope, rules }], c.request);
}
