// What each ServiceAccount of a stack is granted: each binding's roleRef followed to the stack's Role or
// ClusterRole (aggregation resolved), or to one of Kubernetes' default ClusterRoles (builtinRoles.ts), its
// rules broken down into permissions, and a Role's permissions kept only where they take effect in the
// binding's namespace. Used by the effective-permissions policy
// and by `npm run plan`.
import type { PolicyResource } from "@pulumi/policy";
import { ClusterRoleInput, effectiveClusterRoleRules } from "../../rbac/aggregation";
import { BOOTSTRAP_CLUSTER_ROLES } from "../../rbac/builtin/clusterRoles";
import { asClusterRoleInputs } from "../../rbac/builtinRoles";
import {
    elementsOf,
    isBindingKind,
    isKnown,
    Maybe,
    objectsOf,
    rbacKind,
    stringField,
    UNKNOWN,
} from "./kubernetes";
import {
    isUrlPermission,
    carriesNoName,
    Permission,
    permissionsOf,
    PolicyRule,
    BindingScope,
} from "../../rbac/evaluator";
import { clusterRoleInputOf, knownRules } from "./rules";
import { parseKubernetesType } from "../../rbac/kubernetesType";
import { inNamespace } from "../../rbac/scope";
import { serviceAccountUser, splitServiceAccountUser } from "../../rbac/serviceAccountUser";

/** What one binding gives one subject. */
export interface SubjectGrant {
    readonly scope: BindingScope;
    /** `RoleBinding "apps/reader"`. */
    readonly via: string;
    /** What takes effect where the binding applies. */
    readonly permissions: Permission[];
    /** What the role's rules name but a RoleBinding cannot grant (cluster-scoped resources, URLs). */
    readonly withoutEffect: Permission[];
    /** create or deletecollection of a resource (not a subresource) limited by resourceNames: no such request carries a name (carriesNoName). */
    readonly neverAllowed: Permission[];
    /** Set when the rules could not be worked out: why (role outside the stack, unknown during preview). */
    readonly unresolved?: string;
}

/** The key under which grants to a subject not known during a preview are collected. */
export const UNKNOWN_SUBJECT = "(a subject not known during this preview)";

/** `cluster-wide` or `in namespace apps`, for messages. */
export const describeScope = (scope: BindingScope): string =>
    scope.kind === "cluster" ? "cluster-wide" : `in namespace ${scope.namespace}`;

interface Binding {
    readonly kind: "RoleBinding" | "ClusterRoleBinding";
    readonly obj: Record<string, unknown>;
    readonly name: string;
}

/** Per ServiceAccount subject (`system:serviceaccount:<ns>:<name>`), what each binding of the stack grants it. */
export function effectiveGrants(resources: PolicyResource[]): Map<string, SubjectGrant[]> {
    const roles = new Map<string, Maybe<PolicyRule[]>>();
    const clusterRoles: ClusterRoleInput[] = [];
    const bindings: Binding[] = [];
    const unknownBindings: string[] = [];
    let someRoleUnknown = false;
    for (const r of resources) {
        const kind = rbacKind(r.type);
        // A Patch changes an object defined elsewhere, so it says nothing certain about its rules.
        if (!kind || parseKubernetesType(r.type)?.variant === "Patch") {
            continue;
        }
        const objects = objectsOf(r.type, r.props);
        const unknownList: Maybe<Record<string, unknown>>[] = [UNKNOWN];
        for (const obj of isKnown(objects) ? objects : unknownList) {
            if (!isKnown(obj)) {
                someRoleUnknown ||= kind === "Role" || kind === "ClusterRole";
                if (isBindingKind(kind)) {
                    unknownBindings.push(`${r.type} "${r.name}"`);
                }
            } else if (kind === "ClusterRole") {
                const input = clusterRoleInputOf(obj);
                someRoleUnknown ||= input === undefined;
                if (input) {
                    clusterRoles.push(input);
                }
            } else if (kind === "Role") {
                const name = stringField(obj, "metadata", "name");
                const ns = stringField(obj, "metadata", "namespace");
                if (isKnown(name) && isKnown(ns) && name && ns) {
                    roles.set(`${ns}/${name}`, knownRules(obj));
                } else {
                    someRoleUnknown = true;
                }
            } else if (isBindingKind(kind)) {
                bindings.push({ kind, obj, name: r.name });
            }
        }
    }
    // Kubernetes' default ClusterRoles, unless the stack defines one of the same name: a stack role
    // labelled aggregate-to-view extends view as the aggregation controller would.
    const defined = new Set(clusterRoles.map((c) => c.name));
    const all = [
        ...asClusterRoleInputs(BOOTSTRAP_CLUSTER_ROLES).filter((r) => !defined.has(r.name)),
        ...clusterRoles,
    ];
    const clusterRules = effectiveClusterRoleRules(all);
    const aggregated = new Set(all.filter((c) => c.selectors !== undefined).map((c) => c.name));

    // A binding not known during a preview may grant anything to anyone.
    const out = new Map<string, SubjectGrant[]>(
        unknownBindings.length > 0
            ? [
                  [
                      UNKNOWN_SUBJECT,
                      unknownBindings.map((via) => ({
                          scope: { kind: "cluster" },
                          via,
                          permissions: [],
                          withoutEffect: [],
                          neverAllowed: [],
                          unresolved: "holds a binding not known during this preview",
                      })),
                  ],
              ]
            : [],
    );
    for (const binding of bindings) {
        const grant = grantOf(binding, roles, clusterRules, aggregated, someRoleUnknown);
        const ns = stringField(binding.obj, "metadata", "namespace");
        const subjects = elementsOf(binding.obj, "subjects");
        const unknownList: Maybe<unknown>[] = [UNKNOWN];
        for (const s of isKnown(subjects) ? subjects : unknownList) {
            const subject = isKnown(s) ? serviceAccountOf(s, binding.kind, ns) : UNKNOWN_SUBJECT;
            if (subject) {
                out.set(subject, [...(out.get(subject) ?? []), grant]);
            }
        }
    }
    return out;
}

function grantOf(
    { kind, obj, name }: Binding,
    roles: Map<string, Maybe<PolicyRule[]>>,
    clusterRules: Map<string, Maybe<readonly PolicyRule[]>>,
    aggregated: Set<string>,
    someRoleUnknown: boolean,
): SubjectGrant {
    const ns = stringField(obj, "metadata", "namespace");
    const bindingName = stringField(obj, "metadata", "name");
    const via = `${kind} "${isKnown(ns) && ns ? `${ns}/` : ""}${isKnown(bindingName) && bindingName ? bindingName : name}"`;
    let scope: BindingScope = { kind: "cluster" };
    const unresolved = (why: string): SubjectGrant => ({
        scope,
        via,
        permissions: [],
        withoutEffect: [],
        neverAllowed: [],
        unresolved: why,
    });
    if (kind === "RoleBinding") {
        if (!isKnown(ns) || !ns) {
            return unresolved(
                isKnown(ns)
                    ? "names no namespace, so it lands in the provider's default one, which the pack cannot see"
                    : "is in a namespace not known during this preview",
            );
        }
        scope = { kind: "namespace", namespace: ns };
    }
    const refKind = stringField(obj, "roleRef", "kind");
    const refName = stringField(obj, "roleRef", "name");
    if (!isKnown(refKind) || !isKnown(refName) || !refKind || !refName) {
        return unresolved("refers to a role not known during this preview");
    }
    const rules =
        refKind === "Role" && scope.kind === "namespace"
            ? roles.get(`${scope.namespace}/${refName}`)
            : refKind === "ClusterRole"
              ? clusterRules.get(refName)
              : undefined;
    if (rules === undefined) {
        const shipped = refKind === "ClusterRole" ? " and Kubernetes does not ship" : "";
        return unresolved(
            someRoleUnknown
                ? `refers to ${refKind} "${refName}", which this stack does not define with a name known during this preview${shipped}`
                : `refers to ${refKind} "${refName}", which this stack does not define${shipped}`,
        );
    }
    if (!isKnown(rules)) {
        return unresolved(
            aggregated.has(refName) && refKind === "ClusterRole"
                ? `refers to aggregated ClusterRole "${refName}", whose selectors or selected roles cannot be resolved during this preview`
                : `refers to ${refKind} "${refName}", whose rules are not known during this preview`,
        );
    }
    const named = rules.flatMap(permissionsOf);
    const never = (p: Permission) =>
        !isUrlPermission(p) && !!p.names && carriesNoName(p.verb, p.resource.split("/")[1]);
    const neverAllowed = named.filter(never);
    const all = named.filter((p) => !never(p));
    if (scope.kind === "cluster") {
        return { scope, via, permissions: all, withoutEffect: [], neverAllowed };
    }
    const namespace = scope.namespace;
    const permissions: Permission[] = [];
    const withoutEffect: Permission[] = [];
    for (const p of all) {
        const effective = inNamespace(p, namespace);
        if (effective) {
            permissions.push(effective);
        } else {
            withoutEffect.push(p);
        }
    }
    return { scope, via, permissions, withoutEffect, neverAllowed };
}

function serviceAccountOf(
    subject: unknown,
    bindingKind: string,
    bindingNs: Maybe<string | undefined>,
): string | undefined {
    const kind = stringField(subject, "kind");
    const name = stringField(subject, "name");
    if (!isKnown(kind) || !isKnown(name)) {
        return UNKNOWN_SUBJECT;
    }
    if (!name) {
        return undefined;
    }
    if (kind === "ServiceAccount") {
        const ns = stringField(subject, "namespace");
        if (!isKnown(ns)) {
            return UNKNOWN_SUBJECT;
        }
        const effective = ns
            ? ns
            : bindingKind === "RoleBinding" && isKnown(bindingNs) && bindingNs
              ? bindingNs
              : "?";
        return serviceAccountUser(effective, name);
    }
    return kind === "User" && splitServiceAccountUser(name) ? name : undefined;
}
