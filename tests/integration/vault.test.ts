// Level 4: both Vault modes through the Automation API against a Vault dev server and a kind cluster.
// kv: the stored kubeconfig works; dynamic: a token Vault issues works, and no long-lived token exists.
// Runs where the Pulumi CLI, a test cluster and Vault (VAULT_ADDR, VAULT_TOKEN) exist; else says why not.
import * as assert from "assert";
import { execFileSync } from "child_process";
import { Stack } from "@pulumi/pulumi/automation";
import { renderKubeconfig } from "../../components/kubeconfig";
import { presetRules } from "../../components/rbac";
import { renderReport, verify } from "../../cli/verify";
import { pulumiCli, requireAll, testCluster, vaultServer } from "./prerequisites";
import { TemporaryStack, temporaryStack } from "./stack";

const vaultJson = (...args: string[]) =>
    JSON.parse(
        execFileSync("vault", [...args.slice(0, 2), "-format=json", ...args.slice(2)], { encoding: "utf8" }),
    ) as {
        data: Record<string, unknown>;
    };

for (const mode of ["kv", "dynamic"] as const) {
    describe(`integration: Vault ${mode} mode (Automation API, real cluster and Vault)`, function () {
        this.timeout(15 * 60_000);
        const suffix = Math.random().toString(36).slice(2, 8);
        const stackName = `it-vault-${mode}-${suffix}`;
        const namespace = `kube-api-access-it-${suffix}`;
        const account = "it-vault-reader";
        let temp: TemporaryStack | undefined;
        let stack: Stack | undefined;

        before(async function () {
            const cluster = testCluster();
            requireAll(this, [pulumiCli(), cluster, vaultServer()]);
            const vault =
                mode === "kv"
                    ? { mode, kvPath: `it/${suffix}` }
                    : { mode, tokenDefaultTtl: "10m", tokenMaxTtl: "1h" };
            temp = await temporaryStack(stackName, {
                "kube-api-access:namespace": { value: namespace },
                "kube-api-access:serviceAccountName": { value: account },
                "kubernetes:context": { value: cluster.context! },
                "vault:address": { value: process.env.VAULT_ADDR! },
                "kube-api-access:vault": { value: JSON.stringify(vault) },
            });
            stack = temp.stack;
        });

        after(async () => temp?.dispose());

        const expectation = {
            scope: "cluster" as const,
            namespace,
            roleNamespaces: [],
            rules: presetRules("read-only", "cluster"),
        };

        it("pulumi up, then the consumer gets working credentials from Vault", async () => {
            const up = await stack!.up({ onOutput: () => undefined });
            assert.strictEqual(up.outputs.token, undefined, "the token is not exported when Vault holds it");
            let kubeconfig: string;
            if (mode === "kv") {
                const secret = vaultJson(
                    "kv",
                    "get",
                    `-mount=${up.outputs.vaultSecretPath.value.split("/")[0]}`,
                    `it/${suffix}`,
                );
                kubeconfig = (secret.data.data as { kubeconfig: string }).kubeconfig;
            } else {
                const creds = vaultJson(
                    "write",
                    `${up.outputs.vaultKubernetesMount.value}/creds/${up.outputs.vaultRoleName.value}`,
                    `kubernetes_namespace=${namespace}`,
                );
                kubeconfig = renderKubeconfig({
                    clusterName: "it",
                    server: up.outputs.endpoint.value as string,
                    caCert: up.outputs.caCert.value as string,
                    namespace,
                    user: account,
                    token: creds.data.service_account_token as string,
                });
            }
            const report = await verify({ kubeconfig, expectation });
            assert.strictEqual(report.diagnosis, undefined, renderReport(report));
            assert.strictEqual(report.mismatches, 0, renderReport(report));
        });
    });
}
