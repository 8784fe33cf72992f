// A throwaway OpenBao (MPL-2.0, Vault's API; never HashiCorp Vault) dev server on loopback for end-to-end
// tests: in-memory storage, plain HTTP on 127.0.0.1 at a free port, KV v2 at secret/ as in Vault's dev mode.
// It starts with -dev-skip-init and is initialised over the API, so the root token and unseal key are random,
// exist only in this process's memory (and, for `npm run openbao -- up`, a 0600 file) and are never printed:
// a plain `bao server -dev` writes both to its console.
import * as fs from "fs";
import * as http from "http";
import * as os from "os";
import * as path from "path";
import { freePorts, Server, waitFor, Watchdog } from "./processes";
import { liveProcesses, readState, ServerState, stopDetached, writeState } from "./state";
import { findTools } from "./toolchain";

export interface OpenBaoOptions {
    /** Folder for the log (and, when detached, the token file); must not exist or be empty. Default: a new temp folder. Removed by stop(). */
    readonly dataDir?: string;
    /** Folder holding `bao`. Default: $KUBE_API_ACCESS_TOOLCHAIN, else the cached `openbao` toolchain family. */
    readonly toolchainDir?: string;
    /** How long start waits for the server, in ms. Default 60 000 (a loaded 2-core machine). */
    readonly readyTimeoutMs?: number;
}

/** A running OpenBao. Its server dies with the process that started it unless detach() is called. */
export interface OpenBao {
    /** `http://127.0.0.1:PORT`. */
    readonly address: string;
    /** The root token: a secret, never print it. */
    readonly rootToken: string;
    readonly dataDir: string;
    /** Path of the `bao` binary that serves it. */
    readonly binary: string;
    /** `bao version`'s version, e.g. v2.4.0. */
    readonly version: string;
    /** Seals it (every request then fails with 503 "Vault is sealed"); unseal() reverses it. */
    seal(): Promise<void>;
    unseal(): Promise<void>;
    /** Stops the server and removes dataDir. Safe to call twice. */
    stop(): Promise<void>;
    /** Writes the root token to `<dataDir>/root-token` (mode 0600) and hands the server over to stopOpenBao(dataDir). */
    detach(): { tokenFile: string };
}

/**
 * Options for running the real `bao` CLI against `bao` as a consumer would: its address, `token`, JSON
 * output (`VAULT_FORMAT=json`), `home` as HOME (bao writes its token helper file there, never in the user's
 * home) and a 60 s limit. For child_process's execFile and spawnSync alike.
 */
export function baoCliOptions(
    bao: Pick<OpenBao, "address">,
    token: string,
    home: string,
): { env: NodeJS.ProcessEnv; timeout: number } {
    return {
        env: {
            PATH: process.env.PATH,
            HOME: home,
            VAULT_ADDR: bao.address,
            VAULT_TOKEN: token,
            VAULT_FORMAT: "json",
        },
        timeout: 60_000,
    };
}

/** The state file of a detached OpenBao in its data folder (read by stopOpenBao / `npm run openbao -- down`). */
export const OPENBAO_STATE = "openbao.json";
export const TOKEN_FILE = "root-token";

export interface OpenBaoState extends ServerState {
    readonly address: string;
    readonly tokenFile: string;
}

/**
 * Starts OpenBao and resolves once it is initialised, unsealed, active and has KV v2 at secret/. Throws with
 * the tail of its log; on failure nothing is left running and the data folder is removed.
 */
export async function startOpenBao(options: OpenBaoOptions = {}): Promise<OpenBao> {
    const { bao } = findTools("openbao", { bao: "bao" }, options.toolchainDir);
    // As for the cluster: the port (and the dev cluster listener's, port + 1) is free when picked but bound
    // only later, so another server starting meanwhile may take it. That is retried with a new port.
    for (let attempt = 1; ; attempt++) {
        try {
            return await startOnce(options, bao);
        } catch (err) {
            if (attempt === PORT_ATTEMPTS || !/address already in use/.test((err as Error).message)) {
                throw err;
            }
        }
    }
}

const PORT_ATTEMPTS = 3;

async function startOnce(options: OpenBaoOptions, bao: string): Promise<OpenBao> {
    const dataDir = prepareDataDir(options.dataDir);
    const watchdog = new Watchdog(dataDir);
    const timeout = options.readyTimeoutMs ?? 60_000;
    let server: Server | undefined;
    try {
        const [port] = await freePorts(1);
        const address = `http://127.0.0.1:${port}`;
        const args = [
            "server",
            "-dev",
            "-dev-skip-init",
            "-dev-no-store-token",
            `-dev-listen-address=127.0.0.1:${port}`,
        ];
        // -dev-no-store-token: nothing goes to a token helper file in $HOME.
        server = Server.start(bao, args, dataDir, watchdog);
        const s = server;
        await waitFor(
            "OpenBao's API",
            () => api(address, "GET", "/v1/sys/init").then(() => true),
            timeout,
            [s],
            s,
        );
        const init = (await api(address, "PUT", "/v1/sys/init", {
            secret_shares: 1,
            secret_threshold: 1,
        })) as {
            keys_base64: string[];
            root_token: string;
        };
        const rootToken = init.root_token;
        const unsealKey = init.keys_base64[0];
        const unseal = async () => {
            await api(address, "PUT", "/v1/sys/unseal", { key: unsealKey });
            await waitFor("an active, unsealed OpenBao", () => active(address), timeout, [s], s);
        };
        await unseal();
        await api(
            address,
            "POST",
            "/v1/sys/mounts/secret",
            { type: "kv", options: { version: "2" } },
            rootToken,
        );
        const version = ((await api(address, "GET", "/v1/sys/seal-status")) as { version: string }).version;
        const state = (tokenFile: string): OpenBaoState => ({
            dataDir,
            address,
            tokenFile,
            processes: [{ name: s.name, pid: s.pid, binary: bao }],
        });
        let stopped = false;
        return {
            address,
            rootToken,
            dataDir,
            binary: bao,
            version: `v${version}`,
            seal: async () => {
                await api(address, "PUT", "/v1/sys/seal", undefined, rootToken);
            },
            unseal,
            stop: async () => {
                if (stopped) {
                    return;
                }
                stopped = true;
                await s.stop();
                watchdog.release();
                fs.rmSync(dataDir, { recursive: true, force: true });
            },
            detach: () => {
                stopped = true;
                const tokenFile = path.join(dataDir, TOKEN_FILE);
                fs.writeFileSync(tokenFile, rootToken, { mode: 0o600 });
                writeState(dataDir, state(tokenFile), OPENBAO_STATE);
                watchdog.release();
                return { tokenFile };
            },
        };
    } catch (err) {
        await server?.stop();
        watchdog.release();
        fs.rmSync(dataDir, { recursive: true, force: true });
        throw err;
    }
}

/** Stops a detached OpenBao and removes its folder; false when `dataDir` holds none (nothing is touched). */
export function stopOpenBao(dataDir: string): Promise<boolean> {
    return stopDetached(dataDir, undefined, OPENBAO_STATE);
}

/** The detached OpenBao in `dataDir` and whether its server still runs, or undefined when there is none. */
export function openBaoStatus(dataDir: string): { state: OpenBaoState; running: boolean } | undefined {
    const state = readState<OpenBaoState>(dataDir, OPENBAO_STATE);
    return state && { state, running: liveProcesses(state).length === state.processes.length };
}

function prepareDataDir(dir: string | undefined): string {
    if (dir === undefined) {
        return fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-openbao-"));
    }
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
        throw new Error(`testenv: the data folder ${dir} is not empty; give an empty or new folder`);
    }
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    return path.resolve(dir);
}

async function active(address: string): Promise<true | undefined> {
    // sys/health answers 200 only when initialised, unsealed and active.
    const health = (await api(address, "GET", "/v1/sys/health")) as { sealed: boolean; standby: boolean };
    return !health.sealed && !health.standby ? true : undefined;
}

/** One request to OpenBao's HTTP API: the parsed JSON body (or {}), or an error with the status and Vault's errors. */
export function api(
    address: string,
    method: string,
    urlPath: string,
    body?: unknown,
    token?: string,
): Promise<unknown> {
    return new Promise((resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = http.request(
            `${address}${urlPath}`,
            {
                method,
                timeout: 10_000,
                headers: {
                    ...(payload ? { "Content-Type": "application/json" } : {}),
                    ...(token ? { "X-Vault-Token": token } : {}),
                },
            },
            (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (c: string) => (text += c));
                res.on("end", () => {
                    const status = res.statusCode ?? 0;
                    if (status >= 200 && status < 300) {
                        resolve(text ? JSON.parse(text) : {});
                    } else {
                        const errors = (() => {
                            try {
                                return (JSON.parse(text) as { errors?: string[] }).errors?.join("; ");
                            } catch {
                                return text.slice(0, 300);
                            }
                        })();
                        reject(new Error(`OpenBao ${method} ${urlPath}: HTTP ${status}: ${errors}`));
                    }
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`OpenBao ${method} ${urlPath} timed out`)));
        req.on("error", reject);
        req.end(payload);
    });
}
