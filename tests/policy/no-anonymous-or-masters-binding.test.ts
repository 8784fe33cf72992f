// no-anonymous-or-masters-binding through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noAnonymousOrMastersBinding } from "../../policy/policies/no-anonymous-or-masters-binding";
import { clusterRoleBinding, RBAC, roleBinding, UNKNOWN, violations } from "./harness";

const CRB = `${RBAC}/v1:ClusterRoleBinding`;
const RB = `${RBAC}/v1:RoleBinding`;

describe("policy no-anonymous-or-masters-binding", () => {
    it("is advisory by default", () =>
        assert.strictEqual(noAnonymousOrMastersBinding.enforcementLevel, "advisory"));
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

    it("does not take a subject named constructor or toString for a dangerous one", async () => {
        const subjects = ["constructor", "toString", "__proto__", "hasOwnProperty"].map((name) => ({
            kind: "Group",
            name,
        }));
        assert.deepStrictEqual(
            await violations(noAnonymousOrMastersBinding, { type: RB, props: roleBinding({ subjects }) }),
            [],
        );
    });

    it("notes a subject not known during a preview, and still reports the known ones", async () => {
        const got = await violations(noAnonymousOrMastersBinding, {
            type: RB,
            props: roleBinding({ subjects: [UNKNOWN, { kind: "Group", name: "system:masters" }] }),
        });
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /grants its role to "system:masters".*; has subject 0 not known during this preview/,
        );
    });
});
