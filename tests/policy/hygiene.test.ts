// The advisory hygiene policies through their functions (level 2, in process, SDK proxy): each with a
// compliant fixture and one changed property per violation.
import * as assert from "assert";
import { presetRules } from "../../components/rbac";
import { noAnonymousOrMastersBinding } from "../../policy/policies/no-anonymous-or-masters-binding";
import { noClusterAdminBinding } from "../../policy/policies/no-cluster-admin-binding";
import { noClusterWideSecretRead } from "../../policy/policies/no-cluster-wide-secret-read";
import { noEscalationVerbs } from "../../policy/policies/no-escalation-verbs";
import { noNodesProxy } from "../../policy/policies/no-nodes-proxy";
import { noPodExecAttach } from "../../policy/policies/no-pod-exec-attach";
import { noWildcardRules } from "../../policy/policies/no-wildcard-rules";
import { clusterRoleBinding, RBAC, role, roleBinding, UNKNOWN, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const R = `${RBAC}/v1:Role`;
const CRB = `${RBAC}/v1:ClusterRoleBinding`;
const RB = `${RBAC}/v1:RoleBinding`;
const read = { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] };

describe("hygiene policies", () => {
    for (const p of [
        noClusterAdminBinding,
        noWildcardRules,
        noEscalationVerbs,
        noClusterWideSecretRead,
        noNodesProxy,
        noPodExecAttach,
        noAnonymousOrMastersBinding,
    ]) {
        it(`${p.name} is advisory by default`, () => assert.strictEqual(p.enforcementLevel, "advisory"));
    }

    describe("no-wildcard-rules", () => {
        it("passes explicit rules", async () => {
            assert.deepStrictEqual(
                await violations(noWildcardRules, { type: CR, props: role("ClusterRole", [read]) }),
                [],
            );
        });
        for (const field of ["verbs", "resources", "apiGroups"]) {
            it(`reports * in ${field}`, async () => {
                const got = await violations(noWildcardRules, {
                    type: R,
                    props: role("Role", [read, { ...read, [field]: ["*"] }]),
                });
                assert.deepStrictEqual(got.length, 1);
                assert.match(
                    got[0],
                    new RegExp(`Role "apps/reader" rule 1 has "\\*" in ${field}\\. A wildcard`),
                );
            });
        }
        it("checks RolePatch and ClusterRoleList in other versions", async () => {
            const wild = { ...read, verbs: ["*"] };
            assert.strictEqual(
                (
                    await violations(noWildcardRules, {
                        type: `${RBAC}/v1beta1:RolePatch`,
                        props: role("Role", [wild]),
                    })
                ).length,
                1,
            );
            const list = { items: [role("ClusterRole", [read]), role("ClusterRole", [wild], "b")] };
            assert.strictEqual(
                (await violations(noWildcardRules, { type: `${RBAC}/v1:ClusterRoleList`, props: list }))
                    .length,
                1,
            );
        });
        it("skips a rule not known during a preview", async () => {
            assert.deepStrictEqual(
                await violations(noWildcardRules, {
                    type: CR,
                    props: role("ClusterRole", [{ ...read, verbs: UNKNOWN }]),
                }),
                [],
            );
            assert.deepStrictEqual(
                await violations(noWildcardRules, {
                    type: CR,
                    props: { metadata: { name: "x" }, rules: UNKNOWN },
                }),
                [],
            );
        });
    });

    describe("no-escalation-verbs", () => {
        it("passes read verbs", async () => {
            assert.deepStrictEqual(
                await violations(noEscalationVerbs, { type: CR, props: role("ClusterRole", [read]) }),
                [],
            );
        });
        for (const verb of ["escalate", "bind", "impersonate"]) {
            it(`reports ${verb}`, async () => {
                const rule = {
                    apiGroups: ["rbac.authorization.k8s.io"],
                    resources: ["clusterroles"],
                    verbs: ["get", verb],
                };
                const got = await violations(noEscalationVerbs, {
                    type: CR,
                    props: role("ClusterRole", [rule]),
                });
                assert.strictEqual(got.length, 1);
                assert.match(got[0], new RegExp(`rule 0 grants ${verb} on clusterroles`));
            });
        }
    });

    describe("no-cluster-wide-secret-read", () => {
        it("passes a ClusterRole without Secrets, and a namespaced Role with them", async () => {
            assert.deepStrictEqual(
                await violations(noClusterWideSecretRead, { type: CR, props: role("ClusterRole", [read]) }),
                [],
            );
            const secrets = { apiGroups: [""], resources: ["secrets"], verbs: ["get"] };
            assert.deepStrictEqual(
                await violations(noClusterWideSecretRead, { type: R, props: role("Role", [secrets]) }),
                [],
            );
        });
        for (const [title, rule] of [
            ["list secrets", { apiGroups: [""], resources: ["secrets"], verbs: ["list"] }],
            ["* on secrets", { apiGroups: [""], resources: ["secrets"], verbs: ["*"] }],
            ["get on every resource", { apiGroups: ["*"], resources: ["*"], verbs: ["get"] }],
        ] as const) {
            it(`reports ${title}`, async () => {
                const got = await violations(noClusterWideSecretRead, {
                    type: CR,
                    props: role("ClusterRole", [rule]),
                });
                assert.strictEqual(got.length, 1);
                assert.match(
                    got[0],
                    /ClusterRole "reader" rule 0 can .* Secrets\. Bound by a ClusterRoleBinding/,
                );
            });
        }
        it("does not report write-only access", async () => {
            const rule = { apiGroups: [""], resources: ["secrets"], verbs: ["create"] };
            assert.deepStrictEqual(
                await violations(noClusterWideSecretRead, { type: CR, props: role("ClusterRole", [rule]) }),
                [],
            );
        });
    });

    describe("no-nodes-proxy and no-pod-exec-attach", () => {
        it("pass nodes/metrics and pods/log", async () => {
            const rule = { apiGroups: [""], resources: ["nodes/metrics", "pods/log"], verbs: ["get"] };
            assert.deepStrictEqual(
                await violations(noNodesProxy, { type: CR, props: role("ClusterRole", [rule]) }),
                [],
            );
            assert.deepStrictEqual(
                await violations(noPodExecAttach, { type: CR, props: role("ClusterRole", [rule]) }),
                [],
            );
        });
        it("report nodes/proxy", async () => {
            const rule = { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] };
            const got = await violations(noNodesProxy, { type: CR, props: role("ClusterRole", [rule]) });
            assert.strictEqual(got.length, 1);
            assert.match(got[0], /grants get on nodes\/proxy\. nodes\/proxy reaches the kubelet API/);
        });
        for (const sub of ["pods/exec", "pods/attach"]) {
            it(`reports ${sub}`, async () => {
                const rule = { apiGroups: [""], resources: [sub], verbs: ["create"] };
                const got = await violations(noPodExecAttach, { type: R, props: role("Role", [rule]) });
                assert.strictEqual(got.length, 1);
                assert.match(got[0], new RegExp(`grants create on ${sub}`));
            });
        }
    });

    describe("no-cluster-admin-binding", () => {
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
    });

    describe("no-anonymous-or-masters-binding", () => {
        it("passes a dedicated account", async () => {
            assert.deepStrictEqual(
                await violations(noAnonymousOrMastersBinding, { type: CRB, props: clusterRoleBinding() }),
                [],
            );
        });
        for (const [kind, name] of [
            ["User", "system:anonymous"],
            ["Group", "system:unauthenticated"],
            ["Group", "system:masters"],
        ]) {
            it(`reports ${name}`, async () => {
                const got = await violations(noAnonymousOrMastersBinding, {
                    type: RB,
                    props: roleBinding({ subjects: [{ kind, name }] }),
                });
                assert.strictEqual(got.length, 1);
                assert.match(got[0], new RegExp(`grants its role to "${name}"`));
            });
        }
    });

    describe("the component's presets", () => {
        const all = [
            noWildcardRules,
            noEscalationVerbs,
            noClusterWideSecretRead,
            noNodesProxy,
            noPodExecAttach,
        ];
        for (const preset of ["read-only", "monitoring"] as const) {
            it(`${preset} passes every rule check`, async () => {
                for (const p of all) {
                    assert.deepStrictEqual(
                        await violations(p, {
                            type: CR,
                            props: role("ClusterRole", presetRules(preset, "cluster")),
                        }),
                        [],
                        p.name,
                    );
                }
            });
        }
        it("full triggers the Secret-read and pod-exec advisories", async () => {
            const props = role("ClusterRole", presetRules("full", "cluster"));
            assert.strictEqual((await violations(noClusterWideSecretRead, { type: CR, props })).length, 1);
            assert.strictEqual((await violations(noPodExecAttach, { type: CR, props })).length, 1);
        });
    });
});
