import { isRedirect } from "./apiClient";

// Turns the failures consumers actually meet (no or encoded token, 401, 403, TLS, unreachable, a server that
// is not Kubernetes, a failing server) into what happened and the fix. Reads the token's claims to tell
// the 401 causes apart; never prints the token itself.

export interface Diagnosis {
    readonly kind:
        | "credential"
        | "unauthorized"
        | "forbidden"
        | "tls"
        | "unreachable"
        | "not-kubernetes"
        | "server"
        | "redirect"
        | "other";
    readonly summary: string;
    readonly hints: string[];
}

/** The claims of a ServiceAccount JWT that help explain a 401. */
export interface TokenFacts {
    readonly shape: "empty" | "base64-of-jwt" | "jwt" | "not-a-jwt";
    readonly issuer?: string;
    readonly subject?: string;
    readonly serviceAccountUid?: string;
    /** The Secret a long-lived token is bound to; TokenRequest tokens have none. */
    readonly secretName?: string;
    readonly expires?: Date;
}

export function tokenFacts(token: string | undefined): TokenFacts {
    const t = (token ?? "").trim();
    if (t === "") {
        return { shape: "empty" };
    }
    const parts = t.split(".");
    if (parts.length !== 3) {
        // base64 output is often wrapped at 76 columns; the JWT inside starts with {" (eyJ).
        const decoded = Buffer.from(t.replace(/\s+/g, ""), "base64").toString("utf8");
        return decoded.startsWith("eyJ") && decoded.split(".").length === 3
            ? { shape: "base64-of-jwt" }
            : { shape: "not-a-jwt" };
    }
    try {
        const claims = JSON.parse(Buffer.from(parts[1], "base64url").toString("utf8")) as Record<
            string,
            unknown
        >;
        const k8s = (claims["kubernetes.io"] ?? {}) as { serviceaccount?: { uid?: string } };
        const legacyUid = claims["kubernetes.io/serviceaccount/service-account.uid"];
        const secretName = claims["kubernetes.io/serviceaccount/secret.name"];
        return {
            shape: "jwt",
            issuer: typeof claims.iss === "string" ? claims.iss : undefined,
            subject: typeof claims.sub === "string" ? claims.sub : undefined,
            serviceAccountUid:
                k8s.serviceaccount?.uid ?? (typeof legacyUid === "string" ? legacyUid : undefined),
            secretName: typeof secretName === "string" ? secretName : undefined,
            expires: typeof claims.exp === "number" ? new Date(claims.exp * 1000) : undefined,
        };
    } catch {
        return { shape: "not-a-jwt" };
    }
}

const TLS_CODES: Record<string, string> = {
    UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's certificate is not signed by the CA in the kubeconfig",
    UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "the server's certificate is not signed by the CA in the kubeconfig",
    SELF_SIGNED_CERT_IN_CHAIN:
        "the server's certificate chain ends in a CA other than the one in the kubeconfig",
    DEPTH_ZERO_SELF_SIGNED_CERT:
        "the server presents a self-signed certificate that is not the kubeconfig's CA",
    CERT_HAS_EXPIRED: "the server's certificate has expired",
    ERR_TLS_CERT_ALTNAME_INVALID:
        "the endpoint's host name or IP is not among the names in the server's certificate",
    CERT_SIGNATURE_FAILURE: "the server's certificate signature does not verify",
};
const NET_CODES: Record<string, string> = {
    ECONNREFUSED: "nothing listens at that address and port",
    ENOTFOUND: "the host name does not resolve",
    EAI_AGAIN: "the host name could not be resolved (DNS)",
    EHOSTUNREACH: "the host is unreachable",
    ENETUNREACH: "the network is unreachable",
    ETIMEDOUT: "the connection timed out",
    UND_ERR_CONNECT_TIMEOUT: "the connection timed out",
    ECONNRESET: "the connection was reset",
};

/** Every error code on an error and its causes (fetch wraps the socket's error). */
export function errorCodes(err: unknown): string[] {
    const codes: string[] = [];
    let cur: unknown = err;
    for (let depth = 0; cur && depth < 6; depth++) {
        const e = cur as { code?: unknown; cause?: unknown; errors?: unknown[] };
        if (typeof e.code === "string") {
            codes.push(e.code);
        }
        for (const inner of e.errors ?? []) {
            codes.push(...errorCodes(inner));
        }
        cur = e.cause;
    }
    return codes;
}

/** HTTP status of an API error, if it was one. */
export function httpStatus(err: unknown): number | undefined {
    const code =
        (err as { code?: unknown; statusCode?: unknown })?.code ??
        (err as { statusCode?: unknown })?.statusCode;
    return typeof code === "number" ? code : undefined;
}

export interface Context {
    readonly endpoint: string;
    readonly token?: string;
    readonly subject?: string;
}

/** Explains a failed call to the API server. */
export function diagnose(err: unknown, ctx: Context): Diagnosis {
    if (isRedirect(err)) {
        return {
            kind: "redirect",
            summary: `${ctx.endpoint} answered ${err.status} (a redirect) to ${err.location}; verify never follows redirects, as the token would not go with the request, or would go to another server.`,
            hints: [
                `A Kubernetes API server does not redirect its API calls: ${ctx.endpoint} is something else in front of it (a sign-in page, a web front end or a proxy). Use the API server's real URL as the endpoint (the server in an admin's kubeconfig, or pulumi stack output endpoint).`,
            ],
        };
    }
    const status = httpStatus(err);
    if (status === 401) {
        return unauthorized(ctx);
    }
    const raw = (err as { body?: unknown }).body;
    const body = typeof raw === "string" ? raw : JSON.stringify(raw ?? "");
    if (status === 403 && body.includes("system:anonymous")) {
        return {
            kind: "credential",
            summary: `403 Forbidden from ${ctx.endpoint}: no credential reached the server (it answered as system:anonymous).`,
            hints: [
                tokenFacts(ctx.token).shape === "empty"
                    ? EMPTY_TOKEN_HINT
                    : "The kubeconfig has a token, but it did not arrive: something between this machine and the API server (a proxy or load balancer) drops the Authorization header. Connect to the API server directly, or configure the proxy to pass the header.",
            ],
        };
    }
    if (status === 404 || (status === undefined && errorCodes(err).includes(NOT_KUBERNETES))) {
        return notKubernetes(ctx.endpoint, status === 404 ? "404 Not Found" : (err as Error).message);
    }
    if (status !== undefined && status >= 500) {
        return {
            kind: "server",
            summary: `${ctx.endpoint} failed to answer: ${status} ${statusMessage(body, ctx.token)}`,
            hints: [
                "This is the API server's (or a proxy's) own failure, not the account's: try again, and check the control plane's health (kube-apiserver, etcd) or the proxy in front of it.",
            ],
        };
    }
    if (status === 403) {
        return {
            kind: "forbidden",
            summary: `403 Forbidden from ${ctx.endpoint}: the token is valid but the request was refused.`,
            hints: [
                `The API server said: ${statusMessage(body, ctx.token)}`,
                "Every authenticated identity may normally create SelfSubjectAccessReviews (ClusterRole system:basic-user); if that is refused, the cluster's RBAC defaults were changed or an admission webhook blocks it.",
            ],
        };
    }
    const codes = errorCodes(err);
    const tls = codes.find((c) => c in TLS_CODES);
    if (tls) {
        return {
            kind: "tls",
            summary: `TLS verification of ${ctx.endpoint} failed: ${TLS_CODES[tls]} (${tls}).`,
            hints:
                tls === "ERR_TLS_CERT_ALTNAME_INVALID"
                    ? [
                          "Use an endpoint whose host is in the API server certificate's subject alternative names (kubectl config view shows the one admins use), or add the name to the API server's certificate (--tls-san / apiserver certSANs).",
                      ]
                    : [
                          "The CA in this kubeconfig is the endpointCaCert setting (stack key endpointCaCert, component argument endpointCaCert), else the CA of the provider kubeconfig's cluster, else the cluster CA from the token Secret's ca.crt (npm run plan says which). If consumers reach the API through a load balancer or proxy whose certificate another CA signed, set endpointCaCert to that CA's PEM (or endpointPubliclyTrusted: true for a publicly trusted certificate) and run pulumi up; otherwise check that the endpoint is the API server of the cluster the account lives in.",
                          "Never switch to insecure-skip-tls-verify: it would send the token to whoever answers.",
                      ],
        };
    }
    const net = codes.find((c) => c in NET_CODES);
    if (net) {
        return {
            kind: "unreachable",
            summary: `Cannot reach ${ctx.endpoint}: ${NET_CODES[net]} (${net}).`,
            hints: [
                "The endpoint must be the API server address reachable from where the consumer runs (the provider kubeconfig's server, or the endpoint setting), never the in-cluster kubernetes Service IP.",
                "Check firewalls, VPN and the API server's authorized networks.",
            ],
        };
    }
    const why = causeChain(err);
    return {
        kind: "other",
        summary: `The request to ${ctx.endpoint} failed: ${safeBody(why, ctx.token)}`,
        hints: /\bbad port\b/.test(why)
            ? [
                  `Port ${portOf(ctx.endpoint)} is on the fetch standard's list of blocked ports, which the HTTP client (undici) never connects to (fetch.spec.whatwg.org, "bad port"). An API server listens on 6443 or 443 as a rule: use the port it really serves on.`,
              ]
            : [],
    };
}

/** An error's message and those of its causes, as `fetch failed: bad port` (fetch hides the why in `cause`). */
function causeChain(err: unknown): string {
    const parts: string[] = [];
    let cur: unknown = err;
    for (let depth = 0; cur !== undefined && cur !== null && depth < 6; depth++) {
        const message = cur instanceof Error ? cur.message : typeof cur === "string" ? cur : "";
        if (message && !parts.includes(message)) {
            parts.push(message);
        }
        cur = (cur as { cause?: unknown }).cause;
    }
    return parts.join(": ") || "(no message)";
}

/** The port of an https URL, 443 when it names none. */
function portOf(endpoint: string): string {
    try {
        return new URL(endpoint).port || "443";
    } catch {
        return "(unknown)";
    }
}

/** Marks an answer that no Kubernetes API server would give (HTML, no review status). */
export const NOT_KUBERNETES = "NOT_KUBERNETES";

export function notKubernetes(endpoint: string, answer: string): Diagnosis {
    return {
        kind: "not-kubernetes",
        summary: `${endpoint} is not a Kubernetes API server: it answered ${answer}.`,
        hints: [
            "The endpoint must be the API server's URL (the server of the cluster in an admin's kubeconfig, or pulumi stack output endpoint), not a web page, dashboard or ingress in front of the cluster.",
        ],
    };
}

const EMPTY_TOKEN_HINT =
    "The kubeconfig's token is empty. If you decoded it yourself, check the command: on Linux base64 decodes with -d (-D prints nothing), as in kubectl get secret <name> -o jsonpath={.data.token} | base64 -d; the stack output token is already decoded. Otherwise the token controller has not filled the token Secret yet: wait, or run pulumi up again (it waits up to tokenTimeoutSeconds).";

/**
 * A problem with the kubeconfig's credential that no request is needed to see (an empty token, a token
 * still base64-encoded), so that it is reported before the token is sent anywhere. `where` names the
 * token's place in the kubeconfig: "token", or "tokenFile /path".
 */
export function credentialProblem(
    token: string | undefined,
    otherCredential: boolean,
    where = "token",
): Diagnosis | undefined {
    const shape = tokenFacts(token).shape;
    if (shape === "empty" && !otherCredential) {
        return {
            kind: "credential",
            summary: `The kubeconfig carries no credential: its ${where} is empty, so the server would only see system:anonymous.`,
            hints: [EMPTY_TOKEN_HINT],
        };
    }
    if (shape === "base64-of-jwt") {
        return {
            kind: "credential",
            summary: `The kubeconfig's ${where} is still base64-encoded; the server would refuse it (401).`,
            hints: [BASE64_HINT],
        };
    }
    return undefined;
}

const BASE64_HINT =
    "Decode it first, as Secret data is stored base64-encoded (the stack output `token` is already decoded; `kubectl get secret -o jsonpath={.data.token}` needs `| base64 -d`).";

/** The message of a Kubernetes Status body, else the body itself, readable and without the token. */
function statusMessage(body: string, token: string | undefined): string {
    try {
        const parsed = JSON.parse(body) as { kind?: string; message?: string; reason?: string };
        if (parsed.kind === "Status" && parsed.message) {
            return safeBody(`${parsed.reason ? `${parsed.reason}: ` : ""}${parsed.message}`, token);
        }
    } catch {
        // not JSON: a proxy's page or text
    }
    return safeBody(body.trim() || "(no message)", token);
}

function unauthorized(ctx: Context): Diagnosis {
    const facts = tokenFacts(ctx.token);
    const hints: string[] = [];
    switch (facts.shape) {
        case "empty":
            hints.push(
                "The token is empty: the token controller has not filled the token Secret yet. Wait, or run pulumi up again (it waits up to tokenTimeoutSeconds); check that kube-controller-manager runs.",
            );
            break;
        case "base64-of-jwt":
            hints.push(`The token is still base64-encoded. ${BASE64_HINT}`);
            break;
        case "not-a-jwt":
            hints.push(
                "The token is not a Kubernetes ServiceAccount token (not a JWT). Use the stack output `token` or `kubeconfig`.",
            );
            break;
        case "jwt":
            if (facts.expires && facts.expires.getTime() < Date.now()) {
                hints.push(
                    `The token expired at ${facts.expires.toISOString()}. Ask for a new one (long-lived token Secrets do not expire; this one is short-lived).`,
                );
            }
            hints.push(
                `The token is for ${facts.subject ?? "an unknown subject"}${facts.serviceAccountUid ? ` (ServiceAccount UID ${facts.serviceAccountUid})` : ""}. If that ServiceAccount was deleted and recreated, its old tokens are invalid: run pulumi up (the token Secret follows the account's UID) or change tokenRotation.`,
            );
            hints.push(
                `The token was issued by ${facts.issuer ?? "an unknown issuer"}. If ${ctx.endpoint} is another cluster's API server, point the endpoint at the cluster the account lives in.`,
            );
            hints.push(
                "If the token Secret was deleted, or rotations revoked its generation (tokenRotation changed twice since, or once with revokePreviousToken), this token was revoked: read the current one from the stack outputs.",
            );
            hints.push(
                "If the cluster's ServiceAccount signing key was rotated (kube-apiserver --service-account-key-file no longer holds the key this token was signed with), every Secret-based token of the old key gets 401 (kubernetes/kubernetes#33261): change tokenRotation and run pulumi up for a token signed with the current key.",
            );
            break;
    }
    return {
        kind: "unauthorized",
        summary: `401 Unauthorized from ${ctx.endpoint}: the API server does not accept this token.`,
        hints,
    };
}

/** A server message with the token cut out, in case a proxy echoes the request. */
function safeBody(body: string, token: string | undefined): string {
    const text = body.length > 500 ? `${body.slice(0, 500)}…` : body;
    return token ? text.split(token).join("[token]") : text;
}
