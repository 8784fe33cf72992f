// Misspelt provider keys (level 1, mock runtime; plan's loader and the program under pulumi up): a key in
// the kubernetes: or vault: namespace that the installed provider SDK does not have is refused with the
// closest real one, since the provider would ignore it (kubernetes:contxt: pulumi up would use the
// current context, possibly another cluster).
import * as assert from "assert";
import { providerKeys } from "../../settings/providerKeys";
import { userStacks } from "./userStack";

describe("provider keys as the installed SDKs know them (mock runtime)", function () {
    this.timeout(60_000);
    const { refused, refusedUnderCli } = userStacks("provider-keys");

    it("reads the lists from the SDKs: the keys the program and README use are there", () => {
        // strictMode and enableReplaceCRD are configuration variables that ProviderArgs lacks.
        for (const key of [
            "context",
            "kubeconfig",
            "cluster",
            "namespace",
            "enableServerSideApply",
            "strictMode",
            "enableReplaceCRD",
        ]) {
            assert.ok(providerKeys("kubernetes")?.includes(key), key);
        }
        for (const key of ["address", "token", "namespace", "skipTlsVerify"]) {
            assert.ok(providerKeys("vault")?.includes(key), key);
        }
    });

    for (const [key, meant] of [
        ["kubernetes:contxt", "kubernetes:context"],
        ["kubernetes:kubeconfg", "kubernetes:kubeconfig"],
        ["vault:adress", "vault:address"],
    ]) {
        it(`${key} is refused with did you mean ${meant}, in plan`, async () => {
            const { stack, message } = await refused(
                `config:\n  kube-api-access:namespace: m\n  kube-api-access:endpoint: https://api.example.test\n  ${key}: prod\n`,
            );
            assert.match(
                message,
                new RegExp(`Pulumi\\.${stack}\\.yaml:4: ${key} "prod": .*did you mean ${meant}\\?`),
                message,
            );
        });
    }

    it("the same under pulumi up, nothing registered", async () => {
        const { message, resources } = await refusedUnderCli(
            "config:\n  kube-api-access:namespace: m\n  kubernetes:contxt: prod\n",
            {
                "kube-api-access:namespace": "m",
                "kube-api-access:endpoint": "https://api.example.test",
                "kubernetes:contxt": "prod",
            },
        );
        assert.match(message, /kubernetes:contxt "prod": .*did you mean kubernetes:context\?/);
        assert.deepStrictEqual(resources, []);
    });
});
