// The component package as other Pulumi programs see it: the SDK's own schema inference over the
// source (what `pulumi package add` runs), and the built JavaScript that npm consumers import.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { ACCESS_PRESETS, SCOPES, VAULT_MODES } from "../../components";
import { PROJECT_DIR } from "../../offline/program";

interface Property {
    type?: string;
    $ref?: string;
    optional?: boolean;
    plain?: boolean;
    description?: string;
    items?: Property;
}
const props = (o: unknown) => Object.entries((o ?? {}) as Record<string, Property>);

const packageJSON = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));

describe("component package", () => {
    it("is a source-based Pulumi plugin package for Node.js", () => {
        const plugin = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "PulumiPlugin.yaml"), "utf8"));
        assert.strictEqual(plugin.runtime, "nodejs");
        assert.strictEqual(packageJSON.name, "kube-api-access");
    });

    describe("schema inferred by the Pulumi SDK's analyzer", () => {
        let analyzer: Analyzer;
        let schema: ReturnType<Analyzer["analyze"]>;
        before(function () {
            this.timeout(120_000);
            analyzer = new Analyzer(
                PROJECT_DIR,
                "kube-api-access",
                packageJSON,
                new Set(["ApiServiceAccount"]),
            );
            schema = analyzer.analyze();
        });

        it("starts from the component library, never from the program", () => {
            const entry = (
                analyzer as unknown as { findProgramEntryPoint(): { fileName: string } }
            ).findProgramEntryPoint();
            assert.strictEqual(
                path.relative(PROJECT_DIR, entry.fileName),
                path.join("components", "index.ts"),
            );
        });

        it("exposes every input with its type, plainness and optionality", () => {
            const inputs = schema.components.ApiServiceAccount.inputs;
            const summary = Object.fromEntries(
                props(inputs).map(([k, v]) => [
                    k,
                    `${v.type ?? v.$ref}${v.items ? `<${v.items.type ?? v.items.$ref}>` : ""}${v.optional ? "?" : ""}${v.plain ? " plain" : ""}`,
                ]),
            );
            assert.deepStrictEqual(summary, {
                namespace: "string plain",
                createNamespace: "boolean? plain",
                serviceAccountName: "string? plain",
                scope: "#/types/kube-api-access:index:Scope? plain",
                extraNamespaces: "array<string>? plain",
                access: "#/types/kube-api-access:index:AccessPreset? plain",
                rules: "array<#/types/kube-api-access:index:PolicyRule>? plain",
                allowWildcards: "boolean? plain",
                endpoint: "string?",
                kubeconfig: "string?",
                clusterName: "string? plain",
                tokenTimeoutSeconds: "number? plain",
                tokenRotation: "string?",
                vault: "#/types/kube-api-access:index:VaultArgs? plain",
            });
            for (const [k, v] of props(inputs)) {
                assert.match(v.description ?? "", /\S/, `${k} has no description`);
            }
        });

        it("exposes every output, the Vault ones and those a mode may skip as optional", () => {
            assert.deepStrictEqual(
                props(schema.components.ApiServiceAccount.outputs).map(
                    ([k, v]) => `${k}:${v.type}${v.optional ? "?" : ""}`,
                ),
                [
                    "namespace:string",
                    "serviceAccountName:string",
                    "subject:string",
                    "roleName:string",
                    "bindingName:string",
                    "tokenSecretName:string?",
                    "endpoint:string",
                    "caCert:string",
                    "token:string?",
                    "kubeconfig:string?",
                    "scope:string",
                    "roleNamespaces:array",
                    "rules:array",
                    "vaultMode:string?",
                    "vaultPolicyName:string?",
                    "vaultSecretPath:string?",
                    "vaultReadCommand:string?",
                    "vaultKubernetesMount:string?",
                    "vaultRoleName:string?",
                    "vaultCredentialsCommand:string?",
                ],
            );
        });

        it("types the fixed value sets as enums with the values the component accepts", () => {
            const enums = Object.fromEntries(
                ["Scope", "AccessPreset", "VaultMode"].map((name) => {
                    const def = schema.typeDefinitions[name] as {
                        type?: string;
                        enum?: { value: unknown }[];
                    };
                    return [name, `${def?.type}: ${(def?.enum ?? []).map((e) => e.value).join(", ")}`];
                }),
            );
            assert.deepStrictEqual(enums, {
                Scope: `string: ${SCOPES.join(", ")}`,
                AccessPreset: `string: ${ACCESS_PRESETS.join(", ")}`,
                VaultMode: `string: ${VAULT_MODES.join(", ")}`,
            });
            const vaultMode = (schema.typeDefinitions.VaultArgs.properties ?? {}).mode as Property;
            assert.strictEqual(vaultMode.$ref, "#/types/kube-api-access:index:VaultMode");
        });

        it("describes VaultArgs with mode required", () => {
            const vaultArgs = schema.typeDefinitions.VaultArgs.properties ?? {};
            assert.deepStrictEqual(
                props(vaultArgs).map(([k, v]) => `${k}${v.optional ? "?" : ""}`),
                [
                    "mode",
                    "kvMount?",
                    "createKvMount?",
                    "kvPath?",
                    "kubernetesMount?",
                    "roleName?",
                    "tokenDefaultTtl?",
                    "tokenMaxTtl?",
                    "policyName?",
                ],
            );
        });

        it("describes PolicyRule with verbs required and the rest optional", () => {
            const rule = schema.typeDefinitions.PolicyRule.properties ?? {};
            assert.deepStrictEqual(
                props(rule).map(([k, v]) => `${k}${v.optional ? "?" : ""}`),
                ["apiGroups?", "resources?", "resourceNames?", "nonResourceURLs?", "verbs"],
            );
        });
    });

    it("builds to the JavaScript that package.json exports", function () {
        const built = path.join(PROJECT_DIR, packageJSON.exports["."].require);
        if (!fs.existsSync(built)) {
            assert.fail(
                `${built} is missing: npm ci runs the prepare script (tsc -p tsconfig.build.json), run npm run build`,
            );
        }
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const lib = require(built) as Record<string, unknown>;
        assert.strictEqual(typeof lib.ApiServiceAccount, "function");
        assert.ok(fs.existsSync(path.join(PROJECT_DIR, packageJSON.exports["."].types)));
        assert.strictEqual(packageJSON.main, packageJSON.exports["."].require);
    });

    it("leaves no dependency's install script unreviewed, so npm ci warns of none (npm install-scripts ls)", function () {
        this.timeout(60_000);
        const ls = spawnSync("npm", ["install-scripts", "ls"], { cwd: PROJECT_DIR, encoding: "utf8" });
        if (/Unknown command/i.test(ls.stdout + ls.stderr)) {
            console.log("      skipped: this npm has no install-scripts command (before 11.16)");
            return this.skip();
        }
        assert.strictEqual(ls.status, 0, ls.stderr);
        assert.match(ls.stdout, /No packages with unreviewed install scripts/, ls.stdout);
    });

    // Pulumi's TypeScript template compiles with "module": "commonjs" and the classic "node" resolution,
    // which ignores `exports`: typesVersions must lead it to kube-api-access/testing's types.
    for (const [module, moduleResolution] of [
        ["commonjs", "node"],
        ["node16", "node16"],
    ]) {
        it(`type-checks in a consumer project with "module": "${module}", "moduleResolution": "${moduleResolution}" (tsc)`, function () {
            this.timeout(120_000);
            const consumer = fs.mkdtempSync(path.join(os.tmpdir(), "consumer-"));
            try {
                fs.mkdirSync(path.join(consumer, "node_modules"));
                fs.symlinkSync(PROJECT_DIR, path.join(consumer, "node_modules", "kube-api-access"));
                fs.writeFileSync(
                    path.join(consumer, "index.ts"),
                    [
                        'import { ApiServiceAccount } from "kube-api-access";',
                        'import { setApiServiceAccountMocks, offlineToken } from "kube-api-access/testing";',
                        "export const used: unknown[] = [ApiServiceAccount, setApiServiceAccountMocks, offlineToken];",
                        "",
                    ].join("\n"),
                );
                fs.writeFileSync(
                    path.join(consumer, "tsconfig.json"),
                    JSON.stringify({
                        compilerOptions: {
                            module,
                            moduleResolution,
                            strict: true,
                            noEmit: true,
                            skipLibCheck: true,
                        },
                        files: ["index.ts"],
                    }),
                );
                const tsc = spawnSync(
                    process.execPath,
                    [require.resolve("typescript/bin/tsc"), "-p", consumer],
                    {
                        encoding: "utf8",
                    },
                );
                assert.strictEqual(tsc.status, 0, tsc.stdout + tsc.stderr);
            } finally {
                fs.rmSync(consumer, { recursive: true, force: true });
            }
        });
    }
});
