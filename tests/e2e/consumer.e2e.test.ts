// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): the consumer
// example (examples/consumer) reads the ci stack's outputs through a StackReference from the same file
// backend and deploys with the account's kubeconfig alone, which stays secret in its state too.
import * as assert from "assert";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../../offline/program";
import { getJson, kubectl } from "./kube";
import { destroy, programCopy, stackOf, up } from "../../testenv/engineStacks";
import { scanForSecrets } from "./secrets";

describe("e2e (real CLI, provider, control plane): the consumer example through a StackReference", function () {
    let access: Stack;
    let consumer: Stack;
    let token: string;

    before(async () => {
        access = await stackOf("ci");
        const res = await up(access);
        token = res.outputs.token.value as string;
        const dir = programCopy(path.join(PROJECT_DIR, "examples", "consumer"), "consumer");
        // A file backend names every stack organization/<project>/<stack>.
        consumer = await stackOf(
            "dev",
            {
                "kube-api-access-consumer:accessStack": { value: "organization/kube-api-access/ci" },
            },
            dir,
        );
    });

    after(async () => {
        if (consumer) {
            await destroy(consumer);
        }
        if (access) {
            await destroy(access);
        }
    });

    for (const useKubeconfig of [true, false]) {
        it(`deploys its ConfigMap as the ci account (${useKubeconfig ? "the kubeconfig output" : "endpoint, caCert and token"})`, async () => {
            await consumer.setConfig("kube-api-access-consumer:useKubeconfig", {
                value: String(useKubeconfig),
            });
            const res = await up(consumer);
            assert.strictEqual(res.summary.result, "succeeded");
            const name = res.outputs.configMapName.value as string;
            const cm = getJson<{ data: Record<string, string> }>("configmap", name, "ci-apps");
            assert.strictEqual(cm.data["deployed-by"], "kube-api-access-consumer");
            // The account may do what the ci rules allow and nothing more.
            const asCi = `--as=system:serviceaccount:ci-apps:ci-deployer`;
            assert.strictEqual(
                kubectl(["auth", "can-i", "create", "configmaps", "-n", "ci-apps", asCi]).stdout.trim(),
                "yes",
            );
            assert.strictEqual(
                kubectl(["auth", "can-i", "list", "pods", "-n", "ci-apps", asCi]).stdout.trim(),
                "no",
            );
            // The stored state, history and CLI output (exportStack would decrypt: it passes --show-secrets).
            // Left out: the Kubernetes provider's own copy of a kubeconfig given to it as a value, which it
            // writes to $TMPDIR/kubeconfig<N> and leaves there (an upstream finding, docs/testing.md); the
            // project writes no such file, and the state, history, logs and transcript are all scanned.
            const found = scanForSecrets([token]).filter((f) => !/^tmp\/kubeconfig\d+$/.test(f));
            assert.deepStrictEqual(found, [], "the kubeconfig read through the StackReference stays secret");
        });
    }
});
