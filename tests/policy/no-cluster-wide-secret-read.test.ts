// no-cluster-wide-secret-read through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noClusterWideSecretRead as policy } from "../../policy/policies/no-cluster-wide-secret-read";
import { RBAC, role, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const R = `${RBAC}/v1:Role`;
const read = { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] };

describe("policy no-cluster-wide-secret-read", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes a ClusterRole without Secrets, and a namespaced Role with them", async () => {
        assert.deepStrictEqual(
            await violations(policy, { type: CR, props: role("ClusterRole", [read]) }),
            [],
        );
        const secrets = { apiGroups: [""], resources: ["secrets"], verbs: ["get"] };
        assert.deepStrictEqual(await violations(policy, { type: R, props: role("Role", [secrets]) }), []);
    });

    for (const [title, rule, can] of [
        ["list secrets", { apiGroups: [""], resources: ["secrets"], verbs: ["list"] }, "list"],
        ["* on secrets", { apiGroups: [""], resources: ["secrets"], verbs: ["*"] }, "get, list, watch"],
        ["get on every resource", { apiGroups: ["*"], resources: ["*"], verbs: ["get"] }, "get"],
    ] as const) {
        it(`reports ${title}`, async () => {
            const got = await violations(policy, { type: CR, props: role("ClusterRole", [rule]) });
            assert.strictEqual(got.length, 1);
            assert.match(
                got[0],
                new RegExp(
                    `ClusterRole "reader" rule 0 grants ${can} on secrets: whoever holds it reads every Secret`,
                ),
            );
        });
    }

    it("reports named secrets, naming them and what they reach", async () => {
        const rule = { apiGroups: [""], resources: ["secrets"], resourceNames: ["a"], verbs: ["get"] };
        const got = await violations(policy, { type: CR, props: role("ClusterRole", [rule]) });
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /ClusterRole "reader" rule 0 grants get on secrets of a: whoever holds it reads only Secret a of every namespace it is bound in, and every credential in it\./,
        );
    });

    it("does not report write-only access, nor secrets in another group or a subresource only", async () => {
        for (const rule of [
            { apiGroups: [""], resources: ["secrets"], verbs: ["create"] },
            { apiGroups: ["example.com"], resources: ["secrets"], verbs: ["get"] },
            { apiGroups: [""], resources: ["*/status"], verbs: ["get"] },
        ]) {
            assert.deepStrictEqual(
                await violations(policy, { type: CR, props: role("ClusterRole", [rule]) }),
                [],
                JSON.stringify(rule),
            );
        }
    });
});
