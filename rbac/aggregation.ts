// ClusterRole aggregation as kube-controller-manager does it: an aggregated ClusterRole's rules are
// replaced by the union of the rules of every other ClusterRole matched by any of its selectors
// (kubernetes/kubernetes pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go),
// with label selectors as in apimachinery's LabelSelectorAsSelector. What cannot be resolved is UNKNOWN.
// The controller writes with server-side apply, so an empty union writes nothing: the role keeps the rules
// it was created with (seen by the differential test against a real controller).
import { isKnown, Maybe, UNKNOWN } from "./maybe";
import { PolicyRule } from "./evaluator";
import { hasOwnKey } from "./ownKey";

export interface LabelSelectorRequirement {
    readonly key: string;
    /** In, NotIn, Exists or DoesNotExist. */
    readonly operator: string;
    readonly values?: readonly string[];
}

/** A `metav1.LabelSelector`; an empty one matches every ClusterRole. */
export interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/** True when the selector matches the labels; undefined when the API server would reject the selector. */
export function selectorMatches(
    selector: LabelSelector,
    labels: Readonly<Record<string, string>>,
): boolean | undefined {
    const has = (key: string) => hasOwnKey(labels, key);
    let matches = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => has(k) && labels[k] === v);
    for (const { key, operator, values = [] } of selector.matchExpressions ?? []) {
        let ok: boolean;
        switch (operator) {
            case "In":
            case "NotIn":
                if (values.length === 0) {
                    return undefined;
                }
                ok = has(key) && values.includes(labels[key]);
                ok = operator === "In" ? ok : !ok;
                break;
            case "Exists":
            case "DoesNotExist":
                if (values.length > 0) {
                    return undefined;
                }
                ok = operator === "Exists" ? has(key) : !has(key);
                break;
            default:
                return undefined;
        }
        matches &&= ok;
    }
    return matches;
}

/** A ClusterRole as aggregation needs it; any part may be unknown during a preview. */
export interface ClusterRoleInput {
    readonly name: string;
    readonly labels: Maybe<Readonly<Record<string, string>>>;
    readonly rules: Maybe<readonly PolicyRule[]>;
    /** The aggregationRule's clusterRoleSelectors; undefined for a role that does not aggregate. */
    readonly selectors?: Maybe<readonly Maybe<LabelSelector>[]>;
}

/**
 * The rules each ClusterRole grants, aggregation resolved over the given roles only (ClusterRoles outside
 * them, such as a cluster's built-in ones, are not seen). UNKNOWN for an aggregated role when a selector,
 * a candidate's labels or a matched role's rules are unknown, a selector is invalid, or roles aggregate
 * each other in a cycle (the controller's result then depends on timing). When the union is empty, the
 * role's own rules (as created) stay in force.
 */
export function effectiveClusterRoleRules(
    roles: readonly ClusterRoleInput[],
): Map<string, Maybe<readonly PolicyRule[]>> {
    const byName = new Map(roles.map((r) => [r.name, r]));
    const done = new Map<string, Maybe<readonly PolicyRule[]>>();
    const visiting = new Set<string>();

    const resolve = (role: ClusterRoleInput): Maybe<readonly PolicyRule[]> => {
        if (role.selectors === undefined) {
            return role.rules;
        }
        const cached = done.get(role.name);
        if (cached !== undefined) {
            return cached;
        }
        if (visiting.has(role.name)) {
            return UNKNOWN;
        }
        visiting.add(role.name);
        const result = aggregate(role);
        visiting.delete(role.name);
        done.set(role.name, result);
        return result;
    };

    const aggregate = (role: ClusterRoleInput): Maybe<readonly PolicyRule[]> => {
        const selectors = role.selectors;
        if (selectors === undefined || !isKnown(selectors) || !selectors.every(isKnown)) {
            return UNKNOWN;
        }
        if ((selectors as LabelSelector[]).some((s) => selectorMatches(s, {}) === undefined)) {
            return UNKNOWN;
        }
        const union: PolicyRule[] = [];
        const seen = new Set<string>();
        const others = [...byName.values()]
            .filter((r) => r.name !== role.name)
            .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
        for (const selector of selectors as LabelSelector[]) {
            for (const other of others) {
                if (!isKnown(other.labels)) {
                    return UNKNOWN;
                }
                if (!selectorMatches(selector, other.labels)) {
                    continue;
                }
                const rules = resolve(other);
                if (!isKnown(rules)) {
                    return UNKNOWN;
                }
                for (const rule of rules) {
                    const key = JSON.stringify(canonical(rule));
                    if (!seen.has(key)) {
                        seen.add(key);
                        union.push(rule);
                    }
                }
            }
        }
        if (union.length > 0) {
            return union;
        }
        return role.rules;
    };

    return new Map(roles.map((r) => [r.name, resolve(r)]));
}

// Field order fixed and absent lists empty, so equal rules compare equal (the controller dedups them).
const canonical = (r: PolicyRule) => [
    r.verbs,
    r.apiGroups ?? [],
    r.resources ?? [],
    r.resourceNames ?? [],
    r.nonResourceURLs ?? [],
];
