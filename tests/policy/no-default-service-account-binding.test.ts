// no-default-service-account-binding through its function (level 2, in process, SDK proxy): a compliant
// fixture, then one changed property per violation case, in every RBAC version and variant.
import * as assert from "assert";
import { noDefaultServiceAccountBinding as policy } from "../../policy/policies/no-default-service-account-binding";
import { clusterRoleBinding, RBAC, roleBinding, UNKNOWN, violations } from "./harness";

const RB = `${RBAC}/v1:RoleBinding`;
const CRB = `${RBAC}/v1:ClusterRoleBinding`;

describe("policy no-default-service-account-binding", () => {
    it("is mandatory by default", () => {
        assert.strictEqual(policy.enforcementLevel, "mandatory");
    });

    it("passes a binding to a dedicated ServiceAccount", async () => {
        assert.deepStrictEqual(await violations(policy, { type: RB, props: roleBinding() }), []);
        assert.deepStrictEqual(await violations(policy, { type: CRB, props: clusterRoleBinding() }), []);
    });

    it("ignores resources that are not bindings", async () => {
        const props = {
            metadata: { name: "default" },
            subjects: [{ kind: "ServiceAccount", name: "default" }],
        };
        assert.deepStrictEqual(
            await violations(policy, { type: "kubernetes:core/v1:ServiceAccount", props }),
            [],
        );
        assert.deepStrictEqual(await violations(policy, { type: `${RBAC}/v1:Role`, props }), []);
    });

    const cases: [string, string, Record<string, unknown>, RegExp][] = [
        [
            "a ServiceAccount subject named default",
            CRB,
            clusterRoleBinding({
                subjects: [{ kind: "ServiceAccount", name: "default", namespace: "apps" }],
            }),
            /ClusterRoleBinding "reader" grants ClusterRole "reader" to ServiceAccount "default" in namespace "apps" \(subject 0\)\. Every pod .* Create a dedicated ServiceAccount/,
        ],
        [
            "a RoleBinding subject default without a namespace (the binding's own)",
            RB,
            roleBinding({ subjects: [{ kind: "ServiceAccount", name: "default" }] }),
            /RoleBinding "apps\/reader" grants Role "reader" to ServiceAccount "default" in namespace "apps"/,
        ],
        [
            "a User system:serviceaccount:<ns>:default",
            RB,
            roleBinding({ subjects: [{ kind: "User", name: "system:serviceaccount:apps:default" }] }),
            /to User "system:serviceaccount:apps:default"/,
        ],
        [
            "the group of all service accounts",
            CRB,
            clusterRoleBinding({ subjects: [{ kind: "Group", name: "system:serviceaccounts" }] }),
            /to Group "system:serviceaccounts"/,
        ],
        [
            "the group of a namespace's service accounts",
            RB,
            roleBinding({ subjects: [{ kind: "Group", name: "system:serviceaccounts:apps" }] }),
            /to Group "system:serviceaccounts:apps"/,
        ],
        [
            "the group of everyone authenticated",
            CRB,
            clusterRoleBinding({ subjects: [{ kind: "Group", name: "system:authenticated" }] }),
            /to Group "system:authenticated"/,
        ],
        [
            "a default subject second in the list",
            RB,
            roleBinding({
                subjects: [
                    { kind: "ServiceAccount", name: "api-reader", namespace: "apps" },
                    { kind: "ServiceAccount", name: "default", namespace: "other" },
                ],
            }),
            /ServiceAccount "default" in namespace "other" \(subject 1\)/,
        ],
    ];
    for (const [title, type, props, expected] of cases) {
        it(`reports ${title}`, async () => {
            const got = await violations(policy, { type, props });
            assert.strictEqual(got.length, 1, got.join("\n"));
            assert.match(got[0], expected);
        });
    }

    for (const version of ["v1", "v1beta1", "v1alpha1"]) {
        for (const kind of [
            "RoleBinding",
            "ClusterRoleBinding",
            "RoleBindingPatch",
            "ClusterRoleBindingPatch",
        ]) {
            it(`checks ${version}:${kind}`, async () => {
                const props = roleBinding({
                    subjects: [{ kind: "ServiceAccount", name: "default", namespace: "apps" }],
                });
                const got = await violations(policy, { type: `${RBAC}/${version}:${kind}`, props });
                assert.strictEqual(got.length, 1);
            });
        }
    }

    it("checks every item of a RoleBindingList", async () => {
        const items = [
            roleBinding(),
            roleBinding({ subjects: [{ kind: "ServiceAccount", name: "default" }] }),
        ];
        const got = await violations(policy, { type: `${RBAC}/v1:RoleBindingList`, props: { items } });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /ServiceAccount "default" in namespace "apps"/);
    });

    describe("during a preview (fails closed)", () => {
        it("reports a subject whose name is unknown", async () => {
            const got = await violations(policy, {
                type: RB,
                props: roleBinding({
                    subjects: [{ kind: "ServiceAccount", name: UNKNOWN, namespace: "apps" }],
                }),
            });
            assert.strictEqual(got.length, 1);
            assert.match(
                got[0],
                /subject 0 \(ServiceAccount \(unknown name\)\), whose name is not known during this preview, so it cannot be proven not to be a default ServiceAccount/,
            );
        });

        it("reports a subject whose kind is unknown", async () => {
            const got = await violations(policy, {
                type: RB,
                props: roleBinding({ subjects: [{ kind: UNKNOWN, name: "api-reader" }] }),
            });
            assert.strictEqual(got.length, 1);
            assert.match(got[0], /whose kind is not known/);
        });

        it("reports subjects that are unknown as a whole", async () => {
            const got = await violations(policy, { type: RB, props: roleBinding({ subjects: UNKNOWN }) });
            assert.strictEqual(got.length, 1);
            assert.match(got[0], /subjects that are not known during this preview/);
        });

        it("reports a List whose items are unknown", async () => {
            const got = await violations(policy, {
                type: `${RBAC}/v1:ClusterRoleBindingList`,
                props: { items: UNKNOWN },
            });
            assert.strictEqual(got.length, 1);
        });

        it("judges a subject whose namespace alone is unknown on its name", async () => {
            const dedicated = roleBinding({
                subjects: [{ kind: "ServiceAccount", name: "api-reader", namespace: UNKNOWN }],
            });
            assert.deepStrictEqual(await violations(policy, { type: RB, props: dedicated }), []);
            const named = roleBinding({
                subjects: [{ kind: "ServiceAccount", name: "default", namespace: UNKNOWN }],
            });
            const got = await violations(policy, { type: RB, props: named });
            assert.strictEqual(got.length, 1);
            assert.match(got[0], /ServiceAccount "default" in namespace "\(namespace not yet known\)"/);
        });

        it("passes when only the binding's own name is unknown", async () => {
            const props = roleBinding({ metadata: { name: UNKNOWN, namespace: "apps" } });
            assert.deepStrictEqual(await violations(policy, { type: RB, props }), []);
        });
    });

    describe("allowedNamespaces", () => {
        const config = { allowedNamespaces: ["sandbox"] };
        it("exempts a default account in an allowed namespace", async () => {
            const props = roleBinding({
                metadata: { name: "x", namespace: "sandbox" },
                subjects: [{ kind: "ServiceAccount", name: "default" }],
            });
            assert.deepStrictEqual(await violations(policy, { type: RB, props }, config), []);
            assert.strictEqual((await violations(policy, { type: RB, props })).length, 1, "empty by default");
        });
        it("never exempts the group of all service accounts", async () => {
            const props = clusterRoleBinding({
                subjects: [{ kind: "Group", name: "system:serviceaccounts" }],
            });
            assert.strictEqual((await violations(policy, { type: CRB, props }, config)).length, 1);
        });
        it("does not exempt a namespace that is unknown", async () => {
            const props = roleBinding({
                subjects: [{ kind: "ServiceAccount", name: "default", namespace: UNKNOWN }],
            });
            assert.strictEqual((await violations(policy, { type: RB, props }, config)).length, 1);
        });
    });
    describe("fails closed on one unknown element inside a known array", () => {
        it("a whole subject", async () => {
            const got = await violations(policy, {
                type: RB,
                props: roleBinding({ subjects: [{ kind: "ServiceAccount", name: "api-reader" }, UNKNOWN] }),
            });
            assert.strictEqual(got.length, 1);
            assert.match(
                got[0],
                /subject 1 \(not known\), whose kind or name is not known during this preview/,
            );
        });
        it("a List item", async () => {
            const got = await violations(policy, {
                type: `${RBAC}/v1:RoleBindingList`,
                props: { items: [roleBinding(), UNKNOWN] },
            });
            assert.strictEqual(got.length, 1);
            assert.match(got[0], /item 1 is not known during this preview/);
        });
    });
});
