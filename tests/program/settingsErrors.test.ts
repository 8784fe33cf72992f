// Settings mistakes found by a fresh-eyes audit (level 1, mock runtime; the CLI's own behaviour was
// checked with the real pulumi preview and is noted where it decides): each error names the field the
// user wrote, where the value came from, file:line, the value and the fix, in plan and under pulumi up.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../cli/plan/plan";
import { runProgramOffline } from "../../offline/program";
import { presetRules } from "../../components/rbac";
import { at, only, TYPES, writeKubeconfig } from "../helpers";
import { KUBECONFIG, userStacks } from "./userStack";

const line = (stack: string, n: number) => `Pulumi\\.${stack}\\.yaml:${n}: `;

describe("settings errors name what the user wrote (mock runtime)", function () {
    this.timeout(60_000);
    const { stackWith, refused, refusedUnderCli } = userStacks("settings-errors");
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "settings-errors-"));
    after(() => fs.rmSync(tmp, { recursive: true, force: true }));

    describe("Vault: the field written, at its own line", () => {
        const kvWithMaxTtl =
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:vault:\n    mode: kv\n    tokenMaxTtl: 5h\n";

        it("a token lifetime in kv mode names tokenMaxTtl at line 5, in plan", async () => {
            const { stack, message } = await refused(kvWithMaxTtl);
            assert.match(
                message,
                new RegExp(
                    `${line(stack, 5)}kube-api-access:vault\\.tokenMaxTtl "5h": token lifetimes apply to mode "dynamic"`,
                ),
            );
            assert.doesNotMatch(message, /tokenDefaultTtl/);
        });

        it("the same under pulumi up, with the config as the CLI hands it over", async () => {
            const { stack, message, resources } = await refusedUnderCli(kvWithMaxTtl, {
                "kube-api-access:namespace": "m",
                "kube-api-access:endpoint": "https://api.example.test",
                "kube-api-access:vault": JSON.stringify({ mode: "kv", tokenMaxTtl: "5h" }),
            });
            assert.match(message, new RegExp(`${line(stack, 5)}kube-api-access:vault\\.tokenMaxTtl "5h"`));
            assert.doesNotMatch(message, /tokenDefaultTtl/);
            assert.deepStrictEqual(resources, []);
        });

        it("a tokenMaxTtl below the default tokenDefaultTtl blames tokenMaxTtl, not the default", async () => {
            const { stack, message } = await refused(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:vault:\n    mode: dynamic\n    tokenMaxTtl: 30m\n",
            );
            assert.match(
                message,
                new RegExp(
                    `${line(stack, 5)}kube-api-access:vault\\.tokenMaxTtl "30m": it is below tokenDefaultTtl \\(1h, the default\\)`,
                ),
            );
            assert.doesNotMatch(message, /tokenDefaultTtl "1h"/);
        });
    });

    describe("an endpoint the user did not write", () => {
        it("names the kubeconfig, context and cluster it came from, not a line of the stack file", async () => {
            const kubeconfig = writeKubeconfig(
                path.join(tmp, "kc-incluster.yaml"),
                "https://kubernetes.default.svc:443",
                { cluster: "inside", context: "pod" },
            );
            const stack = stackWith("config:\n  kube-api-access:namespace: m\n");
            const error = await plan({
                stack,
                kubeconfig,
                outDir: path.join(tmp, "out"),
                policy: false,
            }).then(
                () => assert.fail("the in-cluster endpoint was accepted"),
                (err: Error) => err,
            );
            assert.ok(
                error.message.includes(
                    `kube-api-access:endpoint (not set): "https://kubernetes.default.svc:443", the server of ` +
                        `--kubeconfig ${kubeconfig}, context "pod", cluster "inside": it is the API server's ` +
                        `in-cluster address`,
                ),
                error.message,
            );
            assert.match(error.message, /Set kube-api-access:endpoint to the API server's external URL/);
            assert.doesNotMatch(error.message, /Pulumi\.[^ ]*\.yaml:\d/);
        });
    });

    describe("a scalar where an object or a list belongs", () => {
        for (const [written, key, says] of [
            ["kv", "vault", 'kube-api-access:vault "kv": it must be an object'],
            ["'hello'", "rules", 'kube-api-access:rules "hello": it must be a list of RBAC PolicyRules'],
            ["[]", "vault", "kube-api-access:vault \\[\\]: it must be an object"],
        ] as const) {
            it(`${key}: ${written} is named with its line and the fix, in plan`, async () => {
                const { stack, message } = await refused(
                    `config:\n  kube-api-access:namespace: m\n  kube-api-access:${key}: ${written}\n`,
                );
                assert.match(message, new RegExp(`${line(stack, 3)}${says}\\. (Use|Give) `));
                assert.doesNotMatch(message, /not a valid JSON object|vault\.mode/);
            });
        }

        it("vault: kv under pulumi up: the program names it, not the SDK's JSON error", async () => {
            const { stack, message, resources } = await refusedUnderCli(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:vault: kv\n",
                {
                    "kube-api-access:namespace": "m",
                    "kube-api-access:endpoint": "https://api.example.test",
                    "kube-api-access:vault": "kv",
                },
            );
            assert.match(
                message,
                new RegExp(`${line(stack, 3)}kube-api-access:vault "kv": it must be an object\\. Use `),
            );
            assert.deepStrictEqual(resources, []);
        });
    });

    describe("YAML problems name the file and line and read whole", () => {
        it("an alias without its anchor", async () => {
            const { stack, message } = await refused(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:scope: *b\n",
            );
            assert.match(
                message,
                new RegExp(`Pulumi\\.${stack}\\.yaml:3:26: the alias \\*b has no anchor &b before it\\. `),
            );
        });

        it("a syntax error keeps the parser's pointer and no dangling 'at line, column:'", async () => {
            const { stack, message } = await refused(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:rules: [a\n  kube-api-access:scope: cluster\n",
            );
            assert.match(
                message,
                // The file by its name, as every other settings problem names it.
                new RegExp(`\\n  - Pulumi\\.${stack}\\.yaml:4:3: Flow sequence .* end with a \\]\\n`),
            );
            assert.doesNotMatch(message, /column \d+:/);
            assert.match(message, /\n\s+\^/);
        });

        it("an over-indented line is named at its own line, with the indentation to use", async () => {
            const { stack, message } = await refused(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:access: read-only\n    kube-api-access:scope: cluster\n",
            );
            assert.match(
                message,
                new RegExp(
                    `Pulumi\\.${stack}\\.yaml:4:5: indented deeper \\(4 spaces\\) than the key on line 3 \\(2\\), so it would read as part of that line's value\\. Indent it as line 3, with 2 spaces`,
                ),
                message,
            );
            assert.doesNotMatch(message, /yaml:3:/);
        });

        it("merge keys are resolved as the CLI resolves them", async () => {
            const stack = stackWith(
                "base: &b\n  mode: dynamic\nconfig:\n  kube-api-access:namespace: m\n  kube-api-access:vault:\n    <<: *b\n",
            );
            const run = await runProgramOffline(stack, { env: { KUBECONFIG } });
            assert.strictEqual(run.outputs.vaultMode.value, "dynamic");
        });
    });

    describe("declared types: the fix, and no contradiction for encrypted values", () => {
        it("a boolean and an integer get how to write them", async () => {
            const { stack, message } = await refused(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:createNamespace: yes-please\n  kube-api-access:tokenTimeoutSeconds: soon\n",
            );
            assert.match(
                message,
                new RegExp(
                    `${line(stack, 3)}kube-api-access:createNamespace "yes-please": it must be of type boolean \\(declared in Pulumi\\.yaml\\)\\. Use true or false`,
                ),
            );
            assert.match(
                message,
                new RegExp(
                    `${line(stack, 4)}kube-api-access:tokenTimeoutSeconds "soon": .*integer.*\\. Use a whole number, such as 120`,
                ),
            );
        });

        it("a number for a string is taken as the CLI takes it", async () => {
            const stack = stackWith(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:tokenRotation: 5\n",
            );
            await runProgramOffline(stack, { env: { KUBECONFIG } });
        });

        it("a secure: value has only its own problem", async () => {
            const { message } = await refused(
                "config:\n  kube-api-access:namespace: m\n  kube-api-access:endpoint:\n    secure: v1:abc\n",
            );
            assert.match(message, /kube-api-access:endpoint: it is encrypted/);
            assert.doesNotMatch(message, /must be of type/);
        });
    });

    describe("namespaces", () => {
        for (const [key, meant] of [
            ["kube-api-acess:access", "kube-api-access:access"],
            ["kubernets:context", "kubernetes:context"],
        ]) {
            it(`${key} is refused with "did you mean ${meant}", not ignored`, async () => {
                const { stack, message } = await refused(
                    `config:\n  kube-api-access:namespace: m\n  ${key}: x\n`,
                );
                assert.match(
                    message,
                    new RegExp(`${line(stack, 3)}${key} "x": .*; did you mean ${meant}\\?`),
                );
            });
        }

        it("the same under pulumi up", async () => {
            const { stack, message } = await refusedUnderCli(
                "config:\n  kube-api-access:namespace: m\n  kube-api-acess:access: monitoring\n",
                { "kube-api-access:namespace": "m", "kube-api-acess:access": "monitoring" },
            );
            assert.match(
                message,
                new RegExp(
                    `${line(stack, 3)}kube-api-acess:access "monitoring": .*did you mean kube-api-access:access\\?`,
                ),
            );
        });

        it("a bare key is the project's, as pulumi preview takes it", async () => {
            const stack = stackWith("config:\n  kube-api-access:namespace: m\n  access: monitoring\n");
            const run = await runProgramOffline(stack, { env: { KUBECONFIG } });
            assert.deepStrictEqual(
                at(only(run.resources, TYPES.clusterRole), "rules"),
                presetRules("monitoring", "cluster"),
            );
            const typo = await refused("config:\n  kube-api-access:namespace: m\n  acess: monitoring\n");
            assert.match(
                typo.message,
                new RegExp(
                    `${line(typo.stack, 3)}kube-api-access:acess .*did you mean kube-api-access:access\\?`,
                ),
            );
        });
    });
});
