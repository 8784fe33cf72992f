// no-nodes-proxy through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noNodesProxy as policy } from "../../policy/policies/no-nodes-proxy";
import { RBAC, role, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;

describe("policy no-nodes-proxy", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes nodes/metrics, nodes, and a proxy subresource of another resource", async () => {
        const rules = [
            { apiGroups: [""], resources: ["nodes", "nodes/metrics", "services/proxy"], verbs: ["get"] },
            { apiGroups: ["apps"], resources: ["*"], verbs: ["get"] },
        ];
        assert.deepStrictEqual(await violations(policy, { type: CR, props: role("ClusterRole", rules) }), []);
    });

    for (const [title, rule, verbs] of [
        ["nodes/proxy", { apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }, "get"],
        ["*/proxy", { apiGroups: [""], resources: ["*/proxy"], verbs: ["create"] }, "create"],
        ["every core resource", { apiGroups: [""], resources: ["*"], verbs: ["get", "list"] }, "get"],
        [
            "every group",
            { apiGroups: ["*"], resources: ["nodes/proxy"], verbs: ["*"] },
            "get, create, update, patch, delete",
        ],
    ] as const) {
        it(`reports ${title}`, async () => {
            const got = await violations(policy, { type: CR, props: role("ClusterRole", [rule]) });
            assert.strictEqual(got.length, 1);
            assert.ok(
                got[0].includes(
                    `rule 0 grants ${verbs} on nodes/proxy: whoever holds it reaches the kubelet API`,
                ),
                got[0],
            );
        });
    }
});
