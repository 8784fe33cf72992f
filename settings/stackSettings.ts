// The program's settings as the user wrote them: which keys exist, the file and line of each, and errors
// that name the stack key (kube-api-access:rules[0].verbs), not the component's argument. The program
// (index.ts, under `pulumi up`) and the offline tools (offline/stackConfig.ts) check settings through here.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { problem, sentence, show } from "../components/problems";
import { isConfigSecret } from "../components/sdkInternals";
import { didYouMean, suggestion } from "../components/suggest";
import { unknownProviderKeys } from "./providerKeys";
import { SettingsError, YamlFile, YamlPath } from "./yamlFile";

export { SettingsError, YamlFile };

/** Keys Pulumi.yaml cannot declare (object types), so the program knows them itself. */
export const STRUCTURED_KEYS = ["rules", "vault"] as const;

/** A project-config declaration in Pulumi.yaml. */
export interface Declaration {
    type?: "string" | "integer" | "boolean" | "array";
    default?: unknown;
    description?: string;
    secret?: boolean;
}

export interface ProjectFile {
    name: string;
    main?: string;
    stackConfigDir?: string;
    config?: Record<string, Declaration | string | number | boolean>;
}

/** Pulumi.yaml of the program in `dir`. */
export function readProjectFile(dir: string): ProjectFile {
    return YamlFile.read(path.join(dir, "Pulumi.yaml")).value as ProjectFile;
}

/** The stack's settings file, or undefined when the stack keeps them elsewhere (Pulumi Cloud, ESC). */
export function readStackFile(dir: string, project: ProjectFile, stack: string): YamlFile | undefined {
    const file = path.join(dir, project.stackConfigDir ?? "", `Pulumi.${stack}.yaml`);
    return fs.existsSync(file) ? YamlFile.read(file) : undefined;
}

/** The folder of this project's Pulumi.yaml (this file is settings/stackSettings.ts, or its build in bin/). */
export const PROJECT_DIR = ((up) => (path.basename(up) === "bin" ? path.dirname(up) : up))(
    path.resolve(__dirname, ".."),
);

/** Every setting of the project, short names: Pulumi.yaml's declarations and the structured keys. */
export function settingNames(project: ProjectFile): string[] {
    return [...Object.keys(project.config ?? {}), ...STRUCTURED_KEYS];
}

/** A stack file's key as the CLI hands it over: written bare (`access`), it is the project's own. */
export const qualifiedKey = (project: string, key: string): string =>
    key.includes(":") ? key : `${project}:${key}`;

/** Where a stack key sits in the stack file: keys are written namespaced, or bare for the project's own. */
function whereKey(file: YamlFile | undefined, project: string, key: string, rest: YamlPath = []): string {
    if (!file) {
        return "";
    }
    const bare = key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
    return (
        file.where(["config", `${project}:${bare}`, ...rest], 2) || file.where(["config", bare, ...rest], 2)
    );
}

/** Namespaces besides the project's that a stack of this program sets (its providers', Pulumi's own). */
const KNOWN_NAMESPACES = ["kubernetes", "vault", "pulumi"];

/**
 * Keys in a misspelt namespace (`kube-api-acess:access`, `kubernets:context`): the CLI hands them over
 * and nothing reads them, so the setting is silently lost. One problem each, with the file, line and
 * the key as meant.
 */
function misspeltNamespaces(
    project: ProjectFile,
    values: Record<string, unknown>,
    stackFile?: YamlFile,
): string[] {
    const known = [project.name, ...KNOWN_NAMESPACES];
    return Object.keys(values).flatMap((key) => {
        const namespace = key.slice(0, key.indexOf(":"));
        const meant = known.includes(namespace) ? undefined : didYouMean(namespace, known);
        if (meant === undefined) {
            return [];
        }
        const rest = key.slice(namespace.length + 1);
        return [
            whereKey(stackFile, project.name, key) +
                problem(
                    key,
                    values[key],
                    `no provider or program reads the namespace ${JSON.stringify(namespace)}, so the setting would be ignored; did you mean ${meant}:${rest}?`,
                    "Correct the namespace or remove the key",
                ),
        ];
    });
}

/**
 * Keys the project does not have (a typo the program would otherwise ignore, using the default): in the
 * project's namespace, or in a misspelt one. `values` maps each key to the value written. One problem
 * each, with the file, line, the value and the closest real name.
 */
export function undeclaredKeys(
    project: ProjectFile,
    values: Record<string, unknown>,
    stackFile?: YamlFile,
): string[] {
    const names = settingNames(project);
    const keys = Object.keys(values);
    const misspelt = misspeltNamespaces(project, values, stackFile).concat(
        unknownProviderKeys(values, (key) => whereKey(stackFile, project.name, key)),
    );
    return keys
        .filter((k) => k.startsWith(`${project.name}:`) && !names.includes(k.slice(project.name.length + 1)))
        .map((key) => {
            const short = key.slice(project.name.length + 1);
            return (
                whereKey(stackFile, project.name, key) +
                problem(
                    key,
                    values[key],
                    `not a setting of ${project.name}${suggestion(short, names, (n) => `${project.name}:${n}`)}`,
                    `Correct or remove it (the settings are ${names.join(", ")}; README, Configuration)`,
                )
            );
        })
        .concat(misspelt);
}

/** Keys of a stack file (pulumi/pulumi sdk/go/common/workspace/project.go, ProjectStack). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

/**
 * Problems with the stack file's own shape, each with its line: a top-level key Pulumi does not read
 * (`confg:`), a `config` that is not a mapping, and one setting written twice, namespaced and bare
 * (`kube-api-access:access` and `access`: which one wins is not what the user meant).
 */
export function stackFileProblems(project: ProjectFile, stackFile: YamlFile | undefined): string[] {
    const top = stackFile?.value;
    if (!stackFile || top === null || top === undefined) {
        return [];
    }
    if (typeof top !== "object" || Array.isArray(top)) {
        return [
            `${stackFile.where([])}${problem(path.basename(stackFile.file), top, "a stack file is a mapping", "Write config: with the settings under it")}`,
        ];
    }
    const problems = Object.entries(top as Record<string, unknown>)
        // A key that only holds an anchor (`base: &b`) for merge keys elsewhere is the user's, unless misspelt.
        .filter(
            ([key]) =>
                !STACK_FILE_KEYS.includes(key) &&
                (!stackFile.anchored(key) || didYouMean(key, STACK_FILE_KEYS) !== undefined),
        )
        .map(([key]) =>
            // A setting (namespaced, or one of this program's) at the top level: the file lacks config:.
            key.includes(":") || key in (project.config ?? {})
                ? `${stackFile.where([key])}${key}: a setting written at the top level, where Pulumi does not read ` +
                  `settings. Put it under config:, indented below it, such as   config:\n    ${key.includes(":") ? key : `${project.name}:${key}`}: ...`
                : `${stackFile.where([key])}${key}: ` +
                  `${sentence(`not a key of a stack file, so Pulumi would not read what is under it${suggestion(key, STACK_FILE_KEYS)}`)} ` +
                  `The keys are ${STACK_FILE_KEYS.join(", ")}.`,
        );
    const config = (top as { config?: unknown }).config;
    if (config === null || config === undefined) {
        return problems;
    }
    if (typeof config !== "object" || Array.isArray(config)) {
        return problems.concat(
            stackFile.where(["config"]) +
                problem(
                    "config",
                    config,
                    "it must be a mapping of settings (key: value), one per line",
                    `Write config:, then each setting indented below it, such as   ${project.name}:namespace: my-namespace`,
                ),
        );
    }
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        const full = qualifiedKey(project.name, key);
        const first = seen.get(full);
        if (first !== undefined) {
            const line = stackFile.line(["config", first]);
            problems.push(
                stackFile.where(["config", key]) +
                    problem(
                        key,
                        value,
                        `the same setting as ${first} ${show((config as Record<string, unknown>)[first])}${line ? ` at line ${line}` : ""}; the CLI would keep one of them in silence`,
                        "Keep one of the two lines",
                    ),
            );
        } else {
            seen.set(full, key);
        }
    }
    return problems;
}

/**
 * For the program: a structured setting (rules, vault) as the CLI hands it over, JSON for an object or a
 * list, parsed; a plain value that is not JSON (`vault: kv`) is returned as it is, so that the component's
 * check names it with the fix rather than the SDK's "not a valid JSON object" (config.getObject).
 */
export function structuredSetting(config: pulumi.Config, key: (typeof STRUCTURED_KEYS)[number]): unknown {
    const text = config.get(key);
    if (text === undefined) {
        return undefined;
    }
    try {
        return JSON.parse(text) as unknown;
    } catch {
        return text;
    }
}

/**
 * The component's argument problems (`args.rules[0].verbs ["*"]: ...`) in the stack's terms: every
 * `args.<name>` becomes the stack key `<project>:<name>`, and each problem starts with its file and line.
 */
export function inStackTerms(problems: string[], project: string, stackFile?: YamlFile): string[] {
    return problems.map((problem) => {
        const lead = /^args\.([A-Za-z]+)((?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)/.exec(problem);
        const rest: YamlPath = lead
            ? [...lead[2].matchAll(/\.([A-Za-z_][A-Za-z0-9_]*)|\[(\d+)\]/g)].map((m) =>
                  m[1] !== undefined ? m[1] : Number(m[2]),
              )
            : [];
        const where = lead ? whereKey(stackFile, project, lead[1], rest) : "";
        return where + problem.replace(/\bargs\.([A-Za-z]+)/g, `${project}:$1`);
    });
}

/** The heading of every settings error: nothing is created when the settings are wrong. */
export function settingsHeading(stack: string): string {
    return `stack ${stack} has invalid settings; nothing was created:`;
}

/** Whether the CLI handed `key` (namespaced) over as a secret (`pulumi config set --secret`). */
export function isSecretSetting(key: string): boolean {
    return isConfigSecret(key);
}

/**
 * For the program under `pulumi up`: refuses keys of this project that do not exist in the settings the
 * CLI handed over (`values`: pulumi.runtime.allConfig()), and a stack file of the wrong shape, naming the stack file and line. Throws a
 * pulumi.RunError, which the CLI prints without a stack trace.
 */
export function refuseUnknownSettings(stack: string, values: Record<string, string>): void {
    const project = readProjectFile(PROJECT_DIR);
    const stackFile = readStackFile(PROJECT_DIR, project, stack);
    // A secret is named, never shown: errors end up in CI logs.
    const shown = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, isSecretSetting(k) ? "[secret]" : v]),
    );
    const problems = [...stackFileProblems(project, stackFile), ...undeclaredKeys(project, shown, stackFile)];
    if (problems.length > 0) {
        raise(stack, problems);
    }
}

/** Throws `lines` under the settings heading as a pulumi.RunError, which the CLI prints without a stack trace. */
function raise(stack: string, lines: string[]): never {
    throw new pulumi.RunError(new SettingsError(settingsHeading(stack), lines).message);
}

/** The problems in the stack's terms, with the stack file of the program's stack for positions. */
function inThisStack(stack: string, problems: string[]): string[] {
    const project = readProjectFile(PROJECT_DIR);
    return inStackTerms(problems, project.name, readStackFile(PROJECT_DIR, project, stack));
}

/**
 * Throws, when there are any, every problem of the settings together, as stack keys with file and line:
 * `problems` of settings the program reads itself (not through the component), each in the component's
 * format with the setting's short name first (`exportToken "yes": not one of its values. Use ...`), and the
 * component's own `argsProblems` (`args.access "x": ...`).
 */
export function refuseSettings(stack: string, problems: string[], argsProblems: string[] = []): void {
    if (problems.length + argsProblems.length > 0) {
        raise(stack, inThisStack(stack, [...problems.map((p) => `args.${p}`), ...argsProblems]));
    }
}

/** Runs `build`, turning the component's argument errors into the stack's keys, files and lines. */
export function inStackSettings<T>(stack: string, build: () => T): T {
    try {
        return build();
    } catch (err) {
        const problems = (err as { problems?: unknown }).problems;
        if ((err as Error).name !== "ApiServiceAccountArgsError" || !Array.isArray(problems)) {
            throw err;
        }
        raise(stack, inThisStack(stack, problems as string[]));
    }
}
