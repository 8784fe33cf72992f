// Every problem of a stack's settings is reported at once (level 1, mock runtime; the program as plan runs
// it and as pulumi up runs it): one run shows the user the whole list to fix, not one item per run.
import * as assert from "assert";
import { userStacks } from "./userStack";

describe("settings problems are reported together (mock runtime)", function () {
    this.timeout(60_000);
    const { refused, refusedUnderCli } = userStacks("settings-together");

    const all =
        "config:\n  kube-api-access:namespace: m\n  kube-api-access:exportToken: yes\n  kube-api-access:access: monitorng\n" +
        "  kube-api-access:tokenTimeoutSeconds: -5\n  kube-api-access:endpoint: http://x\n";

    it("exportToken, access, tokenTimeoutSeconds and endpoint in one message, in plan", async () => {
        const { message } = await refused(all);
        for (const key of ["exportToken", "access", "tokenTimeoutSeconds", "endpoint"]) {
            assert.match(message, new RegExp(`kube-api-access:${key} `), `${key} missing:\n${message}`);
        }
    });

    it("the same under pulumi up, nothing registered", async () => {
        const { message, resources } = await refusedUnderCli(all, {
            "kube-api-access:namespace": "m",
            "kube-api-access:exportToken": "yes",
            "kube-api-access:access": "monitorng",
            "kube-api-access:tokenTimeoutSeconds": "-5",
            "kube-api-access:endpoint": "http://x",
        });
        for (const key of ["exportToken", "access", "tokenTimeoutSeconds", "endpoint"]) {
            assert.match(message, new RegExp(`kube-api-access:${key} `), `${key} missing:\n${message}`);
        }
        assert.deepStrictEqual(resources, []);
    });

    it("a rules problem does not hide the vault one, nor one field of a rule another", async () => {
        const { message } = await refused(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:endpoint: https://api.example.test\n" +
                '  kube-api-access:vault: kv\n  kube-api-access:rules:\n    - apiGroups: [""]\n      resources: pods\n      verbs: get\n',
        );
        assert.match(message, /kube-api-access:rules\[0\]\.resources "pods"/, message);
        assert.match(message, /kube-api-access:rules\[0\]\.verbs "get"/, message);
        assert.match(message, /kube-api-access:vault "kv"/, message);
    });
});
