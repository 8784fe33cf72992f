// no-pod-exec-attach through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noPodExecAttach as policy } from "../../policy/policies/no-pod-exec-attach";
import { RBAC, role, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const R = `${RBAC}/v1:Role`;

describe("policy no-pod-exec-attach", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes pods and pods/log", async () => {
        const rule = { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "create"] };
        assert.deepStrictEqual(
            await violations(policy, { type: CR, props: role("ClusterRole", [rule]) }),
            [],
        );
    });

    for (const [title, rule, finding] of [
        [
            "pods/exec",
            { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
            "create on pods/exec",
        ],
        [
            "pods/attach",
            { apiGroups: [""], resources: ["pods/attach"], verbs: ["get"] },
            "get on pods/attach",
        ],
        [
            "*/exec",
            { apiGroups: [""], resources: ["*/exec", "*/proxy"], verbs: ["create"] },
            "create on pods/exec",
        ],
        [
            "every core resource",
            { apiGroups: [""], resources: ["*"], verbs: ["*"] },
            "get, create on pods/exec; get, create on pods/attach: whoever holds it opens a shell in running containers, with every credential mounted there; get, create on pods/portforward: whoever holds it connects",
        ],
    ] as const) {
        it(`reports ${title}`, async () => {
            const got = await violations(policy, { type: R, props: role("Role", [rule]) });
            assert.strictEqual(got.length, 1);
            assert.ok(got[0].includes(`rule 0 grants ${finding}`), got[0]);
        });
    }
});
