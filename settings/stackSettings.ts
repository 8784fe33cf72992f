// The program's settings as the user wrote them: which keys exist, the file and line of each, and errors
// that name the stack key (kube-api-access:rules[0].verbs), not the component's argument. The program
// (index.ts, under `pulumi up`) and the offline tools (offline/stackConfig.ts) check settings through here.
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { Problem, show } from "../components/problems";
import { isConfigSecret } from "../components/sdkInternals";
import { didYouMean, suggestion } from "../components/suggest";
import {
    asSettingProblems,
    fileKey,
    formatSettingProblem,
    inStackFile,
    Locate,
    SettingProblem,
} from "./problems";
import { SECRET_PLACEHOLDER } from "./placeholders";
import { unknownProviderKeys } from "./providerKeys";
import { SettingsError, YamlFile } from "./yamlFile";

export { SettingsError, YamlFile };
export type { SettingProblem };

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

/** Namespaces besides the project's that a stack of this program sets (its providers', Pulumi's own). */
const KNOWN_NAMESPACES = ["kubernetes", "vault", "pulumi"];

/**
 * Keys in a misspelt namespace (`kube-api-acess:access`, `kubernets:context`): the CLI hands them over
 * and nothing reads them, so the setting is silently lost. One problem each, with the file, line and
 * the key as meant.
 */
function misspeltNamespaces(project: ProjectFile, values: Record<string, unknown>): SettingProblem[] {
    const known = [project.name, ...KNOWN_NAMESPACES];
    return Object.keys(values).flatMap((key) => {
        const namespace = key.slice(0, key.indexOf(":"));
        const meant = known.includes(namespace) ? undefined : didYouMean(namespace, known);
        if (meant === undefined) {
            return [];
        }
        const rest = key.slice(namespace.length + 1);
        return [
            {
                key,
                value: values[key],
                why: `no provider or program reads the namespace ${JSON.stringify(namespace)}, so the setting would be ignored; did you mean ${meant}:${rest}?`,
                fix: "Correct the namespace or remove the key",
            },
        ];
    });
}

/**
 * Keys the project does not have (a typo the program would otherwise ignore, using the default): in the
 * project's namespace, or in a misspelt one. `values` maps each key to the value written. One problem
 * each, with the value and the closest real name.
 */
export function undeclaredKeys(project: ProjectFile, values: Record<string, unknown>): SettingProblem[] {
    const names = settingNames(project);
    const keys = Object.keys(values);
    const misspelt = misspeltNamespaces(project, values).concat(unknownProviderKeys(values));
    return keys
        .filter((k) => k.startsWith(`${project.name}:`) && !names.includes(k.slice(project.name.length + 1)))
        .map((key): SettingProblem => {
            const short = key.slice(project.name.length + 1);
            return {
                key,
                value: values[key],
                why: `not a setting of ${project.name}${suggestion(short, names, (n) => `${project.name}:${n}`)}`,
                fix: `Correct or remove it (the settings are ${names.join(", ")}; README, Configuration)`,
            };
        })
        .concat(misspelt);
}

/** Keys of a stack file (pulumi/pulumi sdk/go/common/workspace/project.go, ProjectStack). */
const STACK_FILE_KEYS = ["config", "secretsprovider", "encryptedkey", "encryptionsalt", "environment"];

const isSet = (value: unknown): boolean => value !== null && value !== undefined;
const isMapping = (value: unknown): boolean =>
    typeof value === "object" && value !== null && !Array.isArray(value);

/**
 * Whether the stack file's shape hides its settings from a reader: the file, or its `config:`, is not a
 * mapping. Other problems of stackFileProblems leave every setting readable.
 */
export function settingsHidden(stackFile: YamlFile | undefined): boolean {
    const top = stackFile?.value;
    if (!isSet(top)) {
        return false;
    }
    if (!isMapping(top)) {
        return true;
    }
    const config = (top as { config?: unknown }).config;
    return isSet(config) && !isMapping(config);
}

/**
 * Problems with the stack file's own shape, each with its line: a top-level key Pulumi does not read
 * (`confg:`), a `config` that is not a mapping, and one setting written twice, namespaced and bare
 * (`kube-api-access:access` and `access`: which one wins is not what the user meant). Each has its `at`.
 */
export function stackFileProblems(project: ProjectFile, stackFile: YamlFile | undefined): SettingProblem[] {
    const top = stackFile?.value;
    if (!stackFile || !isSet(top)) {
        return [];
    }
    if (!isMapping(top)) {
        return [
            {
                key: fileKey(stackFile),
                at: [],
                value: top,
                why: "a stack file is a mapping",
                fix: "Write config: with the settings under it",
            },
        ];
    }
    const problems = Object.entries(top as Record<string, unknown>)
        // A key that only holds an anchor (`base: &b`) for merge keys elsewhere is the user's, unless misspelt.
        .filter(
            ([key]) =>
                !STACK_FILE_KEYS.includes(key) &&
                (!stackFile.anchored(key) || didYouMean(key, STACK_FILE_KEYS) !== undefined),
        )
        .map(([key]): SettingProblem =>
            // A setting (namespaced, or one of this program's) at the top level: the file lacks config:.
            key.includes(":") || key in (project.config ?? {})
                ? {
                      key,
                      at: [key],
                      why: "a setting written at the top level, where Pulumi does not read settings",
                      fix: `Put it under config:, indented below it, such as   config:\n    ${qualifiedKey(project.name, key)}: ...`,
                  }
                : {
                      key,
                      at: [key],
                      why: `not a key of a stack file, so Pulumi would not read what is under it${suggestion(key, STACK_FILE_KEYS)}`,
                      fix: `The keys are ${STACK_FILE_KEYS.join(", ")}`,
                  },
        );
    const config = (top as { config?: unknown }).config;
    if (!isSet(config)) {
        return problems;
    }
    if (!isMapping(config)) {
        return problems.concat({
            key: "config",
            at: ["config"],
            value: config,
            why: "it must be a mapping of settings (key: value), one per line",
            fix: `Write config:, then each setting indented below it, such as   ${project.name}:namespace: my-namespace`,
        });
    }
    const seen = new Map<string, string>();
    for (const [key, value] of Object.entries(config as Record<string, unknown>)) {
        const full = qualifiedKey(project.name, key);
        const first = seen.get(full);
        if (first !== undefined) {
            const line = stackFile.line(["config", first]);
            problems.push({
                key,
                at: ["config", key],
                value,
                why: `the same setting as ${first} ${show((config as Record<string, unknown>)[first])}${line ? ` at line ${line}` : ""}; the CLI would keep one of them in silence`,
                fix: "Keep one of the two lines",
            });
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

/** The heading of every settings error: nothing is created when the settings are wrong. */
export function settingsHeading(stack: string): string {
    return `stack ${stack} has invalid settings; nothing was created:`;
}

/** Whether the CLI handed `key` (namespaced) over as a secret (`pulumi config set --secret`). */
export function isSecretSetting(key: string): boolean {
    return isConfigSecret(key);
}

/**
 * A stack's settings refused, the problems as data: a pulumi.RunError, which the CLI prints without a stack
 * trace, its message the problems in the one format at the stack file's lines. An offline run shows the
 * same `settingProblems` at the places its values came from (--config).
 */
export class StackSettingsError extends pulumi.RunError {
    constructor(
        readonly stack: string,
        readonly settingProblems: readonly SettingProblem[],
        locate: Locate,
    ) {
        super(
            new SettingsError(
                settingsHeading(stack),
                settingProblems.map((p) => formatSettingProblem(p, locate)),
            ).message,
        );
    }
}

/** The value of a setting as problems show it: a secret is named, never shown (errors end up in CI logs). */
const shownValue = (key: string, value: unknown): unknown =>
    isSecretSetting(key) ? SECRET_PLACEHOLDER : value;

/**
 * For the program under `pulumi up`: the problems of the settings the CLI handed over (`values`:
 * pulumi.runtime.allConfig()) that the program reads itself: keys this project does not have, a stack
 * file of the wrong shape.
 */
export function unknownSettings(values: Record<string, string>): SettingProblem[] {
    const project = readProjectFile(PROJECT_DIR);
    const shown = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, shownValue(k, v)]));
    return [
        ...stackFileProblems(project, readStackFile(PROJECT_DIR, project, pulumi.getStack())),
        ...undeclaredKeys(project, shown),
    ];
}

/**
 * Throws, when there are any, every problem of the program's settings together, each at its stack file's
 * line: `settings`, the program's own (unknownSettings), and `problems`, the component's argument
 * problems and the program's own checks in the same paths (`["args", "exportToken"]`), whose component
 * name is the setting `nameSetting`.
 */
export function refuseSettings(
    stack: string,
    settings: readonly SettingProblem[],
    problems: readonly Problem[],
    nameSetting: string,
): void {
    const project = readProjectFile(PROJECT_DIR);
    const all = [...settings, ...asSettingProblems(problems, project.name, nameSetting, shownValue)];
    if (all.length > 0) {
        throw new StackSettingsError(
            stack,
            all,
            inStackFile(readStackFile(PROJECT_DIR, project, stack), project.name),
        );
    }
}

/**
 * Runs `build`, the component's construction, turning its argument errors into the stack's keys, files
 * and lines (component name: the setting `nameSetting`).
 */
export function inStackSettings<T>(stack: string, nameSetting: string, build: () => T): T {
    try {
        return build();
    } catch (err) {
        const details = (err as { details?: unknown }).details;
        if ((err as Error).name !== "ApiServiceAccountArgsError" || !Array.isArray(details)) {
            throw err;
        }
        refuseSettings(stack, [], details as Problem[], nameSetting);
        throw err;
    }
}
