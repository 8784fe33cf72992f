// no-wildcard-rules through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noWildcardRules as policy } from "../../policy/policies/no-wildcard-rules";
import { RBAC, role, UNKNOWN, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const R = `${RBAC}/v1:Role`;
const read = { apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] };

describe("policy no-wildcard-rules", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes explicit rules, and a URL prefix", async () => {
        const prefix = { nonResourceURLs: ["/api/*"], verbs: ["get"] };
        assert.deepStrictEqual(
            await violations(policy, { type: CR, props: role("ClusterRole", [read, prefix]) }),
            [],
        );
    });

    for (const [field, value] of [
        ["verbs", "*"],
        ["resources", "*"],
        ["apiGroups", "*"],
        ["resources", "*/exec"],
    ]) {
        it(`reports "${value}" in ${field}`, async () => {
            const got = await violations(policy, {
                type: R,
                props: role("Role", [read, { ...read, [field]: [value] }]),
            });
            assert.strictEqual(got.length, 1);
            assert.match(
                got[0],
                new RegExp(
                    `Role "apps/reader" rule 1 has "${value.replace("*", "\\*")}" in ${field}\\. A wildcard`,
                ),
            );
        });
    }

    it('reports "*" in nonResourceURLs', async () => {
        const got = await violations(policy, {
            type: CR,
            props: role("ClusterRole", [{ nonResourceURLs: ["*"], verbs: ["get"] }]),
        });
        assert.match(got[0], /rule 0 has "\*" in nonResourceURLs/);
    });

    it("checks RolePatch and ClusterRoleList in other versions", async () => {
        const wild = { ...read, verbs: ["*"] };
        assert.strictEqual(
            (await violations(policy, { type: `${RBAC}/v1beta1:RolePatch`, props: role("Role", [wild]) }))
                .length,
            1,
        );
        const list = { items: [role("ClusterRole", [read]), role("ClusterRole", [wild], "b")] };
        assert.strictEqual(
            (await violations(policy, { type: `${RBAC}/v1:ClusterRoleList`, props: list })).length,
            1,
        );
    });

    it("skips what is unknown during a preview with a note: a rule, the rules, a List item", async () => {
        const rule = await violations(policy, {
            type: CR,
            props: role("ClusterRole", [read, { ...read, verbs: UNKNOWN }]),
        });
        assert.deepStrictEqual(rule.length, 1);
        assert.match(
            rule[0],
            /ClusterRole "reader": rule 1 is not known during this preview, so this advisory did not check it/,
        );
        const rules = await violations(policy, {
            type: CR,
            props: { metadata: { name: "x" }, rules: UNKNOWN },
        });
        assert.match(rules[0], /its rules are not known/);
        const item = await violations(policy, {
            type: `${RBAC}/v1:ClusterRoleList`,
            props: { items: [role("ClusterRole", [read]), UNKNOWN] },
        });
        assert.deepStrictEqual(item.length, 1);
        assert.match(item[0], /item 1 is not known/);
    });
});
