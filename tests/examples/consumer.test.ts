// examples/consumer under the mock runtime (level 1): the StackReference answers with the outputs of a
// kube-api-access stack run offline, and the consumer must deploy through a provider built from them.
import * as assert from "assert";
import * as path from "path";
import * as YAML from "yaml";
import { PROJECT_DIR, runProgramOffline } from "../../offline/program";
import { FIXTURES } from "../helpers";

const CONSUMER = path.join(PROJECT_DIR, "examples", "consumer");
const ACCESS_STACK = "my-org/kube-api-access/ci";

async function accessOutputs() {
    const run = await runProgramOffline("ci", {
        env: { KUBECONFIG: path.join(FIXTURES, "kubeconfig.yaml") },
    });
    return {
        outputs: Object.fromEntries(Object.entries(run.outputs).map(([k, v]) => [k, v.value])),
        secretOutputNames: Object.entries(run.outputs)
            .filter(([, v]) => v.secret)
            .map(([k]) => k),
    };
}

describe("examples/consumer (mock runtime)", () => {
    for (const useKubeconfig of [true, false]) {
        it(`deploys a ConfigMap as the account, with a provider from the ${useKubeconfig ? "kubeconfig output" : "endpoint, CA and token outputs"}`, async () => {
            const access = await accessOutputs();
            assert.deepStrictEqual(access.secretOutputNames.sort(), ["kubeconfig", "token"]);
            const run = await runProgramOffline("dev", {
                dir: CONSUMER,
                overrides: { "kube-api-access-consumer:useKubeconfig": useKubeconfig },
                stackReferences: { [ACCESS_STACK]: access },
            });
            // The StackReference is read (ReadResource), not registered, so only these two are created.
            const types = run.resources.map((r) => `${r.type} ${r.name}`).sort();
            assert.deepStrictEqual(types, [
                "kubernetes:core/v1:ConfigMap app-settings",
                "pulumi:providers:kubernetes api-access",
            ]);
            const provider = run.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
            assert.ok(
                provider.secretInputs.includes("kubeconfig"),
                "the kubeconfig must reach the provider as a secret",
            );
            const kc = YAML.parse(provider.inputs.kubeconfig as string);
            assert.strictEqual(kc.clusters[0].cluster.server, "https://dev.k8s.example.test:6443");
            assert.strictEqual(kc.users[0].user.token, access.outputs.token);
            assert.strictEqual(provider.inputs.namespace, "ci-apps");

            const configMap = run.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
            assert.match(
                configMap.provider,
                /pulumi:providers:kubernetes::api-access::/,
                "the ConfigMap must use the account's provider",
            );
            assert.deepStrictEqual((configMap.inputs.metadata as { namespace: string }).namespace, "ci-apps");
        });
    }

    it("is allowed by the ci stack's rules: it writes only ConfigMaps in the account's namespace", async () => {
        const run = await runProgramOffline("ci", {
            env: { KUBECONFIG: path.join(FIXTURES, "kubeconfig.yaml") },
        });
        const rules = run.outputs.rules.value as { resources: string[]; verbs: string[] }[];
        assert.deepStrictEqual(run.outputs.scope.value, "namespace");
        assert.ok(
            rules.some(
                (r) =>
                    r.resources.includes("configmaps") &&
                    r.verbs.includes("create") &&
                    r.verbs.includes("patch"),
            ),
        );
    });
});
