// Reading Kubernetes resources as the policy SDK hands them over: type tokens of every API version and
// of the Patch and List variants, and property reads that turn preview unknowns into a value to judge.
import { UnknownValueError } from "@pulumi/policy";
import { isKnown, type Maybe, UNKNOWN } from "./maybe";

export { isKnown, UNKNOWN };
export type { Maybe };

/** Reads through the SDK's unknown-checking proxy; an unknown becomes UNKNOWN instead of an exception. */
export function read<T>(get: () => T): Maybe<T> {
    try {
        return get();
    } catch (err) {
        if (err instanceof UnknownValueError || (err as Error)?.name === "UnknownValueError") {
            return UNKNOWN;
        }
        throw err;
    }
}

/** A Kubernetes provider type token, e.g. `kubernetes:rbac.authorization.k8s.io/v1:RoleBindingPatch`. */
export interface KubeType {
    readonly group: string;
    readonly version: string;
    readonly kind: string;
    readonly variant: "" | "Patch" | "List";
}

const TYPE_TOKEN = /^kubernetes:([^/:]+)\/([^:]+):([A-Za-z0-9]+?)(Patch|List)?$/;

export function parseType(type: string): KubeType | undefined {
    const m = TYPE_TOKEN.exec(type);
    if (!m) {
        return undefined;
    }
    return { group: m[1], version: m[2], kind: m[3], variant: (m[4] ?? "") as KubeType["variant"] };
}

export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** The RBAC kind of a type token in any version and variant, or undefined. */
export function rbacKind(
    type: string,
): "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" | undefined {
    const t = parseType(type);
    if (t?.group !== RBAC_GROUP) {
        return undefined;
    }
    return ["Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"].includes(t.kind)
        ? (t.kind as "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding")
        : undefined;
}

export const isBindingKind = (kind: string | undefined) =>
    kind === "RoleBinding" || kind === "ClusterRoleBinding";
export const isRoleKind = (kind: string | undefined) => kind === "Role" || kind === "ClusterRole";

/** The objects a resource holds: itself, or the items of a List. UNKNOWN when the items are unknown. */
export function objectsOf(type: string, props: Record<string, unknown>): Maybe<Record<string, unknown>[]> {
    if (parseType(type)?.variant !== "List") {
        return [props];
    }
    const items = read(() => props.items as Record<string, unknown>[] | undefined);
    if (!isKnown(items)) {
        return UNKNOWN;
    }
    return Array.isArray(items) ? [...items] : [];
}

/** `Kind "namespace/name"` for messages; unknown or missing parts are said so. */
export function describe(kind: string, obj: Record<string, unknown>, fallbackName: string): string {
    const meta = read(() => obj.metadata as { name?: string; namespace?: string } | undefined);
    const name = isKnown(meta) ? read(() => meta?.name) : UNKNOWN;
    const ns = isKnown(meta) ? read(() => meta?.namespace) : UNKNOWN;
    const shownName = isKnown(name) && name ? name : `${fallbackName} (name not yet known)`;
    const shownNs = isKnown(ns) ? (ns ? `${ns}/` : "") : "(namespace not yet known)/";
    return `${kind} "${shownNs}${shownName}"`;
}

/** A string field of an object, UNKNOWN during preview, undefined when absent or not a string. */
export function stringField(obj: unknown, ...path: string[]): Maybe<string | undefined> {
    return read(() => {
        let cur: unknown = obj;
        for (const key of path) {
            if (cur === null || typeof cur !== "object") {
                return undefined;
            }
            cur = (cur as Record<string, unknown>)[key];
        }
        return typeof cur === "string" ? cur : undefined;
    });
}

/** `ClusterRole "name"` for the role a binding refers to. */
export function describeRoleRef(binding: Record<string, unknown>): string {
    const kind = stringField(binding, "roleRef", "kind");
    const name = stringField(binding, "roleRef", "name");
    return `${isKnown(kind) ? (kind ?? "role") : "role"} "${isKnown(name) ? (name ?? "?") : "(not yet known)"}"`;
}
