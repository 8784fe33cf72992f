// Runs the Pulumi program in this process under the mock runtime, with a stack's configuration, and
// returns what it registered and exported. Used by the tests and by the offline tools.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { installOfflineCluster, RecordedResource, StackReferenceOutputs } from "./mocks";
import type { SettingProblem } from "../settings/problems";
import { qualifiedKey } from "../settings/stackSettings";
import {
    locator,
    OverrideSources,
    readProjectFile,
    readStackConfig,
    settingsError,
    StackConfig,
} from "./stackConfig";

// The repository root has one home, beside the settings the program reads from it.
import { PROJECT_DIR } from "../settings/stackSettings";
export { PROJECT_DIR };

export interface ExportedValue {
    readonly value: unknown;
    readonly secret: boolean;
    readonly known: boolean;
}

export interface ProgramRun {
    readonly config: StackConfig;
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, ExportedValue>;
    /** The stacks the program read through a StackReference (OfflineCluster.stackReferencesRead). */
    readonly stackReferencesRead: string[];
}

export interface RunOptions {
    /** Namespaced config keys with plain values, applied over the stack file. */
    readonly overrides?: Record<string, unknown>;
    /** Where each override came from, named in problems of its value. Default: `--config`. */
    readonly overrideSources?: OverrideSources;
    /** Environment the program sees while it runs (KUBECONFIG, for example). Restored afterwards. */
    readonly env?: Record<string, string | undefined>;
    /** Run as a preview (pulumi preview) rather than an update. Default: false. */
    readonly preview?: boolean;
    /** The program's folder. Default: this project. */
    readonly dir?: string;
    /** Outputs of the stacks the program reads through StackReference, by stack name. */
    readonly stackReferences?: Record<string, StackReferenceOutputs>;
}

/**
 * Runs the program once for `stack`, in its own folder as the working folder, as the Pulumi CLI runs it.
 * Runs one at a time: the Pulumi runtime and the working folder are process-wide. Every problem of the
 * settings is reported at once, in a SettingsError: those of the values as written (types, encrypted
 * values, unknown keys), and those the program itself finds, the program run with what it can run with.
 */
export async function runProgramOffline(stack: string, options: RunOptions = {}): Promise<ProgramRun> {
    const overrides = options.overrides ?? {};
    const { config, problems } = readStackConfig(options.dir ?? PROJECT_DIR, stack, overrides);
    const locate = locator(config, overrides, options.overrideSources ?? {});
    const refused = (found: readonly SettingProblem[]) => {
        // A key already refused as written is not named again for what the program made of it.
        const keys = new Set(problems.map((p) => qualifiedKey(config.project, p.key)));
        const later = found.filter((p) => !keys.has(qualifiedKey(config.project, p.key)));
        return settingsError(stack, [...problems, ...later], locate);
    };
    const run = await runWith(stack, config, options).catch((err: unknown) => {
        // The program's own settings error (settings/stackSettings.ts StackSettingsError), as data.
        const found = (err as { settingProblems?: readonly SettingProblem[] }).settingProblems;
        if (found !== undefined) {
            throw refused(found);
        }
        // The program could not run with the values as refused: those problems are the ones to fix first.
        throw problems.length > 0 ? refused([]) : err;
    });
    if (problems.length > 0) {
        throw refused([]);
    }
    return run;
}

async function runWith(stack: string, config: StackConfig, options: RunOptions): Promise<ProgramRun> {
    const dir = options.dir ?? PROJECT_DIR;
    return withEnv(options.env ?? {}, () =>
        inFolder(dir, () =>
            failingOnUnhandledRejection(async () => {
                const cluster = await installOfflineCluster(
                    config.project,
                    stack,
                    options.preview ?? false,
                    options.stackReferences,
                    dir,
                );
                pulumi.runtime.setAllConfig(config.values, config.secretKeys);
                const entry = programEntry(dir);
                forgetProjectModules(dir);
                const exported = (await import(entry)) as Record<string, unknown>;
                const outputs: Record<string, ExportedValue> = {};
                // Every export is a stack output, a plain value too (Outputs inside it resolved), as the
                // Node.js language host registers them; functions and classes are not serializable.
                for (const [key, value] of Object.entries(exported)) {
                    if (typeof value !== "function" && value !== undefined) {
                        outputs[key] = await settle(pulumi.output(value));
                    }
                }
                return {
                    config,
                    resources: await cluster.settled(),
                    outputs,
                    stackReferencesRead: cluster.stackReferencesRead,
                };
            }),
        ),
    );
}

/**
 * Runs `fn` with `dir` as the working folder, restoring the previous one afterwards. The Pulumi CLI runs a
 * program in its own folder, so its relative paths (fs.readFileSync("x.yaml"), a v1 ConfigFile's `file`)
 * start there.
 */
async function inFolder<T>(dir: string, fn: () => Promise<T>): Promise<T> {
    const previous = process.cwd();
    process.chdir(dir);
    try {
        return await fn();
    } finally {
        process.chdir(previous);
    }
}

/**
 * Runs `fn`, failing with the first promise rejection nobody handled while it ran, as Pulumi's Node.js
 * language host fails a program with one ("Running program ... failed with an unhandled exception").
 * Without this a program's un-awaited invoke that fails would crash the command with a stack trace.
 */
async function failingOnUnhandledRejection<T>(fn: () => Promise<T>): Promise<T> {
    const rejections: unknown[] = [];
    const record = (reason: unknown) => rejections.push(reason);
    process.on("unhandledRejection", record);
    try {
        const result = await fn();
        if (rejections.length > 0) {
            const reason = rejections[0];
            throw new Error(
                `the program failed with an unhandled rejection: ${reason instanceof Error ? reason.message : String(reason)}`,
            );
        }
        return result;
    } finally {
        process.off("unhandledRejection", record);
    }
}

/**
 * The module the Pulumi CLI would run for the program in `dir`: Pulumi.yaml's `main` (a file, or a folder
 * resolved as Node resolves it), else the folder itself. This project runs from its TypeScript sources
 * (index.ts), which `npm run build` turns into the bin/index.js its Pulumi.yaml names.
 */
export function programEntry(dir: string): string {
    if (path.resolve(dir) === PROJECT_DIR) {
        return require.resolve(path.join(dir, "index.ts"));
    }
    const main = readProjectFile(dir).main;
    return require.resolve(path.resolve(dir, main ?? "."));
}

/** Reads an Output's value, secretness and knownness. */
export async function settle<T>(output: pulumi.Output<T>): Promise<ExportedValue> {
    // apply() never runs its callback for a value unknown in a preview, so read the Output's internals.
    const internal = output as unknown as {
        isKnown: Promise<boolean>;
        isSecret: Promise<boolean>;
        promise: (withUnknowns?: boolean) => Promise<T>;
    };
    const known = await internal.isKnown;
    return { value: known ? await internal.promise() : undefined, secret: await internal.isSecret, known };
}

// The program and the component are modules; each run must evaluate them afresh.
function forgetProjectModules(dir: string): void {
    for (const key of Object.keys(require.cache)) {
        if (key.startsWith(dir + path.sep) && !key.includes(`${path.sep}node_modules${path.sep}`)) {
            const rel = path.relative(dir, key);
            if (!rel.startsWith("offline") && !rel.startsWith("tests")) {
                delete require.cache[key];
            }
        }
    }
}

/** Runs `fn` with these environment variables set (undefined unsets one), restoring them afterwards. */
export async function withEnv<T>(vars: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
    const saved = swapEnv(vars);
    try {
        return await fn();
    } finally {
        swapEnv(saved);
    }
}

function swapEnv(values: Record<string, string | undefined>): Record<string, string | undefined> {
    const previous: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(values)) {
        previous[k] = process.env[k];
        if (v === undefined) {
            delete process.env[k];
        } else {
            process.env[k] = v;
        }
    }
    return previous;
}
