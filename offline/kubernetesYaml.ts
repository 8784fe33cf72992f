// What the Kubernetes provider does with YAML and Helm when a program runs offline: yaml/v2 ConfigGroup and
// ConfigFile are expanded into the objects their YAML holds (the provider would register them as
// children), the v1 SDK's `kubernetes:yaml:decode` invoke parses YAML, and Helm, which needs the chart
// and the helm engine, is recorded as not planned instead of crashing the run.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { kubernetesTypeOf } from "../rbac/kubernetesType";
import type { RecordedResource } from "./mocks";

/**
 * Types whose objects the provider renders from something an offline run does not have (a chart and the
 * helm engine, a kustomization and kustomize): neither planned nor judged. Remote components of any
 * provider are not planned either (notPlannedReason), except the yaml/v2 components expanded here.
 */
const NOT_PLANNED_TYPES: Record<string, string> = {
    "kubernetes:helm.sh/v3:Release": "a Helm release is rendered by the provider from the chart",
    "kubernetes:helm.sh/v4:Chart": "a Helm chart is rendered by the provider from the chart",
    "kubernetes:helm.sh/v3:Chart": "a Helm chart is rendered by helm template from the chart",
    "kubernetes:kustomize:Directory": "a kustomization is built by the provider's kustomize",
    "kubernetes:kustomize/v2:Directory": "a kustomization is built by the provider's kustomize",
};

/** The yaml/v2 components, which the provider constructs and this run expands itself. */
const YAML_COMPONENTS = ["kubernetes:yaml/v2:ConfigGroup", "kubernetes:yaml/v2:ConfigFile"];

/** Invokes whose objects only the provider can render; answered with no objects (their component is not planned). */
const RENDERING_INVOKES = ["kubernetes:helm:template", "kubernetes:kustomize:directory"];

/**
 * Why the objects of a recorded resource are neither planned nor policy-checked offline, or undefined when
 * they are: the types above, and any other component a provider constructs (`remote`), whose children
 * only that provider, which an offline run does not start, could register.
 */
export function notPlannedReason(r: Pick<RecordedResource, "type" | "remote">): string | undefined {
    if (r.type in NOT_PLANNED_TYPES) {
        return NOT_PLANNED_TYPES[r.type];
    }
    if (r.remote && !YAML_COMPONENTS.includes(r.type)) {
        return `a component that its provider (${r.type.split(":")[0]}) constructs, which an offline run does not start`;
    }
    return undefined;
}

/** Every object in YAML text (documents separated by ---), skipping empty documents. */
export function objectsInYaml(text: string, source: string): Record<string, unknown>[] {
    return YAML.parseAllDocuments(text).flatMap((doc) => {
        if (doc.errors.length > 0) {
            const at = doc.errors[0].linePos?.[0];
            throw new Error(`${source}${at ? `:${at.line}` : ""}: ${doc.errors[0].message.split("\n")[0]}`);
        }
        const value = doc.toJS() as unknown;
        const items =
            value && typeof value === "object" && (value as { kind?: string }).kind?.endsWith("List")
                ? ((value as { items?: unknown[] }).items ?? [])
                : [value];
        return items.filter((o): o is Record<string, unknown> => o !== null && typeof o === "object");
    });
}

/** A child the provider would register for a yaml/v2 component. */
export interface ExpandedObject {
    readonly type: string;
    readonly name: string;
    readonly inputs: Record<string, unknown>;
}

/**
 * The objects of a `kubernetes:yaml/v2:ConfigGroup` or `ConfigFile` from its inputs (`yaml`, `objs`,
 * `files`, `file`; paths relative to `dir`), named `<prefix>:<namespace>/<name>` as the provider names
 * them (pulumi-kubernetes provider/pkg/provider/yaml/v2). Undefined for other types.
 */
export function expandYamlComponent(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    dir: string,
): ExpandedObject[] | undefined {
    if (!YAML_COMPONENTS.includes(type)) {
        return undefined;
    }
    const objects: Record<string, unknown>[] = [];
    const read = (file: string, glob: boolean) => {
        if (/^https?:\/\//.test(file)) {
            throw new Error(
                `${type} ${name}: ${file} is a URL, which an offline plan cannot fetch; use a local file`,
            );
        }
        for (const found of glob && isGlobPattern(file) ? matches(file, dir) : [path.resolve(dir, file)]) {
            if (!fs.existsSync(found)) {
                throw new Error(
                    `${type} ${name}: the YAML file "${file}" does not exist (looked for ${found}; relative ` +
                        "paths start at the program's folder). Fix the path in the program",
                );
            }
            objects.push(...objectsInYaml(fs.readFileSync(found, "utf8"), file));
        }
    };
    const asList = (v: unknown): unknown[] =>
        v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v];
    // The provider expands globs in a ConfigGroup's files, not in a ConfigFile's file.
    asList(inputs.file).forEach((f) => read(String(f), false));
    asList(inputs.files).forEach((f) => read(String(f), true));
    asList(inputs.yaml).forEach((y) => objects.push(...objectsInYaml(String(y), `${name} (yaml)`)));
    asList(inputs.objs).forEach((o) => objects.push(o as Record<string, unknown>));
    const prefix = typeof inputs.resourcePrefix === "string" ? inputs.resourcePrefix : name;
    return objects.map((o) => {
        const metadata = (o.metadata ?? {}) as { name?: string; namespace?: string };
        const { apiVersion, kind, ...rest } = o as { apiVersion?: string; kind?: string };
        return {
            type: kubernetesTypeOf(String(apiVersion), String(kind)),
            name: `${prefix}:${metadata.namespace ? `${metadata.namespace}/` : ""}${metadata.name ?? ""}`,
            inputs: { apiVersion, kind, ...rest },
        };
    });
}

/**
 * True for a path with an unescaped `*`, `?` or `[`, which the provider expands as a glob, with Go's
 * filepath.Glob (pulumi-kubernetes provider/pkg/provider/yaml/v2, isGlobPattern); other paths are read as
 * they are.
 */
function isGlobPattern(file: string): boolean {
    return /(^|[^\\])[*?[]/.test(file);
}

/**
 * The files a glob matches, relative to `dir`, sorted as filepath.Glob returns them; none is no error, as
 * for the provider. Node's fs.globSync (built in since Node.js 22) matches as filepath.Glob does, except
 * that `**` also crosses folders, where Go reads it as `*`.
 */
function matches(pattern: string, dir: string): string[] {
    return fs
        .globSync(pattern, { cwd: dir })
        .map((f) => path.resolve(dir, f))
        .sort();
}

/** Answers the invokes the Kubernetes SDK makes for YAML, Helm and kustomize, or undefined for any other. */
export function kubernetesInvoke(
    token: string,
    args: Record<string, unknown>,
): Record<string, unknown> | undefined {
    if (token === "kubernetes:yaml:decode") {
        return { result: objectsInYaml(typeof args.text === "string" ? args.text : "", "yaml") };
    }
    if (RENDERING_INVOKES.includes(token)) {
        // Not rendered offline: no objects, and the component that asked is listed as not planned.
        return { result: [] };
    }
    return undefined;
}

/** The children the provider would register for a recorded yaml/v2 component (none for other types). */
export function expandedChildren(parent: RecordedResource, dir: string): RecordedResource[] {
    const objects = expandYamlComponent(parent.type, parent.name, parent.inputs, dir) ?? [];
    const parentType = parent.urn.split("::")[2];
    const urnBase = parent.urn.split("::").slice(0, 2).join("::");
    return objects.map((o) => ({
        type: o.type,
        name: o.name,
        urn: `${urnBase}::${parentType}$${o.type}::${o.name}`,
        parent: parent.urn,
        custom: true,
        provider: parent.provider,
        inputs: o.inputs,
        secretInputs: [],
        dependencies: [],
        propertyDependencies: {},
        replaceOnChanges: [],
        deleteBeforeReplace: false,
        replaceWith: [],
        customTimeouts: {},
    }));
}
