// Settings as a user writes them (level 1, mock runtime): typos and unknown fields are errors that name
// the stack key, the file and the line, with a "did you mean", before anything is created; the program
// checks the same way under `pulumi up` (config from the CLI) as the offline tools do.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { plan } from "../../cli/plan/plan";
import { PROJECT_DIR } from "../../offline/program";
import { userStacks } from "./userStack";

describe("settings as written in a stack file (mock runtime)", function () {
    this.timeout(60_000);
    const { stackWith, refused, refusedUnderCli } = userStacks("settings-test");

    it("a misspelt key is an error with the closest real key, not ignored for the default", async () => {
        const { stack, message } = await refused(
            "config:\n  kube-api-access:namespace: monitoring\n  kube-api-access:acess: monitoring\n",
        );
        assert.match(message, new RegExp(`stack ${stack} has invalid settings; nothing was created`));
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:3: kube-api-access:acess "monitoring": not a setting of kube-api-access; did you mean kube-api-access:access\\?`,
            ),
        );
    });

    it("a misspelt required key is named, not only the missing one", async () => {
        const { stack, message } = await refused("config:\n  kube-api-access:namepsace: monitoring\n");
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:2: kube-api-access:namepsace .*did you mean kube-api-access:namespace\\?`,
            ),
        );
        assert.match(message, /kube-api-access:namespace \(not set\): it is required/);
    });

    it("a rule with namespaces is refused: it would have granted the rule cluster-wide", async () => {
        const { stack, message } = await refused(
            [
                "config:",
                "  kube-api-access:namespace: monitoring",
                "  kube-api-access:rules:",
                '    - apiGroups: [""]',
                "      resources: [pods]",
                "      verbs: [get]",
                "      namespaces: [foo]",
                "",
            ].join("\n"),
        );
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:7: kube-api-access:rules\\[0\\]\\.namespaces \\["foo"\\]: an RBAC rule has no namespaces.*kube-api-access:scope: "namespace"`,
            ),
        );
        assert.doesNotMatch(message, /args\./);
    });

    it("an unknown rule field is refused with the closest real one", async () => {
        const { message } = await refused(
            'config:\n  kube-api-access:namespace: m\n  kube-api-access:rules:\n    - apiGroups: [""]\n      resource: [pods]\n      verbs: [get]\n',
        );
        assert.match(
            message,
            /kube-api-access:rules\[0\]\.resource \["pods"\]: an RBAC rule has no field "resource"; did you mean resources\?/,
        );
    });

    it("a misspelt Vault field is refused, not left to its default", async () => {
        const { stack, message } = await refused(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:vault:\n    mode: dynamic\n    tokenMaxTTL: 8h\n",
        );
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:5: kube-api-access:vault\\.tokenMaxTTL "8h": Vault settings have no field "tokenMaxTTL"; did you mean tokenMaxTtl\\?`,
            ),
        );
    });

    it("names the stack key allowWildcards, not the component's argument", async () => {
        const { stack, message } = await refused(
            'config:\n  kube-api-access:namespace: m\n  kube-api-access:rules:\n    - apiGroups: [""]\n      resources: [pods]\n      verbs: ["*"]\n',
        );
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:6: kube-api-access:rules\\[0\\]\\.verbs \\["\\*"\\]: .*set kube-api-access:allowWildcards: true`,
            ),
        );
        assert.doesNotMatch(message, /args\./);
    });

    it("names the stack key exportToken, its file and line, for the settings the program reads itself", async () => {
        const bad = await refused(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:exportToken: yes\n",
        );
        assert.match(
            bad.message,
            new RegExp(
                `Pulumi\\.${bad.stack}\\.yaml:3: kube-api-access:exportToken "yes": not one of its values\\. Use "auto"`,
            ),
        );
        const dynamic = await refused(
            'config:\n  kube-api-access:namespace: m\n  kube-api-access:vault:\n    mode: dynamic\n  kube-api-access:exportToken: "true"\n',
        );
        assert.match(
            dynamic.message,
            new RegExp(
                `Pulumi\\.${dynamic.stack}\\.yaml:5: kube-api-access:exportToken "true": Vault mode "dynamic" \\(kube-api-access:vault\\.mode\\).*Set kube-api-access:exportToken to "auto"`,
            ),
        );
    });

    it("a YAML error names the file, line and column", async () => {
        const { stack, message } = await refused(
            "config:\n  kube-api-access:namespace: [m\n  kube-api-access:scope: cluster\n",
        );
        assert.match(message, new RegExp(`Pulumi\\.${stack}\\.yaml:3:\\d+: `));
    });

    it("plan refuses the same settings, before writing anything", async () => {
        const stack = stackWith("config:\n  kube-api-access:namespace: m\n  kube-api-access:acess: full\n");
        const out = path.join(PROJECT_DIR, "plan-out", "settings-test-never-written");
        await assert.rejects(
            plan({ stack, outDir: out, policy: false }),
            /kube-api-access:acess "full": not a setting/,
        );
        assert.ok(!fs.existsSync(out));
    });

    it("under pulumi up (config from the CLI, no offline loader) the program refuses a misspelt key itself", async () => {
        // What the CLI hands the program: every key, with Pulumi.yaml's defaults applied.
        const { stack, message, resources } = await refusedUnderCli(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:acess: monitoring\n",
            {
                "kube-api-access:namespace": "m",
                "kube-api-access:acess": "monitoring",
                "kube-api-access:endpoint": "https://api.example.test",
            },
        );
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:3: kube-api-access:acess .*did you mean kube-api-access:access\\?`,
            ),
        );
        assert.deepStrictEqual(resources, []);
    });
});
