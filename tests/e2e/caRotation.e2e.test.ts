// Level 4, end to end (real Pulumi CLI, provider, control plane): the steps docs/rotations.md gives after a
// cluster CA rotation. kube-controller-manager is restarted with a new --root-ca-file (the bundle of the
// old and a new CA, as during a rotation); the token controller rewrites the token Secret's ca.crt, and
// `pulumi refresh` then `pulumi up` hand the new CA out in `caCert`.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { e2e } from "../../testenv/engine";
import { destroy, logged, stackOf, up } from "../../testenv/engineStacks";
import { createPki } from "../../testenv/pki";
import { kubeconfigFile, kubectl } from "./kube";

const STACK = "e2e-ca-rotation";
const SECRET = "api-service-account-token";

/** The token Secret's ca.crt, as the cluster holds it now. */
function liveCa(): string {
    const res = kubectl(["get", "secret", SECRET, "-n", STACK, "-o", "jsonpath={.data.ca\\.crt}"]);
    assert.strictEqual(res.status, 0, res.stderr);
    return Buffer.from(res.stdout, "base64").toString("utf8");
}

describe("e2e (real CLI, provider, control plane): after a cluster CA rotation", function () {
    let stack: Stack;
    let bundle: string;
    let bundleFile: string;
    let clusterCa: string;

    before(async () => {
        clusterCa = fs.readFileSync(e2e().cluster.caCert, "utf8");
        const dir = fs.mkdtempSync(path.join(e2e().root, "rotated-ca-"));
        const next = fs.readFileSync(createPki(dir).caCert, "utf8");
        bundle = `${clusterCa.trim()}\n${next.trim()}\n`;
        bundleFile = path.join(dir, "bundle.pem");
        fs.writeFileSync(bundleFile, bundle);
        stack = await stackOf(STACK, { "kube-api-access:namespace": { value: STACK } });
    });
    after(async () => {
        // Back to the cluster CA, so later tests see the token Secrets they expect.
        await e2e().cluster.controllerManager.stop();
        await e2e().cluster.controllerManager.start();
        await destroy(stack);
    });

    it("the token controller rewrites ca.crt; refresh and up hand out the new CA, and the kubeconfig still works", async () => {
        const first = await up(stack);
        assert.strictEqual(first.outputs.caCert.value, clusterCa);

        await e2e().cluster.controllerManager.stop();
        await e2e().cluster.controllerManager.start({ rootCaFile: bundleFile });
        const deadline = Date.now() + 120_000;
        while (liveCa() !== bundle && Date.now() < deadline) {
            await new Promise((r) => setTimeout(r, 1000));
        }
        assert.strictEqual(liveCa(), bundle, "the token controller did not rewrite ca.crt");

        // Without a refresh, up renders the outputs from the state's ca.crt.
        assert.strictEqual((await up(stack)).outputs.caCert.value, clusterCa);

        await stack.refresh(logged(`refresh ${STACK}`));
        const after = await up(stack);
        assert.strictEqual(after.outputs.caCert.value, bundle);
        const file = kubeconfigFile(STACK, after.outputs.kubeconfig.value as string);
        const who = kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], file);
        assert.strictEqual(who.status, 0, who.stderr);
    });
});
