// Token rotation through Vault (docs/token-rotation.md), against a real OpenBao, the real `bao` CLI and the
// loopback API server. The Vault provider cannot be built here (docs/vault.md), so its calls are made by the
// test, as tests/e2e/vault.e2e.test.ts does: kv mode's Kubernetes side is the real `pulumi up`, and the
// kv secret is written after each up with the data the component stores (kvSecretData), as the provider's
// SecretV2 update would; dynamic mode's issuer generations are the Secrets the component names
// (tokenSecretNameFor), applied with kubectl, and the engine is pointed at the new one with the provider's
// SecretBackend update call.
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { promisify } from "util";
import * as YAML from "yaml";
import { Stack } from "@pulumi/pulumi/automation";
import { tokenSecretNameFor } from "../../components/tokenGenerations";
import { dynamicCredsPolicy, kvReadPolicy, kvSecretData } from "../../components/vault";
import { plan } from "../../cli/plan/plan";
import { PROJECT_DIR } from "../../offline/program";
import { api, baoCliOptions, OpenBao, startOpenBao } from "../../testenv/openbao";
import { e2e } from "../../testenv/engine";
import { httpsGet, kubectl, statusOnceRevoked } from "./kube";
import { projectCopy, stackOf, up } from "../../testenv/engineStacks";
import { scanForSecrets } from "./secrets";

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** kube-apiserver keeps a successful token authentication for 10 s (kube.ts, statusOnceRevoked). */
const TOKEN_CACHE_MS = 10_000;

describe("e2e (real CLI, API server, OpenBao and bao CLI; the Vault provider's calls made by the test): rotation through Vault", function () {
    let bao: OpenBao;
    const secrets: string[] = [];
    const ca = () => fs.readFileSync(e2e().cluster.caCert, "utf8");
    const status = async (url: string, token: string) => (await httpsGet(url, ca(), token)).status;

    /** The real bao CLI, asynchronously (a consumer polls while pulumi up runs), JSON output. */
    const baoJson = async (token: string, ...args: string[]) => {
        const { stdout } = await run(bao.binary, args, baoCliOptions(bao, token, e2e().root));
        return JSON.parse(stdout) as { lease_id?: string; data: Record<string, unknown> };
    };
    /** A Vault token carrying only `policy` (written first), as a consumer's login gives. */
    const tokenWithPolicy = async (name: string, policy: string) => {
        await api(bao.address, "PUT", `/v1/sys/policies/acl/${name}`, { policy }, bao.rootToken);
        const reply = (await api(
            bao.address,
            "POST",
            "/v1/auth/token/create",
            { policies: [name], ttl: "1h" },
            bao.rootToken,
        )) as { auth: { client_token: string } };
        secrets.push(reply.auth.client_token);
        return reply.auth.client_token;
    };

    before(async () => {
        bao = await startOpenBao();
        secrets.push(bao.rootToken);
    });

    after(async () => {
        await bao?.stop();
    });

    describe('mode "kv": a consumer reading the secret through a rotation', function () {
        const NS = "e2e-kv-rotation";
        const SA = "kv-poller";
        const KV_PATH = `kube-api-access/e2e/${NS}/${SA}`;
        let stack: Stack;
        let outputs: Record<string, { value: unknown }>;
        let reader: string;
        const generations: string[] = [];
        const url = () => `${e2e().cluster.server}/api/v1/namespaces/${NS}/pods`;

        /** The Vault provider's SecretV2 update, with what the component stores from the up's outputs. */
        const writeKv = async () => {
            const value = (k: string) => outputs[k].value as string;
            const data = kvSecretData({
                endpoint: value("endpoint"),
                caCert: value("caCert"),
                token: value("token"),
                kubeconfig: value("kubeconfig"),
                namespace: value("namespace"),
                serviceAccount: value("serviceAccountName"),
            });
            await api(
                bao.address,
                "POST",
                `/v1/secret/data/${KV_PATH}`,
                { data: JSON.parse(data) as unknown },
                bao.rootToken,
            );
            if (generations.at(-1) !== value("token")) {
                generations.push(value("token"));
            }
        };

        /** A rotating up, then the kv write, while a consumer reads the token from Vault before every request. */
        const rotate = async (value: string) => {
            await stack.setConfig("kube-api-access:tokenRotation", { value, secret: true });
            const polls: { token: string; status: number }[] = [];
            let stopAt = Infinity;
            const consumer = (async () => {
                while (Date.now() < stopAt) {
                    const read = await baoJson(reader, "kv", "get", "-mount=secret", KV_PATH);
                    const token = (read.data.data as { token: string }).token;
                    polls.push({ token, status: await status(url(), token) });
                    await sleep(200);
                }
            })();
            try {
                outputs = (await up(stack)).outputs;
                await writeKv();
                stopAt = Date.now() + TOKEN_CACHE_MS + 2_000;
                await consumer;
            } finally {
                stopAt = 0;
                await consumer.catch(() => undefined);
            }
            return polls;
        };

        before(async () => {
            stack = await stackOf("e2e-kv-rotation", {
                "kube-api-access:namespace": { value: NS },
                "kube-api-access:serviceAccountName": { value: SA },
                "kube-api-access:scope": { value: "namespace" },
            });
            outputs = (await up(stack)).outputs;
            await writeKv();
            reader = await tokenWithPolicy(
                "e2e-kv-rotation",
                kvReadPolicy("secret", KV_PATH, `system:serviceaccount:${NS}:${SA}`),
            );
        });

        after(async () => {
            await stack?.destroy({ onOutput: () => undefined }).catch(() => undefined);
        });

        it("gets no 401 through a rotation, and moves to the new token once the secret holds it", async () => {
            const polls = await rotate("kv-rotation-1");
            assert.deepStrictEqual(
                polls.filter((p) => p.status !== 200).map((p) => p.status),
                [],
                `${polls.length} polls`,
            );
            assert.deepStrictEqual([...new Set(polls.map((p) => p.token))], generations.slice(0, 2));
            assert.strictEqual(await status(url(), generations[0]), 200, "the previous token stays valid");
        });

        it("the next rotation revokes the first token, not the one the secret held before it", async () => {
            const polls = await rotate("kv-rotation-2");
            assert.deepStrictEqual(
                polls.filter((p) => p.status !== 200).map((p) => p.status),
                [],
            );
            assert.strictEqual(await statusOnceRevoked(url(), ca(), generations[0]), 401);
            assert.strictEqual(await status(url(), generations[1]), 200);
            assert.strictEqual(await status(url(), generations[2]), 200);
            secrets.push(...generations);
        });
    });

    describe('mode "dynamic": the issuer\'s token in two generations', function () {
        const STACK = "e2e-dyn-rotation";
        const NS = "e2e-dyn-rotation";
        const SA = "dyn-consumer";
        const ISSUER = `${SA}-vault-issuer`;
        const MOUNT = "kubernetes-e2e-dyn-rotation";
        let requester: string;
        let manifests: string;
        const url = () => `${e2e().cluster.server}/api/v1/namespaces/${NS}/pods`;

        /** A token Secret's token once the token controller filled it. */
        const filledToken = async (name: string) => {
            for (let i = 0; i < 150; i++) {
                const res = kubectl(["get", "secret", name, "-n", NS, "-o", "jsonpath={.data.token}"]);
                if (res.status === 0 && res.stdout) {
                    const token = Buffer.from(res.stdout, "base64").toString();
                    secrets.push(token);
                    return token;
                }
                await sleep(200);
            }
            throw new Error(`the token controller never filled ${NS}/${name}`);
        };
        /** The Vault provider's SecretBackend config write: the engine mints with `issuerToken`. */
        const pointEngineAt = (issuerToken: string) =>
            api(
                bao.address,
                "POST",
                `/v1/${MOUNT}/config`,
                {
                    kubernetes_host: e2e().cluster.server,
                    kubernetes_ca_cert: ca(),
                    service_account_jwt: issuerToken,
                    disable_local_ca_jwt: true,
                },
                bao.rootToken,
            );
        /** vaultCredentialsCommand, run with the policy-only token: a token for the account and its lease. */
        const credentials = async () => {
            const reply = await baoJson(
                requester,
                "write",
                `${MOUNT}/creds/${SA}`,
                `kubernetes_namespace=${NS}`,
            );
            const token = reply.data.service_account_token as string;
            secrets.push(token);
            return { token, lease: reply.lease_id ?? "" };
        };

        before(async () => {
            const dir = projectCopy();
            fs.writeFileSync(
                path.join(dir, `Pulumi.${STACK}.yaml`),
                YAML.stringify({
                    config: {
                        "kube-api-access:namespace": NS,
                        "kube-api-access:serviceAccountName": SA,
                        "kube-api-access:scope": "namespace",
                        "kube-api-access:vault": { mode: "dynamic", kubernetesMount: MOUNT },
                    },
                }),
            );
            if (!fs.existsSync(path.join(dir, "policy"))) {
                // The offline run loads the program's TypeScript, whose checks import the pack's RBAC evaluator.
                fs.symlinkSync(path.join(PROJECT_DIR, "policy"), path.join(dir, "policy"));
            }
            const planned = await plan({
                stack: STACK,
                dir,
                outDir: path.join(e2e().root, "plans", STACK),
                kubeconfig: e2e().adminKubeconfig,
                policy: false,
            });
            assert.ok(planned.manifestsDir, "plan wrote no manifests");
            manifests = planned.manifestsDir;
            const applied = kubectl(["apply", "-f", manifests]);
            assert.strictEqual(applied.status, 0, applied.stderr);
            await api(bao.address, "POST", `/v1/sys/mounts/${MOUNT}`, { type: "kubernetes" }, bao.rootToken);
            await pointEngineAt(await filledToken(tokenSecretNameFor(ISSUER, 1, 0)));
            await api(
                bao.address,
                "POST",
                `/v1/${MOUNT}/roles/${SA}`,
                {
                    allowed_kubernetes_namespaces: [NS],
                    service_account_name: SA,
                    token_default_ttl: 3600,
                    token_max_ttl: 86400,
                },
                bao.rootToken,
            );
            requester = await tokenWithPolicy(
                STACK,
                dynamicCredsPolicy(MOUNT, SA, `system:serviceaccount:${NS}:${SA}`),
            );
        });

        after(() => {
            if (manifests) {
                kubectl(["delete", "--wait=false", "--ignore-not-found", "-f", manifests]);
            }
        });

        it("credentials requested before, during and after an issuer rotation all work, and outlive the old issuer token", async () => {
            const before = await credentials();
            assert.strictEqual(await status(url(), before.token), 200);
            // The rotating up: the next generation's Secret in the empty slot, filled, then the engine moved.
            const second = tokenSecretNameFor(ISSUER, 2, 1);
            const manifest = {
                apiVersion: "v1",
                kind: "Secret",
                type: "kubernetes.io/service-account-token",
                metadata: {
                    name: second,
                    namespace: NS,
                    annotations: { "kubernetes.io/service-account.name": ISSUER },
                },
            };
            const file = path.join(e2e().root, `${second}.yaml`);
            fs.writeFileSync(file, YAML.stringify(manifest));
            const applied = kubectl(["apply", "-f", file]);
            assert.strictEqual(applied.status, 0, applied.stderr);
            const issuer2 = await filledToken(second);
            const during = await credentials();
            assert.strictEqual(await status(url(), during.token), 200);
            await pointEngineAt(issuer2);
            const after = await credentials();
            assert.strictEqual(await status(url(), after.token), 200);
            // The next rotation revokes the first generation of the issuer's token.
            const deleted = kubectl([
                "delete",
                "secret",
                tokenSecretNameFor(ISSUER, 1, 0),
                "-n",
                NS,
                "--wait",
            ]);
            assert.strictEqual(deleted.status, 0, deleted.stderr);
            await sleep(TOKEN_CACHE_MS + 2_000);
            const later = await credentials();
            for (const c of [before, during, after, later]) {
                assert.strictEqual(await status(url(), c.token), 200);
            }
        });

        it("revoking a Vault lease does not invalidate the Kubernetes token it issued before its expiry", async () => {
            const issued = await credentials();
            assert.ok(issued.lease, "the engine gives a lease");
            await api(bao.address, "PUT", "/v1/sys/leases/revoke", { lease_id: issued.lease }, bao.rootToken);
            await sleep(TOKEN_CACHE_MS + 2_000);
            assert.strictEqual(await status(url(), issued.token), 200);
        });
    });

    // A suite's own tests run before its nested suites: this one is nested, and last, to scan after both modes.
    describe("afterwards", function () {
        it("no secret (root token, Vault tokens, Kubernetes tokens) appears in any file of the run", function () {
            assert.ok(secrets.length > 3, "the modes above ran and left tokens to look for");
            assert.deepStrictEqual(scanForSecrets(secrets), []);
        });
    });
});
