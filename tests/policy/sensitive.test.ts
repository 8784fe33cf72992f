// The sensitive table (rbac/sensitive.ts), row by row (level 1 and 2: the matcher, then each row's
// policy through the SDK proxy): every row has a case here (a new row without one fails), each flagged
// and its near miss not.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { PolicyRule } from "../../rbac/evaluator";
import { reachOf, SENSITIVE } from "../../rbac/sensitive";
import { ruleFindings, rowsOfPermission } from "../../rbac/sensitiveMatch";
import { policies } from "../../policy/policies";
import { clusterRoleBinding, RBAC, role, violations } from "./harness";

const rule = (verbs: string[], apiGroups: string[], resources: string[]): PolicyRule => ({
    verbs,
    apiGroups,
    resources,
});
const RBAC_GROUP = "rbac.authorization.k8s.io";
const CERTS = "certificates.k8s.io";
const ADMISSION = "admissionregistration.k8s.io";

type Case =
    | { readonly rules: PolicyRule[]; readonly nearMiss: PolicyRule[] }
    | { readonly labels: Record<string, string>; readonly nearMissLabels: Record<string, string> }
    | { readonly binding: Record<string, unknown>; readonly nearMissBinding: Record<string, unknown> };

const bindingTo = (role: string, kind = "ClusterRoleBinding") =>
    clusterRoleBinding({ kind, roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name: role } });
const bindingFor = (kind: string, name: string) =>
    clusterRoleBinding({ subjects: [{ kind, name, apiGroup: RBAC_GROUP }] });

/** One case per row: what flags it, and the nearest thing that must not. */
const CASES: Record<string, Case> = {
    "read-secrets": {
        rules: [rule(["list"], [""], ["secrets"])],
        nearMiss: [rule(["create"], [""], ["secrets"])],
    },
    "pods-exec-attach": {
        rules: [rule(["create"], [""], ["pods/exec"])],
        nearMiss: [rule(["get"], [""], ["pods/log"])],
    },
    "pods-portforward": {
        rules: [rule(["create"], [""], ["pods/portforward"])],
        nearMiss: [rule(["get"], [""], ["pods"])],
    },
    "nodes-proxy": {
        rules: [rule(["get"], [""], ["nodes/proxy"])],
        nearMiss: [rule(["get"], [""], ["nodes/metrics"])],
    },
    "escalate-roles": {
        rules: [rule(["escalate"], [RBAC_GROUP], ["clusterroles"])],
        nearMiss: [rule(["get"], [RBAC_GROUP], ["clusterroles"])],
    },
    "bind-roles": {
        rules: [rule(["bind"], [RBAC_GROUP], ["roles"])],
        nearMiss: [rule(["list"], [RBAC_GROUP], ["roles"])],
    },
    impersonate: {
        rules: [rule(["impersonate"], [""], ["serviceaccounts"])],
        nearMiss: [rule(["impersonate"], [""], ["pods"])],
    },
    "create-workloads": {
        rules: [rule(["patch"], ["apps"], ["deployments"])],
        nearMiss: [rule(["get", "list", "watch"], [""], ["pods"]), rule(["create"], [""], ["configmaps"])],
    },
    "create-serviceaccount-tokens": {
        rules: [rule(["create"], [""], ["serviceaccounts/token"])],
        nearMiss: [rule(["create"], [""], ["serviceaccounts"])],
    },
    "ephemeral-containers": {
        rules: [rule(["patch"], [""], ["pods/ephemeralcontainers"])],
        nearMiss: [rule(["get"], [""], ["pods/ephemeralcontainers"])],
    },
    mutatingwebhooks: {
        rules: [rule(["create"], [ADMISSION], ["mutatingwebhookconfigurations"])],
        nearMiss: [rule(["list"], [ADMISSION], ["mutatingwebhookconfigurations"])],
    },
    validatingwebhooks: {
        rules: [rule(["patch"], [ADMISSION], ["validatingwebhookconfigurations"])],
        nearMiss: [rule(["get"], [ADMISSION], ["validatingwebhookconfigurations"])],
    },
    "approve-csrs": {
        rules: [
            rule(["update"], [CERTS], ["certificatesigningrequests/approval"]),
            rule(["approve"], [CERTS], ["signers"]),
        ],
        // Reading CSRs, or the approval without a signer to approve for.
        nearMiss: [
            rule(["get", "list"], [CERTS], ["certificatesigningrequests"]),
            rule(["update"], [CERTS], ["certificatesigningrequests/approval"]),
        ],
    },
    "create-persistentvolumes": {
        rules: [rule(["create"], [""], ["persistentvolumes"])],
        nearMiss: [rule(["create"], [""], ["persistentvolumeclaims"])],
    },
    "aggregate-to-builtin-roles": {
        labels: { "rbac.authorization.k8s.io/aggregate-to-edit": "true" },
        nearMissLabels: { "rbac.authorization.k8s.io/aggregate-to-monitoring": "true", app: "edit" },
    },
    "create-roles": {
        rules: [rule(["create"], [RBAC_GROUP], ["roles"])],
        nearMiss: [rule(["get"], [RBAC_GROUP], ["roles"])],
    },
    "create-rolebindings": {
        rules: [rule(["create"], [RBAC_GROUP], ["rolebindings"])],
        nearMiss: [rule(["delete"], [RBAC_GROUP], ["rolebindings"])],
    },
    "create-clusterroles": {
        rules: [rule(["create"], [RBAC_GROUP], ["clusterroles"])],
        nearMiss: [rule(["create"], [RBAC_GROUP], ["roles"])],
    },
    "create-clusterrolebindings": {
        rules: [rule(["create"], [RBAC_GROUP], ["clusterrolebindings"])],
        nearMiss: [rule(["create"], [""], ["bindings"])],
    },
    "delete-namespaces": {
        rules: [rule(["delete"], [""], ["namespaces"])],
        nearMiss: [rule(["delete"], [""], ["pods"])],
    },
    "bind-cluster-admin": { binding: bindingTo("cluster-admin"), nearMissBinding: bindingTo("view") },
    "bind-admin-cluster-wide": { binding: bindingTo("admin"), nearMissBinding: bindingTo("view") },
    "bind-edit-cluster-wide": { binding: bindingTo("edit"), nearMissBinding: bindingTo("view") },
    "bind-anonymous": {
        binding: bindingFor("User", "system:anonymous"),
        nearMissBinding: bindingFor("User", "anonymous"),
    },
    "bind-unauthenticated": {
        binding: bindingFor("Group", "system:unauthenticated"),
        nearMissBinding: bindingFor("Group", "system:authenticated-users"),
    },
    "bind-masters": {
        binding: bindingFor("Group", "system:masters"),
        nearMissBinding: bindingFor("Group", "masters"),
    },
};

const policyNamed = (name: string) =>
    policies.find((p): p is ResourceValidationPolicy => p.name === name && "validateResource" in p)!;
const CR = `${RBAC}/v1:ClusterRole`;
const CRB = `${RBAC}/v1:ClusterRoleBinding`;

describe("the sensitive table, row by row", () => {
    it("has one case here per row, and unique row ids", () => {
        const ids = SENSITIVE.map((r) => r.id);
        assert.strictEqual(new Set(ids).size, ids.length);
        assert.deepStrictEqual([...ids].sort(), Object.keys(CASES).sort());
    });

    it("has every row in docs/sensitive-permissions.md", () => {
        const doc = fs.readFileSync(
            path.join(__dirname, "..", "..", "docs", "sensitive-permissions.md"),
            "utf8",
        );
        const missing = SENSITIVE.filter((r) => !doc.includes(`\`${r.id}\``)).map((r) => r.id);
        assert.deepStrictEqual(missing, []);
    });

    it("names for every row what it reaches, a severity and a source", () => {
        for (const row of SENSITIVE) {
            assert.ok(row.reaches.length > 10 && row.sources.length > 0, row.id);
        }
    });

    for (const row of SENSITIVE) {
        const c = CASES[row.id];
        it(`${row.id}: flagged${row.policy ? ` by ${row.policy}` : " (verify and plan)"}, its near miss not`, async () => {
            if (!c) {
                assert.fail(`no case for ${row.id}`);
            }
            if ("rules" in c) {
                const ids = (rules: PolicyRule[]) => ruleFindings(rules, "ClusterRole").map((f) => f.row.id);
                assert.ok(ids(c.rules).includes(row.id), `${row.id} not found in ${JSON.stringify(c.rules)}`);
                assert.ok(!ids(c.nearMiss).includes(row.id), `${row.id} found in its near miss`);
                // Plan marks the same: every permission of a flagged rule that the row names.
                const perms = c.rules.flatMap((r) =>
                    r.verbs.map((verb) => ({ verb, group: r.apiGroups![0], resource: r.resources![0] })),
                );
                assert.ok(perms.some((p) => rowsOfPermission(p, perms).some((x) => x.id === row.id)));
            }
            if (!row.policy) {
                return;
            }
            const policy = policyNamed(row.policy);
            if ("rules" in c) {
                const flagged = await violations(policy, { type: CR, props: role("ClusterRole", c.rules) });
                assert.ok(
                    flagged.some((m) => m.includes(reachOf(row))),
                    flagged.join("\n"),
                );
                assert.deepStrictEqual(
                    await violations(policy, { type: CR, props: role("ClusterRole", c.nearMiss) }),
                    [],
                );
            } else if ("labels" in c) {
                const labelled = (labels: Record<string, string>) => ({
                    ...role("ClusterRole", []),
                    metadata: { name: "extra", labels },
                });
                const flagged = await violations(policy, { type: CR, props: labelled(c.labels) });
                assert.strictEqual(flagged.length, 1);
                assert.match(
                    flagged[0],
                    /is labelled rbac.authorization.k8s.io\/aggregate-to-edit=true: it adds its rules/,
                );
                assert.deepStrictEqual(
                    await violations(policy, { type: CR, props: labelled(c.nearMissLabels) }),
                    [],
                );
            } else {
                const flagged = await violations(policy, { type: CRB, props: c.binding });
                assert.strictEqual(flagged.length, 1);
                assert.ok(flagged[0].includes(row.reaches), flagged[0]);
                assert.deepStrictEqual(await violations(policy, { type: CRB, props: c.nearMissBinding }), []);
            }
        });
    }
});
