// Level 4, end to end (real Pulumi CLI, Kubernetes provider 4.25.0 and control plane on loopback): with an
// explicit provider and no args.kubeconfig, the ownership check reads the cluster through the kubeconfig
// the provider resource itself holds, so a pre-existing namespace is refused there too, and a new one is
// created and destroyed. No default kubeconfig exists in the run (the tier unsets KUBECONFIG), so nothing
// else could tell the component which cluster the provider deploys to.
import * as assert from "assert";
import * as fs from "fs";
import * as k8s from "@pulumi/kubernetes";
import { LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { ApiServiceAccount } from "../../components";
import { ANNOTATIONS } from "../../components/metadata";
import { e2e } from "../../testenv/engine";
import { destroy, failure, up } from "../../testenv/engineStacks";
import { exists, getJson, kubectl } from "./kube";

const TAKEN = "e2e-explicit-taken";
const FRESH = "e2e-explicit-fresh";

/** An inline program: an explicit provider from the admin kubeconfig's text, and the component on it. */
async function stackFor(namespace: string): Promise<Stack> {
    const kubeconfig = fs.readFileSync(e2e().adminKubeconfig, "utf8");
    return LocalWorkspace.createOrSelectStack({
        stackName: namespace,
        projectName: "explicit-provider",
        program: () => {
            const provider = new k8s.Provider("explicit", { kubeconfig });
            const account = new ApiServiceAccount("app", { namespace }, { provider });
            return Promise.resolve({ endpoint: account.endpoint, namespace: account.namespace });
        },
    });
}

describe("e2e (real CLI, provider, control plane): an explicit provider without args.kubeconfig", function () {
    const stacks: Stack[] = [];
    before(() => {
        const res = kubectl(["create", "namespace", TAKEN]);
        assert.strictEqual(res.status, 0, res.stderr);
    });
    after(async () => {
        for (const stack of stacks) {
            await destroy(stack);
        }
        kubectl(["delete", "namespace", TAKEN, "--wait=false"]);
    });

    // An inline program: before the token Secrets' ledger read failed with the refused account
    // (components/tokenSecret.ts), this up never ended (the Automation API waits for every RPC).
    it("refuses a namespace made beforehand, read through the provider's own kubeconfig", async () => {
        const stack = await stackFor(TAKEN);
        stacks.push(stack);
        const before = getJson<{ metadata: { resourceVersion: string } }>("namespace", TAKEN);
        const error = await up(stack).then(
            () => assert.fail("pulumi up succeeded where it had to stop"),
            (err: unknown) => failure(err),
        );
        assert.match(error, new RegExp(`Namespace "${TAKEN}" exists`));
        assert.match(error, /createNamespace: false/);
        const after = getJson<{
            metadata: { resourceVersion: string; annotations?: Record<string, string> };
        }>("namespace", TAKEN);
        assert.strictEqual(
            after.metadata.resourceVersion,
            before.metadata.resourceVersion,
            "the namespace changed",
        );
        assert.strictEqual(after.metadata.annotations?.[ANNOTATIONS.owner], undefined);
        assert.ok(!exists("serviceaccount", "app", TAKEN), "a ServiceAccount was created");
    });

    it("creates a new namespace's objects, with the endpoint read from the provider, and destroys them", async () => {
        const stack = await stackFor(FRESH);
        stacks.push(stack);
        const res = await up(stack);
        assert.strictEqual(res.summary.result, "succeeded");
        assert.strictEqual(res.outputs.endpoint.value, e2e().cluster.server);
        assert.ok(exists("serviceaccount", "app", FRESH));
        await destroy(stack);
        assert.ok(!exists("serviceaccount", "app", FRESH), "destroy left the account");
    });
});
