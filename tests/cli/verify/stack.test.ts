// verify --kubeconfig FILE --stack NAME with the stack's own settings file (level 3: real HTTPS servers on
// 127.0.0.1, the declared access computed offline from a Pulumi.<stack>.yaml written here).
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { renderKubeconfig } from "../../../components/kubeconfig";
import { presetRules } from "../../../components/rbac";
import { main } from "../../../cli/verify/verify";
import { runMain } from "../../helpers";
import { offlineToken } from "../../../offline/mocks";
import { userStacks } from "../../program/userStack";
import { FakeApiServer, makePki, Pki, startFakeApiServer } from "./fakeApiServer";

const NS = "devops-tools";
const SA = "api-service-account";
const TOKEN = offlineToken(NS, SA);
const DEV = `config:
  kube-api-access:namespace: ${NS}
  kube-api-access:serviceAccountName: ${SA}
  kube-api-access:scope: cluster
  kube-api-access:access: read-only
`;

describe("verify --stack with the stack's settings file (real HTTPS servers on 127.0.0.1)", function () {
    this.timeout(60_000);
    let pki: Pki;
    let server: FakeApiServer;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-stack-"));
    const { stackWith } = userStacks("verify");
    before(async () => {
        pki = makePki();
        server = await startFakeApiServer({
            tls: pki.server,
            token: TOKEN,
            rules: presetRules("read-only", "cluster"),
        });
    });
    after(async () => {
        await server.close();
        fs.rmSync(pki.dir, { recursive: true, force: true });
        fs.rmSync(dir, { recursive: true, force: true });
    });
    const write = (name: string, text: string) => {
        fs.writeFileSync(path.join(dir, name), text);
        return path.join(dir, name);
    };
    const kubeconfig = () =>
        write(
            "kc.yaml",
            renderKubeconfig({
                clusterName: "t",
                server: server.url,
                caCert: pki.caCert,
                namespace: NS,
                user: SA,
                token: TOKEN,
            }),
        );
    const run = (args: string[]) => runMain(main, args);

    it("does not ask for secure: values that do not shape the declared access (tokenRotation)", async () => {
        const stack = stackWith(`${DEV}  kube-api-access:tokenRotation:\n    secure: AAABAHnotdecryptable\n`);
        const { code, output } = await run(["--kubeconfig", kubeconfig(), "--stack", stack]);
        assert.strictEqual(code, 0, output);
        assert.match(output, /OK:/);
    });

    it("takes a secure: value it needs with --config, the option it names", async () => {
        const stack = stackWith(
            `${DEV.replace("  kube-api-access:access: read-only\n", "")}  kube-api-access:access:\n    secure: AAABAHnotdecryptable\n`,
        );
        const refused = await run(["--kubeconfig", kubeconfig(), "--stack", stack]);
        assert.strictEqual(refused.code, 2, refused.output);
        assert.match(refused.output, /--config kube-api-access:access=VALUE/);
        assert.ok(!/Unknown option/.test(refused.output));
        const { code, output } = await run([
            "--kubeconfig",
            kubeconfig(),
            "--stack",
            stack,
            "--config",
            "kube-api-access:access=read-only",
        ]);
        assert.strictEqual(code, 0, output);
    });

    it("names a file that is not a kubeconfig as such, not as a missing endpoint", async () => {
        const file = write("not-kc.yaml", "just: a map\n");
        const { code, output } = await run(["--kubeconfig", file, "--stack", stackWith(DEV)]);
        assert.strictEqual(code, 2, output);
        assert.match(output, new RegExp(`--kubeconfig ${file.replace(/\./g, "\\.")}: not a kubeconfig`));
        assert.ok(!/endpoint|no kubeconfig found/.test(output), output);
    });

    it("says a stack's invalid settings stop verify, without claiming nothing was created", async () => {
        const stack = stackWith(`${DEV}  kube-api-access:tokenTimeoutSeconds: -5\n`);
        const { code, output } = await run(["--kubeconfig", kubeconfig(), "--stack", stack]);
        assert.strictEqual(code, 2, output);
        assert.match(output, new RegExp(`stack ${stack} has invalid settings`));
        assert.match(output, /tokenTimeoutSeconds/);
        assert.ok(!output.includes("nothing was created"), output);
    });
});
