// Reads objects of the cluster the Kubernetes provider deploys to, with the provider's own kubeconfig and
// credentials, for the ownership check (ownership.ts). @kubernetes/client-node does the credential work
// (tokens, client certificates, exec plugins) and finds each kind's resource path by discovery.
import type { ApiException, KubernetesObject } from "@kubernetes/client-node";
import type { FixedObject, ReadObject } from "./ownership";

/** What a read names: kind and name, as KubernetesObjectApi.read takes them. */
type Header = KubernetesObject & { metadata: { name: string; namespace?: string } };

/**
 * A ReadObject over the cluster that `kubeconfig` (one document, its current context) names, or over the
 * in-cluster account when `kubeconfig` is undefined (the provider's own fallback inside a pod).
 */
export function clusterReader(kubeconfig: string | undefined): ReadObject {
    let client:
        | Promise<{
              server: string;
              read: (o: Header) => Promise<KubernetesObject>;
          }>
        | undefined;
    const connect = async () => {
        const k8s = await import("@kubernetes/client-node");
        const kc = new k8s.KubeConfig();
        if (kubeconfig !== undefined) {
            kc.loadFromString(kubeconfig);
        } else {
            kc.loadFromCluster();
        }
        const api = k8s.KubernetesObjectApi.makeApiClient(kc);
        return {
            server: kc.getCurrentCluster()?.server ?? "(none)",
            read: (o: Header) => api.read(o),
        };
    };
    return async (object: FixedObject) => {
        client ??= connect();
        const api = await client;
        try {
            const live = await api.read({
                apiVersion: object.apiVersion,
                kind: object.kind,
                metadata: { name: object.name, ...(object.namespace ? { namespace: object.namespace } : {}) },
            });
            return { annotations: live.metadata?.annotations ?? {} };
        } catch (err) {
            const code = (err as ApiException<unknown>).code;
            if (code === 404) {
                return undefined;
            }
            if (typeof code !== "number") {
                throw new UnreachableError(api.server, err);
            }
            throw new Error(describe(err));
        }
    };
}

/** The API server did not answer: one problem for the whole check rather than one per object. */
export class UnreachableError extends Error {
    constructor(server: string, cause: unknown) {
        const reason = [cause, (cause as { cause?: unknown })?.cause]
            .map((c) => (c instanceof Error ? c.message : undefined))
            .filter(Boolean)
            .join(": ");
        super(`the API server ${server} is unreachable (${reason || String(cause)})`);
        this.name = "UnreachableError";
    }
}

/** An API error as one short line: the status and the server's message, never a request header. */
function describe(err: unknown): string {
    const e = err as ApiException<unknown> & { body?: unknown };
    if (typeof e.code === "number") {
        const body = typeof e.body === "string" ? safeJson(e.body) : e.body;
        const message = (body as { message?: string } | undefined)?.message;
        return `HTTP ${e.code}${message ? `: ${message}` : ""}`;
    }
    return e instanceof Error ? e.message : String(e);
}

function safeJson(text: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        return undefined;
    }
}
