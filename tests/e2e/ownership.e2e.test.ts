// Level 4, end to end (real Pulumi CLI, Kubernetes provider 4.25.0 and control plane on loopback): the stack
// never takes over what it did not create. The pinned provider creates with server-side apply, which
// upserts (pulumi/pulumi-kubernetes#2926), so without the component's check each refusal below would be
// an adoption, and destroy would delete the user's namespace and everything in it.
import * as assert from "assert";
import { Stack } from "@pulumi/pulumi/automation";
import { ANNOTATIONS } from "../../components/metadata";
import { exists, getJson, kubectl } from "./kube";
import { destroy, failure, stackOf, stateResources, up } from "../../testenv/engineStacks";

interface Meta {
    metadata: {
        uid: string;
        resourceVersion: string;
        labels?: Record<string, string>;
        annotations?: Record<string, string>;
    };
}

/** kubectl as the admin, which must succeed. */
const run = (args: string[], input?: string) => {
    const res = kubectl(args, undefined, input);
    assert.strictEqual(res.status, 0, `kubectl ${args.join(" ")}: ${res.stderr}`);
};

/** The Kubernetes objects the stack's state holds (no provider, stack or component). */
const kubernetesState = async (stack: Stack) =>
    (await stateResources(stack)).filter(
        (r) => r.type.startsWith("kubernetes:") && !r.type.includes("providers"),
    );

async function refusedUp(stack: Stack): Promise<string> {
    try {
        await up(stack);
    } catch (err) {
        return failure(err);
    }
    assert.fail("pulumi up succeeded where it had to stop");
}

describe("e2e (real CLI, provider, control plane): the stack never takes over what it did not create", function () {
    describe("a namespace made beforehand with kubectl, holding a ConfigMap (the prod stack's monitoring)", () => {
        const NS = "monitoring";
        let stack: Stack;
        let original: Meta;

        before(async () => {
            run(["create", "namespace", NS]);
            run(["create", "configmap", "precious", "-n", NS, "--from-literal=keep=me"]);
            original = getJson<Meta>("namespace", NS);
            stack = await stackOf("prod");
        });
        after(async () => {
            await destroy(stack);
            kubectl(["delete", "namespace", NS, "--wait=false"]);
        });

        it("pulumi up stops before creating anything, naming the namespace and createNamespace: false", async () => {
            const error = await refusedUp(stack);
            assert.match(error, /stopped before creating or changing anything/);
            assert.match(error, /Namespace "monitoring" exists/);
            assert.match(error, /createNamespace: false/);
            const now = getJson<Meta>("namespace", NS);
            assert.strictEqual(now.metadata.uid, original.metadata.uid);
            assert.strictEqual(
                now.metadata.resourceVersion,
                original.metadata.resourceVersion,
                "the namespace changed",
            );
            assert.strictEqual(now.metadata.annotations?.[ANNOTATIONS.owner], undefined);
            assert.ok(!exists("serviceaccount", "prometheus-external", NS), "a ServiceAccount was created");
            assert.ok(!exists("clusterrole", "kube-api-access:monitoring:prometheus-external"));
            assert.deepStrictEqual(await kubernetesState(stack), []);
        });

        it("with createNamespace: false, up uses the namespace and destroy leaves it and its ConfigMap", async () => {
            await stack.setConfig("kube-api-access:createNamespace", { value: "false" });
            const res = await up(stack);
            assert.strictEqual(res.summary.result, "succeeded");
            assert.ok(exists("serviceaccount", "prometheus-external", NS));
            const used = getJson<Meta>("namespace", NS);
            assert.strictEqual(used.metadata.uid, original.metadata.uid);
            assert.strictEqual(
                used.metadata.annotations?.[ANNOTATIONS.owner],
                undefined,
                "the namespace was marked",
            );
            assert.strictEqual(
                used.metadata.labels?.["app.kubernetes.io/part-of"],
                undefined,
                "the namespace was labelled",
            );
            assert.ok(!(await kubernetesState(stack)).some((r) => r.type === "kubernetes:core/v1:Namespace"));

            // A second up finds its own objects (marked with its URN) and goes on.
            assert.strictEqual((await up(stack)).summary.result, "succeeded");

            await destroy(stack);
            assert.strictEqual(getJson<Meta>("namespace", NS).metadata.uid, original.metadata.uid);
            assert.ok(exists("configmap", "precious", NS), "the user's ConfigMap was deleted");
            assert.ok(
                !exists("serviceaccount", "prometheus-external", NS),
                "destroy left the stack's account",
            );
        });
    });

    describe("a ClusterRole of the component's name made beforehand", () => {
        const NS = "e2e-owned-role";
        const ROLE = `kube-api-access:${NS}:reader`;
        let stack: Stack;

        before(async () => {
            run(
                ["create", "-f", "-"],
                JSON.stringify({
                    apiVersion: "rbac.authorization.k8s.io/v1",
                    kind: "ClusterRole",
                    metadata: { name: ROLE },
                    rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }],
                }),
            );
            stack = await stackOf("e2e-owned-role", {
                "kube-api-access:namespace": { value: NS },
                "kube-api-access:serviceAccountName": { value: "reader" },
            });
        });
        after(async () => {
            await destroy(stack);
            kubectl(["delete", "clusterrole", ROLE]);
        });

        it("pulumi up stops before creating anything, naming the ClusterRole; the role is unchanged", async () => {
            const original = getJson<Meta & { rules: unknown[] }>("clusterrole", ROLE);
            const error = await refusedUp(stack);
            assert.match(error, new RegExp(`ClusterRole "${ROLE}" exists`));
            assert.match(error, /serviceAccountName/);
            const now = getJson<Meta & { rules: unknown[] }>("clusterrole", ROLE);
            assert.strictEqual(
                now.metadata.resourceVersion,
                original.metadata.resourceVersion,
                "the role changed",
            );
            assert.deepStrictEqual(now.rules, original.rules);
            assert.ok(!exists("namespace", NS), "the namespace was created before the refusal");
            assert.ok(!exists("clusterrolebinding", ROLE));
            assert.deepStrictEqual(await kubernetesState(stack), []);
        });
    });
});
