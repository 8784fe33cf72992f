// The component package as users get it: `npm pack`, then `npm install` of the tarball in an empty project
// (tests/components/installedPackage.ts). There, Node.js loads both entry points with require and import,
// `tsc --strict` compiles the README's program and the unit-test example against the installed types, mocha
// runs that example with kube-api-access/testing, and the Pulumi SDK's schema inference (what a
// source-based component package is read with) runs over the installed package as over the checkout.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Analyzer } from "@pulumi/pulumi/provider/experimental/analyzer";
import { ACCESS_PRESETS, SCOPES, VAULT_MODES } from "../../components";
import { PROJECT_DIR } from "../../offline/program";
import {
    Installed,
    PACKAGE_JSON,
    packAndInstall,
    run,
    shippingProblems,
    staleBuilds,
} from "./installedPackage";

interface Property {
    type?: string;
    $ref?: string;
    optional?: boolean;
    plain?: boolean;
    description?: string;
    items?: Property;
}
const props = (o: unknown) => Object.entries((o ?? {}) as Record<string, Property>);
type Schema = ReturnType<Analyzer["analyze"]>;

/** The first ```ts block after the heading `heading` of `file` (relative to the project). */
function example(file: string, heading: string): string {
    const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
    const at = text.indexOf(`\n${heading}\n`);
    assert.ok(at >= 0, `${file} has no heading "${heading}"`);
    const block = /\n```ts\n([\s\S]*?)\n```/.exec(text.slice(at));
    assert.ok(block, `${file} has no ts code block after "${heading}"`);
    return block[1] + "\n";
}

/** Pulumi's TypeScript template compiles with these (module commonjs and the classic node resolution). */
const CONSUMER_COMPILER_OPTIONS = {
    strict: true,
    target: "es2020",
    outDir: "out",
    sourceMap: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
    skipLibCheck: true,
    types: ["node", "mocha"],
};

describe("component package", () => {
    describe("as installed from its npm pack tarball", function () {
        this.timeout(300_000);
        let installed: Installed;
        let installedSchema: Schema;
        let entryPoint: string;
        before(function () {
            installed = packAndInstall();
        });
        after(() => installed && fs.rmSync(installed.dir, { recursive: true, force: true }));

        it("ships every file its entry points import and imports only its dependencies, from builds of today's sources", () => {
            assert.deepStrictEqual(shippingProblems(installed.shipped), []);
            assert.deepStrictEqual(staleBuilds(installed.shipped), []);
        });

        it("is installed from the tarball, not linked to the checkout", () => {
            assert.ok(!fs.lstatSync(installed.packageDir).isSymbolicLink());
            assert.ok(fs.existsSync(path.join(installed.packageDir, "PulumiPlugin.yaml")));
            const resolved = run(
                process.execPath,
                ["-p", 'require.resolve("kube-api-access") + "\\n" + require.resolve("@pulumi/pulumi")'],
                installed.dir,
            ).stdout;
            for (const file of resolved.trim().split("\n")) {
                assert.ok(file.startsWith(fs.realpathSync(installed.dir) + path.sep), file);
            }
        });

        it("loads both entry points with require and with import (Node.js)", () => {
            const check = [
                "if (typeof a.ApiServiceAccount !== 'function') throw new Error('no ApiServiceAccount');",
                "if (typeof t.setApiServiceAccountMocks !== 'function') throw new Error('no setApiServiceAccountMocks');",
                "if (typeof t.ApiServiceAccountMocks !== 'function') throw new Error('no ApiServiceAccountMocks');",
            ].join("\n");
            run(
                process.execPath,
                [
                    "-e",
                    `const a = require("kube-api-access"); const t = require("kube-api-access/testing");\n${check}`,
                ],
                installed.dir,
            );
            run(
                process.execPath,
                [
                    "--input-type=module",
                    "-e",
                    `import * as a from "kube-api-access"; import * as t from "kube-api-access/testing";\n${check}`,
                ],
                installed.dir,
            );
        });

        // The README's program and the unit-test example of docs/component.md, with the installed TypeScript.
        // "node" is the classic resolution Pulumi's template uses (typesVersions leads it to /testing's types);
        // node16 reads exports, and its output imports kube-api-access with import(), as ESM would.
        for (const [module, moduleResolution] of [
            ["commonjs", "node"],
            ["node16", "node16"],
        ]) {
            it(`compiles the README's program and unit-test example with tsc --strict ("module": "${module}", "moduleResolution": "${moduleResolution}"), and mocha passes the example`, function () {
                const dir = path.join(installed.dir, module);
                fs.mkdirSync(dir, { recursive: true });
                fs.writeFileSync(path.join(dir, "index.ts"), example("README.md", "## Using the component"));
                fs.writeFileSync(
                    path.join(dir, "program.test.ts"),
                    example("docs/component.md", "## Unit-testing a program that uses the component"),
                );
                fs.writeFileSync(
                    path.join(dir, "tsconfig.json"),
                    JSON.stringify({
                        compilerOptions: { ...CONSUMER_COMPILER_OPTIONS, module, moduleResolution },
                        files: ["index.ts", "program.test.ts"],
                    }),
                );
                const tsc = path.join(installed.dir, "node_modules", "typescript", "bin", "tsc");
                run(process.execPath, [tsc, "-p", dir], installed.dir);
                const report = path.join(dir, "mocha.json");
                const mocha = path.join(installed.dir, "node_modules", "mocha", "bin", "mocha.js");
                run(
                    process.execPath,
                    [
                        mocha,
                        "--reporter",
                        "json",
                        "--reporter-option",
                        `output=${report}`,
                        path.join(dir, "out", "program.test.js"),
                    ],
                    installed.dir,
                );
                const stats = JSON.parse(fs.readFileSync(report, "utf8")).stats;
                assert.deepStrictEqual([stats.passes, stats.failures, stats.pending], [1, 0, 0]);
            });
        }

        it('compiles the source entry point (exports "." default, what schema inference reads) with tsc --strict', () => {
            const tsconfig = path.join(installed.dir, "tsconfig.source.json");
            fs.writeFileSync(
                tsconfig,
                JSON.stringify({
                    compilerOptions: {
                        ...CONSUMER_COMPILER_OPTIONS,
                        module: "commonjs",
                        moduleResolution: "node",
                        types: ["node"],
                        noEmit: true,
                    },
                    files: [path.join(installed.packageDir, PACKAGE_JSON.exports["."].default)],
                }),
            );
            const tsc = path.join(installed.dir, "node_modules", "typescript", "bin", "tsc");
            run(process.execPath, [tsc, "-p", tsconfig], installed.dir);
        });

        describe("schema inferred by the Pulumi SDK's analyzer", () => {
            before(function () {
                // In the consumer's own process, with the SDK and TypeScript it installed.
                const script = [
                    'const { Analyzer } = require("@pulumi/pulumi/provider/experimental/analyzer");',
                    `const dir = ${JSON.stringify(installed.packageDir)};`,
                    'const manifest = JSON.parse(require("fs").readFileSync(dir + "/package.json", "utf8"));',
                    'const analyzer = new Analyzer(dir, manifest.name, manifest, new Set(["ApiServiceAccount"]));',
                    "const entry = analyzer.findProgramEntryPoint().fileName;",
                    "console.log(JSON.stringify({ entry, schema: analyzer.analyze() }));",
                ].join("\n");
                const out = run(process.execPath, ["-e", script], installed.dir).stdout;
                ({ entry: entryPoint, schema: installedSchema } = JSON.parse(out));
            });

            it("starts from the shipped component library", () => {
                assert.strictEqual(
                    path.relative(installed.packageDir, entryPoint),
                    path.join("components", "index.ts"),
                );
            });

            it("is the schema the checkout gives (pulumi package add <this repo>), which starts from the library, never the program", () => {
                const analyzer = new Analyzer(
                    PROJECT_DIR,
                    PACKAGE_JSON.name,
                    PACKAGE_JSON,
                    new Set(["ApiServiceAccount"]),
                );
                const entry = (
                    analyzer as unknown as { findProgramEntryPoint(): { fileName: string } }
                ).findProgramEntryPoint();
                assert.strictEqual(
                    path.relative(PROJECT_DIR, entry.fileName),
                    path.join("components", "index.ts"),
                );
                assert.deepStrictEqual(installedSchema, JSON.parse(JSON.stringify(analyzer.analyze())));
            });

            it("exposes every input with its type, plainness and optionality", () => {
                const inputs = installedSchema.components.ApiServiceAccount.inputs;
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
                    endpointCaCert: "string?",
                    endpointPubliclyTrusted: "boolean? plain",
                    kubeconfig: "string?",
                    clusterName: "string? plain",
                    tokenTimeoutSeconds: "number? plain",
                    tokenRotation: "string?",
                    revokePreviousToken: "boolean? plain",
                    vault: "#/types/kube-api-access:index:VaultArgs? plain",
                });
                for (const [k, v] of props(inputs)) {
                    assert.match(v.description ?? "", /\S/, `${k} has no description`);
                }
            });

            it("exposes every output, the Vault ones and those a mode may skip as optional", () => {
                assert.deepStrictEqual(
                    props(installedSchema.components.ApiServiceAccount.outputs).map(
                        ([k, v]) => `${k}:${v.type}${v.optional ? "?" : ""}`,
                    ),
                    [
                        "namespace:string",
                        "serviceAccountName:string",
                        "subject:string",
                        "roleName:string",
                        "bindingName:string",
                        "tokenSecretName:string?",
                        "previousTokenSecretName:string?",
                        "endpoint:string",
                        "caCert:string",
                        "endpointCaCert:string",
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
                        const def = installedSchema.typeDefinitions[name] as {
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
                const vaultMode = (installedSchema.typeDefinitions.VaultArgs.properties ?? {})
                    .mode as Property;
                assert.strictEqual(vaultMode.$ref, "#/types/kube-api-access:index:VaultMode");
            });

            it("describes VaultArgs with mode required", () => {
                const vaultArgs = installedSchema.typeDefinitions.VaultArgs.properties ?? {};
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
                const rule = installedSchema.typeDefinitions.PolicyRule.properties ?? {};
                assert.deepStrictEqual(
                    props(rule).map(([k, v]) => `${k}${v.optional ? "?" : ""}`),
                    ["apiGroups?", "resources?", "resourceNames?", "nonResourceURLs?", "verbs"],
                );
            });
        });
    });

    describe("the checkout's own install", () => {
        it("is a source-based Pulumi plugin package for Node.js, and ships its PulumiPlugin.yaml", () => {
            const plugin = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "PulumiPlugin.yaml"), "utf8"));
            assert.strictEqual(plugin.runtime, "nodejs");
            assert.strictEqual(PACKAGE_JSON.name, "kube-api-access");
            assert.ok(PACKAGE_JSON.files.includes("PulumiPlugin.yaml"));
        });

        it("pins every dependency of every package.json here to the exact version package-lock.json installs", () => {
            const lock = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package-lock.json"), "utf8"));
            const manifests = [
                "package.json",
                ...(PACKAGE_JSON.workspaces ?? []).map((w: string) => `${w}/package.json`),
            ];
            manifests.push("examples/consumer/package.json");
            const problems: string[] = [];
            for (const manifest of manifests) {
                const json = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, manifest), "utf8"));
                for (const field of [
                    "dependencies",
                    "devDependencies",
                    "optionalDependencies",
                    "peerDependencies",
                ]) {
                    for (const [name, wanted] of Object.entries<string>(json[field] ?? {})) {
                        const installed = lock.packages[`node_modules/${name}`]?.version;
                        if (wanted !== installed) {
                            problems.push(
                                `${manifest} ${field}: ${name} "${wanted}" is not the exact version package-lock.json installs (${installed ?? "none"}): write "${installed}"`,
                            );
                        }
                    }
                }
            }
            assert.deepStrictEqual(problems, []);
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
    });
});
