// Stacks of this project (and of the example and fixture programs) for the e2e tier, through the Automation
// API: each program runs from a copy in the run's folder, so stack files can be edited and the user's never
// are, and every line the Pulumi CLI prints is kept in the run's transcript for the secrets scan.
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { ConfigMap, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../offline/program";
import { e2e } from "./engine";

const copies = new Map<string, string>();
const SKIPPED = ["node_modules", "bin", ".git", "plan-out"];

/**
 * Copies a program folder (or only `entries` of it) into the run's folder, with this project's
 * node_modules linked in. Once per run and name.
 */
export function programCopy(source: string, name: string, entries?: (entry: string) => boolean): string {
    const known = copies.get(name);
    if (known) {
        return known;
    }
    const dir = path.join(e2e().root, "programs", name);
    fs.mkdirSync(dir, { recursive: true });
    for (const entry of fs.readdirSync(source)) {
        if (entries ? entries(entry) : !SKIPPED.includes(entry)) {
            fs.cpSync(path.join(source, entry), path.join(dir, entry), {
                recursive: true,
                preserveTimestamps: true,
            });
        }
    }
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
    copies.set(name, dir);
    return dir;
}

/**
 * This project's program, built from its sources into the copy's bin/ (Pulumi.yaml runs bin/index.js), so
 * the tier tests the working tree's code and leaves the repository's bin/ alone.
 */
export function projectCopy(): string {
    const known = copies.get("kube-api-access");
    if (known) {
        return known;
    }
    // Everything but what is built or installed: the program reads its sources to refuse a stale bin/.
    const dir = programCopy(PROJECT_DIR, "kube-api-access", (e) => !SKIPPED.includes(e));
    execFileSync(
        path.join(PROJECT_DIR, "node_modules", ".bin", "tsc"),
        ["-p", path.join(PROJECT_DIR, "tsconfig.build.json"), "--outDir", path.join(dir, "bin")],
        { stdio: "inherit" },
    );
    return dir;
}

/**
 * Creates or selects a stack of a program copy (this project's by default), with its Kubernetes provider
 * pointed at the local cluster (`kubernetes:kubeconfig`) and `config` set over the stack file.
 */
export async function stackOf(
    stackName: string,
    config: ConfigMap = {},
    dir = projectCopy(),
): Promise<Stack> {
    const workspace = await LocalWorkspace.create({ workDir: dir });
    const stack = await Stack.createOrSelect(stackName, workspace);
    await stack.setAllConfig({ "kubernetes:kubeconfig": { value: e2e().stackKubeconfig }, ...config });
    return stack;
}

/** Output handlers for an Automation API call: every line goes to the run's transcript (and the console with KUBE_API_ACCESS_E2E_VERBOSE). */
export function logged(label: string): { onOutput: (s: string) => void; onError: (s: string) => void } {
    const write = (s: string) => {
        fs.appendFileSync(e2e().transcript, s);
        if (process.env.KUBE_API_ACCESS_E2E_VERBOSE) {
            process.stdout.write(s);
        }
    };
    write(`\n===== ${label} =====\n`);
    return { onOutput: write, onError: write };
}

/** `pulumi up` with the output logged; returns the result. */
export function up(stack: Stack, options: Parameters<Stack["up"]>[0] = {}) {
    return stack.up({ ...logged(`up ${stack.name}`), ...options });
}

/** `pulumi destroy` with the output logged. */
export function destroy(stack: Stack) {
    return stack.destroy({ ...logged(`destroy ${stack.name}`) });
}

/** The resources the stack's state holds (its checkpoint, as `pulumi stack export` gives it). */
export async function stateResources(stack: Stack): Promise<StateResource[]> {
    const exported = await stack.exportStack();
    return (exported.deployment as { resources?: StateResource[] } | undefined)?.resources ?? [];
}

export interface StateResource {
    readonly urn: string;
    readonly type: string;
    readonly id?: string;
}

/** The message of a failed Automation API call, whichever form the error takes. */
export function failure(err: unknown): string {
    const e = err as { message?: string; commandResult?: { stdout?: string; stderr?: string } };
    return [e.message, e.commandResult?.stdout, e.commandResult?.stderr].filter(Boolean).join("\n");
}
