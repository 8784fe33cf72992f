// A stand-in Kubernetes API server for verify's tests (level 3): real HTTPS on 127.0.0.1 with
// certificates from a test CA made here with openssl, answering the authorization review APIs from a
// rule list, and recording what each request carried.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import type { TLSSocket } from "tls";
import * as os from "os";
import * as path from "path";
import type { PolicyRule } from "../../../components/rbac";
import { BASELINE } from "../../../cli/verify/access";
import { rulesAllow } from "../../../rbac/evaluator";

export interface KeyPair {
    readonly key: string;
    readonly cert: string;
}

export interface Pki {
    readonly dir: string;
    readonly caCert: string;
    /** Signed by the test CA for 127.0.0.1 and localhost. */
    readonly server: KeyPair;
    /** Signed by another CA, for 127.0.0.1. */
    readonly foreign: KeyPair;
    /** Signed by the test CA, but for another name only. */
    readonly wrongName: KeyPair;
    /** A client certificate from the test CA for user `jane` in group `developers`, as kubectl sends one. */
    readonly client: KeyPair;
}

function openssl(dir: string, ...args: string[]): void {
    execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
}

function makeCa(dir: string, name: string): void {
    openssl(
        dir,
        "req",
        "-x509",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.crt`,
        "-days",
        "2",
        "-subj",
        `/CN=${name}`,
    );
}

function makeServerCert(
    dir: string,
    ca: string,
    name: string,
    san: string,
    subject = "/CN=kube-apiserver",
): KeyPair {
    const usage = san
        ? `subjectAltName=${san}\nextendedKeyUsage=serverAuth\n`
        : "extendedKeyUsage=clientAuth\n";
    fs.writeFileSync(path.join(dir, `${name}.ext`), usage);
    openssl(
        dir,
        "req",
        "-newkey",
        "ec",
        "-pkeyopt",
        "ec_paramgen_curve:prime256v1",
        "-nodes",
        "-keyout",
        `${name}.key`,
        "-out",
        `${name}.csr`,
        "-subj",
        subject,
    );
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        `${ca}.crt`,
        "-CAkey",
        `${ca}.key`,
        "-CAcreateserial",
        "-out",
        `${name}.crt`,
        "-days",
        "2",
        "-extfile",
        `${name}.ext`,
    );
    return {
        key: fs.readFileSync(path.join(dir, `${name}.key`), "utf8"),
        cert: fs.readFileSync(path.join(dir, `${name}.crt`), "utf8"),
    };
}

/** A test CA, a server certificate from it, one from a foreign CA, and one for the wrong name. */
export function makePki(): Pki {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-pki-"));
    makeCa(dir, "test-ca");
    makeCa(dir, "foreign-ca");
    return {
        dir,
        caCert: fs.readFileSync(path.join(dir, "test-ca.crt"), "utf8"),
        server: makeServerCert(dir, "test-ca", "server", "IP:127.0.0.1,DNS:localhost"),
        foreign: makeServerCert(dir, "foreign-ca", "foreign", "IP:127.0.0.1,DNS:localhost"),
        wrongName: makeServerCert(dir, "test-ca", "wrong-name", "DNS:api.elsewhere.example"),
        client: makeServerCert(dir, "test-ca", "client", "", "/O=developers/CN=jane"),
    };
}

export interface FakeApiOptions {
    readonly tls: KeyPair;
    /** The bearer token the server accepts; anything else gets 401. */
    readonly token: string;
    /** What the account may do; SelfSubjectAccessReview and SelfSubjectRulesReview answer from it. */
    readonly rules: PolicyRule[];
    /** Answer every API call with this status instead (403, say). */
    readonly forceStatus?: number;
    /** Answer every request with this instead, whatever it asks (a web page, a proxy's error, a redirect). */
    readonly respond?: {
        readonly code: number;
        readonly contentType: string;
        readonly body: string;
        readonly headers?: Record<string, string>;
    };
    /** Also accept a client certificate from this CA, as kube-apiserver's --client-ca-file does. */
    readonly clientCa?: string;
    /** Act as kube-apiserver does for a request whose credential did not arrive: 403 for system:anonymous. */
    readonly anonymous?: boolean;
}

export interface SeenRequest {
    readonly method: string;
    readonly path: string;
    readonly authorization?: string;
    /** The CN of a verified client certificate, when the server accepts them. */
    readonly certificate?: string;
    readonly body?: unknown;
}

export interface FakeApiServer {
    readonly url: string;
    readonly requests: SeenRequest[];
    close(): Promise<void>;
}

function status(code: number, reason: string, message: string) {
    return { kind: "Status", apiVersion: "v1", status: "Failure", message, reason, code };
}

export async function startFakeApiServer(opts: FakeApiOptions): Promise<FakeApiServer> {
    const requests: SeenRequest[] = [];
    const clientAuth = opts.clientCa
        ? { requestCert: true, rejectUnauthorized: false, ca: opts.clientCa }
        : {};
    const server = https.createServer(
        { key: opts.tls.key, cert: opts.tls.cert, ...clientAuth },
        (req, res) => {
            let raw = "";
            req.on("data", (d: Buffer) => (raw += d.toString()));
            req.on("end", () => {
                const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : undefined;
                requests.push({
                    method: req.method ?? "",
                    path: req.url ?? "",
                    authorization: req.headers.authorization,
                    certificate: opts.clientCa ? peerName(req.socket as TLSSocket) : undefined,
                    body,
                });
                const send = (code: number, payload: unknown) => {
                    res.writeHead(code, { "content-type": "application/json" });
                    res.end(JSON.stringify(payload));
                };
                if (opts.respond) {
                    res.writeHead(opts.respond.code, {
                        "content-type": opts.respond.contentType,
                        ...opts.respond.headers,
                    });
                    return res.end(opts.respond.body);
                }
                if (opts.anonymous) {
                    return send(
                        403,
                        status(
                            403,
                            "Forbidden",
                            'selfsubjectaccessreviews.authorization.k8s.io is forbidden: User "system:anonymous" cannot create resource "selfsubjectaccessreviews" in API group "authorization.k8s.io" at the cluster scope',
                        ),
                    );
                }
                const certified = opts.clientCa !== undefined && (req.socket as TLSSocket).authorized;
                if (!certified && req.headers.authorization !== `Bearer ${opts.token}`) {
                    return send(401, status(401, "Unauthorized", "Unauthorized"));
                }
                if (opts.forceStatus) {
                    return send(
                        opts.forceStatus,
                        status(
                            opts.forceStatus,
                            "Forbidden",
                            `selfsubjectaccessreviews.authorization.k8s.io is forbidden: User cannot create resource`,
                        ),
                    );
                }
                const url = (req.url ?? "").split("?")[0];
                const spec = (body?.spec ?? {}) as Record<
                    string,
                    Record<string, string> | string | undefined
                >;
                if (req.method === "GET" && url === "/version") {
                    return send(200, {
                        major: "1",
                        minor: "32",
                        gitVersion: "v1.32.0-fake",
                        platform: "linux/amd64",
                    });
                }
                if (
                    req.method === "POST" &&
                    url === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews"
                ) {
                    const attrs =
                        (spec.resourceAttributes as Record<string, string>) ??
                        (spec.nonResourceAttributes as Record<string, string>) ??
                        {};
                    // The project's one RBAC evaluator answers, as the API server's authorizer would.
                    const request = attrs.path
                        ? { verb: attrs.verb ?? "", path: attrs.path }
                        : {
                              verb: attrs.verb ?? "",
                              group: attrs.group ?? "",
                              resource: attrs.resource ?? "",
                              subresource: attrs.subresource,
                              name: attrs.name,
                          };
                    return send(201, { ...body, status: { allowed: rulesAllow(opts.rules, request) } });
                }
                if (
                    req.method === "POST" &&
                    url === "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews"
                ) {
                    // The account's rules plus what every authenticated identity gets, as a cluster lists them.
                    const rules = [...opts.rules, ...BASELINE];
                    const resourceRules = rules
                        .filter((r) => (r.resources ?? []).length > 0)
                        .map((r) => ({
                            verbs: r.verbs,
                            apiGroups: r.apiGroups,
                            resources: r.resources,
                            resourceNames: r.resourceNames,
                        }));
                    const nonResourceRules = rules
                        .filter((r) => (r.nonResourceURLs ?? []).length > 0)
                        .map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs }));
                    return send(201, {
                        ...body,
                        status: { resourceRules, nonResourceRules, incomplete: false },
                    });
                }
                return send(
                    404,
                    status(404, "NotFound", `the server could not find the requested resource ${url}`),
                );
            });
        },
    );
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `https://127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((resolve) => server.close(() => resolve())),
    };
}

function peerName(socket: TLSSocket): string | undefined {
    const cn = socket.authorized ? socket.getPeerCertificate().subject?.CN : undefined;
    return Array.isArray(cn) ? cn.join(",") : cn;
}

/** A loopback port with nothing listening on it. */
export async function closedPort(): Promise<number> {
    const s = https.createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const { port } = s.address() as AddressInfo;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return port;
}
