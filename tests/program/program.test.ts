// The program (index.ts) under the mock runtime with each committed stack's settings (level 1), and the
// project file checked against the Pulumi CLI's own JSON Schema.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { presetRules } from "../../components/rbac";
import { offlineToken } from "../../offline/mocks";
import { PROJECT_DIR, runProgramOffline } from "../../offline/program";
import { listStacks, readProjectFile } from "../../offline/stackConfig";
import { at, COMMITTED_STACKS, FIXTURES, only, projectSchemaValidator, TYPES } from "../helpers";

const KUBECONFIG = path.join(FIXTURES, "kubeconfig.yaml");
const OUTPUTS = [
    "bindingName",
    "caCert",
    "endpoint",
    "endpointCaCert",
    "kubeconfig",
    "namespace",
    "previousTokenSecretName",
    "roleName",
    "roleNamespaces",
    "rules",
    "scope",
    "serviceAccountName",
    "subject",
    "token",
    "tokenSecretName",
];

describe("program (mock runtime)", () => {
    it("has the ci, dev, prod and vault-example stacks committed (a user's own stack files may sit beside them)", () => {
        const found = listStacks(PROJECT_DIR);
        for (const stack of COMMITTED_STACKS) {
            assert.ok(found.includes(stack), `Pulumi.${stack}.yaml is missing`);
        }
    });

    describe("dev stack", () => {
        let run: Awaited<ReturnType<typeof runProgramOffline>>;
        before(async () => {
            run = await runProgramOffline("dev", { env: { KUBECONFIG } });
        });

        it("creates the classic setup: devops-tools / api-service-account, cluster-wide read-only", () => {
            assert.strictEqual(at(only(run.resources, TYPES.namespace), "metadata.name"), "devops-tools");
            const sa = only(run.resources, TYPES.serviceAccount);
            assert.strictEqual(at(sa, "metadata.name"), "api-service-account");
            assert.deepStrictEqual(
                at(only(run.resources, TYPES.clusterRole), "rules"),
                presetRules("read-only", "cluster"),
            );
            assert.deepStrictEqual(at(only(run.resources, TYPES.clusterRoleBinding), "subjects"), [
                { kind: "ServiceAccount", name: "api-service-account", namespace: "devops-tools" },
            ]);
            // With the two token slots, their ledger patch and the rotation marker (tokenSecret.ts).
            assert.strictEqual(run.resources.length, 9);
        });

        it("exports every output, with only token and kubeconfig secret", () => {
            assert.deepStrictEqual(Object.keys(run.outputs).sort(), OUTPUTS);
            for (const [key, out] of Object.entries(run.outputs)) {
                assert.strictEqual(out.secret, key === "token" || key === "kubeconfig", `${key} secretness`);
            }
            assert.strictEqual(
                run.outputs.subject.value,
                "system:serviceaccount:devops-tools:api-service-account",
            );
            assert.strictEqual(run.outputs.endpoint.value, "https://dev.k8s.example.test:6443");
            assert.strictEqual(run.outputs.token.value, offlineToken("devops-tools", "api-service-account"));
            assert.strictEqual(run.outputs.scope.value, "cluster");
            assert.deepStrictEqual(run.outputs.roleNamespaces.value, []);
            assert.deepStrictEqual(run.outputs.rules.value, presetRules("read-only", "cluster"));
        });

        it("keeps the token out of every clear output", () => {
            const token = run.outputs.token.value as string;
            for (const [key, out] of Object.entries(run.outputs)) {
                if (!out.secret) {
                    assert.ok(!JSON.stringify(out.value).includes(token), `${key} leaks the token`);
                }
            }
        });
    });

    describe("prod stack", () => {
        let run: Awaited<ReturnType<typeof runProgramOffline>>;
        before(async () => {
            run = await runProgramOffline("prod", { env: { KUBECONFIG } });
        });

        it("uses the prod kube context, monitoring access and a longer token wait", () => {
            assert.strictEqual(run.config.values["kubernetes:context"], "prod");
            assert.strictEqual(run.outputs.endpoint.value, "https://prod.k8s.example.test:443");
            assert.deepStrictEqual(
                at(only(run.resources, TYPES.clusterRole), "rules"),
                presetRules("monitoring", "cluster"),
            );
            const slots = run.resources.filter((r) => r.type === TYPES.secret);
            assert.deepStrictEqual(
                slots.map((r) => r.customTimeouts.create),
                ["300s", "300s"],
            );
            assert.strictEqual(
                run.outputs.subject.value,
                "system:serviceaccount:monitoring:prometheus-external",
            );
            const kubeconfig = YAML.parse(run.outputs.kubeconfig.value as string);
            assert.match(kubeconfig.clusters[0].name, /^prod\/[^/]+\/monitoring\/prometheus-external$/);
        });
    });

    describe("vault-example stack", () => {
        let run: Awaited<ReturnType<typeof runProgramOffline>>;
        before(async () => {
            run = await runProgramOffline("vault-example", { env: { KUBECONFIG } });
        });

        it("has Vault issue short-lived tokens: no long-lived token made or exported", () => {
            assert.strictEqual(run.outputs.token, undefined);
            assert.strictEqual(run.outputs.kubeconfig, undefined);
            assert.strictEqual(run.outputs.tokenSecretName, undefined);
            const engineRole = run.resources.find(
                (r) => r.type === "vault:kubernetes/secretBackendRole:SecretBackendRole",
            )!;
            assert.strictEqual(engineRole.inputs.tokenDefaultTtl, 3600);
            assert.strictEqual(engineRole.inputs.tokenMaxTtl, 28800);
            assert.deepStrictEqual(engineRole.inputs.allowedKubernetesNamespaces, ["payments"]);
        });

        it("exports what the consumer and the Vault administrator need", () => {
            assert.deepStrictEqual(
                [
                    "vaultMode",
                    "vaultKubernetesMount",
                    "vaultRoleName",
                    "vaultPolicyName",
                    "vaultCredentialsCommand",
                ].map((k) => run.outputs[k]?.value),
                [
                    "dynamic",
                    "kubernetes-dev-cluster-payments-payments-reporting",
                    "payments-reporting",
                    "kube-api-access-dev-cluster-payments-payments-reporting",
                    "vault write kubernetes-dev-cluster-payments-payments-reporting/creds/payments-reporting kubernetes_namespace=payments",
                ],
            );
        });
    });

    describe("exportToken", () => {
        const kv = { "kube-api-access:vault": { mode: "kv" } };
        it("auto: not exported when Vault holds the token", async () => {
            const run = await runProgramOffline("dev", { env: { KUBECONFIG }, overrides: kv });
            assert.strictEqual(run.outputs.token, undefined);
            assert.strictEqual(run.outputs.kubeconfig, undefined);
            assert.strictEqual(
                run.outputs.vaultSecretPath.value,
                "secret/kube-api-access/dev-cluster/devops-tools/api-service-account",
            );
        });

        it("true: exported as secrets as well", async () => {
            const run = await runProgramOffline("dev", {
                env: { KUBECONFIG },
                overrides: { ...kv, "kube-api-access:exportToken": "true" },
            });
            assert.strictEqual(run.outputs.token.secret, true);
            assert.strictEqual(run.outputs.kubeconfig.secret, true);
        });

        it("false: not exported even without Vault", async () => {
            const run = await runProgramOffline("dev", {
                env: { KUBECONFIG },
                overrides: { "kube-api-access:exportToken": "false" },
            });
            assert.strictEqual(run.outputs.token, undefined);
        });

        it("true with dynamic mode is refused before anything is created", async () => {
            const overrides = {
                "kube-api-access:vault": { mode: "dynamic" },
                "kube-api-access:exportToken": "true",
            };
            await assert.rejects(
                runProgramOffline("dev", { env: { KUBECONFIG }, overrides }),
                /kube-api-access:exportToken "true": Vault mode "dynamic" \(kube-api-access:vault\.mode\) makes no long-lived token/,
            );
        });

        it("an unknown setting is refused", async () => {
            await assert.rejects(
                runProgramOffline("dev", {
                    env: { KUBECONFIG },
                    overrides: { "kube-api-access:exportToken": "yes" },
                }),
                /kube-api-access:exportToken "yes": not one of its values\. Use "auto"/,
            );
        });
    });

    it("takes custom rules from a config object and a namespaced scope", async () => {
        const rules = [{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["get", "list"] }];
        const run = await runProgramOffline("dev", {
            env: { KUBECONFIG },
            overrides: {
                "kube-api-access:rules": rules,
                "kube-api-access:scope": "namespace",
                "kube-api-access:extraNamespaces": ["apps"],
                "kube-api-access:endpoint": "https://override.example.test",
            },
        });
        const roles = run.resources.filter((r) => r.type === TYPES.role);
        assert.strictEqual(roles.length, 2);
        for (const role of roles) {
            assert.deepStrictEqual(at(role, "rules"), rules);
        }
        assert.strictEqual(run.outputs.endpoint.value, "https://override.example.test");
    });

    it("fails with the component's message, in the stack's key, for bad settings, before creating anything", async () => {
        await assert.rejects(
            runProgramOffline("dev", {
                env: { KUBECONFIG },
                overrides: { "kube-api-access:serviceAccountName": "default" },
            }),
            /stack dev has invalid settings; nothing was created:\n  - --config: kube-api-access:serviceAccountName "default": every pod/,
        );
    });
});

describe("project file", () => {
    it("validates against the Pulumi CLI's JSON Schema for Pulumi.yaml", () => {
        const validate = projectSchemaValidator();
        const project = YAML.parse(fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8")) as Record<
            string,
            unknown
        >;
        assert.ok(validate(project), JSON.stringify(validate.errors, null, 2));
        assert.ok(
            !validate({ ...project, config: { namespace: { type: "object" } } }),
            "the schema must be able to fail",
        );
    });

    it("declares, with a description, every key the program reads (rules and vault documented as structured)", () => {
        const program = fs.readFileSync(path.join(PROJECT_DIR, "index.ts"), "utf8");
        const read = new Set(
            [
                ...program.matchAll(
                    /(?:config\.(?:get|require|getBoolean|getNumber|getObject)(?:<[^>]+>)?|optional)\("([A-Za-z]+)"\)|structuredSetting\(config, "([A-Za-z]+)"\)/g,
                ),
            ].map((m) => m[1] ?? m[2]),
        );
        const declared = readProjectFile(PROJECT_DIR).config ?? {};
        const projectText = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.yaml"), "utf8");
        assert.ok(read.size >= 12, `found only ${[...read].join(", ")}`);
        for (const key of read) {
            if (key === "rules" || key === "vault") {
                assert.match(projectText, new RegExp(`"${key}"`), `${key} must be documented in Pulumi.yaml`);
                continue;
            }
            const decl = declared[key];
            assert.ok(
                decl && typeof decl === "object" && decl.description,
                `${key} is not declared with a description`,
            );
        }
    });
});
