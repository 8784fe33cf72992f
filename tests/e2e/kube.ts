// What the e2e tests ask the local cluster directly, as an admin or as the account: real kubectl, an HTTPS
// request verified against the exported CA, and SelfSubjectAccessReviews.
import { execFile, spawnSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { accessReview } from "../../cli/verify/verify";
import { e2e } from "../../testenv/engine";
import { HANDED_OUT } from "./secrets";

export interface Ran {
    readonly status: number | null;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs the real kubectl, with the admin kubeconfig unless another is given, and `input` on stdin. */
export function kubectl(args: string[], kubeconfig = e2e().adminKubeconfig, input?: string): Ran {
    const res = spawnSync("kubectl", ["--kubeconfig", kubeconfig, ...args], {
        encoding: "utf8",
        timeout: KUBECTL_TIMEOUT_MS,
        input,
    });
    return { status: res.status, stdout: res.stdout ?? "", stderr: res.stderr ?? res.error?.message ?? "" };
}

/**
 * kubectl without blocking this process, for a test that serves what kubectl calls (a proxy in the test):
 * `kubectl` (spawnSync) would stop the event loop, and with it the server, until kubectl gives up.
 */
export function kubectlAsync(args: string[], kubeconfig = e2e().adminKubeconfig): Promise<Ran> {
    return new Promise((resolve) => {
        execFile(
            "kubectl",
            ["--kubeconfig", kubeconfig, ...args],
            { encoding: "utf8", timeout: KUBECTL_TIMEOUT_MS },
            (err, stdout, stderr) =>
                resolve({
                    status: err ? (typeof err.code === "number" ? err.code : 1) : 0,
                    stdout: stdout ?? "",
                    stderr: stderr || (err?.message ?? ""),
                }),
        );
    });
}

const KUBECTL_TIMEOUT_MS = 60_000;

/** True when the object exists (admin view). */
export function exists(kind: string, name: string, namespace?: string): boolean {
    const res = kubectl([
        "get",
        kind,
        name,
        "--ignore-not-found",
        "-o",
        "name",
        ...(namespace ? ["-n", namespace] : []),
    ]);
    if (res.status !== 0) {
        throw new Error(`kubectl get ${kind} ${name} failed: ${res.stderr}`);
    }
    return res.stdout.trim() !== "";
}

/** Reads an object as JSON (admin view). */
export function getJson<T = Record<string, unknown>>(kind: string, name: string, namespace?: string): T {
    const res = kubectl(["get", kind, name, "-o", "json", ...(namespace ? ["-n", namespace] : [])]);
    if (res.status !== 0) {
        throw new Error(`kubectl get ${kind} ${name} failed: ${res.stderr}`);
    }
    return JSON.parse(res.stdout) as T;
}

/**
 * Writes a kubeconfig a user would be handed (it holds the token) to a private file in the run's
 * handed-out/ folder, which the secrets scan leaves out, and returns its path.
 */
export function kubeconfigFile(name: string, document: string): string {
    const dir = path.join(e2e().root, HANDED_OUT);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = path.join(dir, `${name}.kubeconfig`);
    fs.writeFileSync(file, document, { mode: 0o600 });
    return file;
}

/**
 * A kubeconfig for ServiceAccount `account` of `namespace` with a fresh 10-minute token (kubectl create
 * token), verified against the local cluster's CA, written as kubeconfigFile does; returns its path.
 */
export function accountKubeconfig(account: string, namespace: string): string {
    const token = kubectl(["create", "token", account, "-n", namespace, "--duration", "10m"]);
    if (token.status !== 0) {
        throw new Error(`kubectl create token ${account} -n ${namespace} failed: ${token.stderr}`);
    }
    const ca = fs.readFileSync(e2e().cluster.caCert).toString("base64");
    return kubeconfigFile(
        `${namespace}-${account}`,
        [
            "apiVersion: v1",
            "kind: Config",
            "current-context: a",
            `clusters: [{name: c, cluster: {server: "${e2e().cluster.server}", certificate-authority-data: ${ca}}}]`,
            `users: [{name: u, user: {token: "${token.stdout.trim()}"}}]`,
            `contexts: [{name: a, context: {cluster: c, user: u, namespace: ${namespace}}}]`,
            "",
        ].join("\n"),
    );
}

/** GET `url` with a bearer token, TLS verified against `ca` only (no -k): the status and body. */
export function httpsGet(url: string, ca: string, token: string): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = https.get(
            url,
            { ca, rejectUnauthorized: true, headers: { Authorization: `Bearer ${token}` }, timeout: 30_000 },
            (res) => {
                let body = "";
                res.setEncoding("utf8");
                res.on("data", (chunk: string) => (body += chunk));
                res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
            },
        );
        req.on("timeout", () => req.destroy(new Error(`GET ${url} timed out`)));
        req.on("error", reject);
    });
}

/**
 * The status a revoked token gets once kube-apiserver stops answering from its token cache: it keeps a
 * successful authentication for 10 s (TokenSuccessCacheTTL in pkg/kubeapiserver/options/authentication.go,
 * applied through k8s.io/apiserver/pkg/authentication/token/cache), so a revocation shows within that
 * window. Polls up to `limitMs` (default 30 s); the last status otherwise.
 */
export async function statusOnceRevoked(
    url: string,
    ca: string,
    token: string,
    limitMs = 30_000,
): Promise<number> {
    const until = Date.now() + limitMs;
    for (;;) {
        const { status } = await httpsGet(url, ca, token);
        if (status === 401 || Date.now() > until) {
            return status;
        }
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
}

export type Attributes = Parameters<typeof accessReview>[1];

/** One SelfSubjectAccessReview as the kubeconfig's identity (verify's own request): is it allowed? */
export async function canI(kubeconfig: string, a: Attributes): Promise<boolean> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    kc.loadFromString(kubeconfig);
    return accessReview(kc.makeApiClient(k8s.AuthorizationV1Api), a);
}
