// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): rotating the
// long-lived token without downtime. Through each rotating `up`, one consumer polls the API with the token
// the stack exports, re-reading the output before every request as a consumer re-reads its token file;
// another keeps the token it had until past the API server's token cache, as a consumer rolled later.
// Then each generation's token is asked directly: the current and previous answer 200, the one before 401.
import * as assert from "assert";
import { Stack, UpResult } from "@pulumi/pulumi/automation";
import { getJson, httpsGet, kubectl, statusOnceRevoked } from "./kube";
import { destroy, failure, stackOf, stateResources, up } from "../../testenv/engineStacks";
import { scanForSecrets } from "./secrets";

const STACK = "e2e-rotation";
const NS = "e2e-rotation";
const SA = "poller";
/** kube-apiserver keeps a successful token authentication for 10 s (kube.ts, statusOnceRevoked). */
const TOKEN_CACHE_MS = 10_000;

const changes = (r: UpResult) => r.summary.resourceChanges ?? {};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Poll {
    readonly at: number;
    readonly token: string;
    readonly status: number;
}

describe("e2e (real CLI, provider, control plane): tokenRotation keeps two generations, without downtime", function () {
    let stack: Stack;
    let outputs: Record<string, { value: unknown; secret: boolean }>;
    /** Every token the stack exported, by generation (1-based), for the checks and the secrets scan. */
    const generations: string[] = [];
    const url = () => `${outputs.endpoint.value as string}/api/v1/namespaces/${NS}/pods`;
    const ca = () => outputs.caCert.value as string;
    const status = async (token: string) => (await httpsGet(url(), ca(), token)).status;
    /** The names of the token Secrets the cluster holds in the namespace. */
    const tokenSecrets = () => {
        const res = kubectl(["get", "secrets", "-n", NS, "-o", "json"]);
        assert.strictEqual(res.status, 0, res.stderr);
        return (JSON.parse(res.stdout) as { items: { metadata: { name: string }; type: string }[] }).items
            .filter((s) => s.type === "kubernetes.io/service-account-token")
            .map((s) => s.metadata.name)
            .sort();
    };

    /**
     * Runs `pulumi up` while two consumers poll the API: one re-reads the stack's output (`pulumi stack
     * output`) before every request, as a consumer re-reads its token file; the other read it before the up
     * and keeps that token until the API server's token cache has passed after it, then re-reads, as a
     * consumer rolled within the window. Both poll on past the cache, so a token the up revoked shows.
     */
    const upWhilePolling = async (): Promise<{ result: UpResult; polls: Poll[]; rolling: Poll[] }> => {
        const polls: Poll[] = [];
        const rolling: Poll[] = [];
        let stopAt = Infinity;
        let rollAt = Infinity;
        // As a consumer retries a file it caught half-written: the file backend rewrites the checkpoint
        // while the up runs, and `pulumi stack output` then fails to load it ("failed to load checkpoint").
        const exported = async (): Promise<string> => {
            for (let attempt = 1; ; attempt++) {
                try {
                    return (await stack.outputs()).token.value as string;
                } catch (err) {
                    if (attempt >= 10) {
                        throw err;
                    }
                    await sleep(300);
                }
            }
        };
        const poll = async (into: Poll[], token: string) =>
            into.push({ at: Date.now(), token, status: await status(token) });
        const eager = (async () => {
            while (Date.now() < stopAt) {
                await poll(polls, await exported());
                await sleep(200);
            }
        })();
        let held = await exported();
        const late = (async () => {
            let rolled = false;
            // On until it has rolled and polled with the new token, however slow the machine.
            while (Date.now() < stopAt || !rolled) {
                if (Date.now() > rollAt && !rolled) {
                    held = await exported();
                    rolled = true;
                }
                await poll(rolling, held);
                await sleep(500);
            }
        })();
        try {
            const result = await up(stack);
            rollAt = Date.now() + TOKEN_CACHE_MS + 2_000;
            stopAt = rollAt + 3_000;
            await Promise.all([eager, late]);
            return { result, polls, rolling };
        } finally {
            stopAt = 0;
            rollAt = 0;
            await Promise.all([eager, late].map((p) => p.catch(() => undefined)));
        }
    };

    const remember = (res: UpResult) => {
        outputs = res.outputs;
        const token = outputs.token.value as string;
        if (generations.at(-1) !== token) {
            generations.push(token);
        }
    };

    before(async () => {
        stack = await stackOf(STACK, {
            "kube-api-access:namespace": { value: NS },
            "kube-api-access:serviceAccountName": { value: SA },
            "kube-api-access:scope": { value: "namespace" },
        });
        const res = await up(stack);
        remember(res);
    });

    after(async () => {
        await stack?.destroy({ onOutput: () => undefined }).catch(() => undefined);
    });

    it("first up: one token (generation 1, <account>-token), the second slot empty, no previous token", () => {
        assert.deepStrictEqual(tokenSecrets(), [`${SA}-token`]);
        assert.strictEqual(outputs.tokenSecretName.value, `${SA}-token`);
        assert.strictEqual(outputs.previousTokenSecretName.value, "");
        const empty = getJson<{ type: string; data?: unknown }>("secret", `${SA}-token-unused-b`, NS);
        assert.strictEqual(empty.type, "Opaque");
        assert.strictEqual(empty.data, undefined, "the empty slot holds no token");
    });

    it("a consumer polling with the exported token through a rotation never gets a 401", async () => {
        await stack.setConfig("kube-api-access:tokenRotation", { value: "rotation-1", secret: true });
        const { result, polls, rolling } = await upWhilePolling();
        remember(result);
        assert.strictEqual(result.summary.result, "succeeded");
        for (const [consumer, seen] of Object.entries({ "re-reading": polls, rolling })) {
            assert.deepStrictEqual(
                [...new Set(seen.map((p) => p.token))],
                generations.slice(0, 2),
                `the ${consumer} consumer moved from the first token to the second`,
            );
            assert.deepStrictEqual(
                seen
                    .filter((p) => p.status !== 200)
                    .map((p) => `${p.status} with generation ${generations.indexOf(p.token) + 1}`),
                [],
                `the ${consumer} consumer, ${seen.length} polls`,
            );
            // Each poll of the re-reading consumer runs the Pulumi CLI twice: a loaded machine manages few.
            assert.ok(seen.length >= 5, `the ${consumer} consumer polled only ${seen.length} times`);
        }
    });

    it("after the rotating up, both generations answer 200, and the previous one still does past the token cache", async () => {
        assert.deepStrictEqual(tokenSecrets(), [`${SA}-token`, `${SA}-token-2`]);
        assert.strictEqual(outputs.tokenSecretName.value, `${SA}-token-2`);
        assert.strictEqual(outputs.previousTokenSecretName.value, `${SA}-token`);
        assert.strictEqual(await status(generations[1]), 200);
        assert.strictEqual(await status(generations[0]), 200);
        await sleep(TOKEN_CACHE_MS + 2_000);
        assert.strictEqual(
            await status(generations[0]),
            200,
            "the previous token is still valid, not cached",
        );
    });

    it("a second up with nothing changed changes nothing, and keeps both tokens", async () => {
        const res = await up(stack, { expectNoChanges: true });
        assert.deepStrictEqual(
            Object.keys(changes(res)).filter((k) => k !== "same" && k !== "read"),
            [],
            JSON.stringify(changes(res)),
        );
        assert.deepStrictEqual(tokenSecrets(), [`${SA}-token`, `${SA}-token-2`]);
    });

    it("the next rotation revokes the first token (401 after the token cache) and keeps the second", async () => {
        await stack.setConfig("kube-api-access:tokenRotation", { value: "rotation-2", secret: true });
        const { result, polls, rolling } = await upWhilePolling();
        remember(result);
        assert.deepStrictEqual(
            [...polls, ...rolling].filter((p) => p.status !== 200).map((p) => p.status),
            [],
        );
        assert.deepStrictEqual(tokenSecrets(), [`${SA}-token-2`, `${SA}-token-3`]);
        assert.strictEqual(outputs.tokenSecretName.value, `${SA}-token-3`);
        assert.strictEqual(outputs.previousTokenSecretName.value, `${SA}-token-2`);
        assert.strictEqual(await statusOnceRevoked(url(), ca(), generations[0]), 401);
        assert.strictEqual(await status(generations[1]), 200);
        assert.strictEqual(await status(generations[2]), 200);
    });

    it("a Secret of the next generation's name made beforehand stops the rotation, naming it; tokens and ledger stay", async () => {
        const foreign = `${SA}-token-4`;
        const made = kubectl(["create", "secret", "generic", foreign, "-n", NS, "--from-literal=theirs=yes"]);
        assert.strictEqual(made.status, 0, made.stderr);
        const ledger = () =>
            getJson<{ metadata: { annotations?: Record<string, string> } }>("serviceaccount", SA, NS).metadata
                .annotations?.["kube-api-access.pulumi.com/token-generations"];
        const before = ledger();
        await stack.setConfig("kube-api-access:tokenRotation", { value: "rotation-3", secret: true });
        const error = await up(stack).then(
            () => assert.fail("pulumi up took over a Secret it did not create"),
            (err: unknown) => failure(err),
        );
        assert.match(error, new RegExp(`Secret "${NS}/${foreign}" exists`));
        assert.match(error, /stopped before creating or changing its token Secrets/);
        assert.deepStrictEqual(tokenSecrets(), [`${SA}-token-2`, `${SA}-token-3`]);
        assert.strictEqual(ledger(), before, "the ledger moved on to a generation that was refused");
        assert.deepStrictEqual(
            getJson<{ data: Record<string, string> }>("secret", foreign, NS).data,
            { theirs: Buffer.from("yes").toString("base64") },
            "their Secret was changed",
        );
        assert.strictEqual(await status(generations[1]), 200);
        assert.strictEqual(await status(generations[2]), 200);
        assert.strictEqual(kubectl(["delete", "secret", foreign, "-n", NS]).status, 0);
    });

    it("with revokePreviousToken, a rotation revokes the previous token in the same up", async () => {
        await stack.setConfig("kube-api-access:tokenRotation", { value: "rotation-3", secret: true });
        await stack.setConfig("kube-api-access:revokePreviousToken", { value: "true" });
        const res = await up(stack);
        remember(res);
        assert.deepStrictEqual(tokenSecrets(), [`${SA}-token-4`]);
        assert.strictEqual(outputs.tokenSecretName.value, `${SA}-token-4`);
        assert.strictEqual(outputs.previousTokenSecretName.value, "");
        assert.strictEqual(await status(generations[3]), 200);
        assert.strictEqual(await statusOnceRevoked(url(), ca(), generations[2]), 401);
        assert.strictEqual(await statusOnceRevoked(url(), ca(), generations[1]), 401);
    });

    it("the rotation value never reaches the cluster, and no token appears in plain text in any file of the run", () => {
        const everything = kubectl(["get", "all,secrets,serviceaccounts", "-n", NS, "-o", "json"]);
        assert.strictEqual(everything.status, 0, everything.stderr);
        for (const value of ["rotation-1", "rotation-2", "rotation-3"]) {
            assert.ok(!everything.stdout.includes(value), `${value} is in the cluster`);
        }
        assert.deepStrictEqual(scanForSecrets(generations), []);
    });

    it("destroy removes every token Secret, the empty slot and the state", async () => {
        const res = await destroy(stack);
        assert.strictEqual(res.summary.result, "succeeded");
        assert.strictEqual(
            kubectl(["get", "namespace", NS, "--ignore-not-found", "-o", "name"]).stdout.trim(),
            "",
        );
        assert.deepStrictEqual(await stateResources(stack), []);
    });
});
