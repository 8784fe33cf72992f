// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): what users see
// when things go wrong: invalid settings (as given, and as written in the stack file, with file and line)
// stop before anything exists, an unreachable API server gives a clear error rather than a hang, and
// without the token controller the wait ends after tokenTimeoutSeconds.
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import * as YAML from "yaml";
import { ConfigMap, Stack } from "@pulumi/pulumi/automation";
import { e2e } from "../../testenv/engine";
import { exists } from "./kube";
import { destroy, failure, stackOf, stateResources, up } from "../../testenv/engineStacks";

const kubernetesResources = async (stack: Stack) =>
    (await stateResources(stack)).filter((r) => r.type.startsWith("kubernetes:"));

/** Runs `pulumi up` expecting it to fail; returns the error text and the seconds it took. */
async function failingUp(stack: Stack): Promise<{ error: string; seconds: number }> {
    const start = Date.now();
    try {
        await up(stack);
    } catch (err) {
        return { error: failure(err), seconds: (Date.now() - start) / 1000 };
    }
    throw new Error(`pulumi up of ${stack.name} succeeded; it should have failed`);
}

/** A port on 127.0.0.1 nothing listens on. */
async function closedPort(): Promise<number> {
    const server = net.createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    await new Promise((resolve) => server.close(resolve));
    return port;
}

describe("e2e (real CLI, provider, control plane): faults", function () {
    const cases: { name: string; config: ConfigMap; key: string; value: string }[] = [
        {
            name: "unknown preset",
            config: { "kube-api-access:access": { value: "admin" } },
            key: "access",
            value: "admin",
        },
        {
            name: "the default ServiceAccount",
            config: { "kube-api-access:serviceAccountName": { value: "default" } },
            key: "serviceAccountName",
            value: "default",
        },
    ];
    for (const c of cases) {
        it(`invalid settings (${c.name}) stop pulumi up before anything exists in the cluster`, async () => {
            const stack = await stackOf(`e2e-invalid-${c.key.toLowerCase()}`, {
                "kube-api-access:namespace": { value: "e2e-invalid" },
                ...c.config,
            });
            const { error } = await failingUp(stack);
            assert.match(error, new RegExp(c.key));
            assert.match(error, new RegExp(`"?${c.value}"?`));
            assert.ok(!exists("namespace", "e2e-invalid"), "no namespace was created");
            assert.deepStrictEqual(await kubernetesResources(stack), []);
        });
    }

    // Settings as users write them in the stack file: the program's own checks under the real CLI, each
    // error naming the stack key, the file and line, and the closest real name.
    const written: { name: string; yaml: string; expect: RegExp }[] = [
        {
            name: "a misspelt key",
            yaml: "  kube-api-access:acess: monitoring\n",
            expect: /Pulumi\.e2e-written-0\.yaml:\d+: kube-api-access:acess "[^"]*": not a setting of kube-api-access; did you mean kube-api-access:access\?/,
        },
        {
            name: "a rule with namespaces",
            yaml: '  kube-api-access:rules:\n    - apiGroups: [""]\n      resources: [pods]\n      verbs: [get]\n      namespaces: [foo]\n',
            expect: /Pulumi\.e2e-written-1\.yaml:\d+: kube-api-access:rules\[0\]\.namespaces \["foo"\]: an RBAC rule has no namespaces/,
        },
        {
            name: "a misspelt Vault field",
            yaml: "  kube-api-access:vault:\n    mode: dynamic\n    tokenMaxTTL: 8h\n",
            expect: /Pulumi\.e2e-written-2\.yaml:\d+: kube-api-access:vault\.tokenMaxTTL "8h": Vault settings have no field "tokenMaxTTL"; did you mean tokenMaxTtl\?/,
        },
        {
            name: "an unknown exportToken",
            yaml: "  kube-api-access:exportToken: yes\n",
            expect: /Pulumi\.e2e-written-3\.yaml:\d+: kube-api-access:exportToken "yes": not one of its values/,
        },
        {
            name: "a misspelt key beside a bad value (both, in one run)",
            yaml: "  kube-api-access:acess: monitoring\n  kube-api-access:scope: Namespace\n",
            expect: /(?=[\s\S]*Pulumi\.e2e-written-4\.yaml:\d+: kube-api-access:acess "monitoring": not a setting)[\s\S]*Pulumi\.e2e-written-4\.yaml:\d+: kube-api-access:scope "Namespace": unknown scope/,
        },
        {
            // Names are checked against the pinned release's API (rbac/builtin/), not only by plan.
            name: "a singular resource name",
            yaml: '  kube-api-access:rules:\n    - apiGroups: [""]\n      resources: [pod]\n      verbs: [get]\n',
            expect: /Pulumi\.e2e-written-5\.yaml:\d+: kube-api-access:rules\[0\]\.resources "pod": Kubernetes [\d.]+'s built-in API has no resource "pod" in group "" \(core\); did you mean "pods"\? Write "pods"/,
        },
    ];
    written.forEach((c, i) => {
        it(`${c.name} in the stack file stops pulumi up with its key, file and line, before anything exists`, async () => {
            const stack = await stackOf(`e2e-written-${i}`, {
                "kube-api-access:namespace": { value: `e2e-written-${i}` },
            });
            const file = path.join(stack.workspace.workDir, `Pulumi.${stack.name}.yaml`);
            fs.appendFileSync(file, c.yaml);
            const { error } = await failingUp(stack);
            assert.match(error, c.expect);
            assert.match(error, /has invalid settings; nothing was created/);
            assert.ok(!exists("namespace", `e2e-written-${i}`), "no namespace was created");
            assert.deepStrictEqual(await kubernetesResources(stack), []);
        });
    });

    it("an unreachable API server gives a clear error naming it, not a hang", async function () {
        this.timeout(5 * 60_000);
        const port = await closedPort();
        const admin = YAML.parse(fs.readFileSync(e2e().adminKubeconfig, "utf8"));
        admin.clusters[0].cluster.server = `https://127.0.0.1:${port}`;
        const file = path.join(e2e().root, "unreachable.kubeconfig");
        fs.writeFileSync(file, YAML.stringify(admin), { mode: 0o600 });
        const stack = await stackOf("e2e-unreachable", {
            "kube-api-access:namespace": { value: "e2e-unreachable" },
            "kubernetes:kubeconfig": { value: file },
        });
        const { error, seconds } = await failingUp(stack);
        console.log(`      (failed after ${seconds.toFixed(1)} s)`);
        assert.match(error, new RegExp(`127\\.0\\.0\\.1:${port}`));
        assert.match(error, /connection refused|unreachable/i);
        assert.deepStrictEqual(await kubernetesResources(stack), []);
    });

    describe("with the token controller stopped", () => {
        let stack: Stack | undefined;
        after(async () => {
            await e2e().cluster.controllerManager.start();
            if (stack) {
                await destroy(stack);
            }
        });

        // The wait is the provider's (pulumi.com/waitFor bounded by customTimeouts), so the failure is its
        // "timed out waiting for the condition" on the token Secret; the component's own message
        // (tokenSecret.ts) only answers a Secret that comes back without data, which a wait that failed never
        // hands to the program. docs/testing.md (faults.e2e.test.ts) says what this error means.
        it("the token wait ends after tokenTimeoutSeconds with the provider's timeout on the token Secret", async () => {
            await e2e().cluster.controllerManager.stop();
            stack = await stackOf("e2e-no-token", {
                "kube-api-access:namespace": { value: "e2e-no-token" },
                "kube-api-access:tokenTimeoutSeconds": { value: "15" },
            });
            const { error, seconds } = await failingUp(stack);
            console.log(`      (failed after ${seconds.toFixed(1)} s)`);
            assert.match(
                error,
                /Secret::api-service-account-token" was successfully created, but .*timed out/,
            );
            assert.ok(
                seconds >= 15,
                `the wait lasted tokenTimeoutSeconds (15 s), not ${seconds.toFixed(1)} s`,
            );
            assert.ok(!error.includes("eyJ"), "no token-like text in the error");
        });
    });
});
