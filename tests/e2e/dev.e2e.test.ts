// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): the `dev` stack's
// whole life through the Automation API: up, what the cluster holds, the outputs, the tutorial's checks,
// verify, an idempotent second up, a token rotation (rotation.e2e.test.ts for the whole of it), ServiceAccount, role and namespace replacement, an out-of-band deletion,
// no token in plain text anywhere, and destroy.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Stack, UpResult } from "@pulumi/pulumi/automation";
import { presetRules } from "../../components";
import { PROJECT_DIR } from "../../offline/program";
import { e2e } from "../../testenv/engine";
import { exists, getJson, httpsGet, kubeconfigFile, kubectl, statusOnceRevoked } from "./kube";
import { destroy, stackOf, stateResources, up } from "../../testenv/engineStacks";
import { scanForSecrets } from "./secrets";

const NS = "devops-tools";
const SA = "api-service-account";
const ROLE = `kube-api-access:${NS}:${SA}`;
const SECRET = `${SA}-token`;

/** Every output of the README's Outputs table, with its secretness. */
function readmeOutputs(): Map<string, boolean> {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const section = readme.slice(
        readme.indexOf("## Outputs"),
        readme.indexOf("\n## ", readme.indexOf("## Outputs") + 3),
    );
    const outputs = new Map<string, boolean>();
    for (const line of section.split("\n").filter((l) => l.startsWith("| `"))) {
        const [names, secret] = line.split("|").slice(1, 3);
        for (const m of names.matchAll(/`([A-Za-z]+)`/g)) {
            outputs.set(m[1], secret.includes("yes"));
        }
    }
    return outputs;
}

const changes = (r: UpResult) => r.summary.resourceChanges ?? {};
const tokenOf = (kubeconfig: string) =>
    (YAML.parse(kubeconfig) as { users: { user: { token: string } }[] }).users[0].user.token;

function verifyCli(args: string[]) {
    return spawnSync("npm", ["run", "--silent", "verify", "--", ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        timeout: 300_000,
    });
}

describe("e2e (real CLI, provider, control plane): the dev stack from up to destroy", function () {
    let stack: Stack;
    const tokens: string[] = [];
    let outputs: Record<string, { value: unknown; secret: boolean }>;
    const repoStackFile = fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8");

    const rememberToken = () => tokens.push(outputs.token.value as string);
    /** `pulumi up --replace` of the stack's resource of each type; the outputs and token are the new ones. */
    const upReplacing = async (...types: string[]) => {
        const resources = await stateResources(stack);
        const res = await up(stack, { replace: types.map((t) => resources.find((r) => r.type === t)!.urn) });
        outputs = res.outputs;
        rememberToken();
        return res;
    };
    const namespacesUrl = () => `${outputs.endpoint.value as string}/api/v1/namespaces`;
    /** The exported token lists namespaces over HTTPS, trusting only the exported CA. */
    const assertCurrentTokenWorks = async () =>
        assert.strictEqual(
            (await httpsGet(namespacesUrl(), outputs.caCert.value as string, outputs.token.value as string))
                .status,
            200,
        );
    const serviceAccountUid = () =>
        getJson<{ metadata: { uid: string } }>("serviceaccount", SA, NS).metadata.uid;

    before(async () => {
        stack = await stackOf("dev");
    });

    after(() => {
        assert.strictEqual(
            fs.readFileSync(path.join(PROJECT_DIR, "Pulumi.dev.yaml"), "utf8"),
            repoStackFile,
            "the repository's Pulumi.dev.yaml must not change",
        );
    });

    it("pulumi up creates every resource and waits for the token controller to fill the token", async () => {
        const res = await up(stack);
        assert.strictEqual(res.summary.result, "succeeded");
        outputs = res.outputs;
        rememberToken();
        assert.ok(exists("namespace", NS));
        const sa = getJson<{
            automountServiceAccountToken?: boolean;
            secrets?: unknown[];
            metadata: { uid: string };
        }>("serviceaccount", SA, NS);
        assert.strictEqual(sa.automountServiceAccountToken, false);
        assert.strictEqual(sa.secrets, undefined, "the token must not be listed in the account's secrets");
        const role = getJson<{ rules: unknown[] }>("clusterrole", ROLE);
        assert.deepStrictEqual(
            JSON.parse(JSON.stringify(role.rules)),
            JSON.parse(JSON.stringify(presetRules("read-only", "cluster"))),
        );
        const binding = getJson<{ roleRef: { name: string }; subjects: unknown[] }>(
            "clusterrolebinding",
            ROLE,
        );
        assert.strictEqual(binding.roleRef.name, ROLE);
        assert.deepStrictEqual(binding.subjects, [{ kind: "ServiceAccount", name: SA, namespace: NS }]);
        const secret = getJson<{
            type: string;
            data?: Record<string, string>;
            metadata: { annotations: Record<string, string> };
        }>("secret", SECRET, NS);
        assert.strictEqual(secret.type, "kubernetes.io/service-account-token");
        assert.ok(secret.data?.token, "the token controller filled data.token before up finished");
        assert.strictEqual(Buffer.from(secret.data.token, "base64").toString(), outputs.token.value);
        assert.strictEqual(
            secret.metadata.annotations["kube-api-access.pulumi.com/service-account-uid"],
            sa.metadata.uid,
        );
    });

    it("exports the outputs the README lists, token and kubeconfig secret", () => {
        const documented = readmeOutputs();
        for (const [name, secret] of documented) {
            if (name.startsWith("vault")) {
                assert.ok(!(name in outputs), `${name} is exported only with Vault`);
                continue;
            }
            assert.ok(name in outputs, `output ${name} is missing`);
            assert.strictEqual(outputs[name].secret, secret, `output ${name}: secret should be ${secret}`);
        }
        assert.deepStrictEqual(
            Object.keys(outputs).filter((k) => !documented.has(k)),
            [],
            "undocumented outputs",
        );
        const admin = YAML.parse(fs.readFileSync(e2e().adminKubeconfig, "utf8")) as {
            clusters: { cluster: { server: string } }[];
        };
        assert.strictEqual(outputs.endpoint.value, admin.clusters[0].cluster.server);
        assert.strictEqual(outputs.namespace.value, NS);
        assert.strictEqual(outputs.serviceAccountName.value, SA);
        assert.strictEqual(outputs.subject.value, `system:serviceaccount:${NS}:${SA}`);
        assert.strictEqual(outputs.roleName.value, ROLE);
        assert.strictEqual(outputs.bindingName.value, ROLE);
        assert.strictEqual(outputs.tokenSecretName.value, SECRET);
        assert.strictEqual(outputs.scope.value, "cluster");
        assert.deepStrictEqual(outputs.roleNamespaces.value, []);
        assert.match(outputs.caCert.value as string, /^-----BEGIN CERTIFICATE-----/);
        const kc = YAML.parse(outputs.kubeconfig.value as string);
        assert.strictEqual(kc.clusters[0].cluster.server, outputs.endpoint.value);
        // The endpoint is read from the provider's kubeconfig, so consumers trust the CA it names there.
        assert.strictEqual(
            Buffer.from(kc.clusters[0].cluster["certificate-authority-data"], "base64").toString(),
            outputs.endpointCaCert.value,
        );
        assert.strictEqual(
            outputs.endpointCaCert.value,
            fs.readFileSync(e2e().cluster.caCert, "utf8"),
            "the kubeconfig's CA is the admin kubeconfig's",
        );
        assert.strictEqual(kc.clusters[0].cluster["insecure-skip-tls-verify"], undefined);
        assert.strictEqual(tokenOf(outputs.kubeconfig.value as string), outputs.token.value);
        assert.strictEqual(kc.contexts[0].context.namespace, NS);
    });

    it("passes the tutorial's checks: kubectl auth can-i, HTTPS with the exported CA, kubectl with the exported kubeconfig", async () => {
        const as = `--as=system:serviceaccount:${NS}:${SA}`;
        const getPods = kubectl(["auth", "can-i", "get", "pods", as]);
        assert.strictEqual(getPods.stdout.trim(), "yes", getPods.stderr);
        const deleteDeployments = kubectl(["auth", "can-i", "delete", "deployments", as]);
        assert.strictEqual(deleteDeployments.stdout.trim(), "no", deleteDeployments.stderr);
        assert.strictEqual(deleteDeployments.status, 1);

        const res = await httpsGet(
            `${outputs.endpoint.value as string}/api/v1/namespaces`,
            outputs.caCert.value as string,
            outputs.token.value as string,
        );
        assert.strictEqual(res.status, 200, res.body);
        assert.strictEqual((JSON.parse(res.body) as { kind: string }).kind, "NamespaceList");

        const file = kubeconfigFile("dev-exported", outputs.kubeconfig.value as string);
        const pods = kubectl(["get", "pods", "-n", NS], file);
        assert.strictEqual(pods.status, 0, pods.stderr);
        const secrets = kubectl(["get", "secrets", "-n", NS], file);
        assert.notStrictEqual(secrets.status, 0);
        assert.match(secrets.stderr, /forbidden/i);
    });

    it("npm run verify -- --stack dev passes against the real API server", () => {
        const res = verifyCli(["--stack", "dev"]);
        assert.strictEqual(res.status, 0, `${res.stdout}\n${res.stderr}`);
        assert.match(res.stdout, /^OK: /m);
    });

    it("a second pulumi up with nothing changed changes nothing", async () => {
        const res = await up(stack, { expectNoChanges: true });
        const c = changes(res);
        assert.deepStrictEqual(
            Object.keys(c).filter((k) => k !== "same" && k !== "read"),
            [],
            JSON.stringify(c),
        );
    });

    it("changing tokenRotation makes a new token in the empty slot and keeps the old one valid (rotation.e2e.test.ts has the rest)", async () => {
        const old = outputs.token.value as string;
        const oldKubeconfig = kubeconfigFile("dev-previous", outputs.kubeconfig.value as string);
        await stack.setConfig("kube-api-access:tokenRotation", { value: "e2e-rotation-1" });
        const res = await up(stack);
        outputs = res.outputs;
        rememberToken();
        // The rotation marker (a Stash) and the empty slot's Opaque Secret, replaced by the new generation's
        // token Secret; the ledger patch is updated, the current token's Secret left alone.
        assert.strictEqual(changes(res).replace, 2, JSON.stringify(changes(res)));
        assert.strictEqual(changes(res).update, 1, JSON.stringify(changes(res)));
        assert.notStrictEqual(outputs.token.value, old);
        assert.strictEqual(outputs.tokenSecretName.value, `${SECRET}-2`);
        assert.strictEqual(outputs.previousTokenSecretName.value, SECRET);
        await assertCurrentTokenWorks();
        assert.strictEqual(
            (await httpsGet(namespacesUrl(), outputs.caCert.value as string, old)).status,
            200,
            "the previous token stays valid until the next rotation",
        );
        const res2 = verifyCli(["--kubeconfig", oldKubeconfig, "--stack", "dev"]);
        assert.strictEqual(res2.status, 0, `${res2.stdout}\n${res2.stderr}`);
        assert.match(
            res2.stdout,
            /^Token: generation 1 \(Secret api-service-account-token\), the previous one: .*\(Secret api-service-account-token-2\)/m,
        );
    });

    it("replacing the ServiceAccount replaces its token Secret (replaceWith the account)", async () => {
        const oldUid = serviceAccountUid();
        const old = outputs.token.value as string;
        const res = await upReplacing("kubernetes:core/v1:ServiceAccount");
        // The account and both token slots at least (the new account starts a new ledger: generation 1 again).
        assert.ok((changes(res).replace ?? 0) >= 3, JSON.stringify(changes(res)));
        const uid = serviceAccountUid();
        assert.notStrictEqual(uid, oldUid);
        // The new account holds its ledger, for its UID: a later rotation starts from it.
        const ledger = getJson<{ metadata: { annotations?: Record<string, string> } }>(
            "serviceaccount",
            SA,
            NS,
        ).metadata.annotations?.["kube-api-access.pulumi.com/token-generations"];
        assert.strictEqual((JSON.parse(ledger ?? "{}") as { account?: string }).account, uid, String(ledger));
        const secret = getJson<{ metadata: { annotations: Record<string, string> } }>("secret", SECRET, NS);
        assert.strictEqual(
            secret.metadata.annotations["kube-api-access.pulumi.com/service-account-uid"],
            uid,
        );
        await assertCurrentTokenWorks();
        assert.strictEqual(
            await statusOnceRevoked(namespacesUrl(), outputs.caCert.value as string, old),
            401,
        );
    });

    it("replacing the ClusterRole and ClusterRoleBinding (up --replace) keeps them and the access", async () => {
        const res = await upReplacing(
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
            "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        );
        assert.strictEqual(changes(res).replace, 2, JSON.stringify(changes(res)));
        assert.ok(exists("clusterrole", ROLE), "the ClusterRole exists after its replacement");
        assert.ok(exists("clusterrolebinding", ROLE), "the ClusterRoleBinding exists after its replacement");
        await assertCurrentTokenWorks();
    });

    it("replacing the Namespace (up --replace) recreates what lives in it, and the new token works", async () => {
        const namespaceUid = () => getJson<{ metadata: { uid: string } }>("namespace", NS).metadata.uid;
        const oldUid = namespaceUid();
        const old = outputs.token.value as string;
        const res = await upReplacing("kubernetes:core/v1:Namespace");
        assert.ok((changes(res).replace ?? 0) >= 3, JSON.stringify(changes(res)));
        assert.notStrictEqual(namespaceUid(), oldUid);
        assert.ok(exists("serviceaccount", SA, NS) && exists("secret", SECRET, NS));
        await assertCurrentTokenWorks();
        assert.strictEqual(
            await statusOnceRevoked(namespacesUrl(), outputs.caCert.value as string, old),
            401,
        );
        const again = await up(stack);
        // The ledger's read of the ServiceAccount runs on every up; the engine does not count it as a change.
        assert.deepStrictEqual(
            Object.keys(changes(again)).filter((k) => k !== "read"),
            ["same"],
            JSON.stringify(changes(again)),
        );
    });

    it("a token Secret deleted out of band comes back after pulumi refresh and up", async () => {
        const del = kubectl(["delete", "secret", SECRET, "-n", NS, "--wait"]);
        assert.strictEqual(del.status, 0, del.stderr);
        await stack.refresh({ onOutput: () => undefined });
        assert.ok(
            !(await stateResources(stack)).some((r) => r.id === `${NS}/${SECRET}`),
            "refresh drops the deleted Secret from the state",
        );
        const res = await up(stack);
        outputs = res.outputs;
        rememberToken();
        assert.strictEqual(changes(res).create, 1, JSON.stringify(changes(res)));
        assert.ok(exists("secret", SECRET, NS));
        await assertCurrentTokenWorks();
    });

    it("no token appears in plain text in the CLI's output, the stack's state or any log", async () => {
        const state = JSON.stringify(await stack.exportStack());
        assert.ok(state.includes("4dabf18193072939515e22adb298388d"), "the state holds secrets, encrypted");
        const found = scanForSecrets(tokens);
        assert.deepStrictEqual(found, [], `tokens found in: ${found.join(", ")}`);
        assert.ok(fs.statSync(e2e().transcript).size > 0, "the CLI's output was captured");
    });

    it("pulumi destroy leaves nothing behind", async () => {
        const res = await destroy(stack);
        assert.strictEqual(res.summary.result, "succeeded");
        assert.ok(!exists("namespace", NS), `namespace ${NS} is gone`);
        assert.ok(!exists("clusterrole", ROLE), `ClusterRole ${ROLE} is gone`);
        assert.ok(!exists("clusterrolebinding", ROLE), `ClusterRoleBinding ${ROLE} is gone`);
        assert.deepStrictEqual(await stateResources(stack), []);
    });
});
