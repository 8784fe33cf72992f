// service-account-effective-permissions through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { serviceAccountEffectivePermissions as policy } from "../../policy/policies/service-account-effective-permissions";
import { allowedBy } from "../../policy/lib/rules";
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
            /refers to ClusterRole "reader", which this stack does not define, so the allow-list cannot be checked/,
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

    it("matches allow-list entries as kubectl auth can-i words", () => {
        assert.ok(allowedBy("get pods", ["get pods"]));
        assert.ok(allowedBy("list deployments.apps", ["list *.apps"]));
        assert.ok(allowedBy("get /metrics", ["get /metrics*"]));
        assert.ok(allowedBy("get secrets (names: a)", ["get secrets"]));
        assert.ok(!allowedBy("list deployments.apps", ["list deployments"]));
        assert.ok(!allowedBy("delete pods", ["get *"]));
    });
});
