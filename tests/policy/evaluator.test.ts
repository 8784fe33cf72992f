// The RBAC evaluator against a table of cases drawn from Kubernetes' own semantics (level 1, pure
// functions): evaluation_helpers.go and rbac.go for matching, policy_comparator.go for covering, the
// ClusterRole aggregation controller, and requestinfo.go for scopes. The differential test
// (tests/e2e/rbacDifferential.e2e.test.ts) asks a real API server the same kind of question.
import * as assert from "assert";
import { ClusterRoleInput, effectiveClusterRoleRules, selectorMatches } from "../../rbac/aggregation";
import { isKnown, UNKNOWN } from "../../rbac/maybe";
import {
    authorize,
    covers,
    formatPermission,
    Grant,
    parsePermission,
    permissionsOf,
    PolicyRule,
    Request,
    ResourceRequest,
    ruleAllows,
    ruleAllowsSomeName,
    uncovered,
    wildcardsIn,
} from "../../rbac/evaluator";
import { inNamespace, isClusterScoped, requestFor } from "../../rbac/scope";

const r = (
    verbs: string[],
    apiGroups: string[],
    resources: string[],
    resourceNames?: string[],
): PolicyRule => ({
    verbs,
    apiGroups,
    resources,
    ...(resourceNames ? { resourceNames } : {}),
});
const url = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, nonResourceURLs });
const req = (
    verb: string,
    group: string,
    resource: string,
    more: { name?: string; namespace?: string } = {},
): ResourceRequest => {
    const [res, sub] = resource.split("/");
    return { verb, group, resource: res, ...(sub ? { subresource: sub } : {}), ...more };
};

// [title, rule, request, allowed]
const RULE_CASES: [string, PolicyRule, Request, boolean][] = [
    ["the verb itself", r(["get"], [""], ["pods"]), req("get", "", "pods"), true],
    ["another verb", r(["get"], [""], ["pods"]), req("list", "", "pods"), false],
    ["verbs are case-sensitive", r(["Get"], [""], ["pods"]), req("get", "", "pods"), false],
    [
        "* is every verb, escalate included",
        r(["*"], ["rbac.authorization.k8s.io"], ["clusterroles"]),
        req("escalate", "rbac.authorization.k8s.io", "clusterroles"),
        true,
    ],
    ["* is every verb, impersonate included", r(["*"], [""], ["*"]), req("impersonate", "", "users"), true],
    ["another group", r(["get"], [""], ["pods"]), req("get", "apps", "pods"), false],
    ['"core" is not the core group', r(["get"], ["core"], ["pods"]), req("get", "", "pods"), false],
    ["* is every group", r(["get"], ["*"], ["deployments"]), req("get", "apps", "deployments"), true],
    ["* is every resource", r(["get"], [""], ["*"]), req("get", "", "secrets"), true],
    ["* is every subresource too", r(["create"], [""], ["*"]), req("create", "", "pods/exec"), true],
    ["* in the core group is nodes/proxy", r(["get"], [""], ["*"]), req("get", "", "nodes/proxy"), true],
    [
        "a resource is not its subresources",
        r(["create"], [""], ["pods"]),
        req("create", "", "pods/exec"),
        false,
    ],
    ["a subresource is not its resource", r(["get"], [""], ["pods/log"]), req("get", "", "pods"), false],
    [
        "resource/subresource exactly",
        r(["create"], [""], ["pods/exec"]),
        req("create", "", "pods/exec"),
        true,
    ],
    [
        "*/subresource is that subresource of every resource",
        r(["create"], [""], ["*/exec"]),
        req("create", "", "pods/exec"),
        true,
    ],
    ["*/subresource of another resource", r(["get"], [""], ["*/proxy"]), req("get", "", "nodes/proxy"), true],
    ["*/subresource is not the resource", r(["get"], [""], ["*/exec"]), req("get", "", "pods"), false],
    [
        "*/subresource is not another subresource",
        r(["get"], [""], ["*/exec"]),
        req("get", "", "pods/attach"),
        false,
    ],
    ["resource/* is no wildcard", r(["create"], [""], ["pods/*"]), req("create", "", "pods/exec"), false],
    ["*/* is no wildcard", r(["create"], [""], ["*/*"]), req("create", "", "pods/exec"), false],
    ["a listed name", r(["get"], [""], ["secrets"], ["a"]), req("get", "", "secrets", { name: "a" }), true],
    ["another name", r(["get"], [""], ["secrets"], ["a"]), req("get", "", "secrets", { name: "b" }), false],
    ["names do not allow list", r(["list"], [""], ["secrets"], ["a"]), req("list", "", "secrets"), false],
    ["no names is every name", r(["get"], [""], ["secrets"]), req("get", "", "secrets", { name: "x" }), true],
    ["a URL exactly", url(["get"], ["/metrics"]), { verb: "get", path: "/metrics" }, true],
    ["a URL is not a prefix", url(["get"], ["/metrics"]), { verb: "get", path: "/metrics/cadvisor" }, false],
    ["a trailing * is a prefix", url(["get"], ["/api/*"]), { verb: "get", path: "/api/v1/pods" }, true],
    ["the prefix keeps its slash", url(["get"], ["/api/*"]), { verb: "get", path: "/api" }, false],
    [
        "a prefix need not end at a slash",
        url(["get"], ["/healthz*"]),
        { verb: "get", path: "/healthzz" },
        true,
    ],
    ["several trailing * are one", url(["get"], ["/logs**"]), { verb: "get", path: "/logs/x" }, true],
    ["* is every URL", url(["get"], ["*"]), { verb: "get", path: "/anything" }, true],
    ["a * inside a URL is literal", url(["get"], ["/a/*/b"]), { verb: "get", path: "/a/x/b" }, false],
    ["URL verbs match too", url(["get"], ["/metrics"]), { verb: "post", path: "/metrics" }, false],
    ["a resource rule allows no URL", r(["*"], ["*"], ["*"]), { verb: "get", path: "/metrics" }, false],
    ["a URL rule allows no resource", url(["*"], ["*"]), req("get", "", "pods"), false],
];

describe("RBAC evaluator: a table of Kubernetes' semantics", () => {
    describe("one rule, one request (RuleAllows)", () => {
        for (const [title, rule, request, allowed] of RULE_CASES) {
            it(`${allowed ? "allows" : "denies"}: ${title}`, () =>
                assert.strictEqual(ruleAllows(rule, request), allowed));
        }
        it("a rule limited by names still grants something", () => {
            assert.ok(ruleAllowsSomeName(r(["get"], [""], ["secrets"], ["a"]), req("get", "", "secrets")));
            assert.ok(!ruleAllowsSomeName(r(["get"], [""], ["secrets"], ["a"]), req("list", "", "secrets")));
        });
    });

    describe("bindings and scopes", () => {
        const rules = [
            r(
                ["get", "list"],
                ["", "rbac.authorization.k8s.io"],
                ["pods", "nodes", "namespaces", "clusterroles"],
            ),
        ];
        const role: Grant = { scope: { kind: "namespace", namespace: "apps" }, rules };
        const cluster: Grant = { scope: { kind: "cluster" }, rules: [...rules, url(["get"], ["/metrics"])] };
        const ask = (g: Grant[], verb: string, group: string, resource: string, ns: string, name?: string) =>
            authorize(g, requestFor({ verb, group, resource, ...(name ? { name } : {}) }, ns));

        it("a RoleBinding's rules apply in its namespace only", () => {
            assert.ok(ask([role], "list", "", "pods", "apps"));
            assert.ok(!ask([role], "list", "", "pods", "other"));
            assert.ok(!ask([role], "list", "", "pods", ""));
        });
        it("a Role grants no cluster-scoped resource: the request carries no namespace", () => {
            assert.deepStrictEqual(
                requestFor({ verb: "get", group: "", resource: "nodes" }, "apps").namespace,
                "",
            );
            assert.ok(!ask([role], "get", "", "nodes", "apps"));
            assert.ok(!ask([role], "get", "rbac.authorization.k8s.io", "clusterroles", "apps"));
            assert.ok(ask([cluster], "get", "", "nodes", "apps"));
        });
        it("a Role grants its own Namespace object by name, and no list of Namespaces", () => {
            assert.ok(ask([role], "get", "", "namespaces", "", "apps"));
            assert.ok(!ask([role], "get", "", "namespaces", "", "other"));
            assert.ok(!ask([role], "list", "", "namespaces", "apps"));
        });
        it("a RoleBinding grants no URL; a ClusterRoleBinding does", () => {
            const roleWithUrl: Grant = { ...role, rules: [url(["get"], ["/metrics"])] };
            assert.ok(!authorize([roleWithUrl], { verb: "get", path: "/metrics" }));
            assert.ok(authorize([cluster], { verb: "get", path: "/metrics" }));
        });
        it("knows cluster-scoped resources, subresources included", () => {
            assert.ok(isClusterScoped("", "nodes/proxy"));
            assert.ok(isClusterScoped("rbac.authorization.k8s.io", "clusterroles"));
            assert.ok(!isClusterScoped("", "pods"));
            assert.ok(!isClusterScoped("", "constructor"));
            assert.ok(!isClusterScoped("constructor", "x"));
        });
        it("a Role's permission in a namespace: dropped, kept, or narrowed to the Namespace's own name", () => {
            assert.strictEqual(inNamespace({ verb: "get", group: "", resource: "nodes" }, "apps"), undefined);
            assert.strictEqual(inNamespace({ verb: "get", url: "/metrics" }, "apps"), undefined);
            assert.deepStrictEqual(inNamespace({ verb: "get", group: "", resource: "pods" }, "apps"), {
                verb: "get",
                group: "",
                resource: "pods",
            });
            assert.deepStrictEqual(inNamespace({ verb: "get", group: "", resource: "namespaces" }, "apps"), {
                verb: "get",
                group: "",
                resource: "namespaces",
                names: ["apps"],
            });
            assert.strictEqual(
                inNamespace({ verb: "list", group: "", resource: "namespaces" }, "apps"),
                undefined,
            );
            assert.ok(inNamespace({ verb: "get", group: "*", resource: "nodes" }, "apps"));
        });
    });

    describe("what rules grant, and what covers it (policy_comparator)", () => {
        it("breaks a rule down into one verb, group and resource each, names together", () => {
            assert.deepStrictEqual(
                permissionsOf(r(["get", "list"], ["", "apps"], ["x"], ["n"])).map(formatPermission),
                ["get x (names: n)", "list x (names: n)", "get x.apps (names: n)", "list x.apps (names: n)"],
            );
            assert.deepStrictEqual(
                permissionsOf(url(["get"], ["/metrics", "/healthz"])).map(formatPermission),
                ["get /metrics", "get /healthz"],
            );
        });
        const cases: [string, string[], PolicyRule, boolean][] = [
            ["the same", ["get pods"], r(["get"], [""], ["pods"]), true],
            ["a group's every resource", ["list *.apps"], r(["list"], ["apps"], ["deployments"]), true],
            ["not another group", ["list deployments"], r(["list"], ["apps"], ["deployments"]), false],
            ["names under a rule without names", ["get secrets"], r(["get"], [""], ["secrets"], ["a"]), true],
            ["a * verb only by a * verb", ["get pods", "list pods"], r(["*"], [""], ["pods"]), false],
            ["a * resource only by a * resource", ["get pods"], r(["get"], [""], ["*"]), false],
            ["*/exec by *", ["create *."], r(["create"], [""], ["*/exec"]), true],
            ["not */exec by pods/exec", ["create pods/exec"], r(["create"], [""], ["*/exec"]), false],
            ["pods/exec by */exec", ["create */exec"], r(["create"], [""], ["pods/exec"]), true],
            ["a URL by a prefix", ["get /metrics*"], url(["get"], ["/metrics/cadvisor"]), true],
            ["a prefix only by a wider prefix", ["get /metrics"], url(["get"], ["/metrics*"]), false],
            ["a URL by get *", ["get *"], url(["get"], ["/metrics"]), true],
            ["another verb", ["get *"], r(["delete"], [""], ["pods"]), false],
        ];
        for (const [title, allow, rule, covered] of cases) {
            it(`${covered ? "covers" : "does not cover"}: ${title}`, () => {
                const owner = allow.flatMap((a) => parsePermission(a) ?? []);
                assert.strictEqual(uncovered(owner, [rule]).length === 0, covered);
            });
        }
        it("covers named permissions name by name", () => {
            const owner = [r(["get"], [""], ["secrets"], ["a", "b"])];
            assert.ok(covers(owner, { verb: "get", group: "", resource: "secrets", names: ["a", "b"] }));
            assert.ok(!covers(owner, { verb: "get", group: "", resource: "secrets", names: ["a", "c"] }));
            assert.ok(!covers(owner, { verb: "get", group: "", resource: "secrets" }));
        });
        it("reads kubectl's words, and refuses other text", () => {
            assert.deepStrictEqual(parsePermission("get pods.metrics.k8s.io"), [
                r(["get"], ["metrics.k8s.io"], ["pods"]),
            ]);
            assert.strictEqual(parsePermission("get"), undefined);
            assert.strictEqual(parsePermission("get pods now"), undefined);
        });
        it("finds wildcards, */subresource included", () => {
            assert.deepStrictEqual(wildcardsIn(r(["get"], [""], ["*/exec", "pods"])), [
                { field: "resources", values: ["*/exec"] },
            ]);
            assert.deepStrictEqual(
                wildcardsIn(url(["*"], ["*"])).map((w) => w.field),
                ["verbs", "nonResourceURLs"],
            );
            assert.deepStrictEqual(wildcardsIn(url(["get"], ["/api/*"])), []);
        });
    });

    describe("ClusterRole aggregation", () => {
        const a = r(["get"], [""], ["pods"]);
        const b = r(["list"], ["apps"], ["deployments"]);
        const roles = (extra: ClusterRoleInput[] = []): ClusterRoleInput[] => [
            { name: "a", labels: { agg: "yes", tier: "1" }, rules: [a] },
            { name: "b", labels: { agg: "yes" }, rules: [b, a] },
            { name: "c", labels: { other: "x" }, rules: [r(["delete"], [""], ["pods"])] },
            ...extra,
        ];
        const union = (selectors: unknown, extra: ClusterRoleInput[] = []) =>
            effectiveClusterRoleRules([
                ...roles(extra),
                {
                    name: "agg",
                    labels: { agg: "yes" },
                    rules: [url(["get"], ["/own"])],
                    selectors: selectors as never,
                },
            ]).get("agg");

        it("is the union of the matching roles, its own rules replaced and itself skipped", () => {
            assert.deepStrictEqual(union([{ matchLabels: { agg: "yes" } }]), [a, b]);
        });
        it("ORs selectors and ANDs requirements", () => {
            assert.deepStrictEqual(union([{ matchLabels: { agg: "yes", tier: "1" } }]), [a]);
            assert.deepStrictEqual(union([{ matchLabels: { tier: "1" } }, { matchLabels: { other: "x" } }]), [
                a,
                r(["delete"], [""], ["pods"]),
            ]);
        });
        it("follows In, NotIn, Exists and DoesNotExist", () => {
            const m = (operator: string, values?: string[]) =>
                selectorMatches({ matchExpressions: [{ key: "k", operator, values }] }, { k: "v" });
            const none = (operator: string, values?: string[]) =>
                selectorMatches({ matchExpressions: [{ key: "k", operator, values }] }, {});
            assert.deepStrictEqual([m("In", ["v"]), m("In", ["w"]), none("In", ["v"])], [true, false, false]);
            assert.deepStrictEqual(
                [m("NotIn", ["v"]), m("NotIn", ["w"]), none("NotIn", ["v"])],
                [false, true, true],
            );
            assert.deepStrictEqual(
                [m("Exists"), none("Exists"), m("DoesNotExist"), none("DoesNotExist")],
                [true, false, false, true],
            );
            assert.strictEqual(m("In", []), undefined);
            assert.strictEqual(m("Exists", ["v"]), undefined);
            assert.strictEqual(m("Has"), undefined);
        });
        it("an empty selector matches every role; matching none leaves the role's own rules", () => {
            assert.strictEqual((union([{}]) as PolicyRule[]).length, 3);
            // The controller's server-side apply of an empty list writes nothing: the role keeps its rules.
            assert.deepStrictEqual(union([{ matchLabels: { nope: "1" } }]), [url(["get"], ["/own"])]);
        });
        it("is transitive through another aggregated role", () => {
            const got = union(
                [{ matchLabels: { mid: "1" } }],
                [
                    {
                        name: "mid",
                        labels: { mid: "1" },
                        rules: [],
                        selectors: [{ matchLabels: { other: "x" } }],
                    },
                ],
            );
            assert.deepStrictEqual(got, [r(["delete"], [""], ["pods"])]);
        });
        it("is unknown when a selector, a candidate's labels or a matched role's rules are, or roles form a cycle", () => {
            assert.strictEqual(union(UNKNOWN), UNKNOWN);
            assert.strictEqual(union([UNKNOWN]), UNKNOWN);
            assert.strictEqual(
                union([{ matchExpressions: [{ key: "k", operator: "In", values: [] }] }]),
                UNKNOWN,
            );
            assert.strictEqual(
                union([{ matchLabels: { agg: "yes" } }], [{ name: "d", labels: UNKNOWN, rules: [] }]),
                UNKNOWN,
            );
            assert.strictEqual(
                union(
                    [{ matchLabels: { agg: "yes" } }],
                    [{ name: "d", labels: { agg: "yes" }, rules: UNKNOWN }],
                ),
                UNKNOWN,
            );
            const cycle = effectiveClusterRoleRules([
                { name: "x", labels: { x: "1" }, rules: [], selectors: [{ matchLabels: { y: "1" } }] },
                { name: "y", labels: { y: "1" }, rules: [], selectors: [{ matchLabels: { x: "1" } }] },
            ]);
            assert.ok(!isKnown(cycle.get("x")!));
        });
    });
});
