// Reads the API server URL out of the kubeconfig the Kubernetes provider uses, and writes the kubeconfig
// handed to the consumer. Functions over text and files, so tests and tools can use them directly, and the
// component's kubeconfig step.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";

interface NamedCluster {
    name: string;
    cluster?: { server?: string; "certificate-authority-data"?: string; "certificate-authority"?: string };
}
interface NamedContext {
    name: string;
    context?: { cluster?: string; user?: string };
}
interface NamedUser {
    name: string;
    user?: Record<string, unknown>;
}
interface KubeconfigDoc {
    "current-context"?: string;
    clusters?: NamedCluster[];
    contexts?: NamedContext[];
    users?: NamedUser[];
}

/** Where the provider would find its kubeconfig: the documents (one per file) and a description. */
export interface KubeconfigSource {
    readonly documents: string[];
    readonly origin: string;
}

/** What the API server URL was read from. */
export interface ResolvedServer {
    readonly server: string;
    readonly clusterName: string;
    readonly context: string;
    /** The CA (PEM) the cluster entry names for its server, if any: `certificate-authority-data` or the `certificate-authority` file. */
    readonly caCert?: string;
}

/** True when a kubeconfig setting holds the document itself rather than a path to it. */
export function isKubeconfigContent(value: string): boolean {
    return /\n/.test(value.trim()) || /^\s*[{]/.test(value) || /^\s*apiVersion\s*:/.test(value);
}

/**
 * Finds the kubeconfig the way the Kubernetes provider does when it has no explicit `kubeconfig`:
 * `kubernetes:kubeconfig` config (a path or the document), then the `KUBECONFIG` list of files, then
 * `~/.kube/config`. Returns undefined when there is none.
 */
export function findProviderKubeconfig(
    configured: string | undefined,
    env: NodeJS.ProcessEnv = process.env,
    home: string = os.homedir(),
): KubeconfigSource | undefined {
    if (configured) {
        return readKubeconfigSetting(configured, "config kubernetes:kubeconfig");
    }
    if (env.KUBECONFIG) {
        const files = env.KUBECONFIG.split(path.delimiter).filter((f) => f.length > 0 && fs.existsSync(f));
        if (files.length > 0) {
            return {
                documents: files.map((f) => fs.readFileSync(f, "utf8")),
                origin: `KUBECONFIG (${files.join(path.delimiter)})`,
            };
        }
    }
    const fallback = path.join(home, ".kube", "config");
    if (fs.existsSync(fallback)) {
        return { documents: [fs.readFileSync(fallback, "utf8")], origin: fallback };
    }
    return undefined;
}

/** The file a kubeconfig path setting names, `~/` taken from the home folder as the provider does. */
export const kubeconfigPath = (value: string): string =>
    value.startsWith("~/") ? path.join(os.homedir(), value.slice(2)) : value;

/** Reads a kubeconfig setting that is either the document itself or a path to it. */
export function readKubeconfigSetting(value: string, origin: string): KubeconfigSource {
    if (isKubeconfigContent(value)) {
        return { documents: [value], origin };
    }
    const file = kubeconfigPath(value);
    if (!fs.existsSync(file)) {
        throw new Error(`${origin} names the file ${JSON.stringify(value)}, which does not exist`);
    }
    return { documents: [fs.readFileSync(file, "utf8")], origin: `${origin} (${file})` };
}

/**
 * The server of the context the provider would use: `context` when given (the provider's
 * `kubernetes:context`), else the current context; `cluster` overrides the context's cluster as the
 * provider's `kubernetes:cluster` does. Several documents merge as kubectl merges KUBECONFIG files:
 * the first to define a name wins.
 */
export function serverFromKubeconfig(
    source: KubeconfigSource,
    context?: string,
    cluster?: string,
): ResolvedServer {
    const { server, clusterName, context: contextName, caCert } = selectContext(source, context, cluster);
    return { server, clusterName, context: contextName, ...(caCert ? { caCert } : {}) };
}

/**
 * The provider's view of a kubeconfig as one document: the context `serverFromKubeconfig` picks, with its
 * cluster and user entries only (first definition of each name wins, as kubectl merges files). The
 * component reads the cluster with it (components/ownership.ts), under the provider's own credentials.
 */
export function providerView(source: KubeconfigSource, context?: string, cluster?: string): string {
    const picked = selectContext(source, context, cluster);
    return YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [picked.cluster],
        users: picked.user ? [picked.user] : [],
        contexts: [
            {
                name: picked.context,
                context: { cluster: picked.clusterName, ...(picked.user ? { user: picked.user.name } : {}) },
            },
        ],
        "current-context": picked.context,
    });
}

function selectContext(
    source: KubeconfigSource,
    context?: string,
    cluster?: string,
): ResolvedServer & { cluster: NamedCluster; user?: NamedUser } {
    const docs = source.documents.map((text, i) => {
        try {
            return (YAML.parse(text) ?? {}) as KubeconfigDoc;
        } catch (err) {
            throw new Error(
                `${source.origin}: document ${i + 1} is not valid YAML (${(err as Error).message})`,
            );
        }
    });
    const first = <T extends { name: string }>(lists: (T[] | undefined)[], name: string) =>
        lists.flatMap((l) => l ?? []).find((item) => item?.name === name);

    const contextName = context ?? docs.map((d) => d["current-context"]).find((c) => !!c);
    if (!contextName) {
        throw new Error(`${source.origin} has no current-context and no kubernetes:context is set`);
    }
    const ctx = first(
        docs.map((d) => d.contexts),
        contextName,
    );
    if (!ctx) {
        throw new Error(`${source.origin} has no context named ${JSON.stringify(contextName)}`);
    }
    const clusterName = cluster ?? ctx.context?.cluster;
    if (!clusterName) {
        throw new Error(`${source.origin}: context ${JSON.stringify(contextName)} names no cluster`);
    }
    const found = first(
        docs.map((d) => d.clusters),
        clusterName,
    );
    const server = found?.cluster?.server;
    if (!found || !server) {
        throw new Error(`${source.origin}: cluster ${JSON.stringify(clusterName)} has no server`);
    }
    const userName = ctx.context?.user;
    const user = userName
        ? first(
              docs.map((d) => d.users),
              userName,
          )
        : undefined;
    return {
        server,
        clusterName,
        context: contextName,
        cluster: found,
        user,
        caCert: clusterCa(source, found),
    };
}

/** The CA a kubeconfig's cluster entry names, as PEM; a relative file is taken from the working folder. */
function clusterCa(source: KubeconfigSource, cluster: NamedCluster): string | undefined {
    const data = cluster.cluster?.["certificate-authority-data"];
    if (data) {
        return Buffer.from(data, "base64").toString("utf8");
    }
    const file = cluster.cluster?.["certificate-authority"];
    if (file) {
        try {
            return fs.readFileSync(kubeconfigPath(file), "utf8");
        } catch (err) {
            throw new Error(
                `${source.origin}: cluster ${JSON.stringify(cluster.name)}'s certificate-authority ${file} cannot be read (${(err as Error).message})`,
            );
        }
    }
    return undefined;
}

/** Everything that goes into the consumer's kubeconfig. */
export interface KubeconfigParts {
    readonly clusterName: string;
    readonly server: string;
    /** The CA (PEM) consumers trust for the server; undefined when it is publicly trusted (the system's roots). */
    readonly caCert: string | undefined;
    readonly namespace: string;
    readonly user: string;
    readonly token: string;
}

/**
 * The name of the cluster, user and context entries of an account's kubeconfig:
 * `<clusterName>/<host:port of the server>/<namespace>/<account>`. Unique per cluster, namespace and
 * account, so that the kubeconfigs of several stacks merge (`KUBECONFIG=a:b kubectl config view
 * --flatten`, which keeps the first entry of each name) with every context keeping its own server, CA and
 * token; the server's host tells apart two clusters that both default to the name `kubernetes`
 * (kubernetes-sigs/kind#112). `@kubernetes/client-node` refuses duplicate names outright.
 */
export function kubeconfigEntryName(
    parts: Pick<KubeconfigParts, "clusterName" | "server" | "namespace" | "user">,
): string {
    let host: string;
    try {
        const url = new URL(parts.server);
        host = url.port ? url.host : `${url.hostname}:443`;
    } catch {
        host = parts.server;
    }
    return `${parts.clusterName}/${host}/${parts.namespace}/${parts.user}`;
}

/**
 * A complete kubeconfig for one ServiceAccount: TLS verified against the cluster CA (never
 * insecure-skip-tls-verify), the bearer token, and a context defaulting to the account's namespace. Its
 * cluster, user and context entries share one name, `kubeconfigEntryName`.
 */
export function renderKubeconfig(parts: KubeconfigParts): string {
    const entry = kubeconfigEntryName(parts);
    return YAML.stringify({
        apiVersion: "v1",
        kind: "Config",
        clusters: [
            {
                name: entry,
                cluster: {
                    server: parts.server,
                    ...(parts.caCert !== undefined
                        ? {
                              "certificate-authority-data": Buffer.from(parts.caCert, "utf8").toString(
                                  "base64",
                              ),
                          }
                        : {}),
                },
            },
        ],
        users: [{ name: entry, user: { token: parts.token } }],
        contexts: [{ name: entry, context: { cluster: entry, user: entry, namespace: parts.namespace } }],
        "current-context": entry,
        preferences: {},
    });
}

/**
 * The kubeconfig step of ApiServiceAccount: the consumer's kubeconfig as a secret Output, rendered once
 * every part is known. Wrapped in `pulumi.secret` explicitly since it holds the token.
 */
export function accountKubeconfig(parts: {
    readonly clusterName: string;
    readonly server: pulumi.Input<string>;
    /** The CA consumers trust for the server; "" when it is publicly trusted. */
    readonly caCert: pulumi.Input<string>;
    readonly namespace: pulumi.Input<string>;
    readonly user: pulumi.Input<string>;
    readonly token: pulumi.Input<string>;
}): pulumi.Output<string> {
    return pulumi.secret(
        pulumi
            .all([parts.server, parts.caCert, parts.token, parts.namespace, parts.user])
            .apply(([server, caCert, token, namespace, user]) =>
                renderKubeconfig({
                    clusterName: parts.clusterName,
                    server,
                    caCert: caCert || undefined,
                    namespace,
                    user,
                    token,
                }),
            ),
    );
}
