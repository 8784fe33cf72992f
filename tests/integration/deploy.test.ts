// Level 4: pulumi up, verify, a token rotation and pulumi destroy through the Automation API against a
// real test cluster (kind). Runs where the Pulumi CLI and such a cluster exist; otherwise says why not.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { presetRules } from "../../components/rbac";
import { renderReport, verify } from "../../cli/verify";
import { PROJECT_DIR } from "../../offline/program";
import { pulumiCli, requireAll, testCluster } from "./prerequisites";

describe("integration: deploy, verify, rotate, destroy (Automation API, real cluster)", function () {
    this.timeout(15 * 60_000);
    const suffix = Math.random().toString(36).slice(2, 8);
    const stackName = `it-${suffix}`;
    const namespace = `kube-api-access-it-${suffix}`;
    let stack: Stack | undefined;
    let backend: string;

    before(async function () {
        const cluster = testCluster();
        requireAll(this, [pulumiCli(), cluster]);
        backend = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-it-state-"));
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName, workDir: PROJECT_DIR },
            {
                envVars: {
                    PULUMI_BACKEND_URL: `file://${backend}`,
                    PULUMI_CONFIG_PASSPHRASE: "kube-api-access-it",
                },
            },
        );
        await stack.setAllConfig({
            "kube-api-access:namespace": { value: namespace },
            "kube-api-access:serviceAccountName": { value: "it-reader" },
            "kubernetes:context": { value: cluster.context! },
        });
    });

    after(async () => {
        if (stack) {
            await stack
                .destroy({ onOutput: () => undefined })
                .catch((err: Error) => console.log(`      destroy failed: ${err.message}`));
            await stack.workspace.removeStack(stackName).catch(() => undefined);
            fs.rmSync(path.join(PROJECT_DIR, `Pulumi.${stackName}.yaml`), { force: true });
            fs.rmSync(backend, { recursive: true, force: true });
        }
    });

    const expectation = () => ({
        scope: "cluster" as const,
        namespace,
        roleNamespaces: [],
        rules: presetRules("read-only", "cluster"),
    });

    let firstKubeconfig: string;

    it("pulumi up creates the account, and its kubeconfig passes verify", async () => {
        const up = await stack!.up({ onOutput: () => undefined });
        assert.strictEqual(up.outputs.kubeconfig.secret, true);
        assert.strictEqual(up.outputs.token.secret, true);
        firstKubeconfig = up.outputs.kubeconfig.value as string;
        const report = await verify({ kubeconfig: firstKubeconfig, expectation: expectation() });
        assert.strictEqual(report.mismatches, 0, renderReport(report));
        assert.strictEqual(report.diagnosis, undefined, renderReport(report));
    });

    it("changing tokenRotation issues a new token and revokes the old one", async () => {
        await stack!.setConfig("kube-api-access:tokenRotation", { value: "rotated-1" });
        const up = await stack!.up({ onOutput: () => undefined });
        const kubeconfig = up.outputs.kubeconfig.value as string;
        assert.notStrictEqual(up.outputs.token.value, undefined);
        const fresh = await verify({ kubeconfig, expectation: expectation() });
        assert.strictEqual(fresh.mismatches, 0, renderReport(fresh));
        const old = await verify({ kubeconfig: firstKubeconfig, expectation: expectation() });
        assert.strictEqual(old.diagnosis?.kind, "unauthorized", renderReport(old));
    });

    it("pulumi destroy removes everything", async () => {
        const res = await stack!.destroy({ onOutput: () => undefined });
        assert.strictEqual(res.summary.result, "succeeded");
    });
});
