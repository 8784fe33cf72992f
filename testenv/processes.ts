// Server processes of a throwaway control plane: free loopback ports, starting a binary with its output in
// a log file, stopping it, waiting for a condition while watching that nothing died, and the watchdog that
// kills the servers when their starter disappears (see testenv/watchdog.sh).
import { ChildProcess, spawn } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";

/** The last `lines` lines of a log file ("" when it does not exist). */
export function logTail(file: string, lines = 25): string {
    try {
        return fs.readFileSync(file, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
        return "";
    }
}

/** `count` distinct free TCP ports on 127.0.0.1 (held open together so none is handed out twice). */
export async function freePorts(count: number): Promise<number[]> {
    const servers = await Promise.all(
        Array.from({ length: count }, () => {
            return new Promise<net.Server>((resolve, reject) => {
                const server = net.createServer();
                server.once("error", reject);
                server.listen(0, "127.0.0.1", () => resolve(server));
            });
        }),
    );
    const ports = servers.map((s) => (s.address() as net.AddressInfo).port);
    await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    return ports;
}

/**
 * The watchdog process of one control plane: told each server's pid, it kills them (and removes the data
 * folder) when this process ends without calling `release()`, whatever the cause (crash, SIGINT, SIGKILL).
 */
export class Watchdog {
    private readonly proc: ChildProcess;

    constructor(dataDir: string) {
        this.proc = spawn("sh", [path.join(__dirname, "watchdog.sh"), dataDir], {
            detached: true,
            stdio: ["pipe", "ignore", "ignore"],
        });
        this.proc.unref();
        // Its stdin pipe must not keep a test runner alive either: it only has to close when we exit.
        (this.proc.stdin as unknown as net.Socket).unref();
    }

    watch(pid: number): void {
        this.proc.stdin?.write(`watch ${pid}\n`);
    }

    forget(pid: number): void {
        this.proc.stdin?.write(`forget ${pid}\n`);
    }

    /** The servers are stopped or handed over: the watchdog exits without killing anything. */
    release(): void {
        this.proc.stdin?.end("release\n");
    }
}

/** One running server binary; its stdout and stderr go to `logFile`. */
export class Server {
    readonly pid: number;
    private exitCode: number | string | undefined;
    private readonly exited: Promise<void>;

    readonly name: string;

    private constructor(
        readonly binary: string,
        readonly logFile: string,
        private readonly proc: ChildProcess,
    ) {
        this.name = path.basename(binary);
        this.pid = proc.pid!;
        this.exited = new Promise((resolve) =>
            proc.once("exit", (code, signal) => {
                this.exitCode = code ?? signal ?? "unknown";
                resolve();
            }),
        );
    }

    /**
     * Starts `binary args` in its own session (so a terminal's Ctrl-C reaches only the test runner, whose
     * watchdog then stops it) with its output in `<logDir>/<binary's name>.log`, and tells `watchdog` its
     * pid. Throws when the binary cannot be run.
     */
    static start(binary: string, args: string[], logDir: string, watchdog: Watchdog): Server {
        const name = path.basename(binary);
        const logFile = path.join(logDir, `${name}.log`);
        const log = fs.openSync(logFile, "a");
        try {
            const proc = spawn(binary, args, { detached: true, stdio: ["ignore", log, log] });
            proc.unref();
            proc.on("error", () => undefined); // reported below (no pid) or by the exit that follows
            if (proc.pid === undefined) {
                throw new Error(`testenv: could not run ${binary}`);
            }
            watchdog.watch(proc.pid);
            return new Server(binary, logFile, proc);
        } finally {
            fs.closeSync(log);
        }
    }

    /** How it ended ("exit code 1", "signal SIGKILL"), or undefined while it runs. */
    get exit(): string | undefined {
        if (this.exitCode === undefined) {
            return undefined;
        }
        return typeof this.exitCode === "number" ? `exit code ${this.exitCode}` : `signal ${this.exitCode}`;
    }

    /** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone. */
    async stop(graceMs = 10_000): Promise<void> {
        if (this.exitCode !== undefined) {
            return;
        }
        this.proc.kill("SIGTERM");
        const timer = setTimeout(() => this.proc.kill("SIGKILL"), graceMs);
        await this.exited;
        clearTimeout(timer);
    }

    /** An error naming this server, how it ended and the tail of its log. */
    failure(what: string): Error {
        const tail = logTail(this.logFile);
        return new Error(`testenv: ${what} (${this.name}, log ${this.logFile}):\n${tail || "(empty log)"}`);
    }
}

/**
 * Polls `probe` every 200 ms until it returns a value; fails with the log tail of the first of `servers`
 * that exits meanwhile, or of `blame` after `timeoutMs`.
 */
export async function waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
    servers: Server[],
    blame: Server,
): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    let lastError = "";
    for (;;) {
        const dead = servers.find((s) => s.exit !== undefined);
        if (dead) {
            throw dead.failure(`${dead.name} ended with ${dead.exit} while waiting for ${what}`);
        }
        try {
            const result = await probe();
            if (result !== undefined) {
                return result;
            }
        } catch (err) {
            lastError = (err as Error).message;
        }
        if (Date.now() > deadline) {
            const last = lastError ? `; last error: ${lastError}` : "";
            throw blame.failure(`no ${what} after ${timeoutMs / 1000} s${last}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
    }
}
