// The manifests an offline plan writes: one file per Kubernetes API object, apply-ready, in creation
// order, with every secret input replaced by a marker, every Secret's data and stringData values replaced by
// placeholders (its keys kept), and preview unknowns marked. A `*Patch` resource
// is a partial object pulumi up applies with server-side apply: it goes to patches/, apart, never among
// the whole objects. Anything that is not a Kubernetes API object (Vault resources, Helm releases, the
// provider's YAML components) gets no file.
import * as path from "path";
import * as YAML from "yaml";
import { AUTONAMED_ANNOTATION, RecordedResource } from "../../offline/mocks";
import { apiVersionOf, manifestKindOf, parseKubernetesType } from "../../rbac/kubernetesType";
import type { PlanOutput } from "./output";
import { redact, redactSecretObjects } from "./redact";

export interface PlannedResource {
    readonly type: string;
    /** The Pulumi resource name (the last part of its URN), not the object's name in the cluster. */
    readonly name: string;
    /**
     * A Kubernetes object as the cluster will hold it: kind, namespace (none for a cluster-scoped object or
     * one that names none) and metadata.name. `autoNamed`: the program gave no name, so pulumi up makes
     * one (Pulumi name, a dash, 8 random hex digits); the one shown is made up by plan.
     */
    readonly object?: {
        readonly kind: string;
        readonly namespace?: string;
        readonly name: string;
        readonly autoNamed?: boolean;
    };
    /** Its file, relative to the manifests' folder, or to the patches' folder for a patch. */
    readonly file?: string;
    /** A `*Patch` resource: server-side apply of a partial object to an existing one. */
    readonly patch?: boolean;
}

/** The manifests' folder inside the output folder. */
export const MANIFESTS = "manifests";
/** The patches' folder inside the output folder, apart from the whole objects. */
export const PATCHES = "patches";

/**
 * How plan writes YAML, in manifests and in the report: a multi-line string (a Vault policy's HCL) as a
 * literal block, line for line as written, and long lines never folded.
 */
export const YAML_OPTIONS: YAML.ToStringOptions = { blockQuote: "literal", lineWidth: 0 };

const KIND_ORDER = [
    "Namespace",
    "ServiceAccount",
    "Secret",
    "ClusterRole",
    "Role",
    "ClusterRoleBinding",
    "RoleBinding",
];

const PATCH_NOTE =
    "# A PATCH, not a whole object: pulumi up applies these fields to an existing object with server-side\n" +
    "# apply (its own field manager). kubectl apply -f of this file alone would not do the same.\n";

const AUTONAME_NOTE = (name: string) =>
    `# metadata.name is MADE UP by plan: the program names no object, so pulumi up names it ${name}-<8 random hex\n` +
    "# digits> (the Kubernetes provider's auto-naming); this one is stable across plans, not the one it will get.\n";

/**
 * Writes one manifest per Kubernetes resource, ready for `kubectl apply --dry-run=server -f <dir>`, and
 * each patch in the patches' folder, with a note saying what it is.
 */
export function writeManifests(
    recorded: RecordedResource[],
    output: PlanOutput,
    madeUp: readonly { what: string; value: string }[] = [],
): PlannedResource[] {
    const kinds = (r: RecordedResource) => {
        const t = parseKubernetesType(r.type);
        const i = t ? KIND_ORDER.indexOf(manifestKindOf(t)) : -1;
        return i < 0 ? KIND_ORDER.length : i;
    };
    const ordered = recorded
        .filter((r) => r.custom)
        .sort((a, b) => kinds(a) - kinds(b) || a.name.localeCompare(b.name));
    const written = { [MANIFESTS]: 0, [PATCHES]: 0 };
    return ordered.map((r) => {
        const t = parseKubernetesType(r.type);
        if (!t) {
            return { type: r.type, name: r.name };
        }
        const kind = manifestKindOf(t);
        const apiVersion = apiVersionOf(t);
        // A Secret keeps each key of data/stringData with a placeholder value, even where the whole field
        // is a Pulumi secret; any Secret nested deeper is redacted the same way.
        const keys = redactSecretObjects({ kind, data: r.inputs.data, stringData: r.inputs.stringData });
        const manifest: Record<string, unknown> = redactSecretObjects({
            apiVersion,
            kind,
            ...redact(r.inputs, r.secretInputs),
            ...(kind === "Secret"
                ? Object.fromEntries(
                      (["data", "stringData"] as const)
                          .filter((f) => keys[f] !== undefined)
                          .map((f) => [f, keys[f]]),
                  )
                : {}),
        });
        const patch = t.variant === "Patch";
        // Named by withAutoNames as pulumi up would name it: the name shown is made up.
        const autoNamed =
            (r.inputs.metadata as { annotations?: Record<string, unknown> } | undefined)?.annotations?.[
                AUTONAMED_ANNOTATION
            ] === "true";
        const metadata = manifest.metadata as { name?: unknown; generateName?: unknown; namespace?: unknown };
        const object = {
            kind,
            ...(typeof metadata.namespace === "string" ? { namespace: metadata.namespace } : {}),
            name:
                typeof metadata.name === "string"
                    ? metadata.name
                    : typeof metadata.generateName === "string"
                      ? metadata.generateName
                      : "",
            ...(autoNamed ? { autoNamed } : {}),
        };
        const folder = patch ? PATCHES : MANIFESTS;
        const file = `${String(++written[folder]).padStart(2, "0")}-${kind.toLowerCase()}-${r.name.replace(/[^A-Za-z0-9._-]+/g, "-")}.yaml`;
        const body = YAML.stringify(manifest, YAML_OPTIONS);
        const made = madeUp
            .filter((m) => body.includes(m.value))
            .map(
                (m) =>
                    `# ${m.what} ${m.value} is MADE UP by plan (no kubeconfig): pulumi up uses the real one\n`,
            )
            .join("");
        output.write(
            path.join(folder, file),
            `# ${r.type} ${r.name}\n${patch ? PATCH_NOTE : ""}${autoNamed ? AUTONAME_NOTE(r.name) : ""}${made}${body}`,
        );
        const planned = { type: r.type, name: r.name, object, file };
        return patch ? { ...planned, patch } : planned;
    });
}
