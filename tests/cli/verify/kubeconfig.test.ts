// What verify makes of the kubeconfigs people hand it (level 3: real HTTPS servers on 127.0.0.1, the
// official client): every credential form kubectl sends is sent or named as unsupported, never taken for
// an empty token, and every unreadable input names the file, the line and the fix.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { renderKubeconfig } from "../../../components/kubeconfig";
import { presetRules } from "../../../components/rbac";
import { main, renderReport, verify } from "../../../cli/verify/verify";
import { runMain } from "../../helpers";
import { offlineToken } from "../../../offline/mocks";
import { FakeApiOptions, FakeApiServer, makePki, Pki, startFakeApiServer } from "./fakeApiServer";

const NS = "devops-tools";
const TOKEN = offlineToken(NS, "api-service-account");
const READ_ONLY = presetRules("read-only", "cluster");

describe("verify's kubeconfig: credential forms and unreadable inputs (real HTTPS servers on 127.0.0.1)", function () {
    this.timeout(60_000);
    let pki: Pki;
    let dir: string;
    const servers: FakeApiServer[] = [];
    before(() => {
        pki = makePki();
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-kubeconfig-"));
    });
    after(async () => {
        await Promise.all(servers.map((s) => s.close()));
        fs.rmSync(pki.dir, { recursive: true, force: true });
        fs.rmSync(dir, { recursive: true, force: true });
    });
    async function serve(extra: Partial<FakeApiOptions> = {}) {
        const s = await startFakeApiServer({ tls: pki.server, token: TOKEN, rules: READ_ONLY, ...extra });
        servers.push(s);
        return s;
    }
    /** The project's kubeconfig for `server`, its user replaced by `user` (the fields kubectl reads). */
    function kubeconfigWith(server: string, user: Record<string, unknown>): string {
        const doc = YAML.parse(
            renderKubeconfig({
                clusterName: "t",
                server,
                caCert: pki.caCert,
                namespace: NS,
                user: "u",
                token: "x",
            }),
        ) as { users: { user: unknown }[] };
        doc.users[0].user = user;
        return YAML.stringify(doc);
    }
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
    };
    const run = (args: string[]) => runMain(main, args);

    describe("credential forms", () => {
        it("tokenFile (relative to the kubeconfig's folder, as kubectl reads it): the token is sent", async () => {
            const server = await serve();
            write("token", `${TOKEN}\n`);
            const file = write("tokenfile.kubeconfig", kubeconfigWith(server.url, { tokenFile: "token" }));
            const { code, output } = await run(["--kubeconfig", file]);
            // 1, not 2: the checks ran; without --stack nothing was declared, so the grants are findings.
            assert.strictEqual(code, 1, output);
            assert.doesNotMatch(output, /FAILED/);
            assert.match(output, new RegExp(`Verifying system:serviceaccount:${NS}:api-service-account`));
            assert.ok(server.requests.length > 0);
            assert.ok(server.requests.every((r) => r.authorization === `Bearer ${TOKEN}`));
            assert.ok(!output.includes(TOKEN), "the token must never be printed");
        });

        it("a tokenFile still base64-encoded: decode it first, naming the file, before any request", async () => {
            const server = await serve();
            const tokenFile = write("token.b64", Buffer.from(TOKEN).toString("base64"));
            const report = await verify({ kubeconfig: kubeconfigWith(server.url, { tokenFile }) });
            assert.strictEqual(report.diagnosis?.kind, "credential");
            assert.match(
                renderReport(report),
                new RegExp(`tokenFile ${tokenFile} is still base64-encoded[\\s\\S]*Decode it first`),
            );
            assert.strictEqual(server.requests.length, 0);
        });

        it("a missing tokenFile: the kubeconfig, the user and the file are named", async () => {
            const file = write(
                "missing.kubeconfig",
                kubeconfigWith("https://127.0.0.1:1", { tokenFile: "/nonexistent/token" }),
            );
            const { code, output } = await run(["--kubeconfig", file]);
            assert.strictEqual(code, 2);
            assert.match(
                output,
                new RegExp(
                    `--kubeconfig ${file}: user t/127\\.0\\.0\\.1:1/${NS}/u's tokenFile /nonexistent/token: no such file\\.`,
                ),
            );
            assert.doesNotMatch(output, /token is empty|ENOENT/);
        });

        it("a client certificate and key: sent, and the certificate's user named", async () => {
            const server = await serve({ clientCa: pki.caCert, token: "none-accepted" });
            const b64 = (s: string) => Buffer.from(s).toString("base64");
            const report = await verify({
                kubeconfig: kubeconfigWith(server.url, {
                    "client-certificate-data": b64(pki.client.cert),
                    "client-key-data": b64(pki.client.key),
                }),
            });
            assert.strictEqual(report.diagnosis, undefined, renderReport(report));
            assert.strictEqual(report.subject, "jane (client certificate)");
            assert.ok(server.requests.length > 0 && server.requests.every((r) => r.certificate === "jane"));
        });

        const unsupported: [string, Record<string, unknown>, RegExp][] = [
            [
                "username and password",
                { username: "admin", password: "p" },
                /basic authentication.*removed in 1\.19/,
            ],
            [
                "an exec plugin that is not installed",
                { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "no-such-auth-plugin" } },
                /exec plugin "no-such-auth-plugin", which is not on PATH here/,
            ],
            [
                "an auth-provider client-node does not implement",
                { "auth-provider": { name: "openstack", config: {} } },
                /auth-provider "openstack", which verify does not support/,
            ],
            [
                "a client certificate without its key",
                { "client-certificate-data": "eA==" },
                /without its key/,
            ],
            ["no credential at all", {}, /carries no credential/],
        ];
        for (const [what, user, expected] of unsupported) {
            it(`${what}: said plainly, never "its token is empty", and nothing sent`, async () => {
                const server = await serve();
                const report = await verify({ kubeconfig: kubeconfigWith(server.url, user) });
                assert.strictEqual(report.diagnosis?.kind, "credential");
                assert.match(renderReport(report), expected);
                if (Object.keys(user).length > 0) {
                    assert.doesNotMatch(renderReport(report), /token is empty/);
                }
                assert.strictEqual(server.requests.length, 0);
            });
        }
    });

    describe("unreadable inputs name the file and the fix", () => {
        it("--kubeconfig naming a folder", async () => {
            const { code, output } = await run(["--kubeconfig", dir]);
            assert.strictEqual(code, 2);
            assert.match(
                output,
                new RegExp(`--kubeconfig ${dir}: a folder, not a file\\. Name the kubeconfig file`),
            );
            // The command to write it names a file in the folder, never the folder itself.
            assert.match(output, new RegExp(`--show-secrets > ${dir}/kubeconfig\\)`));
            assert.doesNotMatch(output, new RegExp(`> ${dir}(\\)|$)`, "m"));
            assert.doesNotMatch(output, /EISDIR/);
        });

        it("malformed YAML: the file, the line and the column", async () => {
            const file = write(
                "bad.kubeconfig",
                "apiVersion: v1\nclusters:\n- name: a\n  cluster: {server: x\n",
            );
            const { code, output } = await run(["--kubeconfig", file]);
            assert.strictEqual(code, 2);
            assert.match(
                output,
                new RegExp(
                    `--kubeconfig ${file}, line \\d+ column \\d+: not valid YAML \\(.+\\)\\. Fix it there`,
                ),
            );
        });

        it("YAML that is not a kubeconfig (a token pasted alone)", async () => {
            const file = write("token-only.kubeconfig", TOKEN);
            const { code, output } = await run(["--kubeconfig", file]);
            assert.strictEqual(code, 2);
            assert.match(output, /not a kubeconfig \(a YAML mapping with clusters, users and contexts\)/);
            assert.ok(!output.includes(TOKEN));
        });

        it("a redirect is never followed: a 307 to a working API server is a failure naming status and target", async () => {
            // What a fresh user met: localhost answered 307 to a server that grants everything asked,
            // and verify followed it, without the token, and printed OK.
            const target = await serve();
            const front = await serve({
                respond: {
                    code: 307,
                    contentType: "text/plain",
                    body: "",
                    headers: { location: `${target.url}/version` },
                },
            });
            const endpoint = front.url.replace("127.0.0.1", "localhost");
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kc-"));
            const file = path.join(dir, "kubeconfig");
            fs.writeFileSync(file, kubeconfigWith(endpoint, { token: TOKEN }));
            const { code, output } = await run(["--kubeconfig", file, "--stack", "dev"]);
            assert.strictEqual(code, 2, output);
            assert.strictEqual(target.requests.length, 0, "the redirect target was asked");
            assert.match(
                output,
                new RegExp(
                    `${endpoint.replace(/\./g, "\\.")} answered 307 .*${target.url.replace(/\./g, "\\.")}/version`,
                ),
            );
            assert.match(output, /never follows redirects/);
            assert.match(output, /the API server's real URL/);
            assert.ok(!output.includes("OK:"), output);
            assert.ok(!output.includes(TOKEN));
        });

        it("a 302 to a sign-in page is reported as a redirect, not as the page's host being unreachable", async () => {
            const server = await serve({
                respond: {
                    code: 302,
                    contentType: "text/html",
                    body: "",
                    headers: { location: "https://sso.invalid/login" },
                },
            });
            const report = await verify({ kubeconfig: kubeconfigWith(server.url, { token: TOKEN }) });
            assert.strictEqual(report.diagnosis?.kind, "redirect", renderReport(report));
            assert.match(renderReport(report), /answered 302 .*https:\/\/sso\.invalid\/login/);
        });

        it("a missing cluster certificate-authority file is the cluster's, not the user's", async () => {
            const doc = YAML.parse(kubeconfigWith("https://127.0.0.1:1", { token: TOKEN })) as {
                clusters: { name: string; cluster: Record<string, unknown> }[];
            };
            delete doc.clusters[0].cluster["certificate-authority-data"];
            doc.clusters[0].cluster["certificate-authority"] = "missing-ca.crt";
            const { code, output } = await run(["--kubeconfig", write("ca-file.yaml", YAML.stringify(doc))]);
            assert.strictEqual(code, 2, output);
            assert.match(
                output,
                new RegExp(`cluster ${doc.clusters[0].name}'s certificate-authority \\S*missing-ca\\.crt`),
            );
            assert.doesNotMatch(output, /user u's certificate-authority/);
        });

        it("an http:// server is refused before any request: the token would travel in clear", async () => {
            const { code, output } = await run([
                "--kubeconfig",
                write("http.yaml", kubeconfigWith("http://127.0.0.1:1", { token: TOKEN })),
            ]);
            assert.strictEqual(code, 2, output);
            assert.match(
                output,
                /http:\/\/127\.0\.0\.1:1 is plain http; verify only sends the credential over https/,
            );
            assert.doesNotMatch(output, /TLS verified/);
            assert.ok(!output.includes(TOKEN));
        });
    });
});
