// The real program's resources, as it registers them under the mock runtime with each committed stack's
// settings, fed to the policy pack over gRPC (levels 1 and 2 together).
import * as assert from "assert";
import * as path from "path";
import { POLICY_DIR, PolicyPackProcess, toAnalyzed } from "../../offline/policyPack";
import { runProgramOffline } from "../../offline/program";
import { COMMITTED_STACKS, FIXTURES } from "../helpers";

const KUBECONFIG = path.join(FIXTURES, "kubeconfig.yaml");

describe("the program's resources through the policy pack", function () {
    this.timeout(180_000);
    let pack: PolicyPackProcess;
    before(async () => {
        pack = await PolicyPackProcess.start(POLICY_DIR);
    });
    after(() => pack?.stop());

    // What a stack is meant to draw: vault-example's issuer account (docs/vault.md) may mint tokens for
    // the consumer's account, and for it only; Vault's secrets engine needs exactly that.
    const EXPECTED: Partial<Record<(typeof COMMITTED_STACKS)[number], string[]>> = {
        "vault-example": [
            'no-escalation-paths:advisory:Role "payments/kube-api-access:payments:payments-reporting-vault-issuer" rule 0 grants create on serviceaccounts/token of payments-reporting: whoever holds it mints tokens only for ServiceAccount payments/payments-reporting, and acts as it.',
        ],
    };

    for (const stack of COMMITTED_STACKS) {
        const expected = EXPECTED[stack] ?? [];
        it(`${stack}: every registered resource passes the whole pack ${expected.length ? "with the advisory it is meant to draw" : "clean"}`, async () => {
            const run = await runProgramOffline(stack, { env: { KUBECONFIG } });
            const resources = run.resources.map(toAnalyzed);
            assert.ok(resources.some((r) => r.type.endsWith("RoleBinding")));
            const got = (await pack.analyzeAll(resources)).map(
                // The policy's description, then the finding; the advice after it is the policy's own.
                (d) => `${d.policyName}:${d.enforcementLevel}:${d.message.split("\n")[1]?.split(". ")[0]}.`,
            );
            assert.deepStrictEqual(got, expected);
        });

        it(`${stack}: the same resources with the binding's subject changed to default are refused`, async () => {
            const run = await runProgramOffline(stack, { env: { KUBECONFIG } });
            const resources = run.resources.map(toAnalyzed).map((r) =>
                r.type.endsWith("RoleBinding")
                    ? {
                          ...r,
                          properties: {
                              ...r.properties,
                              subjects: (r.properties.subjects as { name: string }[]).map((s) => ({
                                  ...s,
                                  name: "default",
                              })),
                          },
                      }
                    : r,
            );
            const bindings = resources.filter((r) => r.type.endsWith("RoleBinding")).length;
            const mandatory = (await pack.analyzeAll(resources)).filter(
                (d) => d.enforcementLevel === "mandatory",
            );
            assert.deepStrictEqual(
                mandatory.map((d) => d.policyName),
                Array<string>(bindings).fill("no-default-service-account-binding"),
            );
        });
    }

    it("the full preset draws the Secret-read, pod-exec, workload (one per rule) and PersistentVolume advisories, nothing mandatory", async () => {
        const run = await runProgramOffline("dev", {
            env: { KUBECONFIG },
            overrides: { "kube-api-access:access": "full" },
        });
        const got = await pack.analyzeAll(run.resources.map(toAnalyzed));
        assert.deepStrictEqual(got.map((d) => `${d.policyName}:${d.enforcementLevel}`).sort(), [
            "no-cluster-wide-secret-read:advisory",
            "no-escalation-paths:advisory",
            "no-pod-exec-attach:advisory",
            "no-workload-creation:advisory",
            "no-workload-creation:advisory",
            "no-workload-creation:advisory",
        ]);
    });
});
