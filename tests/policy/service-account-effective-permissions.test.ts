// service-account-effective-permissions through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { serviceAccountEffectivePermissions as policy } from "../../policy/policies/service-account-effective-permissions";
import { clusterRoleBinding, RBAC, role, roleBinding, stackViolations, UNKNOWN } from "./harness";

const read = { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] };
const stack = [
    {
        type: `${RBAC}/v1:ClusterRole`,
        props: role("ClusterRole", [read, { nonResourceURLs: ["/metrics"], verbs: ["get"] }]),
    },
    { type: `${RBAC}/v1:ClusterRoleBinding`, props: clusterRoleBinding() },
    {
        type: `${RBAC}/v1:Role`,
        props: role("Role", [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }]),
    },
    { type: `${RBAC}/v1:RoleBinding`, props: roleBinding() },
];
const SA = "system:serviceaccount:apps:api-reader";

describe("policy service-account-effective-permissions", () => {
    it("says nothing by default", async () => {
        assert.deepStrictEqual(await stackViolations(policy, stack), []);
    });

    it("reports what each account is granted, following roleRefs to the stack's roles", async () => {
        const got = await stackViolations(policy, stack, { report: true });
        assert.strictEqual(got.length, 1);
        assert.ok(got[0].startsWith(`${SA} is granted: `), got[0]);
        assert.match(
            got[0],
            /cluster-wide via ClusterRoleBinding "reader": get pods, list pods, get \/metrics/,
        );
        assert.match(got[0], /in namespace apps via RoleBinding "apps\/reader": patch deployments\.apps/);
    });

    it("passes an account within its allow-list", async () => {
        const allowed = { [SA]: ["get pods", "list pods", "get /metrics", "patch deployments.apps"] };
        assert.deepStrictEqual(await stackViolations(policy, stack, { allowedPermissions: allowed }), []);
    });

    it("reports what goes beyond the allow-list", async () => {
        const got = await stackViolations(policy, stack, {
            allowedPermissions: { "*": ["get *", "list pods"] },
        });
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            new RegExp(
                `${SA} is granted more than allowedPermissions allows: patch deployments\\.apps in namespace apps \\(via RoleBinding "apps/reader"\\)`,
            ),
        );
    });

    it("cannot check a binding to a role outside the stack, and says so", async () => {
        const got = await stackViolations(
            policy,
            [{ type: `${RBAC}/v1:ClusterRoleBinding`, props: clusterRoleBinding() }],
            {
                allowedPermissions: { "*": ["get pods"] },
            },
        );
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /refers to ClusterRole "reader", which this stack does not define and Kubernetes does not ship, so the allow-list cannot be checked/,
        );
    });

    it("cannot check rules unknown during a preview, and says so", async () => {
        const unknownRules = [
            { type: `${RBAC}/v1:ClusterRole`, props: role("ClusterRole", [{ ...read, verbs: UNKNOWN }]) },
            stack[1],
        ];
        const got = await stackViolations(policy, unknownRules, {
            allowedPermissions: { "*": ["get pods"] },
        });
        assert.match(got[0], /whose rules are not known during this preview/);
    });

    it("matches allow-list entries as kubectl auth can-i words", async () => {
        const granted = (rules: unknown[]) => [
            { type: `${RBAC}/v1:ClusterRole`, props: role("ClusterRole", rules) },
            { type: `${RBAC}/v1:ClusterRoleBinding`, props: clusterRoleBinding() },
        ];
        const check = async (rule: object, allowed: string[]) =>
            (await stackViolations(policy, granted([rule]), { allowedPermissions: { [SA]: allowed } }))
                .length === 0;
        assert.ok(
            await check({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"] }, [
                "list *.apps",
            ]),
        );
        assert.ok(await check({ nonResourceURLs: ["/metrics"], verbs: ["get"] }, ["get /metrics*"]));
        assert.ok(
            await check({ apiGroups: [""], resources: ["secrets"], resourceNames: ["a"], verbs: ["get"] }, [
                "get secrets",
            ]),
        );
        assert.ok(
            !(await check({ apiGroups: ["apps"], resources: ["deployments"], verbs: ["list"] }, [
                "list deployments",
            ])),
        );
        assert.ok(!(await check({ apiGroups: [""], resources: ["pods"], verbs: ["delete"] }, ["get *"])));
        // A wildcard grant is more than any list of what it covers today.
        assert.ok(
            !(await check({ apiGroups: [""], resources: ["pods"], verbs: ["*"] }, ["get pods", "list pods"])),
        );
        assert.ok(
            !(await check({ apiGroups: [""], resources: ["*/exec"], verbs: ["create"] }, [
                "create pods/exec",
            ])),
        );
    });

    it("reports an allow-list entry it cannot read, naming it", async () => {
        const got = await stackViolations(policy, stack, { allowedPermissions: { [SA]: ["get"] } });
        assert.ok(got[0].startsWith(`allowedPermissions["${SA}"] has "get", which is not`), got[0]);
    });

    it("follows a binding to an aggregated ClusterRole: the union of the matching roles", async () => {
        const agg = {
            ...role("ClusterRole", [], "reader"),
            aggregationRule: {
                clusterRoleSelectors: [{ matchLabels: { "example.com/aggregate-to-reader": "true" } }],
            },
        };
        const part = (name: string, rules: unknown[]) => ({
            type: `${RBAC}/v1:ClusterRole`,
            props: {
                ...role("ClusterRole", rules, name),
                metadata: { name, labels: { "example.com/aggregate-to-reader": "true" } },
            },
        });
        const resources = [
            { type: `${RBAC}/v1:ClusterRole`, props: agg },
            part("a", [read]),
            part("b", [{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }]),
            stack[1],
        ];
        const got = await stackViolations(policy, resources, {
            allowedPermissions: { "*": ["get pods", "list pods"] },
        });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /granted more than allowedPermissions allows: list secrets cluster-wide/);
        const unknown = [
            {
                type: `${RBAC}/v1:ClusterRole`,
                props: { ...agg, aggregationRule: { clusterRoleSelectors: [UNKNOWN] } },
            },
            stack[1],
        ];
        const got2 = await stackViolations(policy, unknown, { allowedPermissions: { "*": ["get pods"] } });
        assert.match(
            got2[0],
            /aggregated ClusterRole "reader", whose selectors or selected roles cannot be resolved/,
        );
    });

    it("counts a Role's cluster-scoped resources as granting nothing in its namespace", async () => {
        const resources = [
            {
                type: `${RBAC}/v1:Role`,
                props: role("Role", [
                    { apiGroups: [""], resources: ["nodes", "pods", "persistentvolumes"], verbs: ["get"] },
                ]),
            },
            { type: `${RBAC}/v1:RoleBinding`, props: roleBinding() },
        ];
        assert.deepStrictEqual(
            await stackViolations(policy, resources, { allowedPermissions: { [SA]: ["get pods"] } }),
            [],
        );
        const report = await stackViolations(policy, resources, { report: true });
        assert.match(
            report[0],
            /in namespace apps via RoleBinding "apps\/reader": get pods \(without effect in a namespace: get nodes, get persistentvolumes\)/,
        );
    });

    it("fails a subject not known during a preview against any allow-list", async () => {
        const resources = [
            stack[0],
            { type: `${RBAC}/v1:ClusterRoleBinding`, props: clusterRoleBinding({ subjects: [UNKNOWN] }) },
        ];
        const got = await stackViolations(policy, resources, { allowedPermissions: { [SA]: ["get pods"] } });
        assert.match(
            got[0],
            /^\(a subject not known during this preview\) is granted more than allowedPermissions allows/,
        );
    });
    it("fails a List item not known during a preview against any allow-list", async () => {
        const resources = [
            stack[0],
            { type: `${RBAC}/v1:ClusterRoleBindingList`, props: { items: [clusterRoleBinding(), UNKNOWN] } },
        ];
        const got = await stackViolations(policy, resources, {
            allowedPermissions: { [SA]: ["get pods", "list pods", "get /metrics"] },
        });
        assert.deepStrictEqual(got.length, 1);
        assert.match(
            got[0],
            /^\(a subject not known during this preview\): kubernetes:.*ClusterRoleBindingList "fixture" holds a binding not known during this preview, so the allow-list cannot be checked/,
        );
    });

    it("reads resourceNames as Kubernetes does: create with names is never allowed, so never excess", async () => {
        const named = [
            {
                type: `${RBAC}/v1:ClusterRole`,
                props: role("ClusterRole", [
                    {
                        apiGroups: [""],
                        resources: ["configmaps"],
                        resourceNames: ["app-config"],
                        verbs: ["get", "create", "deletecollection"],
                    },
                ]),
            },
            stack[1],
        ];
        const report = await stackViolations(policy, named, { report: true });
        assert.match(
            report[0],
            /via ClusterRoleBinding "reader": get configmaps \(names: app-config\) \(never allowed, as no such request carries a name: create configmaps \(names: app-config\), deletecollection configmaps \(names: app-config\)\)/,
        );
        assert.deepStrictEqual(
            await stackViolations(policy, named, { allowedPermissions: { [SA]: ["get configmaps"] } }),
            [],
        );
    });

    it("counts create of a subresource by name as granted: the request names its object", async () => {
        const named = [
            {
                type: `${RBAC}/v1:ClusterRole`,
                props: role("ClusterRole", [
                    {
                        apiGroups: [""],
                        resources: ["serviceaccounts/token"],
                        resourceNames: ["reporter"],
                        verbs: ["create"],
                    },
                ]),
            },
            stack[1],
        ];
        const report = await stackViolations(policy, named, { report: true });
        assert.match(
            report[0],
            /via ClusterRoleBinding "reader": create serviceaccounts\/token \(names: reporter\)$/m,
        );
        const excess = await stackViolations(policy, named, { allowedPermissions: { [SA]: ["get pods"] } });
        assert.strictEqual(excess.length, 1);
        assert.match(excess[0], /more than allowedPermissions allows: .*create serviceaccounts\/token/);
    });

    describe("Kubernetes' default ClusterRoles (generated from the pinned release)", () => {
        const bindView = (name = "view") =>
            roleBinding({ roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name } });

        it("judges a RoleBinding to view by view's real rules, in the binding's namespace", async () => {
            const got = await stackViolations(
                policy,
                [{ type: `${RBAC}/v1:RoleBinding`, props: bindView() }],
                {
                    allowedPermissions: { [SA]: ["get *", "list *", "watch *"] },
                },
            );
            assert.deepStrictEqual(got, []);
            const narrow = await stackViolations(
                policy,
                [{ type: `${RBAC}/v1:RoleBinding`, props: bindView() }],
                { allowedPermissions: { [SA]: ["get pods"] } },
            );
            assert.strictEqual(narrow.length, 1);
            assert.match(narrow[0], /list pods in namespace apps \(via RoleBinding "apps\/reader"\)/);
            assert.match(narrow[0], /watch deployments\.apps in namespace apps/);
            assert.doesNotMatch(narrow[0], /secrets/);
        });

        it("adds a stack ClusterRole labelled aggregate-to-view to view, as the controller would", async () => {
            const extra = {
                ...role(
                    "ClusterRole",
                    [{ apiGroups: [""], resources: ["secrets"], verbs: ["get"] }],
                    "extra",
                ),
                metadata: {
                    name: "extra",
                    labels: { "rbac.authorization.k8s.io/aggregate-to-view": "true" },
                },
            };
            const binding = { type: `${RBAC}/v1:RoleBinding`, props: bindView() };
            const alone = await stackViolations(policy, [binding], { report: true });
            assert.doesNotMatch(alone[0], /secrets/);
            assert.match(alone[0], /get pods/);
            const got = await stackViolations(
                policy,
                [{ type: `${RBAC}/v1:ClusterRole`, props: extra }, binding],
                { report: true },
            );
            assert.match(got[0], /in namespace apps via RoleBinding "apps\/reader": .*get secrets/);
        });

        it("keeps a role Kubernetes does not ship fail-closed", async () => {
            const got = await stackViolations(
                policy,
                [{ type: `${RBAC}/v1:RoleBinding`, props: bindView("viewer") }],
                { allowedPermissions: { [SA]: ["get pods"] } },
            );
            assert.match(
                got[0],
                /refers to ClusterRole "viewer", which this stack does not define and Kubernetes does not ship/,
            );
        });
    });
});
