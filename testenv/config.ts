// How the throwaway control plane's servers are configured: the files in its data folder and the flags of
// etcd, kube-apiserver and kube-controller-manager (a minimal set close to controller-runtime envtest's,
// plus what a ServiceAccount token issuer and the controllers need).
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { Pki } from "./pki";

/** Paths inside a cluster's data folder. */
export interface Layout {
    readonly dataDir: string;
    readonly pki: string;
    readonly etcdData: string;
    readonly apiserverCerts: string;
    readonly kcmCerts: string;
    readonly adminKubeconfig: string;
    readonly kcmKubeconfig: string;
}

/** Creates the subfolders of `dataDir` and returns where everything goes. */
export function layout(dataDir: string): Layout {
    const sub = (name: string) => {
        const dir = path.join(dataDir, name);
        fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
        return dir;
    };
    return {
        dataDir,
        pki: sub("pki"),
        etcdData: sub("etcd"),
        apiserverCerts: sub("kube-apiserver"),
        kcmCerts: sub("kube-controller-manager"),
        adminKubeconfig: path.join(dataDir, "admin.kubeconfig"),
        kcmKubeconfig: path.join(dataDir, "kube-controller-manager.kubeconfig"),
    };
}

/** Service ClusterIP range; nothing routes to it (there is no kube-proxy), the API server needs one. */
export const SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24";

/**
 * The controllers the tests rely on (kube-controller-manager --controllers names; see
 * kubernetes cmd/kube-controller-manager/names/controller_names.go).
 */
export const CONTROLLERS = [
    "serviceaccount-token-controller",
    "serviceaccount-controller",
    "namespace-controller",
    "garbage-collector-controller",
    "root-ca-certificate-publisher-controller",
    "clusterrole-aggregation-controller",
] as const;

export function etcdArgs(files: Layout, clientPort: number, peerPort: number): string[] {
    const client = `http://127.0.0.1:${clientPort}`;
    const peer = `http://127.0.0.1:${peerPort}`;
    return [
        "--name=testenv",
        `--data-dir=${files.etcdData}`,
        `--listen-client-urls=${client}`,
        `--advertise-client-urls=${client}`,
        `--listen-peer-urls=${peer}`,
        `--initial-advertise-peer-urls=${peer}`,
        `--initial-cluster=testenv=${peer}`,
        // Throwaway data: skipping fsync makes every write (and so the whole control plane) much faster.
        "--unsafe-no-fsync=true",
    ];
}

export function kubeApiserverArgs(files: Layout, pki: Pki, etcdPort: number, port: number): string[] {
    return [
        `--etcd-servers=http://127.0.0.1:${etcdPort}`,
        "--bind-address=127.0.0.1",
        "--advertise-address=127.0.0.1",
        // The default reconciler refuses a loopback advertise address; there is no Service network anyway.
        "--endpoint-reconciler-type=none",
        `--secure-port=${port}`,
        `--cert-dir=${files.apiserverCerts}`,
        `--tls-cert-file=${pki.servingCert}`,
        `--tls-private-key-file=${pki.servingKey}`,
        `--client-ca-file=${pki.clientCaCert}`,
        "--authorization-mode=RBAC",
        `--service-account-issuer=https://127.0.0.1:${port}`,
        `--service-account-key-file=${pki.serviceAccountPub}`,
        `--service-account-signing-key-file=${pki.serviceAccountKey}`,
        `--service-cluster-ip-range=${SERVICE_CLUSTER_IP_RANGE}`,
        "--allow-privileged=true",
    ];
}

export function controllerManagerArgs(files: Layout, pki: Pki, port: number): string[] {
    return [
        `--kubeconfig=${files.kcmKubeconfig}`,
        `--authentication-kubeconfig=${files.kcmKubeconfig}`,
        `--authorization-kubeconfig=${files.kcmKubeconfig}`,
        "--bind-address=127.0.0.1",
        `--secure-port=${port}`,
        `--cert-dir=${files.kcmCerts}`,
        `--controllers=${CONTROLLERS.join(",")}`,
        // Each controller acts as its own ServiceAccount under the bootstrap RBAC roles, as kubeadm sets it up.
        "--use-service-account-credentials=true",
        `--service-account-private-key-file=${pki.serviceAccountKey}`,
        `--root-ca-file=${pki.caCert}`,
        "--leader-elect=false",
    ];
}

/** Writes a kubeconfig (certificates embedded, mode 0600) for a client-certificate user of `server`. */
export function writeKubeconfig(
    file: string,
    server: string,
    ca: string,
    cert: string,
    key: string,
    user = "user",
): void {
    const b64 = (f: string) => fs.readFileSync(f).toString("base64");
    const config = {
        apiVersion: "v1",
        kind: "Config",
        clusters: [{ name: "testenv", cluster: { server, "certificate-authority-data": b64(ca) } }],
        users: [{ name: user, user: { "client-certificate-data": b64(cert), "client-key-data": b64(key) } }],
        contexts: [{ name: `${user}@testenv`, context: { cluster: "testenv", user } }],
        "current-context": `${user}@testenv`,
    };
    fs.writeFileSync(file, YAML.stringify(config), { mode: 0o600 });
}
