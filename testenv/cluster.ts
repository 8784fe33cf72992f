// A throwaway Kubernetes control plane on loopback for end-to-end tests, like controller-runtime's envtest:
// etcd, kube-apiserver (RBAC, ServiceAccount issuer) and kube-controller-manager (token, serviceaccount,
// namespace, garbage-collector, root-CA publisher, ClusterRole aggregation) from the pinned toolchain.
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { AdminClient } from "./adminClient";
import {
    controllerManagerArgs,
    etcdArgs,
    kubeApiserverArgs,
    Layout,
    layout,
    writeKubeconfig,
} from "./config";
import { createPki } from "./pki";
import { freePorts, Server, waitFor, Watchdog } from "./processes";
import { ClusterState, writeState } from "./state";
import { Binaries, findBinaries } from "./toolchain";

export interface StartOptions {
    /** Folder for the data, keys and logs; must not exist or be empty. Default: a new folder in the OS temp dir. Removed by stop(). */
    readonly dataDir?: string;
    /** Folder holding etcd, kube-apiserver and kube-controller-manager. Default: see findBinaries(). */
    readonly toolchainDir?: string;
    /** How long start() waits for readiness before failing, in ms. Default 90 000 (a loaded 2-core machine). */
    readonly readyTimeoutMs?: number;
}

/** A running control plane. Its servers die with the process that started it unless detach() is called. */
export interface Cluster {
    /** API server URL, https://127.0.0.1:PORT. */
    readonly server: string;
    /** Admin kubeconfig (client certificate with O=system:masters, data embedded). */
    readonly kubeconfig: string;
    /** PEM file of the CA that signed the API server's serving certificate. */
    readonly caCert: string;
    readonly dataDir: string;
    /** The API server's /version gitVersion, e.g. v1.37.2. */
    readonly version: string;
    /** Milliseconds from start() to ready (readyz OK and a token Secret filled). */
    readonly readyMs: number;
    /**
     * Stops and restarts kube-controller-manager alone (to test what happens without the token controller).
     * `rootCaFile` restarts it with another `--root-ca-file` (a CA rotation); start() without it goes back to
     * the cluster CA.
     */
    readonly controllerManager: {
        stop(): Promise<void>;
        start(options?: { rootCaFile?: string }): Promise<void>;
    };
    /** Stops every server and removes dataDir. Safe to call twice. */
    stop(): Promise<void>;
    /** Hands the servers over to stopDetached(dataDir): they keep running after this process exits. */
    detach(): ClusterState;
}

const READINESS_SECRET = "testenv-readiness-token";

/**
 * Starts a control plane and resolves once it is ready: /readyz answers ok and the token controller has
 * filled a ServiceAccount token Secret. Throws with the tail of the failing server's log; on failure nothing
 * is left running and the data folder is removed.
 */
export async function startCluster(options: StartOptions = {}): Promise<Cluster> {
    const began = Date.now();
    const binaries = findBinaries(options.toolchainDir);
    // The ports are free when picked but bound only later: another cluster starting at the same time may
    // take one first. That failure is retried with new ports; any other is the caller's.
    for (let attempt = 1; ; attempt++) {
        try {
            return await startOnce(options, binaries, began);
        } catch (err) {
            if (attempt === PORT_ATTEMPTS || !/address already in use/.test((err as Error).message)) {
                throw err;
            }
        }
    }
}

const PORT_ATTEMPTS = 3;

async function startOnce(options: StartOptions, binaries: Binaries, began: number): Promise<Cluster> {
    const dataDir = prepareDataDir(options.dataDir);
    const files = layout(dataDir);
    const watchdog = new Watchdog(dataDir);
    const servers: Server[] = [];
    const timeout = options.readyTimeoutMs ?? 90_000;
    const stopAll = async () => {
        for (const s of [...servers].reverse()) {
            await s.stop();
        }
    };
    try {
        const pki = createPki(files.pki);
        const [etcdPort, peerPort, apiPort, kcmPort] = await freePorts(4);
        const server = `https://127.0.0.1:${apiPort}`;
        const admin = new AdminClient(server, { caCert: pki.caCert, cert: pki.adminCert, key: pki.adminKey });
        writeKubeconfig(files.adminKubeconfig, server, pki.caCert, pki.adminCert, pki.adminKey, "admin");
        writeKubeconfig(
            files.kcmKubeconfig,
            server,
            pki.caCert,
            pki.controllerManagerCert,
            pki.controllerManagerKey,
        );

        const launch = (binary: string, args: string[]) => {
            const started = Server.start(binary, args, dataDir, watchdog);
            servers.push(started);
            return started;
        };
        const etcd = launch(binaries.etcd, etcdArgs(files, etcdPort, peerPort));
        await waitFor("etcd health", () => etcdHealthy(etcdPort), timeout, servers, etcd);
        const api = launch(binaries.kubeApiserver, kubeApiserverArgs(files, pki, etcdPort, apiPort));
        await waitFor("kube-apiserver /readyz", () => readyz(admin), timeout, servers, api);
        const kcmArgs = controllerManagerArgs(files, pki, kcmPort);
        let kcm = launch(binaries.kubeControllerManager, kcmArgs);
        await tokenControllerWorks(admin, timeout, servers, kcm);

        const version = await apiVersion(admin);
        writeState(dataDir, stateOf(dataDir, server, files, servers));
        let stopped = false;
        return {
            server,
            kubeconfig: files.adminKubeconfig,
            caCert: pki.caCert,
            dataDir,
            version,
            readyMs: Date.now() - began,
            controllerManager: {
                stop: async () => {
                    await kcm.stop();
                    watchdog.forget(kcm.pid);
                },
                start: async (options: { rootCaFile?: string } = {}) => {
                    if (kcm.exit === undefined) {
                        return;
                    }
                    servers.splice(servers.indexOf(kcm), 1);
                    const rootCa = `--root-ca-file=${options.rootCaFile ?? pki.caCert}`;
                    kcm = launch(
                        binaries.kubeControllerManager,
                        kcmArgs.map((a) => (a.startsWith("--root-ca-file=") ? rootCa : a)),
                    );
                    writeState(dataDir, stateOf(dataDir, server, files, servers));
                    await tokenControllerWorks(admin, timeout, servers, kcm);
                },
            },
            stop: async () => {
                if (stopped) {
                    return;
                }
                stopped = true;
                await stopAll();
                watchdog.release();
                fs.rmSync(dataDir, { recursive: true, force: true });
            },
            detach: () => {
                stopped = true;
                watchdog.release();
                return stateOf(dataDir, server, files, servers);
            },
        };
    } catch (err) {
        await stopAll();
        watchdog.release();
        fs.rmSync(dataDir, { recursive: true, force: true });
        throw err;
    }
}

function prepareDataDir(dir: string | undefined): string {
    if (dir === undefined) {
        return fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-cluster-"));
    }
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
        throw new Error(`testenv: the data folder ${dir} is not empty; give an empty or new folder`);
    }
    fs.mkdirSync(dir, { recursive: true });
    return path.resolve(dir);
}

function stateOf(dataDir: string, server: string, files: Layout, servers: Server[]): ClusterState {
    const running = servers.filter((s) => s.exit === undefined);
    return {
        dataDir,
        server,
        kubeconfig: files.adminKubeconfig,
        processes: running.map((s) => ({ name: s.name, pid: s.pid, binary: s.binary })),
    };
}

function etcdHealthy(port: number): Promise<true | undefined> {
    return new Promise((resolve, reject) => {
        http.get({ host: "127.0.0.1", port, path: "/health", timeout: 2_000 }, (res) => {
            let body = "";
            res.on("data", (c: Buffer) => (body += c.toString()));
            res.on("end", () =>
                resolve(res.statusCode === 200 && body.includes('"true"') ? true : undefined),
            );
        }).on("error", reject);
    });
}

async function readyz(admin: AdminClient): Promise<true | undefined> {
    const reply = await admin.request("GET", "/readyz");
    if (reply.status !== 200) {
        throw new Error(`/readyz: HTTP ${reply.status}: ${reply.body.slice(-300)}`);
    }
    return true;
}

async function apiVersion(admin: AdminClient): Promise<string> {
    const reply = await admin.expect([200], "GET", "/version");
    return (JSON.parse(reply.body) as { gitVersion: string }).gitVersion;
}

/**
 * Proves the token controller runs: creates a token Secret for kube-system's default ServiceAccount (made by
 * the serviceaccount controller), waits until its token is filled, and deletes it again.
 */
async function tokenControllerWorks(admin: AdminClient, timeout: number, servers: Server[], kcm: Server) {
    const secrets = "/api/v1/namespaces/kube-system/secrets";
    await waitFor(
        "default ServiceAccount in kube-system",
        async () =>
            (await admin.request("GET", "/api/v1/namespaces/kube-system/serviceaccounts/default")).status ===
            200
                ? true
                : undefined,
        timeout,
        servers,
        kcm,
    );
    await admin.expect([200, 404], "DELETE", `${secrets}/${READINESS_SECRET}`);
    await admin.expect([201], "POST", secrets, {
        apiVersion: "v1",
        kind: "Secret",
        metadata: {
            name: READINESS_SECRET,
            annotations: { "kubernetes.io/service-account.name": "default" },
        },
        type: "kubernetes.io/service-account-token",
    });
    await waitFor(
        "token in a ServiceAccount token Secret",
        async () => {
            const reply = await admin.expect([200, 404], "GET", `${secrets}/${READINESS_SECRET}`);
            const data =
                reply.status === 200
                    ? (JSON.parse(reply.body) as { data?: { token?: string } }).data
                    : undefined;
            return data?.token ? true : undefined;
        },
        timeout,
        servers,
        kcm,
    );
    await admin.expect([200, 404], "DELETE", `${secrets}/${READINESS_SECRET}`);
}
