// Which binding subjects stand for a namespace's default ServiceAccount, directly or through a group.
import { splitServiceAccountUser } from "../../rbac/serviceAccountUser";
import { isKnown, Maybe, stringField, UNKNOWN } from "./kubernetes";

/** What a subject means for the default-account rule. */
export type SubjectVerdict =
    | { readonly verdict: "clear" }
    /** The subject is, or includes, default accounts; `namespaces` is "all" or the namespaces concerned. */
    | {
          readonly verdict: "default";
          readonly subject: string;
          readonly namespaces: "all" | Maybe<string | undefined>[];
      }
    /** Kind or name is unknown during preview, so the subject cannot be proven not to be a default account. */
    | { readonly verdict: "unknown"; readonly subject: string; readonly missing: string };

const SA_GROUP = /^system:serviceaccounts:([^:]+)$/;

/**
 * Judges one subject of a binding. In a RoleBinding, a ServiceAccount subject without a namespace means
 * the binding's own namespace. A subject whose namespace alone is unknown is judged on its name.
 */
export function judgeSubject(
    subject: Maybe<unknown>,
    bindingKind: string,
    bindingNamespace: Maybe<string | undefined>,
): SubjectVerdict {
    if (!isKnown(subject)) {
        return { verdict: "unknown", subject: "not known", missing: "kind or name" };
    }
    const kind = stringField(subject, "kind");
    const name = stringField(subject, "name");
    if (!isKnown(kind) || !isKnown(name)) {
        const shown = `${isKnown(kind) ? (kind ?? "(no kind)") : "(unknown kind)"} ${isKnown(name) ? `"${name}"` : "(unknown name)"}`;
        return { verdict: "unknown", subject: shown, missing: !isKnown(kind) ? "kind" : "name" };
    }
    if (kind === "ServiceAccount" && name === "default") {
        const ns = stringField(subject, "namespace");
        let effective: Maybe<string | undefined>;
        if (!isKnown(ns)) {
            effective = UNKNOWN;
        } else if (ns) {
            effective = ns;
        } else {
            effective = bindingKind === "RoleBinding" ? bindingNamespace : undefined;
        }
        const where = isKnown(effective) ? (effective ?? "(no namespace)") : "(namespace not yet known)";
        return {
            verdict: "default",
            subject: `ServiceAccount "default" in namespace "${where}"`,
            namespaces: [effective],
        };
    }
    if (kind === "User") {
        const user = splitServiceAccountUser(name ?? "");
        if (user?.name === "default") {
            return { verdict: "default", subject: `User "${name}"`, namespaces: [user.namespace] };
        }
    }
    if (kind === "Group") {
        if (name === "system:serviceaccounts" || name === "system:authenticated") {
            return { verdict: "default", subject: `Group "${name}"`, namespaces: "all" };
        }
        const m = SA_GROUP.exec(name ?? "");
        if (m) {
            return { verdict: "default", subject: `Group "${name}"`, namespaces: [m[1]] };
        }
    }
    return { verdict: "clear" };
}

/** True when every namespace a verdict concerns is known and on the allow-list. */
export function exempt(namespaces: "all" | Maybe<string | undefined>[], allowed: string[]): boolean {
    return (
        namespaces !== "all" &&
        namespaces.length > 0 &&
        namespaces.every((ns) => isKnown(ns) && ns !== undefined && allowed.includes(ns))
    );
}
