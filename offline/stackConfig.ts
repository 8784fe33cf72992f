// Reads a stack's configuration the way the Pulumi CLI hands it to the program: the defaults declared in
// Pulumi.yaml, overlaid by Pulumi.<stack>.yaml, keys namespaced, values as strings (objects as JSON).
// Checked as the program checks it (settings/stackSettings.ts), every problem with its file and line.
import * as fs from "fs";
import * as path from "path";
import { formatSettingProblem, inStackFile, Locate, SettingProblem } from "../settings/problems";
import {
    Declaration,
    PROJECT_DIR,
    qualifiedKey,
    readProjectFile,
    readStackFile,
    settingsHeading,
    SettingsError,
    settingsHidden,
    stackFileProblems,
    undeclaredKeys,
    YamlFile,
} from "../settings/stackSettings";

export { readProjectFile };

/** The program's configuration for one stack, in the CLI's wire form. */
export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    readonly values: Record<string, string>;
    readonly secretKeys: string[];
    /** The stack file, for positions; undefined when the stack has none. */
    readonly stackFile?: YamlFile;
}

/** Every stack that has a Pulumi.<stack>.yaml in `dir`. */
export function listStacks(dir: string): string[] {
    return fs
        .readdirSync(dir)
        .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
        .filter((s): s is string => s !== undefined)
        .sort();
}

/** Where each override came from, as problems name it: `--config` unless `sources` says otherwise. */
export type OverrideSources = Record<string, string>;

/**
 * Builds the configuration for `stack` from files in `dir`, with `overrides` (namespaced keys, plain
 * values) applied last; an override of a `secure:` value supplies it in clear and keeps it secret.
 * Throws a SettingsError listing every problem where the CLI or the program would refuse the stack.
 */
export function loadStackConfig(
    dir: string,
    stack: string,
    overrides: Record<string, unknown> = {},
    sources: OverrideSources = {},
): StackConfig {
    const { config, problems } = readStackConfig(dir, stack, overrides);
    if (problems.length > 0) {
        throw settingsError(stack, problems, locator(config, overrides, sources));
    }
    return config;
}

/** Every problem at its place: an override's source (`--config: `), else its stack file line. */
export function locator(
    config: StackConfig,
    overrides: Record<string, unknown>,
    sources: OverrideSources,
): Locate {
    const inFile = inStackFile(config.stackFile, config.project);
    const given = new Set(Object.keys(overrides).map((k) => qualifiedKey(config.project, k)));
    return (p) =>
        p.at === undefined && given.has(qualifiedKey(config.project, p.key))
            ? `${sources[qualifiedKey(config.project, p.key)] ?? "--config"}: `
            : inFile(p);
}

/** The settings error listing `problems`, each at its place. */
export function settingsError(
    stack: string,
    problems: readonly SettingProblem[],
    locate: Locate,
): SettingsError {
    return new SettingsError(
        settingsHeading(stack),
        problems.map((p) => formatSettingProblem(p, locate)),
    );
}

/**
 * `loadStackConfig` without throwing on the problems of values: the configuration the program can still
 * run with (a value of the wrong type replaced by its declared default, or left out) and every problem
 * the CLI or the program would refuse the stack for, the stack file's shape included. A stack file whose
 * shape hides its settings (settingsHidden) still throws.
 */
export function readStackConfig(
    dir: string,
    stack: string,
    overrides: Record<string, unknown> = {},
): { config: StackConfig; problems: SettingProblem[] } {
    const project = readProjectFile(dir);
    const stackFile = readStackFile(dir, project, stack);
    if (!stackFile) {
        throw new Error(
            `no stack file ${path.join(dir, project.stackConfigDir ?? "", `Pulumi.${stack}.yaml`)}; stacks here: ${listStacks(dir).join(", ") || "none"}`,
        );
    }
    // A shape that hides the settings stops here; any other shape problem is reported with theirs.
    const problems = stackFileProblems(project, stackFile);
    if (settingsHidden(stackFile)) {
        throw settingsError(stack, problems, inStackFile(stackFile, project.name));
    }
    const stackConfig = ((stackFile.value ?? {}) as { config?: Record<string, unknown> }).config ?? {};
    const qualify = (key: string) => qualifiedKey(project.name, key);

    const raw: Record<string, unknown> = {};
    const declared: Record<string, Declaration> = {};
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const d: Declaration = typeof decl === "object" ? decl : { default: decl };
        declared[qualify(key)] = d;
        if (d.default !== undefined) {
            raw[qualify(key)] = d.default;
        }
    }
    const secretKeys: string[] = [];
    const given = Object.fromEntries(Object.entries(overrides).map(([k, v]) => [qualify(k), v]));
    for (const [key, value] of Object.entries(stackConfig)) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            secretKeys.push(qualify(key));
            if (!(qualify(key) in given)) {
                problems.push({
                    key: qualify(key),
                    why: 'it is encrypted ("secure:"), and an offline run cannot decrypt it',
                    fix: `Give its value in clear for this run: --config ${qualify(key)}=VALUE (it stays secret in the run)`,
                });
            }
        }
        raw[qualify(key)] = value;
    }
    Object.assign(raw, given);
    // Only this program's keys are known here; another program (plan --dir) may read any key.
    if (path.resolve(dir) === PROJECT_DIR) {
        problems.push(...undeclaredKeys(project, raw));
    }
    for (const [key, decl] of Object.entries(declared)) {
        const value = raw[key];
        if (value === undefined) {
            problems.push({
                key,
                unset: true,
                why: "it is required",
                fix: `Set it: pulumi config set ${key} <value> -s ${stack}`,
            });
        } else if (!(secretKeys.includes(key) && !(key in given)) && !hasType(decl, value)) {
            // An encrypted value is not checked here: it has its own problem above, and the CLI checks it.
            problems.push({
                key,
                value,
                why: `it must be of type ${decl.type} (declared in Pulumi.yaml)`,
                fix: typeFix(decl),
            });
            // The program still runs, to find the other problems: with the default, as if the key were unset.
            if (decl.default !== undefined) {
                raw[key] = decl.default;
            }
        }
        if (decl.secret) {
            secretKeys.push(key);
        }
    }
    const values = Object.fromEntries(
        // An empty value (`key:`) reaches the program as "", as the CLI hands it over (with a warning).
        Object.entries(raw).map(([k, v]) => [
            k,
            typeof v === "string" ? v : v === null ? "" : JSON.stringify(v),
        ]),
    );
    return {
        config: { project: project.name, stack, values, secretKeys: [...new Set(secretKeys)], stackFile },
        problems,
    };
}

/** How to write a value of the declared type, with the declared default as the example where there is one. */
function typeFix(decl: Declaration): string {
    const example = (fallback: string) =>
        decl.default !== undefined && decl.default !== "" ? JSON.stringify(decl.default) : fallback;
    switch (decl.type) {
        case "boolean":
            return "Use true or false";
        case "integer":
            return `Use a whole number, such as ${example("10")}`;
        case "array":
            return 'Use a YAML list, such as ["a", "b"]';
        default:
            return `Write the value as a string, such as ${example('"text"')}`;
    }
}

function hasType(decl: Declaration, value: unknown): boolean {
    return (
        decl.type === undefined ||
        // The CLI takes any scalar for a string (`clusterName: 5` is "5"), not a list or a mapping.
        (decl.type === "string" && (value === null || typeof value !== "object")) ||
        (decl.type === "integer" && Number.isInteger(typeof value === "string" ? Number(value) : value)) ||
        (decl.type === "boolean" && (typeof value === "boolean" || value === "true" || value === "false")) ||
        (decl.type === "array" && Array.isArray(value))
    );
}
