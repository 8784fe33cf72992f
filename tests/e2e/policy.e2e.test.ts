// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): the policy pack
// as users run it, `pulumi preview --policy-pack policy`, started by the CLI through the nodejs language host.
import * as assert from "assert";
import * as path from "path";
import { EngineEvent, PolicyEvent } from "@pulumi/pulumi/automation";
import { POLICY_DIR } from "../../offline/policyPack";
import { kubectl } from "./kube";
import { failure, logged, programCopy, stackOf, stateResources } from "../../testenv/engineStacks";

/** Runs a preview with the pack and returns the policy events and, if it failed, the error text. */
async function previewWithPack(stack: Awaited<ReturnType<typeof stackOf>>) {
    const events: PolicyEvent[] = [];
    const onEvent = (e: EngineEvent) => e.policyEvent && events.push(e.policyEvent);
    try {
        await stack.preview({
            ...logged(`preview --policy-pack ${stack.name}`),
            policyPacks: [POLICY_DIR],
            onEvent,
        });
        return { events, error: undefined };
    } catch (err) {
        return { events, error: failure(err) };
    }
}

describe("e2e (real CLI, provider, control plane): pulumi preview --policy-pack policy", function () {
    for (const name of ["dev", "prod", "ci"]) {
        it(`is clean for the ${name} stack`, async () => {
            const stack = await stackOf(name);
            const { events, error } = await previewWithPack(stack);
            assert.strictEqual(error, undefined, error);
            assert.deepStrictEqual(
                events.map((e) => `${e.enforcementLevel} ${e.policyName}: ${e.message}`),
                [],
            );
            assert.deepStrictEqual(await stateResources(stack), [], "a preview creates nothing");
        });
    }

    describe("a program that binds a role to a default ServiceAccount (tests/fixtures/unsafe-program)", () => {
        const NS = "apps";
        before(() => {
            // The namespace exists, so nothing but the pack stands between the program and the cluster.
            const res = kubectl(["create", "namespace", NS]);
            assert.strictEqual(res.status, 0, res.stderr);
        });
        after(() => kubectl(["delete", "namespace", NS, "--wait=false"]));

        it("fails with the mandatory violation, exits non-zero and creates nothing", async () => {
            const dir = programCopy(
                path.join(__dirname, "..", "fixtures", "unsafe-program"),
                "unsafe-program",
            );
            const stack = await stackOf("dev", {}, dir);
            const { events, error } = await previewWithPack(stack);
            assert.ok(error, "the preview must fail");
            const mandatory = events.filter((e) => e.enforcementLevel === "mandatory");
            assert.deepStrictEqual(
                mandatory.map((e) => e.policyName),
                ["no-default-service-account-binding"],
            );
            assert.match(mandatory[0].message, /default/);
            assert.match(error, /no-default-service-account-binding/);
            const left = kubectl(["get", "roles,rolebindings", "-n", NS, "-o", "name"]);
            assert.strictEqual(left.status, 0, left.stderr);
            assert.strictEqual(left.stdout.trim(), "", "nothing was created in the namespace");
            assert.deepStrictEqual(await stateResources(stack), []);
        });
    });
});
