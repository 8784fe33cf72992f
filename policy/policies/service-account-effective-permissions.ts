// Stack policy: follows each binding's roleRef to the role defined in the same stack and works out, per
// ServiceAccount, what it is granted. With `report` it prints that; with an allow-list, more is a violation.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
    isBindingKind,
    isKnown,
    isRoleKind,
    objectsOf,
    rbacKind,
    read,
    stringField,
} from "../lib/kubernetes";
import { allowedBy, permissionsOf, rulesOf } from "../lib/rules";

export interface EffectivePermissionsConfig {
    /** Report every ServiceAccount's effective permissions as an advisory finding. Default: false. */
    report?: boolean;
    /**
     * Allowed permissions per subject (`system:serviceaccount:<ns>:<name>`, or `*` for every account), in
     * kubectl auth can-i's words: `get pods`, `list deployments.apps`, `get /metrics`, `* *.apps`.
     * Default: none (no limit).
     */
    allowedPermissions?: Record<string, string[]>;
}

interface Grant {
    readonly permissions: string[];
    readonly scope: string;
    readonly via: string;
    /** Set when the rules could not be read (role outside the stack, or unknown during preview). */
    readonly unresolved?: string;
}

const SA_USER = /^system:serviceaccount:([^:]+):([^:]+)$/;

export const serviceAccountEffectivePermissions: StackValidationPolicy = {
    name: "service-account-effective-permissions",
    description:
        "Works out what each ServiceAccount is granted through the bindings and roles of the stack; reports it, and flags more than an allow-list permits.",
    configSchema: {
        properties: {
            report: {
                type: "boolean",
                default: false,
                description: "Report each ServiceAccount's effective permissions as an advisory finding.",
            },
            allowedPermissions: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string" } },
                default: {},
                description:
                    'Per subject ("system:serviceaccount:<ns>:<name>" or "*"), the permissions allowed, as "<verb> <resource>[.<group>]" or "<verb> /<url>".',
            },
        },
    },
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<EffectivePermissionsConfig>();
        const allowList = config.allowedPermissions ?? {};
        const grants = effectiveGrants(args.resources);
        for (const [subject, list] of [...grants.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            if (config.report) {
                reportViolation(`${subject} is granted: ${summarize(list)}`);
            }
            const allowed = allowList[subject] ?? allowList["*"];
            if (allowed === undefined) {
                continue;
            }
            const unresolved = list.filter((g) => g.unresolved);
            for (const g of unresolved) {
                reportViolation(
                    `${subject}: ${g.via} ${g.unresolved}, so the allow-list cannot be checked for it. Define the role in this stack with rules known at preview.`,
                );
            }
            const excess = list.flatMap((g) =>
                g.permissions
                    .filter((p) => !allowedBy(p, allowed))
                    .map((p) => `${p} ${g.scope} (via ${g.via})`),
            );
            if (excess.length > 0) {
                reportViolation(
                    `${subject} is granted more than allowedPermissions allows: ${excess.join("; ")}. Remove those rules, or add them to the allow-list if they are needed.`,
                );
            }
        }
    },
    remediationSteps:
        "Narrow the role's rules to what the consumer uses, or widen allowedPermissions on purpose.",
};

/** Per ServiceAccount subject, what each binding of the stack grants it. */
export function effectiveGrants(resources: PolicyResource[]): Map<string, Grant[]> {
    const roles = new Map<string, Record<string, unknown>>();
    const bindings: { kind: string; obj: Record<string, unknown>; name: string }[] = [];
    for (const r of resources) {
        const kind = rbacKind(r.type);
        if (!kind || r.type.endsWith("Patch")) {
            continue;
        }
        const objects = objectsOf(r.type, r.props);
        for (const obj of isKnown(objects) ? objects : []) {
            if (isRoleKind(kind)) {
                const name = stringField(obj, "metadata", "name");
                const ns = stringField(obj, "metadata", "namespace");
                if (isKnown(name) && isKnown(ns) && name) {
                    roles.set(roleKey(kind, kind === "Role" ? ns : undefined, name), obj);
                }
            } else if (isBindingKind(kind)) {
                bindings.push({ kind, obj, name: r.name });
            }
        }
    }

    const out = new Map<string, Grant[]>();
    for (const { kind, obj, name } of bindings) {
        const ns = stringField(obj, "metadata", "namespace");
        const bindingName = stringField(obj, "metadata", "name");
        const via = `${kind} "${isKnown(ns) && ns ? `${ns}/` : ""}${isKnown(bindingName) && bindingName ? bindingName : name}"`;
        const scope =
            kind === "ClusterRoleBinding"
                ? "cluster-wide"
                : `in namespace ${isKnown(ns) ? ns : "(not yet known)"}`;
        const refKind = stringField(obj, "roleRef", "kind");
        const refName = stringField(obj, "roleRef", "name");
        let grant: Grant;
        if (!isKnown(refKind) || !isKnown(refName) || !refKind || !refName) {
            grant = {
                permissions: [],
                scope,
                via,
                unresolved: "refers to a role not known during this preview",
            };
        } else {
            const role = roles.get(
                roleKey(refKind, refKind === "Role" && isKnown(ns) ? ns : undefined, refName),
            );
            const rules = role ? rulesOf(role) : undefined;
            if (!role) {
                grant = {
                    permissions: [],
                    scope,
                    via,
                    unresolved: `refers to ${refKind} "${refName}", which this stack does not define`,
                };
            } else if (!isKnown(rules!) || rules.unknown.length > 0) {
                grant = {
                    permissions: [],
                    scope,
                    via,
                    unresolved: `refers to ${refKind} "${refName}", whose rules are not known during this preview`,
                };
            } else {
                grant = { permissions: rules.rules.flatMap(permissionsOf), scope, via };
            }
        }
        const subjects = read(() => obj.subjects as unknown[] | undefined);
        for (const s of isKnown(subjects) && Array.isArray(subjects) ? [...subjects] : []) {
            const subject = serviceAccountOf(s, kind, ns);
            if (subject) {
                out.set(subject, [...(out.get(subject) ?? []), grant]);
            }
        }
    }
    return out;
}

function roleKey(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${namespace ?? ""}/${name}`;
}

function serviceAccountOf(subject: unknown, bindingKind: string, bindingNs: unknown): string | undefined {
    const kind = stringField(subject, "kind");
    const name = stringField(subject, "name");
    if (!isKnown(kind) || !isKnown(name) || !name) {
        return undefined;
    }
    if (kind === "ServiceAccount") {
        const ns = stringField(subject, "namespace");
        const effective =
            isKnown(ns) && ns
                ? ns
                : bindingKind === "RoleBinding" && typeof bindingNs === "string"
                  ? bindingNs
                  : "?";
        return `system:serviceaccount:${effective}:${name}`;
    }
    return kind === "User" && SA_USER.test(name) ? name : undefined;
}

function summarize(grants: Grant[]): string {
    return grants
        .map((g) =>
            g.unresolved
                ? `${g.scope}: (${g.via} ${g.unresolved})`
                : `${g.scope} via ${g.via}: ${g.permissions.length > 0 ? g.permissions.join(", ") : "nothing"}`,
        )
        .join("; ");
}
