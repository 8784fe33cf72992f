// Every problem of a stack's settings is reported at once (level 1, mock runtime; the program as plan runs
// it and as pulumi up runs it): one run shows the user the whole list to fix, not one item per run.
import * as assert from "assert";
import { runProgramOffline } from "../../offline/program";
import { KUBECONFIG, userStacks } from "./userStack";

describe("settings problems are reported together (mock runtime)", function () {
    this.timeout(60_000);
    const { refused, refusedUnderCli, stackWith } = userStacks("settings-together");

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

    it("a value of the wrong type does not hide a bad value elsewhere, in plan", async () => {
        const { stack, message } = await refused(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:createNamespace: yes please\n" +
                "  kube-api-access:scope: Namespace\n  kube-api-access:endpoint: https://api.example.test\n",
        );
        const file = `Pulumi\\.${stack}\\.yaml`;
        assert.match(
            message,
            new RegExp(`${file}:3: kube-api-access:createNamespace "yes please": .*Use true or false`),
        );
        assert.match(
            message,
            new RegExp(`${file}:4: kube-api-access:scope "Namespace": unknown scope`),
            message,
        );
    });

    it("a key the project lacks does not hide a bad value elsewhere, under pulumi up", async () => {
        const yaml =
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:acess: full\n" +
            "  kube-api-access:scope: Namespace\n  kube-api-access:endpoint: https://api.example.test\n";
        const { stack, message, resources } = await refusedUnderCli(yaml, {
            "kube-api-access:namespace": "m",
            "kube-api-access:acess": "full",
            "kube-api-access:scope": "Namespace",
            "kube-api-access:endpoint": "https://api.example.test",
        });
        const file = `Pulumi\\.${stack}\\.yaml`;
        assert.match(message, new RegExp(`${file}:3: kube-api-access:acess "full": not a setting`), message);
        assert.match(
            message,
            new RegExp(`${file}:4: kube-api-access:scope "Namespace": unknown scope`),
            message,
        );
        assert.deepStrictEqual(resources, []);
    });

    it("a bad value given with --config is named as given there, not at the stack file's line", async () => {
        const stack = stackWith(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:access: read-only\n" +
                "  kube-api-access:endpoint: https://api.example.test\n",
        );
        const { message } = await runProgramOffline(stack, {
            env: { KUBECONFIG },
            overrides: { "kube-api-access:access": "readonly" },
        }).then(
            () => assert.fail("the settings were accepted"),
            (err: Error) => err,
        );
        assert.match(message, /--config: kube-api-access:access "readonly": unknown access preset/, message);
        assert.doesNotMatch(message, /\.yaml:\d+: kube-api-access:access/, message);
    });

    it("a serviceAccountName too long for the component's name is named as the stack key, at its line", async () => {
        const name = "a".repeat(70);
        const { stack, message } = await refused(
            `config:\n  kube-api-access:namespace: m\n  kube-api-access:serviceAccountName: ${name}\n` +
                "  kube-api-access:endpoint: https://api.example.test\n",
        );
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:3: kube-api-access:serviceAccountName "${name}": .*app\\.kubernetes\\.io/instance`,
            ),
            message,
        );
        assert.doesNotMatch(message, /(^|\s)name "/, message);
    });
});
