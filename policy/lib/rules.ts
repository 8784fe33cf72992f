// Reading RBAC rules and aggregation rules out of Role and ClusterRole props as the policy SDK hands them
// over, element by element, so that one unknown rule or selector is seen as such. What they grant is the
// evaluator's business (rbac.ts, aggregation.ts).
import { ClusterRoleInput, LabelSelector, LabelSelectorRequirement } from "../../rbac/aggregation";
import { elementsOf, fieldAt, isKnown, Maybe, stringField, stringMapOf, UNKNOWN } from "./kubernetes";
import { PolicyRule } from "../../rbac/evaluator";

/** A list of strings; UNKNOWN when it or any element is; non-strings are dropped as the API would refuse them. */
export function stringsOf(obj: unknown, ...path: string[]): Maybe<string[]> {
    const items = elementsOf(obj, ...path);
    if (!isKnown(items) || !items.every(isKnown)) {
        return UNKNOWN;
    }
    return items.filter((v): v is string => typeof v === "string");
}

/** One rule of a role; UNKNOWN when any of its fields is not known. */
export function readRule(item: Maybe<unknown>): Maybe<PolicyRule> {
    if (!isKnown(item)) {
        return UNKNOWN;
    }
    const fields = (["verbs", "apiGroups", "resources", "resourceNames", "nonResourceURLs"] as const).map(
        (key) => stringsOf(item, key),
    );
    if (!fields.every(isKnown)) {
        return UNKNOWN;
    }
    const [verbs, apiGroups, resources, resourceNames, nonResourceURLs] = fields;
    return { verbs, apiGroups, resources, resourceNames, nonResourceURLs };
}

/** The rules of a role object, each UNKNOWN when not known; UNKNOWN when the list itself is. */
export function readRules(role: unknown): Maybe<Maybe<PolicyRule>[]> {
    const items = elementsOf(role, "rules");
    return isKnown(items) ? items.map(readRule) : UNKNOWN;
}

/** All rules of a role when every one is known, else UNKNOWN. */
export function knownRules(role: unknown): Maybe<PolicyRule[]> {
    const rules = readRules(role);
    return isKnown(rules) && rules.every(isKnown) ? rules : UNKNOWN;
}

function selectorOf(item: Maybe<unknown>): Maybe<LabelSelector> {
    if (!isKnown(item)) {
        return UNKNOWN;
    }
    const matchLabels = stringMapOf(item, "matchLabels");
    const expressions = elementsOf(item, "matchExpressions");
    if (!isKnown(matchLabels) || !isKnown(expressions)) {
        return UNKNOWN;
    }
    const matchExpressions: LabelSelectorRequirement[] = [];
    for (const e of expressions) {
        const key = stringField(e, "key");
        const operator = stringField(e, "operator");
        const values = stringsOf(e, "values");
        if (!isKnown(e) || !isKnown(key) || !isKnown(operator) || !isKnown(values)) {
            return UNKNOWN;
        }
        matchExpressions.push({ key: key ?? "", operator: operator ?? "", values });
    }
    return { matchLabels, matchExpressions };
}

/** A ClusterRole object as aggregation needs it, or undefined when its name is not known. */
export function clusterRoleInputOf(obj: unknown): ClusterRoleInput | undefined {
    const name = stringField(obj, "metadata", "name");
    if (!isKnown(name) || !name) {
        return undefined;
    }
    const aggregation = fieldAt(obj, "aggregationRule");
    let selectors: ClusterRoleInput["selectors"];
    if (!isKnown(aggregation)) {
        selectors = UNKNOWN;
    } else if (aggregation !== undefined && aggregation !== null) {
        const items = elementsOf(aggregation, "clusterRoleSelectors");
        selectors = isKnown(items) ? items.map(selectorOf) : UNKNOWN;
    }
    return { name, labels: stringMapOf(obj, "metadata", "labels"), rules: knownRules(obj), selectors };
}
