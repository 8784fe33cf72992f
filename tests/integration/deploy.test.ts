// Level 4: pulumi up, verify, a token rotation and pulumi destroy through the Automation API against a
// real test cluster (kind). Runs where the Pulumi CLI and such a cluster exist; otherwise says why not.
import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { presetRules } from "../../components/rbac";
import { renderReport, verify } from "../../cli/verify";
import { pulumiCli, requireAll, testCluster } from "./prerequisites";
import { TemporaryStack, temporaryStack } from "./stack";

describe("integration: deploy, verify, rotate, destroy (Automation API, real cluster)", function () {
    this.timeout(15 * 60_000);
    const suffix = Math.random().toString(36).slice(2, 8);
    const stackName = `it-${suffix}`;
    const namespace = `kube-api-access-it-${suffix}`;
    let temp: TemporaryStack | undefined;
    let stack: Stack | undefined;

    before(async function () {
        const cluster = testCluster();
        requireAll(this, [pulumiCli(), cluster]);
        temp = await temporaryStack(stackName, {
            "kube-api-access:namespace": { value: namespace },
            "kube-api-access:serviceAccountName": { value: "it-reader" },
            "kubernetes:context": { value: cluster.context! },
        });
        stack = temp.stack;
    });

    after(async () => temp?.dispose());

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
