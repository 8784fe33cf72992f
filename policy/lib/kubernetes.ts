// Reading Kubernetes resources as the policy SDK hands them over: type tokens of every API version and
// of the Patch and List variants, and property reads that turn preview unknowns into a value to judge.
import { UnknownValueError } from "@pulumi/policy";
import { isKnown, type Maybe, UNKNOWN } from "../../rbac/maybe";
import { RBAC_GROUP } from "../../rbac/evaluator";
import { parseKubernetesType } from "../../rbac/kubernetesType";

export { isKnown, RBAC_GROUP, UNKNOWN };
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

/** The RBAC kind of a type token in any version and variant, or undefined. */
export function rbacKind(
    type: string,
): "Role" | "ClusterRole" | "RoleBinding" | "ClusterRoleBinding" | undefined {
    const t = parseKubernetesType(type);
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

/**
 * The elements of an array field, each read on its own so that one unknown element is seen as UNKNOWN
 * instead of making the whole array unknown. UNKNOWN when the array itself is; [] when absent.
 */
export function elementsOf(obj: unknown, ...path: string[]): Maybe<Maybe<unknown>[]> {
    const array = fieldAt(obj, ...path);
    if (!isKnown(array)) {
        return UNKNOWN;
    }
    if (!Array.isArray(array)) {
        return [];
    }
    const length = read(() => array.length);
    if (!isKnown(length)) {
        return UNKNOWN;
    }
    return Array.from({ length }, (_, i) => read(() => array[i] as unknown));
}

/**
 * The objects a resource holds: itself, or the items of a List, each UNKNOWN when not known during a
 * preview. UNKNOWN when the list of items itself is unknown.
 */
export function objectsOf(
    type: string,
    props: Record<string, unknown>,
): Maybe<Maybe<Record<string, unknown>>[]> {
    if (parseKubernetesType(type)?.variant !== "List") {
        return [props];
    }
    return elementsOf(props, "items") as Maybe<Maybe<Record<string, unknown>>[]>;
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

/** The value at a path of own properties, UNKNOWN during preview, undefined when absent. */
export function fieldAt(obj: unknown, ...path: string[]): Maybe<unknown> {
    return read(() => {
        let cur: unknown = obj;
        for (const key of path) {
            // Own properties only: a name such as "constructor" must not find Object.prototype's.
            if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) {
                return undefined;
            }
            cur = (cur as Record<string, unknown>)[key];
        }
        return cur;
    });
}

/** A string field of an object, UNKNOWN during preview, undefined when absent or not a string. */
export function stringField(obj: unknown, ...path: string[]): Maybe<string | undefined> {
    const value = fieldAt(obj, ...path);
    return isKnown(value) && typeof value !== "string" ? undefined : value;
}

/** A map of strings (labels, matchLabels); UNKNOWN when it or any value is; non-strings are dropped. */
export function stringMapOf(obj: unknown, ...path: string[]): Maybe<Record<string, string>> {
    const map = fieldAt(obj, ...path);
    if (!isKnown(map)) {
        return UNKNOWN;
    }
    const out: Record<string, string> = {};
    for (const key of map !== null && typeof map === "object" ? Object.keys(map) : []) {
        const value = stringField(map, key);
        if (!isKnown(value)) {
            return UNKNOWN;
        }
        if (value !== undefined) {
            out[key] = value;
        }
    }
    return out;
}

/** `ClusterRole "name"` for the role a binding refers to. */
export function describeRoleRef(binding: Record<string, unknown>): string {
    const kind = stringField(binding, "roleRef", "kind");
    const name = stringField(binding, "roleRef", "name");
    return `${isKnown(kind) ? (kind ?? "role") : "role"} "${isKnown(name) ? (name ?? "?") : "(not yet known)"}"`;
}
