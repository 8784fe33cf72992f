// verify against HTTPS API servers started here on 127.0.0.1 (level 3): the official client with the
// account's kubeconfig, TLS verified against a test CA, every diagnosis triggered by the server's answer,
// and kubectl as a second client where it is installed.
import * as assert from "assert";
import { execFile, spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderKubeconfig } from "../../../components/kubeconfig";
import { presetRules, PolicyRule } from "../../../components/rbac";
import { Expectation } from "../../../cli/verify/access";
import { main, renderReport, verify } from "../../../cli/verify/verify";
import { runMain } from "../../helpers";
import { offlineToken } from "../../../offline/mocks";
import { PROJECT_DIR } from "../../../offline/program";
import { closedPort, FakeApiOptions, FakeApiServer, makePki, Pki, startFakeApiServer } from "./fakeApiServer";

const NS = "devops-tools";

/** A Node.js older than 22 on PATH (the machine's own), if any. */
function oldNode(): string | undefined {
    const found = spawnSync("which", ["-a", "node"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    return found.find((bin) => {
        const v = spawnSync(bin, ["-p", "process.versions.node.split('.')[0]"], { encoding: "utf8" }).stdout;
        return Number(v) > 0 && Number(v) < 22;
    });
}
const SA = "api-service-account";
const TOKEN = offlineToken(NS, SA);
const READ_ONLY = presetRules("read-only", "cluster");
const expectation: Expectation = { scope: "cluster", namespace: NS, roleNamespaces: [], rules: READ_ONLY };

describe("verify (real HTTPS servers on 127.0.0.1)", function () {
    this.timeout(60_000);
    let pki: Pki;
    const servers: FakeApiServer[] = [];
    before(() => {
        pki = makePki();
    });
    after(async () => {
        await Promise.all(servers.map((s) => s.close()));
        fs.rmSync(pki.dir, { recursive: true, force: true });
    });

    async function serve(
        rules: PolicyRule[],
        extra: Partial<Pick<FakeApiOptions, "tls" | "forceStatus" | "respond" | "anonymous">> = {},
    ) {
        const s = await startFakeApiServer({ tls: pki.server, token: TOKEN, rules, ...extra });
        servers.push(s);
        return s;
    }
    const kubeconfigFor = (server: string, token = TOKEN) =>
        renderKubeconfig({ clusterName: "test", server, caCert: pki.caCert, namespace: NS, user: SA, token });

    it("passes when the server grants exactly what was declared, and sends the bearer token over verified TLS", async () => {
        const server = await serve(READ_ONLY);
        const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
        assert.strictEqual(report.diagnosis, undefined);
        assert.strictEqual(report.mismatches, 0, renderReport(report));
        assert.strictEqual(report.subject, `system:serviceaccount:${NS}:${SA}`);
        assert.ok(server.requests.length > 50);
        assert.ok(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
        const states = new Map(report.checks.map((c) => [`${c.verb} ${c.row}`, c.state]));
        assert.strictEqual(states.get("list deployments.apps"), "allowed");
        assert.strictEqual(states.get(`get secrets @${NS}`), "denied");
        assert.strictEqual(states.get("get secrets @all namespaces"), "denied");
        assert.strictEqual(states.get(`create pods/exec @${NS}`), "denied");
        assert.strictEqual(states.get("impersonate users"), "denied");
        assert.strictEqual(states.get("delete namespaces"), "denied");
        assert.match(renderReport(report), /OK: the account can do what it was granted/);
        assert.match(renderReport(report), /deployments\.apps +✓ +✓ +✓/);
    });

    it("flags access beyond the declared rules: a sensitive cell and the rules review", async () => {
        const server = await serve([
            ...READ_ONLY,
            { apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"] },
        ]);
        const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
        const unexpected = report.checks
            .filter((c) => c.state === "unexpected")
            .map((c) => `${c.verb} ${c.row}`);
        assert.deepStrictEqual(
            unexpected.sort(),
            [
                `get secrets @${NS}`,
                "get secrets @all namespaces",
                `list secrets @${NS}`,
                "list secrets @all namespaces",
            ].sort(),
        );
        assert.deepStrictEqual(report.beyondDeclared, ["get secrets", "list secrets"]);
        assert.strictEqual(report.mismatches, 6);
        assert.match(renderReport(report), /! allowed but not declared: get secrets @devops-tools/);
        assert.match(
            renderReport(report),
            /SelfSubjectRulesReview in namespace devops-tools shows more than declared: get secrets; list secrets/,
        );
    });

    it("spells out the missing rule when something declared is denied (the consumer's 403)", async () => {
        const server = await serve(READ_ONLY.filter((r) => !(r.apiGroups ?? []).includes("apps")));
        const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
        const missing = report.checks.filter((c) => c.state === "missing").map((c) => `${c.verb} ${c.row}`);
        assert.ok(missing.includes("list deployments.apps"));
        assert.match(
            renderReport(report),
            /✗ declared but denied: list deployments\.apps\. .* needs \{ apiGroups: \["apps"\], resources: \["deployments"\], verbs: \["list"\] \}/,
        );
        assert.match(
            renderReport(report),
            /not currently held".*npm run plan prints the ClusterRole.*docs\/deployer\.md/,
        );
    });

    it("checks non-resource URLs and namespaced grants in each namespace", async () => {
        const rules = presetRules("monitoring", "cluster");
        const server = await serve(rules);
        const report = await verify({
            kubeconfig: kubeconfigFor(server.url),
            expectation: { ...expectation, rules },
        });
        assert.strictEqual(report.mismatches, 0, renderReport(report));
        assert.ok(report.checks.some((c) => c.row === "/metrics" && c.state === "allowed"));

        const nsRules = presetRules("read-only", "namespace");
        const nsServer = await serve(nsRules);
        const nsReport = await verify({
            kubeconfig: kubeconfigFor(nsServer.url),
            expectation: {
                scope: "namespace",
                namespace: NS,
                roleNamespaces: [NS, "team-a"],
                rules: nsRules,
            },
        });
        assert.ok(nsReport.checks.some((c) => c.row === "pods @team-a" && c.verb === "list" && c.expected));
    });

    describe("token generation (docs/token-rotation.md)", () => {
        /** A long-lived token as the token controller signs it: bound to its Secret by a claim. */
        const boundToken = (secret: string) =>
            [
                { alg: "none", typ: "JWT" },
                {
                    iss: "kubernetes/serviceaccount",
                    sub: `system:serviceaccount:${NS}:${SA}`,
                    "kubernetes.io/serviceaccount/secret.name": secret,
                },
            ]
                .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
                .concat("not-a-real-signature")
                .join(".");
        const names = { current: `${SA}-token-3`, previous: `${SA}-token-2` };

        it("names the generation of an accepted token: current, previous (with the current one), or just accepted", async () => {
            for (const [secret, state, line] of [
                [
                    `${SA}-token-3`,
                    "current",
                    /^Token: generation 3 \(Secret api-service-account-token-3\), the current one\.$/m,
                ],
                [
                    `${SA}-token-2`,
                    "previous",
                    /^Token: generation 2 \(Secret api-service-account-token-2\), the previous one: it works until the next rotation revokes it\. Move to the current token \(Secret api-service-account-token-3\)/m,
                ],
            ] as const) {
                const token = boundToken(secret);
                const server = await startFakeApiServer({ tls: pki.server, token, rules: READ_ONLY });
                servers.push(server);
                const report = await verify({
                    kubeconfig: kubeconfigFor(server.url, token),
                    expectation,
                    generations: names,
                });
                assert.strictEqual(report.token?.state, state);
                assert.match(renderReport(report), line);
                assert.ok(!renderReport(report).includes(token), "the token must never be printed");
            }
            const token = boundToken(`${SA}-token`);
            const server = await startFakeApiServer({ tls: pki.server, token, rules: READ_ONLY });
            servers.push(server);
            const report = await verify({ kubeconfig: kubeconfigFor(server.url, token), expectation });
            assert.deepStrictEqual(report.token, {
                secretName: `${SA}-token`,
                generation: 1,
                state: "valid",
                current: undefined,
            });
        });

        it("says a refused (401) token's generation was revoked", async () => {
            const server = await serve(READ_ONLY);
            const report = await verify({
                kubeconfig: kubeconfigFor(server.url, boundToken(`${SA}-token`)),
                expectation,
                generations: names,
            });
            assert.strictEqual(report.diagnosis?.kind, "unauthorized");
            assert.strictEqual(report.token?.state, "revoked");
            assert.match(
                renderReport(report),
                /^Token: generation 1 \(Secret api-service-account-token\), revoked: /m,
            );
        });

        it("says nothing of generations for a token bound to no Secret (Vault's TokenRequest tokens)", async () => {
            const server = await serve(READ_ONLY);
            const report = await verify({
                kubeconfig: kubeconfigFor(server.url),
                expectation,
                generations: names,
            });
            assert.strictEqual(report.token, undefined);
            assert.doesNotMatch(renderReport(report), /^Token: /m);
        });
    });

    describe("diagnoses", () => {
        it("401 with a valid-looking token: recreated account, other cluster, revoked token", async () => {
            const server = await serve(READ_ONLY);
            const other = offlineToken(NS, "someone-else");
            const report = await verify({ kubeconfig: kubeconfigFor(server.url, other), expectation });
            assert.strictEqual(report.diagnosis?.kind, "unauthorized");
            const text = renderReport(report);
            assert.match(text, /401 Unauthorized/);
            assert.match(text, /token is for system:serviceaccount:devops-tools:someone-else/);
            assert.match(text, /deleted and recreated/);
            assert.match(text, /issued by kube-api-access\/offline/);
            assert.match(text, /signing key was rotated.*kubernetes\/kubernetes#33261.*change tokenRotation/);
            assert.ok(!text.includes(other), "the token must never be printed");
        });

        it("a token still base64-encoded, line-wrapped or not: decode it first, before any request", async () => {
            const server = await serve(READ_ONLY);
            const encoded = Buffer.from(TOKEN).toString("base64");
            const wrapped = encoded.replace(/(.{76})/g, "$1\n");
            for (const token of [encoded, wrapped]) {
                const report = await verify({ kubeconfig: kubeconfigFor(server.url, token), expectation });
                assert.strictEqual(report.diagnosis?.kind, "credential");
                assert.match(renderReport(report), /still base64-encoded[\s\S]*Decode it first/);
                assert.ok(!renderReport(report).includes(encoded.slice(0, 40)));
            }
            assert.strictEqual(server.requests.length, 0, "the encoded token must not be sent");
        });

        it("an empty token (what base64 -D leaves on Linux): no credential, said before any request", async () => {
            const server = await serve(READ_ONLY);
            const report = await verify({ kubeconfig: kubeconfigFor(server.url, ""), expectation });
            assert.strictEqual(report.diagnosis?.kind, "credential");
            assert.match(renderReport(report), /carries no credential: its token is empty/);
            assert.match(renderReport(report), /base64 decodes with -d \(-D prints nothing\)/);
            assert.strictEqual(server.requests.length, 0);
        });

        it("kube-apiserver's anonymous 403: no credential reached the server, not a refused token", async () => {
            const server = await serve(READ_ONLY, { anonymous: true });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "credential", renderReport(report));
            const text = renderReport(report);
            assert.match(text, /no credential reached the server \(it answered as system:anonymous\)/);
            assert.match(text, /drops the Authorization header/);
            assert.doesNotMatch(text, /the token is valid/);
        });

        it("a web page that answers 200 to everything is not a Kubernetes API server", async () => {
            const server = await serve(READ_ONLY, {
                respond: {
                    code: 200,
                    contentType: "text/html",
                    body: "<html><body>Welcome to nginx!</body></html>",
                },
            });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "not-kubernetes", renderReport(report));
            assert.match(renderReport(report), /is not a Kubernetes API server/);
            assert.strictEqual(report.checks.length, 0, "no check may pass or fail on such answers");
        });

        it("a server that answers 404 is not a Kubernetes API server", async () => {
            const server = await serve(READ_ONLY, {
                respond: { code: 404, contentType: "text/html", body: "<html>404 Not Found</html>" },
            });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "not-kubernetes");
            assert.match(renderReport(report), /is not a Kubernetes API server: it answered 404/);
        });

        it("a 5xx Status: its message, readably", async () => {
            const server = await serve(READ_ONLY, {
                respond: {
                    code: 500,
                    contentType: "application/json",
                    body: JSON.stringify({
                        kind: "Status",
                        apiVersion: "v1",
                        status: "Failure",
                        message: "etcdserver: request timed out",
                        reason: "InternalError",
                        code: 500,
                    }),
                },
            });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "server");
            assert.match(
                renderReport(report),
                /failed to answer: 500 InternalError: etcdserver: request timed out$/m,
            );
            assert.doesNotMatch(renderReport(report), /Headers|HTTP-Code|\{"kind"/);
        });

        it("403 from the review API", async () => {
            const server = await serve(READ_ONLY, { forceStatus: 403 });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "forbidden");
            assert.match(renderReport(report), /403 Forbidden [\s\S]* The API server said: .*forbidden/);
        });

        it("a server whose certificate comes from another CA fails verification", async () => {
            const server = await serve(READ_ONLY, { tls: pki.foreign });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "tls", JSON.stringify(report.diagnosis));
            assert.match(
                renderReport(report),
                /not signed by the CA in the kubeconfig|ends in a CA other than/,
            );
            assert.match(renderReport(report), /Never switch to insecure-skip-tls-verify/);
            assert.match(renderReport(report), /set endpointCaCert to that CA's PEM/);
            assert.strictEqual(
                server.requests.length,
                0,
                "no request, and so no token, may reach that server",
            );
        });

        it("a certificate for another name fails verification with the fix", async () => {
            const server = await serve(READ_ONLY, { tls: pki.wrongName });
            const report = await verify({ kubeconfig: kubeconfigFor(server.url), expectation });
            assert.strictEqual(report.diagnosis?.kind, "tls");
            assert.match(renderReport(report), /ERR_TLS_CERT_ALTNAME_INVALID.*\n.*subject alternative names/);
        });

        it("an unreachable endpoint", async () => {
            const port = await closedPort();
            const report = await verify({
                kubeconfig: kubeconfigFor(`https://127.0.0.1:${port}`),
                expectation,
            });
            assert.strictEqual(report.diagnosis?.kind, "unreachable");
            assert.match(
                renderReport(report),
                /Cannot reach https:\/\/127\.0\.0\.1:\d+: nothing listens .*ECONNREFUSED/,
            );
            assert.match(renderReport(report), /never the in-cluster kubernetes Service IP/);
        });

        it("a port fetch refuses (https://127.0.0.1:1): the cause and the fix, not a bare 'fetch failed'", async () => {
            const report = await verify({ kubeconfig: kubeconfigFor("https://127.0.0.1:1"), expectation });
            const text = renderReport(report);
            assert.match(text, /The request to https:\/\/127\.0\.0\.1:1 failed: fetch failed: bad port/);
            assert.match(text, /Port 1 is on the fetch standard's list of blocked ports/);
        });

        it("refuses a kubeconfig that skips TLS verification", async () => {
            const insecure = kubeconfigFor("https://127.0.0.1:1").replace(
                /certificate-authority-data: .*/,
                "insecure-skip-tls-verify: true",
            );
            await assert.rejects(verify({ kubeconfig: insecure, expectation }), /insecure-skip-tls-verify/);
        });
    });

    describe("the command", () => {
        const run = (args: string[]) => runMain(main, args);
        const write = (text: string) => {
            const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kc-")), "kubeconfig");
            fs.writeFileSync(file, text);
            return file;
        };

        it("exits 0 for the dev stack's declared access, taken offline from Pulumi.dev.yaml", async () => {
            const server = await serve(READ_ONLY);
            const { code, output } = await run([
                "--kubeconfig",
                write(kubeconfigFor(server.url)),
                "--stack",
                "dev",
                "--json",
            ]);
            assert.strictEqual(code, 0, output);
            assert.strictEqual(JSON.parse(output).mismatches, 0);
        });

        it("exits 1 on a mismatch and 2 when the server cannot be asked", async () => {
            const wide = await serve([
                ...READ_ONLY,
                { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"] },
            ]);
            assert.strictEqual(
                (await run(["--kubeconfig", write(kubeconfigFor(wide.url)), "--stack", "dev"])).code,
                1,
            );
            const port = await closedPort();
            assert.strictEqual(
                (await run(["--kubeconfig", write(kubeconfigFor(`https://127.0.0.1:${port}`))])).code,
                2,
            );
        });

        it("--json answers in JSON for every failure, those before any request included", async () => {
            const kubeconfig = write(kubeconfigFor("https://127.0.0.1:1"));
            const early: [string[], RegExp][] = [
                [["--json", "--stak", "dev"], /Unknown option '--stak'[\s\S]*did you mean --stack\?/],
                [["--json"], /give --stack NAME, --kubeconfig FILE, or both/],
                [["--json", "--stack", "dev", "--stack", "prod"], /--stack was given twice/],
                [["--json", "--kubeconfig", kubeconfig, "--config", "x"], /x: give --config KEY=VALUE/],
                [["--json", "--kubeconfig", "/nonexistent/k"], /--kubeconfig \/nonexistent\/k: no such file/],
            ];
            for (const [args, expected] of early) {
                const { code, output } = await run(args);
                assert.strictEqual(code, 2, output);
                let answer: { error?: string };
                try {
                    answer = JSON.parse(output);
                } catch {
                    assert.fail(`${args.join(" ")}: not JSON:\n${output}`);
                }
                assert.match(answer.error ?? "", expected, args.join(" "));
            }
        });

        it("says a missing --kubeconfig file is missing, and how to write it", async () => {
            const { code, output } = await run(["--kubeconfig", "/nonexistent/api.kubeconfig"]);
            assert.strictEqual(code, 2);
            assert.match(
                output,
                /--kubeconfig \/nonexistent\/api\.kubeconfig: no such file\. .*pulumi stack output kubeconfig --show-secrets > \/nonexistent\/api\.kubeconfig/,
            );
        });

        it("exits 2 for a server that is not Kubernetes", async () => {
            const server = await serve(READ_ONLY, {
                respond: { code: 200, contentType: "text/html", body: "<html/>" },
            });
            const { code, output } = await run(["--kubeconfig", write(kubeconfigFor(server.url))]);
            assert.strictEqual(code, 2, output);
            assert.match(output, /not a Kubernetes API server/);
        });

        it("on Node.js older than 22, verify and plan say so and how to get 22 (spawned with the machine's old node)", function () {
            const old = oldNode();
            if (old === undefined) {
                console.log("      skipped: no Node.js older than 22 on this machine (which -a node)");
                return this.skip();
            }
            for (const command of ["verify", "plan"]) {
                const res: SpawnSyncReturns<string> = spawnSync(
                    old,
                    [
                        require.resolve("ts-node/dist/bin"),
                        "--transpile-only",
                        path.join(PROJECT_DIR, "cli", command, `${command}.ts`),
                        "--stack",
                        "dev",
                    ],
                    { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 },
                );
                assert.strictEqual(res.status, 2, res.stdout + res.stderr);
                assert.match(
                    res.stderr,
                    new RegExp(
                        `npm run ${command} needs Node\\.js 22\\.19\\.0 or newer .*this is Node\\.js v\\d+`,
                    ),
                );
                assert.match(res.stderr, /export PATH="\$\(scripts\/ensure-node\.sh\):\$PATH"/);
                assert.doesNotMatch(res.stderr, /reading 'bind'/);
            }
        });

        it("--stack without the Pulumi CLI on PATH: says so, how to build it, and --kubeconfig", async () => {
            const empty = fs.mkdtempSync(path.join(os.tmpdir(), "no-pulumi-"));
            const saved = process.env.PATH;
            process.env.PATH = empty;
            try {
                const { code, output } = await run(["--stack", "dev"]);
                assert.strictEqual(code, 2);
                assert.match(
                    output,
                    /--stack dev reads the stack's outputs with the Pulumi CLI, and pulumi is not on PATH\. Build it with npm run toolchain .*docs\/toolchain\.md.* or pass --kubeconfig FILE/,
                );
                assert.doesNotMatch(output, /code: -2/);
            } finally {
                process.env.PATH = saved;
                fs.rmSync(empty, { recursive: true });
            }
        });
    });

    describe("kubectl as a second client", () => {
        // The servers run in this process, so kubectl must run without blocking the event loop.
        const kubectl = (...args: string[]) =>
            new Promise<{ status: number; stdout: string; stderr: string }>((resolve) =>
                execFile("kubectl", args, { timeout: 30_000 }, (err, stdout, stderr) =>
                    resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
                ),
            );
        before(function () {
            if (spawnSync("kubectl", ["version", "--client"]).status !== 0) {
                console.log("      skipped: kubectl is not installed on this machine");
                this.skip();
            }
        });

        it("reads /version through the exported kubeconfig, with the token and the CA", async () => {
            const server = await serve(READ_ONLY);
            const file = path.join(pki.dir, "kubectl-ok.kubeconfig");
            fs.writeFileSync(file, kubeconfigFor(server.url));
            const res = await kubectl("--kubeconfig", file, "get", "--raw", "/version");
            assert.strictEqual(res.status, 0, res.stderr);
            assert.strictEqual(JSON.parse(res.stdout).gitVersion, "v1.32.0-fake");
            assert.ok(
                server.requests.some((r) => r.path === "/version" && r.authorization === `Bearer ${TOKEN}`),
            );
        });

        it("refuses a server whose certificate comes from another CA", async () => {
            const server = await serve(READ_ONLY, { tls: pki.foreign });
            const file = path.join(pki.dir, "kubectl-foreign.kubeconfig");
            fs.writeFileSync(file, kubeconfigFor(server.url));
            const res = await kubectl("--kubeconfig", file, "get", "--raw", "/version");
            assert.notStrictEqual(res.status, 0);
            assert.match(res.stderr, /certificate signed by unknown authority|x509/);
            assert.strictEqual(server.requests.length, 0);
        });
    });
});
