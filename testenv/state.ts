// The state file of a control plane (cluster.json in its data folder): which processes are its servers, so
// another process (`npm run cluster -- down`) can stop them and remove the folder. The file also marks the
// folder as ours: a folder without it is never removed.
import * as fs from "fs";
import * as path from "path";

/** What any detached testenv server group records (testenv/openbao.ts keeps its own file beside its data). */
export interface ServerState {
    readonly dataDir: string;
    /** Running servers: name, pid and the binary's absolute path (checked before signalling a pid). */
    readonly processes: readonly { readonly name: string; readonly pid: number; readonly binary: string }[];
}

export interface ClusterState extends ServerState {
    readonly server: string;
    readonly kubeconfig: string;
}

export const STATE_FILE = "cluster.json";

export function writeState(dataDir: string, state: ServerState, stateFile = STATE_FILE): void {
    const file = path.join(dataDir, stateFile);
    fs.writeFileSync(`${file}.tmp`, JSON.stringify(state, null, 2));
    fs.renameSync(`${file}.tmp`, file);
}

/** The state in `dataDir`, or undefined when there is none (not a cluster folder, or already removed). */
export function readState<T extends ServerState = ClusterState>(
    dataDir: string,
    stateFile = STATE_FILE,
): T | undefined {
    try {
        return JSON.parse(fs.readFileSync(path.join(dataDir, stateFile), "utf8")) as T;
    } catch (err) {
        if ((err as NodeJS.ErrnoException).code === "ENOENT") {
            return undefined;
        }
        throw new Error(`testenv: cannot read ${path.join(dataDir, stateFile)}: ${(err as Error).message}`);
    }
}

/** Whether `pid` is alive and still runs `binary` (a recycled pid is someone else's process). */
export function runs(pid: number, binary: string): boolean {
    try {
        const argv0 = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0];
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        return argv0 === binary && !/^\d+ \(.*\) Z/.test(stat);
    } catch {
        return false;
    }
}

/** The state's servers that are still running. */
export function liveProcesses(state: ServerState): ServerState["processes"] {
    return state.processes.filter((p) => runs(p.pid, p.binary));
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves once the process is gone (or was not ours). */
async function stopProcess(p: ClusterState["processes"][number], graceMs: number): Promise<void> {
    const gone = () => !runs(p.pid, p.binary);
    const signal = (sig: NodeJS.Signals) => {
        try {
            if (!gone()) {
                process.kill(p.pid, sig);
            }
        } catch {
            // gone meanwhile
        }
    };
    signal("SIGTERM");
    for (const deadline = Date.now() + graceMs; !gone() && Date.now() < deadline;) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
    signal("SIGKILL");
    while (!gone()) {
        await new Promise((resolve) => setTimeout(resolve, 100));
    }
}

/**
 * Stops the servers recorded in `dataDir`, last started first (the API server shuts down quickly only
 * while etcd still answers), and removes the folder. Returns false when `dataDir` holds no cluster state
 * (then nothing is touched).
 */
export async function stopDetached(
    dataDir: string,
    graceMs = 10_000,
    stateFile = STATE_FILE,
): Promise<boolean> {
    const state = readState<ServerState>(dataDir, stateFile);
    if (!state) {
        return false;
    }
    for (const p of [...state.processes].reverse()) {
        await stopProcess(p, graceMs);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
    return true;
}
