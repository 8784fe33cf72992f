// The policy pack as the engine drives it (level 2, over gRPC): started with the SDK's run-policy-pack
// entry point in its folder, then GetAnalyzerInfo, Analyze, AnalyzeStack and Configure with real
// protobuf requests, preview unknowns included.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICY_DIR, PolicyPackProcess } from "../../offline/policyPack";
import { policies } from "../../policy/policies";
import { clusterRoleBinding, RBAC, role, roleBinding, UNKNOWN } from "./harness";

const RB = `${RBAC}/v1:RoleBinding`;
const CRB = `${RBAC}/v1:ClusterRoleBinding`;

describe("policy pack over the Analyzer gRPC protocol", function () {
    this.timeout(180_000);
    let pack: PolicyPackProcess;

    before(async () => {
        pack = await PolicyPackProcess.start(POLICY_DIR);
    });
    after(() => pack?.stop());

    it("describes itself: name, version from package.json, every policy with its default level", async () => {
        const info = await pack.info();
        const version = (
            JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8")) as { version: string }
        ).version;
        assert.strictEqual(info.name, "kube-api-access-policies");
        assert.strictEqual(info.version, version);
        assert.strictEqual(info.supportsConfig, true);
        assert.deepStrictEqual(
            Object.fromEntries(info.policies.map((p) => [p.name, p.enforcementLevel])),
            Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel])),
        );
        const binding = info.policies.find((p) => p.name === "no-default-service-account-binding");
        assert.deepStrictEqual(binding?.configSchema, {
            allowedNamespaces: {
                type: "array",
                items: { type: "string" },
                default: [],
                description:
                    "Namespaces whose default ServiceAccount may be bound or get a token. Default: none.",
            },
        });
    });

    it("passes a compliant binding", async () => {
        assert.deepStrictEqual(await pack.analyze({ type: RB, name: "ok", properties: roleBinding() }), []);
    });

    it("reports a binding to a default ServiceAccount as mandatory", async () => {
        const properties = clusterRoleBinding({
            subjects: [{ kind: "ServiceAccount", name: "default", namespace: "apps" }],
        });
        const got = await pack.analyze({ type: CRB, name: "bad", properties });
        assert.strictEqual(got.length, 1);
        assert.strictEqual(got[0].policyName, "no-default-service-account-binding");
        assert.strictEqual(got[0].policyPackName, "kube-api-access-policies");
        assert.strictEqual(got[0].enforcementLevel, "mandatory");
        assert.match(got[0].message, /ServiceAccount "default" in namespace "apps"/);
    });

    it("fails closed on an unknown subject name, where the SDK alone would only advise", async () => {
        const properties = roleBinding({
            subjects: [{ kind: "ServiceAccount", name: UNKNOWN, namespace: "apps" }],
        });
        const got = await pack.analyze({ type: RB, name: "preview", properties });
        // The advisory that reads subject names skips this one with a note instead.
        assert.deepStrictEqual(
            got.map((d) => [d.policyName, d.enforcementLevel]),
            [
                ["no-default-service-account-binding", "mandatory"],
                ["no-anonymous-or-masters-binding", "advisory"],
            ],
        );
        assert.match(got[0].message, /cannot be proven not to be a default ServiceAccount/);
        assert.match(got[1].message, /has subject 0 not known during this preview, not checked/);
    });

    it("reads secret-wrapped properties", async () => {
        const properties = roleBinding({ subjects: [{ kind: "ServiceAccount", name: "default" }] });
        const got = await pack.analyze({ type: RB, name: "secret", properties, secretPaths: ["subjects"] });
        assert.strictEqual(got.length, 1);
        assert.strictEqual(got[0].policyName, "no-default-service-account-binding");
    });

    it("analyzes a stack: advisories for a broad role, nothing for a narrow one", async () => {
        const narrow = [
            {
                type: `${RBAC}/v1:ClusterRole`,
                name: "r",
                properties: role("ClusterRole", [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]),
            },
            { type: CRB, name: "b", properties: clusterRoleBinding() },
        ];
        assert.deepStrictEqual(await pack.analyzeStack(narrow), []);
        const broad = role("ClusterRole", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
        const perResource = await pack.analyze({
            type: `${RBAC}/v1:ClusterRole`,
            name: "r",
            properties: broad,
        });
        // "*" everywhere is escalate, bind, impersonate, nodes/proxy, pods/exec and every escalation path too.
        assert.deepStrictEqual(perResource.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort(), [
            "no-cluster-wide-secret-read:advisory",
            "no-escalation-paths:advisory",
            "no-escalation-verbs:advisory",
            "no-nodes-proxy:advisory",
            "no-pod-exec-attach:advisory",
            "no-wildcard-rules:advisory",
            "no-workload-creation:advisory",
        ]);
    });

    it("takes config: levels changed and a stack allow-list enforced", async () => {
        await pack.configure({
            "no-wildcard-rules": { enforcementLevel: "mandatory" },
            "no-cluster-wide-secret-read": { enforcementLevel: "disabled" },
            "no-default-service-account-binding": {
                enforcementLevel: "mandatory",
                properties: { allowedNamespaces: ["sandbox"] },
            },
            "service-account-effective-permissions": {
                enforcementLevel: "mandatory",
                properties: { allowedPermissions: { "*": ["get pods"] } },
            },
        });
        const broad = role("ClusterRole", [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]);
        const got = await pack.analyze({ type: `${RBAC}/v1:ClusterRole`, name: "r", properties: broad });
        assert.deepStrictEqual(
            got.map((d) => `${d.policyName}:${d.enforcementLevel}`),
            [
                "no-wildcard-rules:mandatory",
                "no-escalation-verbs:advisory",
                "no-escalation-paths:advisory",
                "no-workload-creation:advisory",
                "no-nodes-proxy:advisory",
                "no-pod-exec-attach:advisory",
            ],
        );

        const sandbox = roleBinding({
            metadata: { name: "x", namespace: "sandbox" },
            subjects: [{ kind: "ServiceAccount", name: "default" }],
        });
        assert.deepStrictEqual(await pack.analyze({ type: RB, name: "sandbox", properties: sandbox }), []);

        const stack = [
            {
                type: `${RBAC}/v1:ClusterRole`,
                name: "r",
                properties: role("ClusterRole", [
                    { apiGroups: [""], resources: ["pods"], verbs: ["get", "delete"] },
                ]),
            },
            { type: CRB, name: "b", properties: clusterRoleBinding() },
        ];
        const stackGot = await pack.analyzeStack(stack);
        assert.strictEqual(stackGot.length, 1);
        assert.strictEqual(stackGot[0].enforcementLevel, "mandatory");
        assert.match(
            stackGot[0].message,
            /granted more than allowedPermissions allows: delete pods cluster-wide/,
        );
    });
});
