// no-cluster-admin-binding through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noClusterAdminBinding } from "../../policy/policies/no-cluster-admin-binding";
import { clusterRoleBinding, RBAC, roleBinding, UNKNOWN, violations } from "./harness";

const CRB = `${RBAC}/v1:ClusterRoleBinding`;
const RB = `${RBAC}/v1:RoleBinding`;

describe("policy no-cluster-admin-binding", () => {
    it("is advisory by default", () =>
        assert.strictEqual(noClusterAdminBinding.enforcementLevel, "advisory"));
    it("passes a binding to a dedicated role, and admin bound in one namespace", async () => {
        assert.deepStrictEqual(
            await violations(noClusterAdminBinding, { type: CRB, props: clusterRoleBinding() }),
            [],
        );
        const admin = roleBinding({
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "admin" },
        });
        assert.deepStrictEqual(await violations(noClusterAdminBinding, { type: RB, props: admin }), []);
    });
    it("reports cluster-admin in any binding", async () => {
        const ref = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" };
        const crb = await violations(noClusterAdminBinding, {
            type: CRB,
            props: clusterRoleBinding({ roleRef: ref }),
        });
        assert.match(
            crb[0],
            /ClusterRoleBinding "reader" binds ClusterRole "cluster-admin", which allows every action on every resource in the cluster/,
        );
        const rb = await violations(noClusterAdminBinding, {
            type: RB,
            props: roleBinding({ roleRef: ref }),
        });
        assert.match(rb[0], /of its namespace/);
    });
    for (const name of ["admin", "edit"]) {
        it(`reports ${name} bound cluster-wide`, async () => {
            const ref = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name };
            const got = await violations(noClusterAdminBinding, {
                type: CRB,
                props: clusterRoleBinding({ roleRef: ref }),
            });
            assert.strictEqual(got.length, 1);
            assert.match(got[0], new RegExp(`binds ClusterRole "${name}" cluster-wide`));
        });
    }
    it("takes its role lists from config", async () => {
        const ref = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" };
        const props = clusterRoleBinding({ roleRef: ref });
        assert.strictEqual(
            (
                await violations(
                    noClusterAdminBinding,
                    { type: CRB, props },
                    { forbiddenClusterWideRoles: ["view"] },
                )
            ).length,
            1,
        );
    });

    it("notes a List item not known during a preview", async () => {
        const got = await violations(noClusterAdminBinding, {
            type: `${RBAC}/v1:ClusterRoleBindingList`,
            props: { items: [clusterRoleBinding(), UNKNOWN] },
        });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /item 1 is not known during this preview, so this advisory did not check it/);
    });
});
