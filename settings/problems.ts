// Problems of a stack's settings as data (the key, where its value came from, the value, why, the fix),
// formatted in one place: `Pulumi.dev.yaml:6: kube-api-access:access "x": unknown access preset. Use ...`.
// The component's argument problems become these through their path, never by rewriting their text.
import * as path from "path";
import { argsTerms, FieldPath, formatProblem, Problem, sentence, Terms } from "../components/problems";
import type { YamlFile, YamlPath } from "./yamlFile";

/** One problem of a stack's settings. */
export interface SettingProblem {
    /** The key as the CLI hands it over (`kube-api-access:rules`), or a key of the stack file itself (`confg`). */
    readonly key: string;
    /** Where inside the key's value: `[0, "verbs"]` for `kube-api-access:rules[0].verbs`. */
    readonly path?: YamlPath;
    /** Where in the stack file, when it is not the key under `config:` (a top-level key, the file itself). */
    readonly at?: YamlPath;
    /** The value; a problem without one is about the key as such (`confg: not a key of a stack file`). */
    readonly value?: unknown;
    /** Where the value came from when the key is not set (the server of a kubeconfig). */
    readonly origin?: string;
    /** The key is not set and nothing stands in for it. */
    readonly unset?: boolean;
    readonly why: string;
    readonly fix: string;
}

/** `file:line: `, `--config: ` or "": where the value a problem names was written. */
export type Locate = (problem: SettingProblem) => string;

/** `kube-api-access:rules[0].verbs`: a key and the path inside its value. */
export const keyPath = (key: string, inner: YamlPath = []): string => key + argsTerms(["", ...inner]);

/** The one format of a settings problem, its position first. */
export function formatSettingProblem(p: SettingProblem, locate: Locate = () => ""): string {
    const field = keyPath(p.key, p.path);
    const body =
        !("value" in p) && p.origin === undefined && !p.unset
            ? `${field}: ${sentence(p.why)} ${sentence(p.fix)}`
            : formatProblem({ ...p, value: p.value, path: [field] }, ([f]) => String(f));
    return locate(p) + body;
}

/** A namespaced key written bare in the stack file (`access`) or namespaced (`kube-api-access:access`). */
function bareKey(project: string, key: string): string {
    return key.startsWith(`${project}:`) ? key.slice(project.length + 1) : key;
}

/**
 * Where each problem sits in the stack file of `project`, `file:line: `: its `at`, else the key under
 * `config:` (written namespaced or bare) and the path inside it; "" where the file does not hold it.
 */
export function inStackFile(file: YamlFile | undefined, project: string): Locate {
    return (p) => {
        if (!file) {
            return "";
        }
        if (p.at) {
            return file.where(p.at);
        }
        const rest = p.path ?? [];
        return (
            file.where(["config", `${project}:${bareKey(project, p.key)}`, ...rest], 2) ||
            file.where(["config", bareKey(project, p.key), ...rest], 2)
        );
    };
}

/**
 * The component's argument problems as the program's settings: `args.<key>...` is the stack key
 * `<project>:<key>`, the component's name is the setting `nameSetting` it was taken from, and so is a
 * field the component filled from its name. `shown` hides a secret setting's value.
 */
export function asSettingProblems(
    problems: readonly Problem[],
    project: string,
    nameSetting: string,
    shown: (key: string, value: unknown) => unknown = (_, v) => v,
): SettingProblem[] {
    const setting = (p: FieldPath): { key: string; path: YamlPath } => {
        const [first, second, ...rest] = p;
        if (first === "args" && typeof second === "string") {
            return { key: `${project}:${second}`, path: rest };
        }
        if (first === "name") {
            return { key: `${project}:${nameSetting}`, path: [] };
        }
        return { key: argsTerms(p), path: [] };
    };
    const term: Terms = (p) => {
        const { key, path: inner } = setting(p);
        return keyPath(key, inner);
    };
    return problems.map((p) => {
        const { key, path: inner } = setting(p.path);
        const words = (w: Problem["why"]) => (typeof w === "string" ? w : w(term));
        return {
            key,
            path: inner,
            ...(p.unset ? { unset: true } : { value: shown(key, p.value) }),
            ...(p.origin !== undefined ? { origin: p.origin } : {}),
            why: words(p.why),
            fix: words(p.fix),
        };
    });
}

/** The stack file's base name for a problem about the file as a whole. */
export const fileKey = (file: YamlFile): string => path.basename(file.file);
