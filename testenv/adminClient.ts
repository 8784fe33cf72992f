// A minimal HTTPS client for the control plane's own checks (readyz, the readiness token Secret), with the
// admin client certificate and TLS verified against the serving CA: no kubeconfig loading needed.
import * as fs from "fs";
import * as https from "https";

export interface Reply {
    readonly status: number;
    readonly body: string;
}

/** Client of one API server (`server` like https://127.0.0.1:PORT) authenticated by a client certificate. */
export class AdminClient {
    private readonly agent: https.Agent;

    constructor(
        readonly server: string,
        files: { caCert: string; cert: string; key: string },
    ) {
        this.agent = new https.Agent({
            ca: fs.readFileSync(files.caCert),
            cert: fs.readFileSync(files.cert),
            key: fs.readFileSync(files.key),
            keepAlive: false,
        });
    }

    /** One request; `body` is sent as JSON. Rejects only on a transport error or after 5 s. */
    request(method: string, path: string, body?: unknown): Promise<Reply> {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        return new Promise<Reply>((resolve, reject) => {
            const req = https.request(
                `${this.server}${path}`,
                {
                    method,
                    agent: this.agent,
                    timeout: 5_000,
                    headers: payload ? { "content-type": "application/json" } : {},
                },
                (res) => {
                    const chunks: Buffer[] = [];
                    res.on("data", (c: Buffer) => chunks.push(c));
                    res.on("end", () =>
                        resolve({
                            status: res.statusCode ?? 0,
                            body: Buffer.concat(chunks).toString("utf8"),
                        }),
                    );
                    res.on("error", reject);
                },
            );
            req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out after 5 s`)));
            req.on("error", reject);
            req.end(payload);
        });
    }

    /** Like request(), but a status other than `expected` is an error naming the call and the reply. */
    async expect(expected: number[], method: string, path: string, body?: unknown): Promise<Reply> {
        const reply = await this.request(method, path, body);
        if (!expected.includes(reply.status)) {
            throw new Error(`${method} ${path}: HTTP ${reply.status}: ${reply.body.slice(0, 300)}`);
        }
        return reply;
    }
}
