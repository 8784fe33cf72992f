// Vault modes against a real OpenBao dev server (testenv/openbao.ts), the real `bao` CLI, kube-apiserver and
// kubectl. Level: real clients against loopback servers, one step short of end to end: the Vault objects are
// exactly what the program declares (run under Pulumi's mock runtime, tokens swapped for the cluster's real
// ones) and are written through OpenBao's API with the Vault provider's field names, because
// pulumi-resource-vault cannot be built from the Go module proxy here (docs/vault.md). The Kubernetes
// objects come from `npm run plan`'s manifests, applied with kubectl. Bad input runs the real Pulumi CLI.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { plan } from "../../cli/plan/plan";
import { OFFLINE_CA_PEM, offlineToken, RecordedResource } from "../../offline/mocks";
import { ProgramRun, runProgramOffline } from "../../offline/program";
import { api, baoCliOptions, OpenBao, startOpenBao } from "../../testenv/openbao";
import { PROJECT_DIR } from "../../offline/program";
import { renderKubeconfig } from "../../components/kubeconfig";
import { e2e } from "../../testenv/engine";
import { exists, kubectl, kubeconfigFile } from "./kube";
import { failure, projectCopy, stackOf, up } from "../../testenv/engineStacks";
import { scanForSecrets } from "./secrets";

/** The Vault provider's API field for a Pulumi input (the bridge maps snake_case to camelCase). */
const snake = (key: string) => key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** The cluster's real token Secrets' tokens and CA, by the offline value each replaces (raw and base64). */
function realValues(run: ProgramRun): Map<string, string> {
    const swap = new Map<string, string>();
    const b64 = (s: string) => Buffer.from(s).toString("base64");
    for (const r of run.resources) {
        if (
            r.type !== "kubernetes:core/v1:Secret" ||
            r.inputs.type !== "kubernetes.io/service-account-token"
        ) {
            continue;
        }
        const meta = r.inputs.metadata as {
            name: string;
            namespace: string;
            annotations: Record<string, string>;
        };
        const account = meta.annotations["kubernetes.io/service-account.name"];
        const data = waitForToken(meta.namespace, meta.name);
        for (const [fake, real] of [
            [offlineToken(meta.namespace, account), data.token],
            [OFFLINE_CA_PEM, data["ca.crt"]],
        ]) {
            swap.set(fake, real);
            swap.set(b64(fake), b64(real));
        }
    }
    return swap;
}

/** The real tokens of the program's token Secrets (the CA is not a secret). */
const tokensOf = (run: ProgramRun) =>
    [...realValues(run).entries()].filter(([fake]) => fake.startsWith("ey")).map(([, real]) => real);

/** `value` with every offline value in `swap` replaced by the real one, also inside JSON-encoded strings. */
function realize(value: unknown, swap: Map<string, string>): unknown {
    if (typeof value === "string") {
        let text = value;
        for (const [fake, real] of swap) {
            const escaped = (s: string) => JSON.stringify(s).slice(1, -1);
            text = text.split(fake).join(real).split(escaped(fake)).join(escaped(real));
        }
        return text;
    }
    if (Array.isArray(value)) {
        return value.map((v) => realize(v, swap));
    }
    if (value !== null && typeof value === "object") {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, realize(v, swap)]));
    }
    return value;
}

/** A token Secret's data, decoded, once the token controller filled it. */
function waitForToken(namespace: string, name: string): Record<string, string> {
    for (let i = 0; i < 150; i++) {
        const res = kubectl(["get", "secret", name, "-n", namespace, "-o", "json"]);
        const data =
            res.status === 0 ? (JSON.parse(res.stdout) as { data?: Record<string, string> }).data : undefined;
        if (data?.token) {
            return Object.fromEntries(
                Object.entries(data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
            );
        }
        spawnSync("sleep", ["0.2"]);
    }
    throw new Error(`the token controller never filled ${namespace}/${name}`);
}

/**
 * Writes the program's Vault objects into OpenBao with `token` as the Vault provider does: its create calls,
 * each followed by the read it makes afterwards (terraform-provider-vault v5.8.0, vault/resource_*.go).
 */
async function applyVaultObjects(
    bao: OpenBao,
    resources: RecordedResource[],
    swap: Map<string, string>,
    token: string,
) {
    const call = (method: string, p: string, body?: unknown) =>
        api(bao.address, method, `/v1/${p}`, body, token);
    const vaultOnes = resources.filter((r) => r.type.startsWith("vault:"));
    const order = ["vault:index/mount:Mount", "vault:kubernetes/secretBackend:SecretBackend"];
    vaultOnes.sort((a, b) => (order.includes(b.type) ? 1 : 0) - (order.includes(a.type) ? 1 : 0));
    for (const r of vaultOnes) {
        const inputs = realize(r.inputs, swap) as Record<string, unknown>;
        switch (r.type) {
            case "vault:index/policy:Policy":
                await call("PUT", `sys/policies/acl/${inputs.name as string}`, { policy: inputs.policy });
                await call("GET", `sys/policies/acl/${inputs.name as string}`);
                break;
            case "vault:index/mount:Mount":
                await call("POST", `sys/mounts/${inputs.path as string}`, {
                    type: inputs.type,
                    options: inputs.options,
                });
                await call("GET", `sys/mounts/${inputs.path as string}`);
                break;
            case "vault:kv/secretV2:SecretV2":
                await call("POST", `${inputs.mount as string}/data/${inputs.name as string}`, {
                    data: JSON.parse(inputs.dataJson as string),
                });
                await call("GET", `${inputs.mount as string}/data/${inputs.name as string}`);
                await call("GET", `${inputs.mount as string}/metadata/${inputs.name as string}`);
                break;
            case "vault:kubernetes/secretBackend:SecretBackend": {
                const { path: mount, description, ...config } = inputs;
                await call("POST", `sys/mounts/${mount as string}`, { type: "kubernetes", description });
                await call("GET", `sys/mounts/${mount as string}`);
                await call(
                    "POST",
                    `${mount as string}/config`,
                    Object.fromEntries(Object.entries(config).map(([k, v]) => [snake(k), v])),
                );
                await call("GET", `${mount as string}/config`);
                break;
            }
            case "vault:kubernetes/secretBackendRole:SecretBackendRole": {
                const { backend, name, ...role } = inputs;
                await call(
                    "POST",
                    `${backend as string}/roles/${name as string}`,
                    Object.fromEntries(Object.entries(role).map(([k, v]) => [snake(k), v])),
                );
                await call("GET", `${backend as string}/roles/${name as string}`);
                break;
            }
            default:
                throw new Error(`no OpenBao mapping for ${r.type}: add one`);
        }
    }
}

/** The Vault administrator's policy as docs/vault.md states it ("What the Vault administrator must allow"), filled in. */
function adminPolicyFromDocs(run: ProgramRun): string {
    const doc = fs.readFileSync(path.join(PROJECT_DIR, "docs", "vault.md"), "utf8");
    const section = doc.split("## What the Vault administrator must allow")[1] ?? "";
    const hcl = /```hcl\n([\s\S]*?)```/.exec(section)?.[1];
    assert.ok(hcl, "docs/vault.md has no hcl block under 'What the Vault administrator must allow'");
    const [kvMount, ...kvPath] = ((run.outputs.vaultSecretPath?.value as string | undefined) ?? "").split(
        "/",
    );
    const fill: Record<string, string> = { kvMount, kvPath: kvPath.join("/") };
    return hcl.replace(
        /<(\w+)>/g,
        (whole, key: string) => fill[key] || (run.outputs[key]?.value as string) || whole,
    );
}

/**
 * A token as the Vault provider uses it when `pulumi up` runs with a token holding only `policy`: it looks
 * that token up, then works with a 20-minute child token it creates (internal/provider/meta.go).
 */
async function providerToken(bao: OpenBao, name: string, policy: string): Promise<string> {
    await api(bao.address, "PUT", `/v1/sys/policies/acl/${name}`, { policy }, bao.rootToken);
    const admin = await tokenWith(bao, name);
    await api(bao.address, "GET", "/v1/auth/token/lookup-self", undefined, admin);
    const child = (await api(
        bao.address,
        "POST",
        "/v1/auth/token/create",
        { display_name: "terraform", ttl: "1200s", explicit_max_ttl: "1200s", renewable: false },
        admin,
    )) as { auth: { client_token: string } };
    return child.auth.client_token;
}

interface Deployed {
    readonly run: ProgramRun;
    /** `-f DIR` arguments for kubectl: the plan's manifests. */
    readonly manifests: string[];
    readonly output: (name: string) => string;
    /** The provider's child token from a token holding only docs/vault.md's administrator policy. */
    readonly token: string;
    /** A token carrying only the consumer's policy (vaultPolicyName). */
    readonly consumer: string;
    /** A value of the offline run with the cluster's real tokens and CA in it. */
    readonly real: (value: unknown) => unknown;
}

/** Plans `stack` of the program copy, applies its manifests to the cluster and its Vault objects to OpenBao. */
async function deploy(bao: OpenBao, stack: string): Promise<Deployed> {
    const dir = projectCopy();
    // The offline run loads the program's TypeScript, whose checks import the pack's RBAC evaluator.
    if (!fs.existsSync(path.join(dir, "policy"))) {
        fs.symlinkSync(path.join(PROJECT_DIR, "policy"), path.join(dir, "policy"));
    }
    const endpoint = { "kube-api-access:endpoint": e2e().cluster.server };
    const planned = await plan({
        stack,
        dir,
        outDir: path.join(e2e().root, "plans", stack),
        kubeconfig: e2e().adminKubeconfig,
        policy: false,
    });
    const manifests = ["-f", planned.manifestsDir!];
    const applied = kubectl(["apply", ...manifests]);
    assert.strictEqual(applied.status, 0, applied.stderr);
    const run = await runProgramOffline(stack, { dir, overrides: endpoint });
    const output = (name: string) => {
        const value = run.outputs[name]?.value;
        assert.strictEqual(typeof value, "string", `output ${name} is ${JSON.stringify(value)}`);
        return value as string;
    };
    const token = await providerToken(bao, `e2e-admin-${stack}`, adminPolicyFromDocs(run));
    const swap = realValues(run);
    await applyVaultObjects(bao, run.resources, swap, token);
    const consumer = await tokenWith(bao, output("vaultPolicyName"));
    return { run, manifests, output, token, consumer, real: (value) => realize(value, swap) };
}

/**
 * Deletes `paths` (in that order) with the administrator's token, as the Vault provider's delete calls do,
 * and checks with the root token that each is gone (404). Then removes the Kubernetes objects.
 */
async function destroyVaultObjects(bao: OpenBao, deployed: Deployed, paths: string[]) {
    for (const p of paths) {
        await api(bao.address, "DELETE", `/v1/${p}`, undefined, deployed.token);
    }
    for (const p of paths.filter((x) => !x.startsWith("sys/mounts/"))) {
        await assert.rejects(
            api(bao.address, "GET", `/v1/${p}`, undefined, bao.rootToken),
            /HTTP 404/,
            `${p} is still there`,
        );
    }
    const deleted = kubectl(["delete", "--ignore-not-found", ...deployed.manifests]);
    assert.strictEqual(deleted.status, 0, deleted.stderr);
}

/** The names of OpenBao's secrets engine mounts and ACL policies, sorted. */
async function mountsAndPolicies(bao: OpenBao): Promise<{ mounts: string[]; policies: string[] }> {
    const get = (p: string) => api(bao.address, "GET", `/v1/${p}`, undefined, bao.rootToken);
    const mounts = (await get("sys/mounts")) as { data: Record<string, unknown> };
    const policies = (await get("sys/policies/acl?list=true")) as { data: { keys: string[] } };
    return { mounts: Object.keys(mounts.data).sort(), policies: [...policies.data.keys].sort() };
}

/** A Vault token carrying only `policy` (and Vault's default policy, as a consumer's login gives). */
async function tokenWith(bao: OpenBao, policy: string): Promise<string> {
    const reply = (await api(
        bao.address,
        "POST",
        "/v1/auth/token/create",
        { policies: [policy], ttl: "1h" },
        bao.rootToken,
    )) as {
        auth: { client_token: string };
    };
    return reply.auth.client_token;
}

/** Runs a command the stack outputs (`vault ...`) exactly, with the real `bao` as `vault`, JSON output. */
function runVault(bao: OpenBao, command: string, token: string) {
    const [program, ...args] = command.split(" ");
    assert.strictEqual(program, "vault", `not a vault command: ${command}`);
    const res = spawnSync(bao.binary, args, { encoding: "utf8", ...baoCliOptions(bao, token, e2e().root) });
    return { status: res.status, stdout: res.stdout ?? "", stderr: res.stderr ?? res.error?.message ?? "" };
}

/** The claims of a JWT (not verified: the API server does that). */
const claims = (jwt: string) =>
    JSON.parse(Buffer.from(jwt.split(".")[1], "base64url").toString()) as {
        exp: number;
        iat: number;
        sub: string;
    };

const KV_STACK = "e2e-vault-kv";

describe("e2e (real OpenBao, bao CLI and API server; Vault objects as the program declares them): Vault modes", function () {
    let bao: OpenBao;
    const secrets: string[] = [];
    const manifests: string[][] = [];

    before(async function () {
        bao = await startOpenBao();
        secrets.push(bao.rootToken);
        fs.writeFileSync(
            path.join(projectCopy(), `Pulumi.${KV_STACK}.yaml`),
            YAML.stringify({
                config: {
                    "kube-api-access:namespace": KV_STACK,
                    "kube-api-access:serviceAccountName": "kv-reader",
                    "kube-api-access:scope": "namespace",
                    "kube-api-access:access": "read-only",
                    "kube-api-access:vault": { mode: "kv" },
                },
            }),
        );
    });

    /** deploy(), remembering what to remove afterwards and which tokens the secrets scan looks for. */
    const deployed = async (stack: string) => {
        const d = await deploy(bao, stack);
        manifests.push(d.manifests);
        secrets.push(d.token, d.consumer, ...tokensOf(d.run));
        return d;
    };

    after(async function () {
        for (const files of manifests) {
            kubectl(["delete", "--wait=false", "--ignore-not-found", ...files]);
        }
        await bao?.stop();
    });

    describe('mode "kv"', function () {
        let kv: Deployed;
        let reader: string;

        before(async function () {
            kv = await deployed(KV_STACK);
            reader = kv.consumer;
        });

        it("a token with only vaultPolicyName reads everything at vaultSecretPath by running vaultReadCommand", function () {
            const res = runVault(bao, kv.output("vaultReadCommand"), reader);
            assert.strictEqual(res.status, 0, res.stderr);
            const data = (JSON.parse(res.stdout) as { data: { data: Record<string, string> } }).data.data;
            const stored = kv.run.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2");
            assert.deepStrictEqual(data, kv.real(JSON.parse(stored?.inputs.dataJson as string)));
            assert.strictEqual(data.endpoint, e2e().cluster.server);
            assert.strictEqual(data.caCert.trim(), fs.readFileSync(e2e().cluster.caCert, "utf8").trim());
            assert.deepStrictEqual([data.namespace, data.serviceAccount], [KV_STACK, "kv-reader"]);
            const [mount, ...rest] = kv.output("vaultSecretPath").split("/");
            assert.match(kv.output("vaultReadCommand"), new RegExp(`-mount=${mount} ${rest.join("/")}$`));
        });

        it("the same token can neither write that secret nor read any other path", function () {
            const [mount, ...rest] = kv.output("vaultSecretPath").split("/");
            const denied = [
                `vault kv put -mount=${mount} ${rest.join("/")} token=overwritten`,
                `vault kv get -mount=${mount} ${rest.slice(0, -1).join("/")}/another-account`,
                `vault kv metadata delete -mount=${mount} ${rest.join("/")}`,
                `vault read sys/mounts`,
                `vault policy read ${kv.output("vaultPolicyName")}`,
            ];
            for (const command of denied) {
                const res = runVault(bao, command, reader);
                assert.notStrictEqual(res.status, 0, `${command} succeeded`);
                assert.match(res.stderr, /permission denied/, `${command}: ${res.stderr}`);
            }
        });

        it("the kubeconfig read from Vault works with kubectl, for exactly the granted access", function () {
            const res = runVault(bao, kv.output("vaultReadCommand"), reader);
            const data = (JSON.parse(res.stdout) as { data: { data: Record<string, string> } }).data.data;
            const file = kubeconfigFile("kv-from-vault", data.kubeconfig);
            const pods = kubectl(["get", "pods", "-n", KV_STACK], file);
            assert.strictEqual(pods.status, 0, pods.stderr);
            const secretsRead = kubectl(["get", "secrets", "-n", KV_STACK], file);
            assert.notStrictEqual(secretsRead.status, 0);
            assert.match(secretsRead.stderr, /Forbidden/);
        });

        it("with exportToken auto (the default), token and kubeconfig stay out of the outputs (program run offline)", function () {
            assert.strictEqual(kv.run.outputs.token, undefined);
            assert.strictEqual(kv.run.outputs.kubeconfig, undefined);
            assert.strictEqual(kv.run.outputs.vaultMode.value, "kv");
        });

        it("destroy's Vault calls, with the administrator's token only, remove the secret and the policy", async function () {
            const [mount, ...rest] = kv.output("vaultSecretPath").split("/");
            const stored = kv.run.resources.find((r) => r.type === "vault:kv/secretV2:SecretV2");
            // kvSecretV2Delete deletes <mount>/metadata/<name> with deleteAllVersions, else <mount>/data/<name>.
            const base = stored?.inputs.deleteAllVersions === true ? "metadata" : "data";
            await destroyVaultObjects(bao, kv, [
                `${mount}/${base}/${rest.join("/")}`,
                `sys/policies/acl/${kv.output("vaultPolicyName")}`,
            ]);
            const res = runVault(bao, kv.output("vaultReadCommand"), bao.rootToken);
            assert.notStrictEqual(res.status, 0, "the secret is still readable");
        });
    });

    describe('mode "dynamic" (the committed vault-example stack)', function () {
        let dyn: Deployed;
        let requester: string;
        let issued: { token: string; lease: number };
        const namespace = "payments";
        const account = "payments-reporting";

        before(async function () {
            dyn = await deployed("vault-example");
            requester = dyn.consumer;
        });

        it("vaultCredentialsCommand, run with a token carrying only the policy, returns a Kubernetes token", function () {
            const res = runVault(bao, dyn.output("vaultCredentialsCommand"), requester);
            assert.strictEqual(res.status, 0, res.stderr);
            const reply = JSON.parse(res.stdout) as {
                lease_duration: number;
                data: {
                    service_account_token: string;
                    service_account_name: string;
                    service_account_namespace: string;
                };
            };
            issued = { token: reply.data.service_account_token, lease: reply.lease_duration };
            secrets.push(issued.token);
            assert.deepStrictEqual(
                [reply.data.service_account_namespace, reply.data.service_account_name],
                [namespace, account],
            );
            assert.strictEqual(claims(issued.token).sub, `system:serviceaccount:${namespace}:${account}`);
        });

        it("that token has exactly the granted rules: npm run verify passes with it", function () {
            const kubeconfig = renderKubeconfig({
                clusterName: "e2e",
                server: e2e().cluster.server,
                caCert: fs.readFileSync(e2e().cluster.caCert, "utf8"),
                namespace,
                user: account,
                token: issued.token,
            });
            const file = kubeconfigFile("dynamic-from-vault", kubeconfig);
            const res = spawnSync(
                path.join(PROJECT_DIR, "node_modules", ".bin", "ts-node"),
                [
                    "--transpile-only",
                    "cli/verify/verify.ts",
                    "--kubeconfig",
                    file,
                    "--stack",
                    "vault-example",
                ],
                { cwd: PROJECT_DIR, encoding: "utf8", timeout: 300_000 },
            );
            assert.strictEqual(res.status, 0, `${res.stdout}\n${res.stderr}`);
            assert.ok(
                !res.stdout.includes(issued.token) && !res.stderr.includes(issued.token),
                "verify printed the token",
            );
        });

        it("its lifetime is what was asked: tokenDefaultTtl (1h), or a ttl the request gives", function () {
            const { exp, iat } = claims(issued.token);
            assert.strictEqual(exp - iat, 3600);
            assert.strictEqual(issued.lease, 3600);
            const res = runVault(bao, `${dyn.output("vaultCredentialsCommand")} ttl=10m`, requester);
            assert.strictEqual(res.status, 0, res.stderr);
            const token = (JSON.parse(res.stdout) as { data: { service_account_token: string } }).data
                .service_account_token;
            secrets.push(token);
            assert.strictEqual(claims(token).exp - claims(token).iat, 600);
        });

        it("the issuer account may create tokens for that one account only", function () {
            const issuer = `system:serviceaccount:${namespace}:${account}-vault-issuer`;
            const canI = (name: string) =>
                kubectl([
                    "auth",
                    "can-i",
                    "create",
                    `serviceaccounts/${name}`,
                    "--subresource=token",
                    "-n",
                    namespace,
                    `--as=${issuer}`,
                ]).stdout.trim();
            assert.strictEqual(canI(account), "yes");
            assert.strictEqual(canI("another-account"), "no");
            assert.strictEqual(
                kubectl(["auth", "can-i", "get", "secrets", "-n", namespace, `--as=${issuer}`]).stdout.trim(),
                "no",
            );
        });

        it("the policy-only token can't use another role or read the engine's configuration", function () {
            const mount = dyn.output("vaultKubernetesMount");
            for (const command of [
                `vault write ${mount}/creds/another-role kubernetes_namespace=${namespace}`,
                `vault read ${mount}/config`,
                `vault list ${mount}/roles`,
            ]) {
                const res = runVault(bao, command, requester);
                assert.notStrictEqual(res.status, 0, `${command} succeeded`);
                assert.match(res.stderr, /permission denied/, `${command}: ${res.stderr}`);
            }
        });

        it("destroy's Vault calls, with the administrator's token only, remove the role, the mount and the policy", async function () {
            const mount = dyn.output("vaultKubernetesMount");
            await destroyVaultObjects(bao, dyn, [
                `${mount}/roles/${dyn.output("vaultRoleName")}`,
                `sys/mounts/${mount}`,
                `sys/policies/acl/${dyn.output("vaultPolicyName")}`,
            ]);
            const mounts = (await api(
                bao.address,
                "GET",
                "/v1/sys/mounts",
                undefined,
                bao.rootToken,
            )) as Record<string, unknown>;
            assert.ok(!(`${mount}/` in mounts), `${mount}/ is still mounted`);
        });
    });

    describe("bad input and faults", function () {
        it("a token lifetime below 10 minutes stops pulumi up (real CLI) before anything exists, in the cluster or OpenBao", async function () {
            const existing = await mountsAndPolicies(bao);
            const stack = await stackOf("e2e-vault-short-ttl", {
                "vault:address": { value: bao.address },
                "kube-api-access:namespace": { value: "e2e-vault-short-ttl" },
                "kube-api-access:vault": {
                    value: JSON.stringify({ mode: "dynamic", tokenDefaultTtl: "5m" }),
                },
            });
            let error = "";
            try {
                await up(stack);
            } catch (err) {
                error = failure(err);
            }
            // Named as the user wrote it: stack file, line and key.
            assert.match(
                error,
                /Pulumi\.e2e-vault-short-ttl\.yaml:\d+: kube-api-access:vault\.tokenDefaultTtl "5m"/,
            );
            assert.match(error, /below 10m/);
            assert.strictEqual(exists("namespace", "e2e-vault-short-ttl"), false);
            assert.deepStrictEqual(await mountsAndPolicies(bao), existing);
        });

        it("a sealed OpenBao: the consumer's command fails with an error naming the address", async function () {
            const reader = await tokenWith(bao, "default");
            secrets.push(reader);
            await bao.seal();
            try {
                const res = runVault(bao, "vault kv get -mount=secret anything", reader);
                assert.notStrictEqual(res.status, 0);
                assert.ok(res.stderr.includes(bao.address), res.stderr);
                assert.match(res.stderr, /sealed/i);
            } finally {
                await bao.unseal();
            }
        });

        it("an unreachable Vault: the consumer's command fails with an error naming the address", function () {
            const nowhere = { ...bao, address: "http://127.0.0.1:9" } as OpenBao;
            const res = runVault(nowhere, "vault kv get -mount=secret anything", "unused");
            assert.notStrictEqual(res.status, 0);
            assert.ok(res.stderr.includes("127.0.0.1:9"), res.stderr);
        });

        it("no secret (root token, Vault tokens, Kubernetes tokens) appears in any file of the run", function () {
            assert.deepStrictEqual(scanForSecrets(secrets), []);
        });
    });
});
