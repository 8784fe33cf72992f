// Checks one RBAC rule given in ApiServiceAccount's `rules` argument: shapes, verbs Kubernetes knows,
// resources versus non-resource URLs, namespaced limits and wildcards.
import { carriesNoName, wildcardsIn } from "../rbac/evaluator";
import { BUILTIN_SOURCE, checkApiNames } from "./apiNames";
import { KNOWN_VERBS, PolicyRule } from "./rbac";
import { refuseUnknownFields } from "./suggest";
import type { Fail, FieldPath } from "./problems";

/** The fields of an RBAC PolicyRule (k8s.io/api/rbac/v1 PolicyRule). */
export const POLICY_RULE_FIELDS = [
    "apiGroups",
    "resources",
    "resourceNames",
    "nonResourceURLs",
    "verbs",
] as const;

/** Refuses fields a PolicyRule does not have: Kubernetes would drop them, and what they meant with them. */
function checkRuleFields(fail: Fail, field: FieldPath, rule: PolicyRule): void {
    refuseUnknownFields(fail, field, rule, POLICY_RULE_FIELDS, "an RBAC rule has", (key, value) => {
        if (key !== "namespaces" && key !== "namespace") {
            return false;
        }
        fail(
            [...field, key],
            value,
            "an RBAC rule has no namespaces: the field would be dropped and a cluster-wide role would grant the rule in every namespace",
            (t) =>
                `To grant in chosen namespaces only, use ${t(["args", "scope"])}: "namespace" with ${t(["args", "namespace"])} and ${t(["args", "extraNamespaces"])}`,
        );
        return true;
    });
}

/** Records through `fail` every problem of `rule`, found at `field` (e.g. `["args", "rules", 0]`). */
export function checkRule(
    fail: Fail,
    field: FieldPath,
    rule: PolicyRule,
    namespaced: boolean,
    allowWildcards: boolean,
): void {
    if (rule === null || typeof rule !== "object") {
        fail(
            field,
            rule,
            "a rule must be an object",
            'Use { apiGroups: [""], resources: ["pods"], verbs: ["get"] }',
        );
        return;
    }
    checkRuleFields(fail, field, rule);
    // Every field that is not a list of strings is named; the checks below need lists.
    const notLists = POLICY_RULE_FIELDS.filter((key) => {
        const list = rule[key];
        return list !== undefined && (!Array.isArray(list) || list.some((v) => typeof v !== "string"));
    });
    for (const key of notLists) {
        fail([...field, key], rule[key], "it must be a list of strings", `Use for example ${key}: ["..."]`);
    }
    if (notLists.length > 0) {
        return;
    }
    const verbs = rule.verbs ?? [];
    const resources = rule.resources ?? [];
    const urls = rule.nonResourceURLs ?? [];
    const groups = rule.apiGroups ?? [];

    if (verbs.length === 0) {
        fail(
            [...field, "verbs"],
            rule.verbs,
            "a rule with no verbs allows nothing",
            'Add the verbs needed, such as ["get", "list", "watch"]',
        );
    }
    const unknown = verbs.filter((v) => !KNOWN_VERBS.includes(v));
    if (unknown.length > 0) {
        fail(
            [...field, "verbs"],
            unknown,
            "Kubernetes does not know these verbs (verbs are lower case)",
            `Use verbs from: ${KNOWN_VERBS.filter((v) => v !== "*").join(", ")}`,
        );
    }
    if (resources.length === 0 && urls.length === 0) {
        fail(
            field,
            rule,
            "a rule needs resources or nonResourceURLs to apply to",
            'Add resources (with apiGroups) such as resources: ["pods"], or nonResourceURLs such as ["/metrics"]',
        );
    }
    if (urls.length > 0 && (resources.length > 0 || groups.length > 0)) {
        fail(
            field,
            rule,
            "one rule cannot cover both resources and non-resource URLs",
            "Split it into a rule with apiGroups and resources and another with nonResourceURLs",
        );
    }
    if (resources.length > 0 && groups.length === 0) {
        fail(
            [...field, "apiGroups"],
            rule.apiGroups,
            "a rule with resources needs the API groups they belong to",
            'Add apiGroups, such as [""] for the core group (pods, services) or ["apps"] for deployments',
        );
    }
    if (urls.length > 0 && namespaced) {
        fail(
            [...field, "nonResourceURLs"],
            urls,
            "non-resource URLs exist only cluster-wide and a namespaced Role cannot grant them",
            (t) => `Use ${t(["args", "scope"])} "cluster", or drop the nonResourceURLs rule`,
        );
    }
    for (const url of urls) {
        if (!url.startsWith("/")) {
            fail(
                [...field, "nonResourceURLs"],
                url,
                "a non-resource URL is a path",
                `Write it with a leading '/', as "/${url}"`,
            );
        }
    }
    for (const p of checkApiNames(rule, BUILTIN_SOURCE).problems) {
        fail([...field, p.field], p.value, p.why, p.fix);
    }
    // A subresource's create names its object (serviceaccounts/<name>/token), so only whole resources count.
    const nameless = resources.some((r) => !r.includes("/")) ? verbs.filter((v) => carriesNoName(v)) : [];
    if ((rule.resourceNames ?? []).length > 0 && nameless.length > 0) {
        fail(
            [...field, "verbs"],
            nameless,
            `a ${nameless.join(" or ")} request carries no object name, so a rule limited by resourceNames never allows it (Kubernetes RBAC docs, "Referring to resources")`,
            `Grant ${nameless.join(" and ")} in a rule without resourceNames, or drop ${nameless.length > 1 ? "them" : "it"}`,
        );
    }
    if (!allowWildcards) {
        for (const w of wildcardsIn(listsOnly(rule))) {
            const star = w.values.includes("*");
            fail(
                [...field, w.field],
                rule[w.field],
                star
                    ? `"*" grants everything, today's and tomorrow's`
                    : `${w.values.map((v) => `"${v}"`).join(", ")} grants that subresource of every resource, today's and tomorrow's`,
                (t) =>
                    `List the ${w.field} needed, or set ${t(["args", "allowWildcards"])}: true if you mean it`,
            );
        }
    }
}

// The rule's string lists only: a field that is not one has been reported above.
const listsOnly = (rule: PolicyRule): PolicyRule => {
    const list = (v: unknown) =>
        Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
    return {
        verbs: list(rule.verbs),
        apiGroups: list(rule.apiGroups),
        resources: list(rule.resources),
        nonResourceURLs: list(rule.nonResourceURLs),
    };
};
