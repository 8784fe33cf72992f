// The real engine's environment for the e2e tier (its root hooks, tests/e2e/hooks.ts) and npm run bench: the
// pinned real engine first on PATH (toolchain/build.sh), Node.js 22, a throwaway Pulumi home with the
// Kubernetes provider installed offline, a local file backend, and one loopback control plane per run.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../offline/program";
import { Cluster, startCluster } from "./cluster";
import { TOOLCHAIN_ENV } from "./toolchain";

/** Toolchain families (toolchain/families/<name>.sh) the tier needs for the Kubernetes tests. */
export const CORE_FAMILIES = ["pulumi", "kubernetes-provider", "kubernetes"];

export interface E2eEnvironment {
    /** Folder of this run: Pulumi home, backend, program copies, CLI transcript; removed at the end. */
    readonly root: string;
    readonly pulumiHome: string;
    /** The file backend's folder (`file://<backendDir>`). */
    readonly backendDir: string;
    readonly passphrase: string;
    /** The toolchain's PATH folder. */
    readonly toolsDir: string;
    readonly cluster: Cluster;
    /** The cluster's admin kubeconfig (a path). */
    readonly adminKubeconfig: string;
    /**
     * What the stacks' `kubernetes:kubeconfig` points at: the admin kubeconfig with one more context named
     * `prod` for the same cluster, so Pulumi.prod.yaml's `kubernetes:context: prod` works unchanged.
     */
    readonly stackKubeconfig: string;
    /** Every line the Pulumi CLI printed in this run, appended as it comes (the secrets scan reads it). */
    readonly transcript: string;
}

let current: E2eEnvironment | undefined;
let savedEnv: NodeJS.ProcessEnv | undefined;

/** The running environment; the root hooks set it up before any e2e test runs. */
export function e2e(): E2eEnvironment {
    if (!current) {
        throw new Error("the e2e environment is not set up: run the tier with npm run test:e2e");
    }
    return current;
}

/** Runs toolchain/build.sh for `families` (building what is missing, progress on stderr) and returns its PATH folder. */
export function toolchainPath(families: string[]): string {
    const res = spawnSync("bash", [path.join(PROJECT_DIR, "toolchain", "build.sh"), ...families], {
        encoding: "utf8",
        stdio: ["ignore", "pipe", "inherit"],
    });
    const last = (res.stdout ?? "").trim().split("\n").pop() ?? "";
    if (res.status !== 0 || !last || !fs.existsSync(last)) {
        throw new Error(
            `toolchain/build.sh ${families.join(" ")} failed (exit ${res.status ?? res.signal}); its output is above`,
        );
    }
    return last;
}

/** The plugin version `@pulumi/<name>` asks the engine for (its package.json `pulumi.version`). */
export function pluginVersion(name: string): string {
    const pkg = JSON.parse(
        fs.readFileSync(path.join(PROJECT_DIR, "node_modules", "@pulumi", name, "package.json"), "utf8"),
    ) as { version: string; pulumi?: { version?: string } };
    return pkg.pulumi?.version ?? pkg.version;
}

/** Installs a provider binary from the toolchain into the run's Pulumi home, with no download. */
export function installPlugin(name: string, version: string, binary: string): void {
    execFileSync("pulumi", ["plugin", "install", "resource", name, version, "--file", binary], {
        stdio: ["ignore", "pipe", "pipe"],
    });
}

/** Sets everything up; called once by the root hooks. On failure, leaves nothing running or behind. */
export async function setUp(): Promise<E2eEnvironment> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-e2e-"));
    savedEnv = { ...process.env };
    let cluster: Cluster | undefined;
    try {
        const toolsDir = process.env[TOOLCHAIN_ENV] || toolchainPath(CORE_FAMILIES);
        const nodeDir = execFileSync(path.join(PROJECT_DIR, "scripts", "ensure-node.sh"), {
            encoding: "utf8",
        }).trim();
        const pulumiHome = path.join(root, "pulumi-home");
        const backendDir = path.join(root, "backend");
        const tmp = path.join(root, "tmp");
        for (const d of [pulumiHome, backendDir, tmp]) {
            fs.mkdirSync(d, { recursive: true });
        }
        const passphrase = `e2e-${Math.random().toString(36).slice(2)}`;
        Object.assign(process.env, {
            PATH: `${toolsDir}${path.delimiter}${nodeDir}${path.delimiter}${process.env.PATH ?? ""}`,
            PULUMI_HOME: pulumiHome,
            PULUMI_BACKEND_URL: `file://${backendDir}`,
            PULUMI_CONFIG_PASSPHRASE: passphrase,
            PULUMI_SKIP_UPDATE_CHECK: "true",
            PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
            // Only plugins installed in this Pulumi home count, not whatever else is on PATH.
            PULUMI_IGNORE_AMBIENT_PLUGINS: "true",
        });
        delete process.env.KUBECONFIG;
        const provider = path.join(toolsDir, "pulumi-resource-kubernetes");
        installPlugin("kubernetes", pluginVersion("kubernetes"), provider);

        cluster = await startCluster({ toolchainDir: toolsDir });
        // Set after the cluster started, so its data stays out of the folder the secrets scan reads.
        process.env.TMPDIR = tmp;
        const stackKubeconfig = path.join(root, "stack.kubeconfig");
        const admin = fs.readFileSync(cluster.kubeconfig, "utf8");
        fs.writeFileSync(stackKubeconfig, withProdContext(admin), { mode: 0o600 });
        current = {
            root,
            pulumiHome,
            backendDir,
            passphrase,
            toolsDir,
            cluster,
            adminKubeconfig: cluster.kubeconfig,
            stackKubeconfig,
            transcript: path.join(root, "cli-transcript.log"),
        };
        return current;
    } catch (err) {
        await cluster?.stop();
        fs.rmSync(root, { recursive: true, force: true });
        await tearDown();
        throw err;
    }
}

/** Stops the cluster and removes the run's folder; safe to call twice and from a signal handler. */
export async function tearDown(): Promise<void> {
    const env = current;
    current = undefined;
    if (env) {
        await env.cluster.stop();
        if (process.env.KUBE_API_ACCESS_E2E_KEEP) {
            console.log(`      e2e: kept ${env.root} (KUBE_API_ACCESS_E2E_KEEP)`);
        } else {
            fs.rmSync(env.root, { recursive: true, force: true });
        }
    }
    if (savedEnv) {
        for (const key of Object.keys(process.env)) {
            if (!(key in savedEnv)) {
                delete process.env[key];
            }
        }
        Object.assign(process.env, savedEnv);
        savedEnv = undefined;
    }
}

/** The admin kubeconfig plus a `prod` context on the same cluster and user. */
function withProdContext(kubeconfig: string): string {
    const doc = YAML.parse(kubeconfig) as {
        "current-context": string;
        contexts: { name: string; context: Record<string, unknown> }[];
    };
    const active = doc.contexts.find((c) => c.name === doc["current-context"]);
    if (!active) {
        throw new Error("the cluster's admin kubeconfig has no current context");
    }
    doc.contexts.push({ name: "prod", context: { ...active.context } });
    return YAML.stringify(doc);
}
