// `npm run cluster -- up|down|status`: a throwaway control plane (testenv/cluster.ts) that outlives the
// command, for trying the program or running tests against it by hand. `up` prints the admin kubeconfig's
// path as its last line.
import { runAsCommand } from "../cli/command";
import { startCluster } from "./cluster";
import { defaultServerDir, parseServerCommand, serverCommand } from "./serverCommand";
import { liveProcesses, readState, stopDetached } from "./state";

/** Where `up` keeps the cluster unless --dir says otherwise. */
export function defaultClusterDir(): string {
    return defaultServerDir("cluster");
}

const COMMAND = serverCommand(
    "cluster",
    [
        "up: start etcd, kube-apiserver and kube-controller-manager on loopback in the background; the last line printed is the admin kubeconfig's path",
        "down: stop them and remove DIR",
        "status: say whether they run (exit 1 when not)",
    ],
    `the cluster's folder (default ${defaultClusterDir()})`,
    "folder of the binaries (default $KUBE_API_ACCESS_TOOLCHAIN, else the cached build)",
);

export async function main(argv: string[]): Promise<number> {
    const parsed = parseServerCommand(argv, COMMAND, defaultClusterDir());
    if (typeof parsed === "number") {
        return parsed;
    }
    const { command, dir } = parsed;
    switch (command) {
        case "up":
            return up(dir, parsed.toolchain);
        case "down":
            console.log(
                (await stopDetached(dir)) ? `cluster in ${dir} stopped and removed` : `no cluster in ${dir}`,
            );
            return 0;
        case "status":
            return status(dir);
        default:
            console.error(
                `unknown command ${JSON.stringify(command ?? "")}; expected up, down or status\n${COMMAND.usage()}`,
            );
            return 2;
    }
}

async function up(dir: string, toolchainDir: string | undefined): Promise<number> {
    const previous = readState(dir);
    if (previous) {
        if (liveProcesses(previous).length === previous.processes.length) {
            console.error(`a cluster is already up in ${dir} (${previous.server}); its admin kubeconfig:`);
            console.log(previous.kubeconfig);
            return 0;
        }
        console.error(`a cluster in ${dir} is partly stopped; removing it and starting afresh`);
        await stopDetached(dir);
    }
    const cluster = await startCluster({ dataDir: dir, toolchainDir });
    cluster.detach();
    console.log(
        `Kubernetes ${cluster.version} ready in ${(cluster.readyMs / 1000).toFixed(1)} s at ${cluster.server}`,
    );
    console.log(
        `data and logs: ${dir}; stop it with: npm run cluster -- down${dir === defaultClusterDir() ? "" : ` --dir ${dir}`}`,
    );
    console.log(cluster.kubeconfig);
    return 0;
}

function status(dir: string): number {
    const state = readState(dir);
    if (!state) {
        console.log(`no cluster in ${dir}`);
        return 1;
    }
    const live = new Set(liveProcesses(state).map((p) => p.pid));
    for (const p of state.processes) {
        console.log(`${p.name.padEnd(24)} pid ${p.pid}: ${live.has(p.pid) ? "running" : "NOT running"}`);
    }
    console.log(`server ${state.server}\nkubeconfig ${state.kubeconfig}`);
    return live.size === state.processes.length ? 0 : 1;
}

runAsCommand(module, main);
