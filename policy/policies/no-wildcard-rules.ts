// Advisory: a "*" in a rule grants every verb, resource or API group, including those added later.
import { ruleHygienePolicy } from "../lib/hygiene";

export const noWildcardRules = ruleHygienePolicy({
    name: "no-wildcard-rules",
    description: 'Flags "*" in the verbs, resources or apiGroups of a Role or ClusterRole.',
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        const fields = (["verbs", "resources", "apiGroups"] as const).filter((f) => rule[f].includes("*"));
        return fields.length > 0 ? `has "*" in ${fields.join(", ")}` : undefined;
    },
    advice: "A wildcard grants everything of its kind, including resources and verbs added to the cluster later. List what the consumer needs.",
    remediationSteps: 'Replace each "*" with the explicit verbs, resources and API groups the consumer uses.',
});
