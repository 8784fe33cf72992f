// Reads a stack's configuration the way the Pulumi CLI hands it to the program: the defaults declared in
// Pulumi.yaml, overlaid by Pulumi.<stack>.yaml, keys namespaced, values as strings (objects as JSON).
// Checked as the program checks it (settings/stackSettings.ts), every problem with its file and line.
import * as fs from "fs";
import * as path from "path";
import {
    Declaration,
    PROJECT_DIR,
    qualifiedKey,
    readProjectFile,
    readStackFile,
    settingsHeading,
    SettingsError,
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

/**
 * Builds the configuration for `stack` from files in `dir`, with `overrides` (namespaced keys, plain
 * values) applied last; an override of a `secure:` value supplies it in clear and keeps it secret.
 * Throws a SettingsError listing every problem where the CLI or the program would refuse the stack.
 */
export function loadStackConfig(
    dir: string,
    stack: string,
    overrides: Record<string, unknown> = {},
): StackConfig {
    const project = readProjectFile(dir);
    const stackFile = readStackFile(dir, project, stack);
    if (!stackFile) {
        throw new Error(
            `no stack file ${path.join(dir, project.stackConfigDir ?? "", `Pulumi.${stack}.yaml`)}; stacks here: ${listStacks(dir).join(", ") || "none"}`,
        );
    }
    const shape = stackFileProblems(project, stackFile);
    if (shape.length > 0) {
        throw new SettingsError(settingsHeading(stack), shape);
    }
    const stackConfig = ((stackFile.value ?? {}) as { config?: Record<string, unknown> }).config ?? {};
    const qualify = (key: string) => qualifiedKey(project.name, key);
    const problems: string[] = [];

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
        const where = stackFile.where(["config", key]);
        if (value !== null && typeof value === "object" && "secure" in value) {
            secretKeys.push(qualify(key));
            if (!(qualify(key) in given)) {
                problems.push(
                    `${where}${qualify(key)} is encrypted ("secure:"); an offline run cannot decrypt it. Give its ` +
                        `value in clear for this run: --config ${qualify(key)}=VALUE (it stays secret in the run)`,
                );
            }
        }
        raw[qualify(key)] = value;
    }
    Object.assign(raw, given);
    // Only this program's keys are known here; another program (plan --dir) may read any key.
    if (path.resolve(dir) === PROJECT_DIR) {
        problems.push(...undeclaredKeys(project, raw, stackFile));
    }
    for (const [key, decl] of Object.entries(declared)) {
        const value = raw[key];
        const where = stackFile.where(["config", key], 2);
        if (value === undefined) {
            problems.push(
                `${key} is required and not set. Set it: pulumi config set ${key} <value> -s ${stack}`,
            );
        } else if (!(secretKeys.includes(key) && !(key in given)) && !hasType(decl, value)) {
            // An encrypted value is not checked here: it has its own problem above, and the CLI checks it.
            problems.push(
                `${where}${key} ${JSON.stringify(value)}: it must be of type ${decl.type} (declared in Pulumi.yaml). ` +
                    typeFix(decl),
            );
        }
        if (decl.secret) {
            secretKeys.push(key);
        }
    }
    if (problems.length > 0) {
        throw new SettingsError(settingsHeading(stack), problems);
    }
    const values = Object.fromEntries(
        // An empty value (`key:`) reaches the program as "", as the CLI hands it over (with a warning).
        Object.entries(raw).map(([k, v]) => [
            k,
            typeof v === "string" ? v : v === null ? "" : JSON.stringify(v),
        ]),
    );
    return { project: project.name, stack, values, secretKeys: [...new Set(secretKeys)], stackFile };
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
