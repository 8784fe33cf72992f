// What plan and verify say about the rules of the roles they see, beyond what the evaluator grants: names
// no API serves (against the built-in catalog, or a cluster's discovery with --kubeconfig), groups that
// cannot be checked offline, and resourceNames as Kubernetes reads them.
import { CatalogSource, checkApiNames } from "../components/apiNames";
import { isKnown, objectsOf, rbacKind, stringField } from "../policy/lib/kubernetes";
import { carriesNoName, NAME_BY_SELECTOR_VERBS, PolicyRule } from "../rbac/evaluator";
import { knownRules } from "../policy/lib/rules";

/** A role's rules and how to name it: `ClusterRole "reader"`, `Role "apps/reader"`. */
export interface RoleRules {
    readonly what: string;
    readonly rules: readonly PolicyRule[];
}

export interface RuleFindings {
    /** Rules Kubernetes would take but that can never be used: the plan is refused with these. */
    readonly problems: string[];
    /** What plan or verify could not check, or what the client must do to use a rule. */
    readonly notes: string[];
}

/** The Roles and ClusterRoles among recorded resources (whole objects; a Patch is not one). */
export function rolesOf(resources: readonly { type: string; name: string; inputs: unknown }[]): RoleRules[] {
    const out: RoleRules[] = [];
    for (const r of resources) {
        const kind = rbacKind(r.type);
        if ((kind !== "Role" && kind !== "ClusterRole") || r.type.endsWith("Patch")) {
            continue;
        }
        const objects = objectsOf(r.type, r.inputs as Record<string, unknown>);
        for (const obj of isKnown(objects) ? objects : []) {
            const rules = isKnown(obj) ? knownRules(obj) : undefined;
            if (rules === undefined || !isKnown(rules)) {
                continue;
            }
            const name = stringField(obj, "metadata", "name");
            const ns = stringField(obj, "metadata", "namespace");
            const shown = `${isKnown(ns) && ns ? `${ns}/` : ""}${isKnown(name) && name ? name : r.name}`;
            out.push({ what: `${kind} "${shown}"`, rules });
        }
    }
    return out;
}

/** Every rule of every role checked against `source`, and its resourceNames read as Kubernetes reads them. */
export function checkRoleRules(roles: readonly RoleRules[], source: CatalogSource): RuleFindings {
    const problems: string[] = [];
    const notes = new Set<string>();
    for (const { what, rules } of roles) {
        rules.forEach((rule, j) => {
            const at = `${what} rule ${j}`;
            const names = checkApiNames(rule, source);
            for (const p of names.problems) {
                problems.push(`${at} ${p.field} ${JSON.stringify(p.value)}: ${p.why}. ${p.fix}.`);
            }
            for (const g of names.unchecked) {
                notes.add(
                    `${at}: API group "${g}" is not built into Kubernetes (a custom resource's), so its resources were not checked; --kubeconfig checks them against that cluster's discovery`,
                );
            }
            const named = rule.resourceNames ?? [];
            if (named.length === 0) {
                return;
            }
            const whole = (rule.resources ?? []).some((r) => !r.includes("/"));
            const nameless = whole ? rule.verbs.filter((v) => carriesNoName(v)) : [];
            if (nameless.length > 0) {
                problems.push(
                    `${at} grants ${nameless.join(", ")} with resourceNames: such a request carries no object name, so Kubernetes never allows it. Grant ${nameless.join(" and ")} in a rule without resourceNames, or drop it.`,
                );
            }
            const bySelector = rule.verbs.filter((v) => NAME_BY_SELECTOR_VERBS.includes(v));
            if (bySelector.length > 0) {
                notes.add(
                    `${at} grants ${bySelector.join(", ")} only for ${named.join(", ")}: the client must ${bySelector.join(" or ")} with the field selector metadata.name=${named[0]} (one name per request); without it the request is forbidden`,
                );
            }
        });
    }
    return { problems, notes: [...notes] };
}
