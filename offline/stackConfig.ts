// Reads a stack's configuration the way the Pulumi CLI hands it to the program: the defaults declared in
// Pulumi.yaml, overlaid by Pulumi.<stack>.yaml, keys namespaced, values as strings (objects as JSON).
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

interface Declaration {
    type?: "string" | "integer" | "boolean" | "array";
    default?: unknown;
    description?: string;
    secret?: boolean;
}

export interface ProjectFile {
    name: string;
    config?: Record<string, Declaration | string | number | boolean>;
}

/** The program's configuration for one stack, in the CLI's wire form. */
export interface StackConfig {
    readonly project: string;
    readonly stack: string;
    readonly values: Record<string, string>;
    readonly secretKeys: string[];
}

export function readProjectFile(dir: string): ProjectFile {
    return YAML.parse(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as ProjectFile;
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
 * values) applied last. Throws, naming the key, where the CLI would refuse the stack.
 */
export function loadStackConfig(
    dir: string,
    stack: string,
    overrides: Record<string, unknown> = {},
): StackConfig {
    const project = readProjectFile(dir);
    const stackFile = path.join(dir, `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        throw new Error(`no stack file ${stackFile}; stacks here: ${listStacks(dir).join(", ") || "none"}`);
    }
    const stackConfig = (
        (YAML.parse(fs.readFileSync(stackFile, "utf8")) ?? {}) as { config?: Record<string, unknown> }
    ).config;
    const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);

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
    for (const [key, value] of Object.entries({ ...(stackConfig ?? {}), ...overrides })) {
        if (value !== null && typeof value === "object" && "secure" in value) {
            throw new Error(
                `${key} is encrypted ("secure"); an offline run cannot decrypt it. Override it in clear`,
            );
        }
        raw[qualify(key)] = value;
    }
    for (const [key, decl] of Object.entries(declared)) {
        const value = raw[key];
        if (value === undefined) {
            throw new Error(
                `stack ${stack} is missing required configuration value ${key} (declared in Pulumi.yaml)`,
            );
        }
        checkType(key, decl, value);
        if (decl.secret) {
            secretKeys.push(key);
        }
    }
    const values = Object.fromEntries(
        Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
    return { project: project.name, stack, values, secretKeys };
}

function checkType(key: string, decl: Declaration, value: unknown): void {
    const ok =
        decl.type === undefined ||
        (decl.type === "string" && typeof value === "string") ||
        (decl.type === "integer" && Number.isInteger(typeof value === "string" ? Number(value) : value)) ||
        (decl.type === "boolean" && (typeof value === "boolean" || value === "true" || value === "false")) ||
        (decl.type === "array" && Array.isArray(value));
    if (!ok) {
        throw new Error(
            `configuration value ${key} must be of type ${decl.type}, not ${JSON.stringify(value)}`,
        );
    }
}
