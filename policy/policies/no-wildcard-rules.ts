// Advisory: a "*" in a rule grants every verb, resource, subresource or API group, including those added later.
import { ruleHygienePolicy } from "../lib/hygiene";
import { wildcardsIn } from "../../rbac/evaluator";

export const noWildcardRules = ruleHygienePolicy({
    name: "no-wildcard-rules",
    description:
        'Flags "*" in the verbs, apiGroups, resources (also "*/subresource") or nonResourceURLs of a Role or ClusterRole.',
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        const found = wildcardsIn(rule);
        return found.length > 0
            ? `has ${found.map((w) => `${w.values.map((v) => `"${v}"`).join(", ")} in ${w.field}`).join(", ")}`
            : undefined;
    },
    advice: "A wildcard grants everything of its kind, including resources and verbs added to the cluster later. List what the consumer needs.",
    remediationSteps:
        'Replace each "*" (and "*/subresource") with the explicit verbs, resources and API groups the consumer uses.',
});
