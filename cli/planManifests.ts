// The manifests an offline plan writes: one file per Kubernetes API object, apply-ready, in creation
// order, with every secret input replaced by a marker and preview unknowns marked. Anything that is not
// a Kubernetes API object (Vault resources, Helm releases, the provider's YAML components) gets no file.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import type { RecordedResource } from "../offline/mocks";
import { isKubernetesObject } from "../offline/kubernetesYaml";
import type { PlanOutput } from "./planOutput";

export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly file?: string;
}

/** The manifests' folder inside the output folder. */
export const MANIFESTS = "manifests";
const KIND_ORDER = [
    "Namespace",
    "ServiceAccount",
    "Secret",
    "ClusterRole",
    "Role",
    "ClusterRoleBinding",
    "RoleBinding",
];

/** Writes one manifest per Kubernetes resource, ready for `kubectl apply --dry-run=server -f <dir>`. */
export function writeManifests(recorded: RecordedResource[], output: PlanOutput): PlannedResource[] {
    const kinds = (r: RecordedResource) => {
        const i = KIND_ORDER.indexOf(r.type.split(":")[2]);
        return i < 0 ? KIND_ORDER.length : i;
    };
    const ordered = recorded
        .filter((r) => r.custom)
        .sort((a, b) => kinds(a) - kinds(b) || a.name.localeCompare(b.name));
    let written = 0;
    return ordered.map((r) => {
        const [, groupVersion, kind] = r.type.split(":");
        if (!isKubernetesObject(r.type)) {
            return { type: r.type, name: r.name };
        }
        const [group, version] = groupVersion.split("/");
        const manifest = {
            apiVersion: group === "core" ? version : `${group}/${version}`,
            kind,
            ...redact(r.inputs, r.secretInputs),
        };
        const file = `${String(++written).padStart(2, "0")}-${kind.toLowerCase()}-${r.name.replace(/[^A-Za-z0-9._-]+/g, "-")}.yaml`;
        output.write(path.join(MANIFESTS, file), `# ${r.type} ${r.name}\n${YAML.stringify(manifest)}`);
        return { type: r.type, name: r.name, file };
    });
}

/**
 * Replaces every secret input with a marker, so no secret reaches a file, and marks preview unknowns.
 * Paths are compared whole, as recorded: keys may hold dots (annotation names).
 */
export function redact(inputs: Record<string, unknown>, secretPaths: string[]): Record<string, unknown> {
    const secrets = new Set(secretPaths);
    const walk = (value: unknown, at: string): unknown => {
        if (secrets.has(at)) {
            return "[secret]";
        }
        if (value === pulumi.runtime.unknownValue) {
            return "(known after apply)";
        }
        if (Array.isArray(value)) {
            return value.map((v, i) => walk(v, `${at}[${i}]`));
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(
                Object.entries(value).map(([k, v]) => [k, walk(v, at ? `${at}.${k}` : k)]),
            );
        }
        return value;
    };
    return walk(inputs, "") as Record<string, unknown>;
}
