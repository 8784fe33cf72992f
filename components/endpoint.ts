// Settles, before anything is registered, the API server URL handed to consumers and the cluster name
// their kubeconfig uses: from the arguments, or from the kubeconfig the Kubernetes provider reads.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { ApiServiceAccountArgs } from "./args";
import {
    findProviderKubeconfig,
    readKubeconfigSetting,
    ResolvedServer,
    serverFromKubeconfig,
} from "./kubeconfig";
import { FALLBACK_CLUSTER_NAME } from "./defaults";
import { ApiServiceAccountArgsError } from "./problems";

/** Where consumers reach the cluster. */
export interface Target {
    readonly endpoint: pulumi.Output<string>;
    readonly clusterName: string;
}

/**
 * Checks an API server URL handed to consumers; returns a problem or undefined. The problem starts with
 * `endpoint "<url>"`, or, with `origin`, where the URL came from when the user did not write it
 * (`endpoint (not set): "<url>", the server of KUBECONFIG (/tmp/kc.yaml), context "ci", cluster "ci",`).
 */
export function endpointProblem(endpoint: string, origin?: string): string | undefined {
    const lead = origin
        ? `endpoint (not set): ${JSON.stringify(endpoint)}, ${origin},`
        : `endpoint ${JSON.stringify(endpoint)}`;
    const fix = origin ? "Set args.endpoint to" : "Give";
    // "api.example.com:6443" parses as a URL of scheme "api.example.com:": say what is missing instead.
    if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(endpoint) && endpoint.trim() !== "") {
        return `${lead} has no scheme: the API server is reached over https. ${fix} ${JSON.stringify(`https://${endpoint.trim()}`)}`;
    }
    let url: URL;
    try {
        url = new URL(endpoint);
    } catch {
        return `${lead} is not a URL. ${fix} the API server URL, such as "https://203.0.113.10:6443"`;
    }
    if (url.protocol !== "https:") {
        return `${lead} is not https: the token would cross the network in clear. ${fix} the API server's https URL`;
    }
    if (isInClusterHost(url.hostname)) {
        return (
            `${lead} is the API server's in-cluster address (the kubernetes Service), which a consumer outside ` +
            `the cluster cannot reach. ${fix} the API server's external URL (the server of an admin's ` +
            `kubeconfig, or the load balancer in front of it)`
        );
    }
    return undefined;
}

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
): Target {
    const settledName = clusterName ?? FALLBACK_CLUSTER_NAME;
    const checked = (url: string, origin?: string) => {
        const problem = endpointProblem(url, origin);
        if (problem) {
            throw new ApiServiceAccountArgsError(name, [`args.${problem}`]);
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
        const endpoint = pulumi.output(args.kubeconfig).apply((text) => {
            const found = serverFromKubeconfig(readKubeconfigSetting(text, "args.kubeconfig"));
            return checked(found.server, fromKubeconfig("args.kubeconfig", found));
        });
        return { endpoint, clusterName: settledName };
    }
    if (hasKubernetesProvider(opts)) {
        throw new ApiServiceAccountArgsError(name, [
            "args.endpoint (not set): an explicit Kubernetes provider was passed, and its kubeconfig cannot be read " +
                "back from it. Pass args.endpoint (the API server URL) or args.kubeconfig (the provider's kubeconfig).",
        ]);
    }
    const k8sConfig = new pulumi.Config("kubernetes");
    let source;
    let resolved;
    try {
        source = findProviderKubeconfig(k8sConfig.get("kubeconfig"));
        resolved = source && serverFromKubeconfig(source, k8sConfig.get("context"), k8sConfig.get("cluster"));
    } catch (err) {
        throw new ApiServiceAccountArgsError(name, [
            `args.endpoint (not set): the provider's kubeconfig could not be read (${(err as Error).message}). ` +
                `Fix the kubeconfig, or pass args.endpoint.`,
        ]);
    }
    if (!source || !resolved) {
        throw new ApiServiceAccountArgsError(name, [
            "args.endpoint (not set): no kubeconfig found (looked at config kubernetes:kubeconfig, KUBECONFIG and " +
                "~/.kube/config). Pass args.endpoint, the API server URL consumers reach (never the in-cluster address).",
        ]);
    }
    return {
        endpoint: pulumi.output(checked(resolved.server, fromKubeconfig(source.origin, resolved))),
        clusterName: clusterName ?? resolved.clusterName,
    };
}

/** Where a server read from a kubeconfig came from, for messages: the file, context and cluster. */
function fromKubeconfig(origin: string, found: ResolvedServer): string {
    return `the server of ${origin}, context ${JSON.stringify(found.context)}, cluster ${JSON.stringify(found.clusterName)}`;
}

/** True when the caller passes its own Kubernetes provider (a Vault provider alone does not count). */
function hasKubernetesProvider(opts: pulumi.ComponentResourceOptions | undefined): boolean {
    const providers = [
        ...(opts?.provider ? [opts.provider] : []),
        ...(Array.isArray(opts?.providers) ? opts.providers : Object.values(opts?.providers ?? {})),
    ];
    return providers.some((p) => k8s.Provider.isInstance(p));
}
