// no-workload-creation through its function (level 2, in process, SDK proxy): an advisory that names the
// accounts whose tokens a workload write reaches.
import * as assert from "assert";
import { noWorkloadCreation as policy } from "../../policy/policies/no-workload-creation";
import { WORKLOADS } from "../../rbac/sensitive";
import { RBAC, role, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const R = `${RBAC}/v1:Role`;

describe("policy no-workload-creation", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes reading pods, creating ConfigMaps, deleting deployments and creating named pods", async () => {
        const rules = [
            { apiGroups: [""], resources: ["pods", "pods/log"], verbs: ["get", "list", "watch"] },
            { apiGroups: [""], resources: ["configmaps"], verbs: ["create", "update", "patch"] },
            { apiGroups: ["apps"], resources: ["deployments"], verbs: ["delete", "get"] },
            // A create request carries no name, so resourceNames never lets it through.
            { apiGroups: [""], resources: ["pods"], resourceNames: ["web"], verbs: ["create"] },
        ];
        assert.deepStrictEqual(await violations(policy, { type: R, props: role("Role", rules) }), []);
    });

    it("names the namespace's accounts for a Role", async () => {
        const rules = [{ apiGroups: [""], resources: ["pods"], verbs: ["create"] }];
        const got = await violations(policy, { type: R, props: role("Role", rules) });
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /Role "apps\/reader" rule 0 grants create on pods: whoever holds it runs pods as any ServiceAccount of namespace apps \(system:serviceaccounts:apps\), and reads that account's token/,
        );
    });

    it("names every namespace it is bound in for a ClusterRole", async () => {
        const rules = [{ apiGroups: ["batch"], resources: ["cronjobs"], verbs: ["update"] }];
        const got = await violations(policy, { type: CR, props: role("ClusterRole", rules) });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /update on cronjobs.batch: .* of every namespace it is bound in/);
    });

    for (const w of WORKLOADS) {
        const verbs = w.resource === "pods" ? ["create"] : ["create", "update", "patch"];
        for (const verb of verbs) {
            it(`reports ${verb} on ${w.resource}${w.group ? `.${w.group}` : ""}`, async () => {
                const rules = [{ apiGroups: [w.group], resources: [w.resource], verbs: [verb] }];
                const got = await violations(policy, { type: R, props: role("Role", rules) });
                assert.strictEqual(got.length, 1, JSON.stringify(rules));
            });
        }
    }
});
