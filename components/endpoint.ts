// Settles, before anything is registered, the API server URL handed to consumers and the cluster name
// their kubeconfig uses: from the arguments, or from the kubeconfig the Kubernetes provider reads.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as path from "path";
import type { ApiServiceAccountArgs } from "./args";
import {
    findProviderKubeconfig,
    isKubeconfigContent,
    KubeconfigSource,
    providerView,
    readKubeconfigSetting,
    ResolvedServer,
    serverFromKubeconfig,
} from "./kubeconfig";
import { ARGS_DEFAULTS, FALLBACK_CLUSTER_NAME } from "./defaults";
import { ApiServiceAccountArgsError, Problem, Terms } from "./problems";
import { pemProblem } from "./pem";
import { registeredInput } from "./sdkInternals";

/** The cluster entry of the consumers' kubeconfig: the API server URL (`endpoint`) and the cluster's name. */
export interface ClusterEntry {
    readonly endpoint: pulumi.Output<string>;
    readonly clusterName: string;
    /** The CA the kubeconfig the endpoint was read from names for it; undefined for a given endpoint. */
    readonly kubeconfigCa?: pulumi.Output<string | undefined>;
}

/**
 * Checks an API server URL handed to consumers; returns why it is wrong and the fix, or undefined.
 * `found` is true for a URL the user did not write (the server of a kubeconfig): the fix then says to set
 * `args.endpoint`.
 */
export function endpointProblem(endpoint: string, found = false): Pick<Problem, "why" | "fix"> | undefined {
    const fix = (url: string) => (t: Terms) => (found ? `Set ${t(ENDPOINT)} to ${url}` : `Give ${url}`);
    // "api.example.com:6443" parses as a URL of scheme "api.example.com:": say what is missing instead.
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(endpoint) && endpoint.trim() !== "") {
        return {
            why: "it has no scheme: the API server is reached over https",
            fix: fix(JSON.stringify(`https://${endpoint.trim()}`)),
        };
    }
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return {
            why: "it is not a URL",
            fix: fix('the API server URL, such as "https://203.0.113.10:6443"'),
        };
    }
    if (url.protocol !== "https:") {
        return {
            why: "it is not https: the token would cross the network in clear",
            fix: fix("the API server's https URL"),
        };
    }
    if (isInClusterHost(url.hostname)) {
        return {
            why:
                "it is the API server's in-cluster address (the kubernetes Service), which a consumer outside " +
                "the cluster cannot reach",
            fix: fix(
                "the API server's external URL (the server of an admin's kubeconfig, or the load balancer in front of it)",
            ),
        };
    }
    return undefined;
}

/** The endpoint argument's path. */
const ENDPOINT = ["args", "endpoint"] as const;
const KUBECONFIG = ["args", "kubeconfig"] as const;

/** Service IPs of the kubernetes Service in common distributions' defaults (kubeadm, AKS, k3s, EKS). */
const COMMON_SERVICE_IPS = ["10.96.0.1", "10.0.0.1", "10.43.0.1", "10.100.0.1", "172.20.0.1"];

/**
 * True for an endpoint that looks like the kubernetes Service's IP in a distribution's defaults. A guess
 * from the address alone, so `npm run plan` warns about it and nothing refuses it.
 */
export function looksLikeServiceIp(endpoint: string): boolean {
    return COMMON_SERVICE_IPS.some(
        (ip) => endpoint.startsWith(`https://${ip}:`) || endpoint === `https://${ip}`,
    );
}

/**
 * True for the kubernetes Service's names (`kubernetes`, `kubernetes.default`, `kubernetes.default.svc`,
 * `kubernetes.default.svc.<cluster domain>`) and its IP as a pod sees it (a provider running in a pod).
 * Host names compare as DNS does: in any case, with or without the root's trailing dot.
 */
export function isInClusterHost(hostname: string): boolean {
    const host = hostname.toLowerCase().replace(/\.$/, "");
    return (
        /^kubernetes(\.default(\.svc(\..+)?)?)?$/.test(host) || host === process.env.KUBERNETES_SERVICE_HOST
    );
}

/**
 * The endpoint: `args.endpoint`, else the server of `args.kubeconfig`, else of the default provider's
 * kubeconfig (config `kubernetes:kubeconfig`, `KUBECONFIG`, `~/.kube/config`, honouring
 * `kubernetes:context` and `kubernetes:cluster`). `clusterName` is the settled argument, if any.
 * Throws ApiServiceAccountArgsError when no https endpoint can be found.
 */
export function resolveEndpoint(
    name: string,
    args: Pick<ApiServiceAccountArgs, "endpoint" | "kubeconfig">,
    clusterName: string | undefined,
    opts: pulumi.ComponentResourceOptions | undefined,
): ClusterEntry {
    const settledName = clusterName ?? FALLBACK_CLUSTER_NAME;
    const checked = (url: string, origin?: string) => {
        const problem = endpointProblem(url, origin !== undefined);
        if (problem) {
            throw new ApiServiceAccountArgsError(name, [{ path: ENDPOINT, value: url, origin, ...problem }]);
        }
        return url;
    };
    if (typeof args.endpoint === "string") {
        return { endpoint: pulumi.output(checked(args.endpoint)), clusterName: settledName };
    }
    if (args.endpoint !== undefined) {
        return { endpoint: pulumi.output(args.endpoint).apply(checked), clusterName: settledName };
    }
    if (args.kubeconfig !== undefined) {
        const found = pulumi
            .output(args.kubeconfig)
            .apply((text) => serverFromKubeconfig(readKubeconfigSetting(text, "args.kubeconfig")));
        const endpoint = found.apply((f) => checked(f.server, fromKubeconfig("args.kubeconfig", f)));
        return { endpoint, clusterName: settledName, kubeconfigCa: found.apply((f) => f.caCert) };
    }
    const explicit = kubernetesProvider(opts);
    if (explicit) {
        const found = explicitProviderKubeconfig(name, explicit).apply(({ source, context, cluster }) => {
            if (!source) {
                throw unset(
                    name,
                    "the explicit Kubernetes provider runs in a pod with no kubeconfig, whose in-cluster address consumers cannot reach",
                    (t) => `Pass ${t(ENDPOINT)}, the API server URL consumers reach`,
                );
            }
            return { origin: source.origin, ...serverFromKubeconfig(source, context, cluster) };
        });
        const endpoint = found.apply((f) => checked(f.server, fromKubeconfig(f.origin, f)));
        return { endpoint, clusterName: settledName, kubeconfigCa: found.apply((f) => f.caCert) };
    }
    const k8sConfig = new pulumi.Config("kubernetes");
    let source;
    let resolved;
    try {
        source = defaultProviderKubeconfig();
        resolved = source && serverFromKubeconfig(source, k8sConfig.get("context"), k8sConfig.get("cluster"));
    } catch (err) {
        throw unset(
            name,
            `the provider's kubeconfig could not be read (${(err as Error).message})`,
            (t) => `Fix the kubeconfig, or pass ${t(ENDPOINT)}`,
        );
    }
    if (!source || !resolved) {
        throw unset(
            name,
            "no kubeconfig found (looked at config kubernetes:kubeconfig, KUBECONFIG and ~/.kube/config)",
            (t) => `Pass ${t(ENDPOINT)}, the API server URL consumers reach (never the in-cluster address)`,
        );
    }
    return {
        endpoint: pulumi.output(checked(resolved.server, fromKubeconfig(source.origin, resolved))),
        clusterName: clusterName ?? resolved.clusterName,
        kubeconfigCa: pulumi.output(resolved.caCert),
    };
}

/** The error for `args.kubeconfig` not set when the provider's own kubeconfig cannot be used. */
function providerKubeconfigProblem(
    name: string,
    why: string,
    fix: (t: Terms) => string,
): ApiServiceAccountArgsError {
    return new ApiServiceAccountArgsError(name, [
        { path: KUBECONFIG, value: undefined, unset: true, why, fix },
    ]);
}

/** The error for an endpoint that is not set and cannot be found. */
function unset(name: string, why: string, fix: (t: Terms) => string): ApiServiceAccountArgsError {
    return new ApiServiceAccountArgsError(name, [
        { path: ENDPOINT, value: undefined, unset: true, why, fix },
    ]);
}

/**
 * The CA (PEM) consumers trust for the endpoint: "" when `endpointPubliclyTrusted`, else
 * `endpointCaCert`, else the CA of the kubeconfig the endpoint was read from, else the cluster CA. Public,
 * so never secret, even when the kubeconfig it came from is.
 */
export function consumerCa(
    args: Pick<ApiServiceAccountArgs, "endpointCaCert" | "endpointPubliclyTrusted">,
    cluster: ClusterEntry,
    clusterCa: pulumi.Output<string>,
): pulumi.Output<string> {
    if (args.endpointPubliclyTrusted ?? ARGS_DEFAULTS.endpointPubliclyTrusted) {
        return pulumi.output("");
    }
    if (args.endpointCaCert !== undefined) {
        return pulumi.unsecret(
            pulumi.output(args.endpointCaCert).apply((pem) => {
                const problem = pemProblem(pem);
                if (problem) {
                    throw new Error(
                        `args.endpointCaCert: ${problem}. Give the CA certificate(s) as PEM text`,
                    );
                }
                return pem;
            }),
        );
    }
    const fromKubeconfig = cluster.kubeconfigCa;
    return fromKubeconfig
        ? // Known in a preview when the kubeconfig names a CA, although the cluster CA is not yet.
          pulumi.unsecret(fromKubeconfig.apply((own) => (own !== undefined ? pulumi.output(own) : clusterCa)))
        : clusterCa;
}

/**
 * The kubeconfig the Kubernetes provider deploys with, as one document of the context it uses
 * (`providerView`): `args.kubeconfig` for an explicit provider, else the default provider's (as
 * `resolveEndpoint` finds it). Undefined inside a pod with no kubeconfig, where the provider uses the pod's
 * account. Throws ApiServiceAccountArgsError when none can be read. Holds credentials: never export it.
 */
export function providerKubeconfig(
    name: string,
    args: Pick<ApiServiceAccountArgs, "kubeconfig">,
    opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.Output<string | undefined> {
    if (args.kubeconfig !== undefined) {
        return pulumi
            .output(args.kubeconfig)
            .apply((text) => providerView(readKubeconfigSetting(text, "args.kubeconfig")));
    }
    const explicit = kubernetesProvider(opts);
    if (explicit) {
        return explicitProviderKubeconfig(name, explicit).apply(({ source, context, cluster }) =>
            source ? providerView(source, context, cluster) : undefined,
        );
    }
    const k8sConfig = new pulumi.Config("kubernetes");
    try {
        const source = defaultProviderKubeconfig();
        if (source) {
            return pulumi.output(providerView(source, k8sConfig.get("context"), k8sConfig.get("cluster")));
        }
    } catch (err) {
        throw new ApiServiceAccountArgsError(name, [
            {
                path: ["args", "kubeconfig"],
                value: undefined,
                unset: true,
                why: `the provider's kubeconfig could not be read (${(err as Error).message})`,
                fix: "Fix the kubeconfig (kubernetes:kubeconfig, KUBECONFIG or ~/.kube/config)",
            },
        ]);
    }
    if (process.env.KUBERNETES_SERVICE_HOST) {
        return pulumi.output(undefined);
    }
    throw new ApiServiceAccountArgsError(name, [
        {
            path: ["args", "kubeconfig"],
            value: undefined,
            unset: true,
            why:
                "no kubeconfig found (looked at config kubernetes:kubeconfig, KUBECONFIG and ~/.kube/config), so the " +
                "cluster to deploy to is unknown",
            fix: "Set kubernetes:kubeconfig or KUBECONFIG",
        },
    ]);
}

/** The default provider's kubeconfig: config `kubernetes:kubeconfig`, `KUBECONFIG` or `~/.kube/config`. */
function defaultProviderKubeconfig(): KubeconfigSource | undefined {
    return findProviderKubeconfig(new pulumi.Config("kubernetes").get("kubeconfig"));
}

/** Where a server read from a kubeconfig came from, for messages: the file, context and cluster. */
function fromKubeconfig(origin: string, found: ResolvedServer): string {
    return `the server of ${origin}, context ${JSON.stringify(found.context)}, cluster ${JSON.stringify(found.clusterName)}`;
}

/**
 * The Kubernetes provider the component's children will use, as the SDK picks it (resource.ts, the
 * Resource constructor): `opts.provider` or `opts.providers`, else the one the parent passes down; undefined
 * for the default provider. A Vault provider alone does not count.
 */
export function kubernetesProvider(
    opts: pulumi.ComponentResourceOptions | undefined,
): pulumi.ProviderResource | undefined {
    const given = [
        ...(opts?.provider ? [opts.provider] : []),
        ...(Array.isArray(opts?.providers) ? opts.providers : Object.values(opts?.providers ?? {})),
    ].find((p) => k8s.Provider.isInstance(p));
    const inherited = opts?.parent?.getProvider("kubernetes::Provider");
    return given ?? (inherited && k8s.Provider.isInstance(inherited) ? inherited : undefined);
}

/** An explicit provider's settings, as the engine resolves them once the provider is configured. */
interface ProviderSettings {
    readonly source: KubeconfigSource | undefined;
    readonly context?: string;
    readonly cluster?: string;
}

/**
 * The kubeconfig an explicit Kubernetes provider deploys with, read back from the provider resource's
 * registered settings (`registeredInput`, sdkInternals.ts). A provider with no kubeconfig looks where the
 * default one looks (`KUBECONFIG`, `~/.kube/config`); source undefined means a pod's in-cluster account.
 * Fails when none is found or the setting cannot be read.
 */
function explicitProviderKubeconfig(
    name: string,
    provider: pulumi.ProviderResource,
): pulumi.Output<ProviderSettings> {
    const setting = (key: string) => registeredInput(provider, key);
    return pulumi
        .all([setting("kubeconfig"), setting("context"), setting("cluster"), provider.urn])
        .apply(([kubeconfig, context, cluster, urn]): ProviderSettings => {
            const origin = `the kubeconfig of the Kubernetes provider ${JSON.stringify(urn.split("::").pop())}`;
            let source: KubeconfigSource | undefined;
            try {
                source = providerKubeconfigSetting(kubeconfig, origin);
            } catch (err) {
                throw providerKubeconfigProblem(
                    name,
                    `${origin} could not be read (${(err as Error).message})`,
                    (t) =>
                        `Fix the provider's kubeconfig, or pass ${t(KUBECONFIG)} (the provider's kubeconfig)`,
                );
            }
            if (!source && !process.env.KUBERNETES_SERVICE_HOST) {
                throw providerKubeconfigProblem(
                    name,
                    `${origin} is not set and no kubeconfig was found (looked at KUBECONFIG and ~/.kube/config), ` +
                        "so the cluster to deploy to is unknown",
                    (t) => `Give the provider a kubeconfig, or pass ${t(KUBECONFIG)}`,
                );
            }
            return { source, context: context || undefined, cluster: cluster || undefined };
        });
}

/**
 * A provider's `kubeconfig` setting as the provider reads it: the document, a path, or (what
 * @pulumi/kubernetes puts there from the environment) a `KUBECONFIG` list of paths; unset, the default
 * places.
 */
function providerKubeconfigSetting(value: string | undefined, origin: string): KubeconfigSource | undefined {
    if (!value) {
        return findProviderKubeconfig(undefined);
    }
    if (!isKubeconfigContent(value) && value.includes(path.delimiter)) {
        return findProviderKubeconfig(undefined, { KUBECONFIG: value });
    }
    return readKubeconfigSetting(value, origin);
}
