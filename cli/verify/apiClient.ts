// The API clients verify asks with: @kubernetes/client-node's, over the same TLS and credential, except
// that a redirect is never followed. client-node's fetch follows them, dropping the Authorization header
// on the way to another host (undici, fetch spec 4.4), so a front end redirecting elsewhere would answer
// for the cluster: verify reports the redirect instead.
import type { KubeConfig, RequestContext, ResponseContext } from "@kubernetes/client-node";
import { fetch } from "undici";

/** The code of the Error thrown for a 3xx answer; it carries `status` and `location`. */
export const REDIRECTED = "REDIRECTED";

export interface RedirectError extends Error {
    readonly code: typeof REDIRECTED;
    readonly status: number;
    /** The Location header as sent ("(none)" when missing). */
    readonly location: string;
}

/** `kc.makeApiClient(type)`, with a client that fails with a RedirectError on any 3xx answer. */
export async function makeApiClient<T>(kc: KubeConfig, type: new (config: never) => T): Promise<T> {
    const k8s = await import("@kubernetes/client-node");
    const cluster = kc.getCurrentCluster();
    if (!cluster) {
        throw new Error("the kubeconfig's current context names no cluster");
    }
    const config = k8s.createConfiguration({
        baseServer: new k8s.ServerConfiguration(cluster.server, {}),
        authMethods: { default: kc },
        httpApi: k8s.wrapHttpLibrary({
            send: async (request: RequestContext): Promise<ResponseContext> => {
                const resp = await fetch(request.getUrl(), {
                    method: request.getHttpMethod().toString(),
                    body: request.getBody() as string | undefined,
                    headers: request.getHeaders(),
                    signal: request.getSignal(),
                    dispatcher: request.getDispatcher() as never,
                    redirect: "manual",
                });
                if (resp.status >= 300 && resp.status < 400) {
                    await resp.body?.cancel();
                    throw Object.assign(new Error(`redirected (${resp.status})`), {
                        code: REDIRECTED,
                        status: resp.status,
                        location: resp.headers.get("location") ?? "(none)",
                    });
                }
                const headers: Record<string, string> = {};
                resp.headers.forEach((value, name) => (headers[name] = value));
                return new k8s.ResponseContext(resp.status, headers, {
                    text: () => resp.text(),
                    binary: async () => Buffer.from(await resp.arrayBuffer()),
                    stream: () => resp.body as ReadableStream<Uint8Array> | null,
                });
            },
        }),
    });
    return new type(config as never);
}

/** Whether `err` is the failure of a redirected request. */
export function isRedirect(err: unknown): err is RedirectError {
    return (err as { code?: unknown })?.code === REDIRECTED;
}
