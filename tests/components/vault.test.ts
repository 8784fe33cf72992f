// ApiServiceAccount's Vault modes under the mock runtime (level 1): the exact Vault resources and inputs,
// the secrecy and completeness of what is stored, and ACL policies parsed as HCL.
import * as assert from "assert";
import { parse as parseHcl } from "@cdktf/hcl2json";
import * as path from "path";
import * as vault from "@pulumi/vault";
import * as YAML from "yaml";
import { OFFLINE_CA_PEM, offlineToken } from "../../offline/mocks";
import { withEnv } from "../../offline/program";
import { at, build, buildError, Built, ENDPOINT, FIXTURES, only, TYPES } from "../helpers";

const VAULT = {
    policy: "vault:index/policy:Policy",
    secretV2: "vault:kv/secretV2:SecretV2",
    mount: "vault:index/mount:Mount",
    engine: "vault:kubernetes/secretBackend:SecretBackend",
    engineRole: "vault:kubernetes/secretBackendRole:SecretBackendRole",
};
const base = {
    namespace: "devops-tools",
    serviceAccountName: "reader",
    endpoint: ENDPOINT,
    clusterName: "dev",
};
const SUBJECT = "system:serviceaccount:devops-tools:reader";

/** Every `path` block of an ACL policy, with its capabilities. */
async function aclPaths(hcl: string): Promise<Record<string, string[]>> {
    const doc = (await parseHcl("policy.hcl", hcl)) as {
        path?: Record<string, { capabilities: string[] }[]>;
    };
    return Object.fromEntries(
        Object.entries(doc.path ?? {}).map(([p, blocks]) => [p, blocks.flatMap((b) => b.capabilities)]),
    );
}

const kinds = (b: Built) => b.resources.map((r) => `${r.type} ${r.name}`).sort();

describe("ApiServiceAccount with Vault (mock runtime)", () => {
    describe('mode "kv"', () => {
        let built: Built;
        before(async () => {
            built = await build({ ...base, vault: { mode: "kv" } }, undefined, "reader");
        });

        it("adds exactly a KV v2 secret and an ACL policy to the usual resources", () => {
            assert.deepStrictEqual(
                kinds(built),
                [
                    `${TYPES.component} reader`,
                    `${TYPES.namespace} reader-namespace`,
                    `${TYPES.serviceAccount} reader-sa`,
                    `${TYPES.secret} reader-token`,
                    `${TYPES.secret} reader-token-b`,
                    `${TYPES.serviceAccountPatch} reader-token-ledger`,
                    `${TYPES.stash} reader-token-rotation`,
                    `${TYPES.clusterRole} reader-role`,
                    `${TYPES.clusterRoleBinding} reader-binding`,
                    `${VAULT.secretV2} reader-vault-secret`,
                    `${VAULT.policy} reader-vault-policy`,
                ].sort(),
            );
        });

        it("stores everything a consumer needs, as a secret, at the derived path", () => {
            const stored = only(built.resources, VAULT.secretV2);
            assert.strictEqual(at(stored, "mount"), "secret");
            assert.strictEqual(at(stored, "name"), "kube-api-access/dev/devops-tools/reader");
            assert.strictEqual(
                at(stored, "deleteAllVersions"),
                true,
                "destroy must not leave versions behind",
            );
            assert.deepStrictEqual(stored.secretInputs, ["dataJson"]);
            const data = JSON.parse(at(stored, "dataJson") as string);
            assert.deepStrictEqual(Object.keys(data).sort(), [
                "caCert",
                "endpoint",
                "kubeconfig",
                "namespace",
                "serviceAccount",
                "token",
            ]);
            assert.strictEqual(data.endpoint, ENDPOINT);
            assert.strictEqual(data.caCert, OFFLINE_CA_PEM);
            assert.strictEqual(data.token, offlineToken("devops-tools", "reader"));
            assert.strictEqual(data.namespace, "devops-tools");
            assert.strictEqual(data.serviceAccount, "reader");
            assert.strictEqual(YAML.parse(data.kubeconfig).users[0].user.token, data.token);
        });

        it("grants read on exactly that secret's data path and nothing else", async () => {
            const policy = only(built.resources, VAULT.policy);
            assert.strictEqual(at(policy, "name"), "kube-api-access-dev-devops-tools-reader");
            assert.deepStrictEqual(await aclPaths(at(policy, "policy") as string), {
                "secret/data/kube-api-access/dev/devops-tools/reader": ["read"],
            });
            assert.match(
                at(policy, "policy") as string,
                new RegExp(`# Read the Kubernetes API credentials of ${SUBJECT}`),
            );
        });

        it("outputs the path, the read command and the policy name; dynamic outputs stay undefined", () => {
            const c = built.component;
            assert.strictEqual(built.outputs.token.secret, true);
            return Promise.all(
                [c.vaultSecretPath!, c.vaultReadCommand!, c.vaultPolicyName!, c.vaultMode!].map(
                    (o) => new Promise((r) => o.apply(r)),
                ),
            ).then((values) => {
                assert.deepStrictEqual(values, [
                    "secret/kube-api-access/dev/devops-tools/reader",
                    "vault kv get -mount=secret kube-api-access/dev/devops-tools/reader",
                    "kube-api-access-dev-devops-tools-reader",
                    "kv",
                ]);
                assert.strictEqual(c.vaultKubernetesMount, undefined);
                assert.strictEqual(c.vaultRoleName, undefined);
                assert.strictEqual(c.vaultCredentialsCommand, undefined);
            });
        });

        it("creates the KV v2 mount when asked, and stores into it", async () => {
            const b = await build(
                {
                    ...base,
                    vault: { mode: "kv", createKvMount: true, kvMount: "k8s-creds", kvPath: "prometheus" },
                },
                undefined,
                "reader",
            );
            const mount = only(b.resources, VAULT.mount);
            assert.deepStrictEqual(
                { path: at(mount, "path"), type: at(mount, "type"), options: at(mount, "options") },
                { path: "k8s-creds", type: "kv", options: { version: "2" } },
            );
            const stored = only(b.resources, VAULT.secretV2);
            assert.strictEqual(at(stored, "mount"), "k8s-creds");
            assert.ok(stored.dependencies.includes(mount.urn), "the secret must wait for its mount");
            assert.deepStrictEqual(await aclPaths(at(only(b.resources, VAULT.policy), "policy") as string), {
                "k8s-creds/data/prometheus": ["read"],
            });
        });
    });

    describe('mode "dynamic"', () => {
        let built: Built;
        before(async () => {
            built = await build(
                {
                    ...base,
                    scope: "namespace",
                    vault: { mode: "dynamic", tokenDefaultTtl: "30m", tokenMaxTtl: "8h" },
                },
                undefined,
                "reader",
            );
        });

        it("creates no token Secret for the consumer's account", () => {
            const secrets = built.resources.filter(
                (r) => r.type === TYPES.secret && at(r, "type") === "kubernetes.io/service-account-token",
            );
            assert.deepStrictEqual(
                secrets.map(
                    (s) =>
                        (at(s, "metadata.annotations") as Record<string, string>)[
                            "kubernetes.io/service-account.name"
                        ],
                ),
                ["reader-vault-issuer"],
            );
            assert.strictEqual(built.component.token, undefined);
            assert.strictEqual(built.component.kubeconfig, undefined);
            assert.strictEqual(built.component.tokenSecretName, undefined);
        });

        it("gives Vault's own account nothing but creating tokens for that one account", () => {
            const issuer = built.resources.find((r) => r.name === "reader-vault-issuer-sa")!;
            assert.strictEqual(at(issuer, "metadata.name"), "reader-vault-issuer");
            assert.strictEqual(at(issuer, "automountServiceAccountToken"), false);
            const role = built.resources.find((r) => r.name === "reader-vault-issuer-role")!;
            assert.strictEqual(role.type, TYPES.role);
            assert.deepStrictEqual(at(role, "rules"), [
                {
                    apiGroups: [""],
                    resources: ["serviceaccounts/token"],
                    resourceNames: ["reader"],
                    verbs: ["create"],
                },
            ]);
            const binding = built.resources.find((r) => r.name === "reader-vault-issuer-binding")!;
            assert.deepStrictEqual(at(binding, "subjects"), [
                { kind: "ServiceAccount", name: "reader-vault-issuer", namespace: "devops-tools" },
            ]);
            assert.deepStrictEqual(at(binding, "roleRef"), {
                apiGroup: "rbac.authorization.k8s.io",
                kind: "Role",
                name: "kube-api-access:devops-tools:reader-vault-issuer",
            });
            const bindingsToIssuer = built.resources.filter((r) =>
                JSON.stringify(at(r, "subjects") ?? []).includes("reader-vault-issuer"),
            );
            assert.strictEqual(bindingsToIssuer.length, 1, "no other binding may grant the issuer anything");
        });

        it("configures the secrets engine with the issuer's credentials, kept secret", () => {
            const engine = only(built.resources, VAULT.engine);
            assert.strictEqual(at(engine, "path"), "kubernetes-dev-devops-tools-reader");
            assert.strictEqual(at(engine, "kubernetesHost"), ENDPOINT);
            assert.strictEqual(at(engine, "kubernetesCaCert"), OFFLINE_CA_PEM);
            assert.strictEqual(
                at(engine, "serviceAccountJwt"),
                offlineToken("devops-tools", "reader-vault-issuer"),
            );
            assert.strictEqual(at(engine, "disableLocalCaJwt"), true);
            assert.deepStrictEqual(engine.secretInputs, ["serviceAccountJwt"]);
        });

        it("binds the engine's role to the consumer's account, with the TTLs in seconds", () => {
            const role = only(built.resources, VAULT.engineRole);
            assert.deepStrictEqual(
                Object.fromEntries(
                    [
                        "backend",
                        "name",
                        "allowedKubernetesNamespaces",
                        "serviceAccountName",
                        "tokenDefaultTtl",
                        "tokenMaxTtl",
                    ].map((k) => [k, at(role, k)]),
                ),
                {
                    backend: "kubernetes-dev-devops-tools-reader",
                    name: "reader",
                    allowedKubernetesNamespaces: ["devops-tools"],
                    serviceAccountName: "reader",
                    tokenDefaultTtl: 1800,
                    tokenMaxTtl: 28800,
                },
            );
        });

        it("lets the consumer's Vault policy request credentials from that role only", async () => {
            assert.deepStrictEqual(
                await aclPaths(at(only(built.resources, VAULT.policy), "policy") as string),
                {
                    "kubernetes-dev-devops-tools-reader/creds/reader": ["update"],
                },
            );
        });

        it("outputs the mount, the role and the exact command; the CA comes from the issuer's Secret", async () => {
            const read = <T>(o: { apply: (f: (v: T) => void) => unknown }) =>
                new Promise<T>((r) => o.apply(r));
            const c = built.component;
            assert.strictEqual(await read(c.vaultKubernetesMount!), "kubernetes-dev-devops-tools-reader");
            assert.strictEqual(await read(c.vaultRoleName!), "reader");
            assert.strictEqual(
                await read(c.vaultCredentialsCommand!),
                "vault write kubernetes-dev-devops-tools-reader/creds/reader kubernetes_namespace=devops-tools",
            );
            assert.strictEqual(built.outputs.caCert.value, OFFLINE_CA_PEM);
            assert.strictEqual(c.vaultSecretPath, undefined);
        });
    });

    it("takes an explicit Vault provider without asking for an endpoint twice", async () => {
        const b = await withEnv({ KUBECONFIG: path.join(FIXTURES, "kubeconfig.yaml") }, () =>
            build({ namespace: "a", vault: { mode: "kv" } }, () => ({
                providers: [
                    new vault.Provider("explicit-vault", { address: "https://vault.example.test:8200" }),
                ],
            })),
        );
        assert.match(only(b.resources, VAULT.secretV2).provider, /pulumi:providers:vault::explicit-vault::/);
        assert.strictEqual(b.outputs.endpoint.value, "https://dev.k8s.example.test:6443");
    });

    describe("bad input", () => {
        const cases: [string, unknown, string[]][] = [
            [
                "an unknown mode",
                { mode: "store" },
                ['args.vault.mode "store"', "unknown Vault mode", '"kv"', '"dynamic"'],
            ],
            [
                "a misspelt mode",
                { mode: "dynamc" },
                ['args.vault.mode "dynamc": unknown Vault mode; did you mean "dynamic"?'],
            ],
            ["no mode", {}, ["args.vault.mode undefined", "Vault settings need a mode"]],
            ["a list", [], ["args.vault []", "it must be an object"]],
            ["an empty mount", { mode: "kv", kvMount: "" }, ['args.vault.kvMount ""', "non-empty"]],
            ["an empty path", { mode: "kv", kvPath: " " }, ['args.vault.kvPath " "', "non-empty"]],
            [
                "a path with a leading slash",
                { mode: "kv", kvPath: "/x" },
                ['args.vault.kvPath "/x"', "leading or trailing '/'"],
            ],
            [
                "an empty engine mount",
                { mode: "dynamic", kubernetesMount: "" },
                ['args.vault.kubernetesMount ""'],
            ],
            [
                "a TTL that is not a duration",
                { mode: "dynamic", tokenDefaultTtl: "an hour" },
                ['args.vault.tokenDefaultTtl "an hour"', "not a positive duration", '"1h"'],
            ],
            [
                "a zero TTL",
                { mode: "dynamic", tokenMaxTtl: "0s" },
                ['args.vault.tokenMaxTtl "0s"', "not a positive duration"],
            ],
            [
                "a default TTL below Kubernetes' 10-minute minimum",
                { mode: "dynamic", tokenDefaultTtl: "5m" },
                ['args.vault.tokenDefaultTtl "5m"', "below 10m", '"10m" or more'],
            ],
            [
                "a max TTL below Kubernetes' 10-minute minimum",
                { mode: "dynamic", tokenDefaultTtl: "10m", tokenMaxTtl: "599" },
                ['args.vault.tokenMaxTtl "599"', "below 10m"],
            ],
            [
                "a default TTL above the max",
                { mode: "dynamic", tokenDefaultTtl: "48h" },
                ['args.vault.tokenDefaultTtl "48h"', "exceeds tokenMaxTtl (24h, the default)"],
            ],
            [
                "a max TTL below the default TTL, naming the max (the field written)",
                { mode: "dynamic", tokenMaxTtl: "30m" },
                ['args.vault.tokenMaxTtl "30m"', "below tokenDefaultTtl (1h, the default)"],
            ],
            [
                "a max TTL in kv mode, naming the max (the field written)",
                { mode: "kv", tokenMaxTtl: "5h" },
                ['args.vault.tokenMaxTtl "5h"', 'apply to mode "dynamic"'],
            ],
            [
                "TTLs in kv mode",
                { mode: "kv", tokenDefaultTtl: "1h" },
                ['args.vault.tokenDefaultTtl "1h"', 'apply to mode "dynamic"'],
            ],
            [
                "a misspelt field",
                { mode: "dynamic", tokenMaxTTL: "8h" },
                ['args.vault.tokenMaxTTL "8h"', 'no field "tokenMaxTTL"; did you mean tokenMaxTtl?'],
            ],
            ["a bad role name", { mode: "dynamic", roleName: "a role" }, ['args.vault.roleName "a role"']],
        ];
        for (const [title, vault, expected] of cases) {
            it(`refuses ${title}, before anything is registered`, async () => {
                const { error, resources } = await buildError({ ...base, vault });
                for (const part of expected) {
                    assert.ok(
                        error.message.includes(part),
                        `message lacks ${JSON.stringify(part)}:\n${error.message}`,
                    );
                }
                assert.deepStrictEqual(resources, []);
            });
        }
    });
});
