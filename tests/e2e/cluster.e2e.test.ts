// Level: real control plane. The throwaway cluster of testenv/cluster.ts (etcd, kube-apiserver and
// kube-controller-manager of the pinned toolchain on loopback) and `npm run cluster`, checked with the
// real kubectl: its controllers work, and no server or data outlives a stop, a `down` or a killed parent.
import * as assert from "assert";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Cluster, startCluster } from "../../testenv/cluster";
import { readState, runs } from "../../testenv/state";
import { findBinaries, findTools } from "../../testenv/toolchain";

const REPO = path.resolve(__dirname, "..", "..");
// kubectl of the pinned release (the toolchain's kubernetes family), within the supported client skew.
const KUBECTL = findTools("kubernetes", { kubectl: "kubectl" }).kubectl;
const pinned = /^KUBERNETES_VERSION=(\S+)$/m.exec(
    fs.readFileSync(path.join(REPO, "toolchain", "versions.env"), "utf8"),
)![1];

const kubectl = (kubeconfig: string, ...args: string[]) =>
    execFileSync(KUBECTL, ["--kubeconfig", kubeconfig, ...args], { encoding: "utf8", timeout: 30_000 });

async function eventually<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
        const v = probe();
        if (v !== undefined) {
            return v;
        }
        assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 250));
    }
}

const tokenOf = (kubeconfig: string, ns: string, name: string) =>
    kubectl(kubeconfig, "get", "secret", "-n", ns, name, "-o", "jsonpath={.data.token}");

const tokenSecret = (ns: string, name: string) =>
    JSON.stringify({
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name, namespace: ns, annotations: { "kubernetes.io/service-account.name": "app" } },
        type: "kubernetes.io/service-account-token",
    });

function apply(kubeconfig: string, manifest: string): void {
    execFileSync(KUBECTL, ["--kubeconfig", kubeconfig, "apply", "-f", "-"], {
        input: manifest,
        encoding: "utf8",
    });
}

/** Pids of the servers recorded in a cluster's state, and whether any of them still runs. */
const serverPids = (dataDir: string) => readState(dataDir)!.processes;
const anyRunning = (processes: ReturnType<typeof serverPids>) => processes.some((p) => runs(p.pid, p.binary));

describe("testenv cluster (real control plane)", function () {
    this.timeout(300_000);
    let cluster: Cluster;

    before(async () => {
        cluster = await startCluster();
    });
    after(async () => {
        await cluster?.stop();
    });

    it("serves the pinned Kubernetes version on /version", () => {
        assert.strictEqual(cluster.version, pinned);
        const version = JSON.parse(kubectl(cluster.kubeconfig, "version", "-o", "json")) as {
            serverVersion: { gitVersion: string; major: string; minor: string };
        };
        assert.strictEqual(version.serverVersion.gitVersion, pinned);
        assert.strictEqual(
            `v${version.serverVersion.major}.${version.serverVersion.minor}`,
            /^v\d+\.\d+/.exec(pinned)![0],
        );
    });

    it("lets the admin kubeconfig list namespaces and is a system:masters member", () => {
        const names = kubectl(cluster.kubeconfig, "get", "ns", "-o", "name").split("\n");
        assert.ok(
            names.includes("namespace/default") && names.includes("namespace/kube-system"),
            names.join(" "),
        );
        assert.strictEqual(kubectl(cluster.kubeconfig, "auth", "can-i", "*", "*").trim(), "yes");
    });

    it("runs the serviceaccount, token, root-CA publisher and namespace controllers", async () => {
        const kc = cluster.kubeconfig;
        kubectl(kc, "create", "namespace", "e2e-controllers");
        await eventually(
            "the default ServiceAccount",
            () =>
                spawnSync(KUBECTL, ["--kubeconfig", kc, "get", "sa", "default", "-n", "e2e-controllers"])
                    .status === 0 || undefined,
        );
        await eventually(
            "kube-root-ca.crt",
            () =>
                spawnSync(KUBECTL, [
                    "--kubeconfig",
                    kc,
                    "get",
                    "cm",
                    "kube-root-ca.crt",
                    "-n",
                    "e2e-controllers",
                ]).status === 0 || undefined,
        );
        kubectl(kc, "create", "sa", "app", "-n", "e2e-controllers");
        apply(kc, tokenSecret("e2e-controllers", "app-token"));
        const token = await eventually(
            "the token",
            () => tokenOf(kc, "e2e-controllers", "app-token") || undefined,
        );
        // The token authenticates as the ServiceAccount: issuer, signing key and verification key agree.
        // No kubeconfig: with the admin's client certificate also presented, the API server would take that.
        const whoami = execFileSync(
            KUBECTL,
            [
                "--kubeconfig",
                "/dev/null",
                "--server",
                cluster.server,
                "--certificate-authority",
                cluster.caCert,
            ]
                .concat(["--token", Buffer.from(token, "base64").toString()])
                .concat(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"]),
            { encoding: "utf8" },
        );
        assert.strictEqual(whoami, "system:serviceaccount:e2e-controllers:app");
        kubectl(kc, "delete", "namespace", "e2e-controllers", "--wait=true", "--timeout=60s");
        assert.notStrictEqual(
            spawnSync(KUBECTL, ["--kubeconfig", kc, "get", "ns", "e2e-controllers"]).status,
            0,
        );
    });

    it("runs the ClusterRole aggregation controller", async () => {
        const kc = cluster.kubeconfig;
        apply(
            kc,
            JSON.stringify({
                apiVersion: "v1",
                kind: "List",
                items: [
                    {
                        apiVersion: "rbac.authorization.k8s.io/v1",
                        kind: "ClusterRole",
                        metadata: { name: "e2e-aggregate" },
                        aggregationRule: {
                            clusterRoleSelectors: [{ matchLabels: { "e2e/aggregate": "true" } }],
                        },
                        rules: [],
                    },
                    {
                        apiVersion: "rbac.authorization.k8s.io/v1",
                        kind: "ClusterRole",
                        metadata: { name: "e2e-part", labels: { "e2e/aggregate": "true" } },
                        rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }],
                    },
                ],
            }),
        );
        await eventually(
            "aggregated rules",
            () =>
                kubectl(
                    kc,
                    "get",
                    "clusterrole",
                    "e2e-aggregate",
                    "-o",
                    "jsonpath={.rules[*].resources}",
                ).includes("pods") || undefined,
        );
        kubectl(kc, "delete", "clusterrole", "e2e-aggregate", "e2e-part");
    });

    it("stops and restarts kube-controller-manager alone: no token while it is stopped", async () => {
        const kc = cluster.kubeconfig;
        kubectl(kc, "create", "namespace", "e2e-kcm");
        kubectl(kc, "create", "sa", "app", "-n", "e2e-kcm");
        await cluster.controllerManager.stop();
        apply(kc, tokenSecret("e2e-kcm", "app-token"));
        await new Promise((r) => setTimeout(r, 3_000));
        assert.strictEqual(
            tokenOf(kc, "e2e-kcm", "app-token"),
            "",
            "a token appeared with the controller manager stopped",
        );
        await cluster.controllerManager.start();
        await eventually(
            "the token after the restart",
            () => tokenOf(kc, "e2e-kcm", "app-token") || undefined,
        );
        kubectl(kc, "delete", "namespace", "e2e-kcm", "--wait=false");
    });

    it("stop() leaves no server process and no data folder", async () => {
        const processes = serverPids(cluster.dataDir);
        assert.strictEqual(processes.length, 3);
        assert.ok(processes.every((p) => runs(p.pid, p.binary)));
        await cluster.stop();
        assert.ok(!anyRunning(processes), JSON.stringify(processes));
        assert.ok(!fs.existsSync(cluster.dataDir), `${cluster.dataDir} still exists`);
    });
});

describe("testenv cluster lifetime (real control plane)", function () {
    this.timeout(300_000);

    it("kills the servers and removes the data when the starting process is killed", async () => {
        const code = `require("./testenv/cluster").startCluster().then((c) => console.log(JSON.stringify({ dataDir: c.dataDir })))`;
        const child = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "-e", `${code}; setInterval(() => {}, 1000)`],
            {
                cwd: REPO,
                stdio: ["ignore", "pipe", "inherit"],
            },
        );
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        const { dataDir } = await eventually(
            "the child's cluster",
            () => (out.includes("\n") ? (JSON.parse(out) as { dataDir: string }) : undefined),
            240_000,
        );
        const processes = serverPids(dataDir);
        assert.ok(processes.every((p) => runs(p.pid, p.binary)));
        child.kill("SIGKILL");
        await eventually("the servers to end", () => (anyRunning(processes) ? undefined : true));
        await eventually("the data folder to go", () => (fs.existsSync(dataDir) ? undefined : true));
    });

    it("npm run cluster -- up prints the kubeconfig last; down stops everything and removes the folder", () => {
        const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "cluster-cli-")), "cluster");
        const cli = (...args: string[]) =>
            spawnSync(
                process.execPath,
                ["-r", "ts-node/register/transpile-only", "testenv/clusterCommand.ts", ...args, "--dir", dir],
                {
                    cwd: REPO,
                    encoding: "utf8",
                    timeout: 240_000,
                },
            );
        try {
            const up = cli("up");
            assert.strictEqual(up.status, 0, up.stderr);
            const kubeconfig = up.stdout.trim().split("\n").pop()!;
            assert.strictEqual(kubeconfig, path.join(dir, "admin.kubeconfig"));
            assert.match(kubectl(kubeconfig, "get", "ns", "default", "-o", "name"), /namespace\/default/);
            assert.strictEqual(cli("status").status, 0);
            const processes = serverPids(dir);
            const down = cli("down");
            assert.strictEqual(down.status, 0, down.stderr);
            assert.ok(!anyRunning(processes), JSON.stringify(processes));
            assert.ok(!fs.existsSync(dir));
            assert.strictEqual(cli("status").status, 1);
        } finally {
            cli("down");
            fs.rmSync(path.dirname(dir), { recursive: true, force: true });
        }
    });
});

describe("testenv cluster start failures (real etcd)", function () {
    this.timeout(120_000);
    let scratch: string;
    beforeEach(() => (scratch = fs.mkdtempSync(path.join(os.tmpdir(), "cluster-fail-"))));
    afterEach(() => fs.rmSync(scratch, { recursive: true, force: true }));

    it("names the missing binary and says to run npm run toolchain", async () => {
        await assert.rejects(startCluster({ toolchainDir: scratch }), (err: Error) => {
            assert.match(err.message, /no executable etcd in .*cluster-fail-/);
            assert.match(err.message, /npm run toolchain/);
            return true;
        });
    });

    it("shows the tail of the failing server's log, and leaves no process and no data behind", async () => {
        const tools = toolsWith(scratch, { "kube-apiserver": FAILING_APISERVER });
        const dataDir = path.join(scratch, "data");
        await assert.rejects(startCluster({ toolchainDir: tools, dataDir }), (err: Error) => {
            assert.match(
                err.message,
                /kube-apiserver ended with exit code 1 while waiting for kube-apiserver \/readyz/,
            );
            assert.match(err.message, /unknown flag: --made-up-for-the-test/);
            return true;
        });
        assert.ok(!fs.existsSync(dataDir), `${dataDir} still exists`);
        // The servers run as <tools>/<name>, so these pids can only be this test's.
        assert.deepStrictEqual(pidsOf(path.join(tools, "etcd")), [], "its etcd was left running");
    });

    it("starts again on new ports when a picked port was taken meanwhile", async () => {
        const taken = path.join(scratch, "taken");
        const etcd = findBinaries().etcd;
        const tools = toolsWith(scratch, {
            // The first etcd finds its port taken, as when another cluster starts at the same moment.
            etcd: `if [ ! -e ${taken} ]; then touch ${taken}; echo 'bind: address already in use' >&2; exit 1; fi\nexec ${etcd} "$@"`,
            "kube-apiserver": FAILING_APISERVER,
        });
        await assert.rejects(startCluster({ toolchainDir: tools }), /kube-apiserver ended with exit code 1/);
        assert.ok(fs.existsSync(taken), "the first etcd did not run");
    });
});

const FAILING_APISERVER = "echo 'E1129 run.go:72] error: unknown flag: --made-up-for-the-test' >&2; exit 1";

/** A toolchain folder in `dir`: the real binaries, except those given as shell scripts. */
function toolsWith(dir: string, scripts: Record<string, string>): string {
    const tools = path.join(dir, "bin");
    fs.mkdirSync(tools);
    for (const file of Object.values(findBinaries())) {
        const name = path.basename(file);
        if (scripts[name] === undefined) {
            fs.symlinkSync(file, path.join(tools, name));
        } else {
            fs.writeFileSync(path.join(tools, name), `#!/bin/sh\n${scripts[name]}\n`, { mode: 0o755 });
        }
    }
    return tools;
}

/** Pids of running processes whose argv[0] is `binary`. */
function pidsOf(binary: string): number[] {
    return fs
        .readdirSync("/proc")
        .filter((d) => /^\d+$/.test(d))
        .map(Number)
        .filter((pid) => runs(pid, binary));
}
