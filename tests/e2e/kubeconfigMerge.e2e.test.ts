// Level 4, end to end (real Pulumi CLI, provider, control plane and kubectl): the kubeconfigs of two stacks
// merge into one file with real kubectl (`KUBECONFIG=a:b kubectl config view --flatten`, which keeps the
// first entry of each name), and each context of the merged file still authenticates as its own account.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { kubeconfigFile, kubectl } from "./kube";
import { destroy, stackOf, up } from "../../testenv/engineStacks";

const STACKS = [
    { stack: "e2e-merge-a", namespace: "mergea" },
    { stack: "e2e-merge-b", namespace: "mergeb" },
];

describe("e2e (real CLI, provider, control plane, kubectl): two stacks' kubeconfigs merged", function () {
    const stacks: Stack[] = [];
    const files: string[] = [];

    before(async () => {
        for (const s of STACKS) {
            // The same account name in both: only the namespace tells them apart.
            const stack = await stackOf(s.stack, { "kube-api-access:namespace": { value: s.namespace } });
            stacks.push(stack);
            const res = await up(stack);
            files.push(kubeconfigFile(s.stack, res.outputs.kubeconfig.value as string));
        }
    });
    after(async () => {
        for (const stack of stacks) {
            await destroy(stack);
        }
    });

    it("keeps two contexts, each with its own server, CA and token, that authenticate as their own account", () => {
        const view = spawnSync(
            "kubectl",
            ["config", "view", "--flatten", "--raw", "-o", "jsonpath={.contexts[*].name}"],
            { encoding: "utf8", env: { ...process.env, KUBECONFIG: files.join(path.delimiter) } },
        );
        assert.strictEqual(view.status, 0, view.stderr);
        const contexts = view.stdout.trim().split(" ");
        assert.strictEqual(contexts.length, 2, `merged contexts: ${view.stdout}`);

        const merged = spawnSync("kubectl", ["config", "view", "--flatten", "--raw"], {
            encoding: "utf8",
            env: { ...process.env, KUBECONFIG: files.join(path.delimiter) },
        });
        assert.strictEqual(merged.status, 0, merged.stderr);
        const mergedFile = kubeconfigFile("merged", merged.stdout);
        for (const [i, s] of STACKS.entries()) {
            const context = contexts.find((c) => c.includes(`/${s.namespace}/`));
            assert.ok(context, `no context for namespace ${s.namespace} in ${contexts.join(", ")}`);
            const who = kubectl(
                ["--context", context, "auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"],
                mergedFile,
            );
            assert.strictEqual(who.status, 0, who.stderr);
            assert.strictEqual(
                who.stdout,
                `system:serviceaccount:${s.namespace}:api-service-account`,
                `stack ${i}`,
            );
        }
    });
});
