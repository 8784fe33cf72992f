// Advisory: a ClusterRole that reads Secrets reads every credential in every namespace once bound
// cluster-wide.
import { ruleHygienePolicy } from "../lib/hygiene";
import { grants } from "../lib/rules";

export const noClusterWideSecretRead = ruleHygienePolicy({
    name: "no-cluster-wide-secret-read",
    description: "Flags a ClusterRole that can get, list or watch Secrets.",
    kinds: ["ClusterRole"],
    find: (rule) =>
        grants(rule, ["get", "list", "watch"], [""], ["secrets"])
            ? `can ${rule.verbs.filter((v) => ["get", "list", "watch", "*"].includes(v)).join(", ")} Secrets` +
              (rule.resourceNames.length > 0 ? ` (names: ${rule.resourceNames.join(", ")})` : "")
            : undefined,
    advice: "Bound by a ClusterRoleBinding, that reads every Secret, and so every credential, in the cluster. Read Secrets through a Role in the one namespace that needs it, with resourceNames where possible.",
    remediationSteps:
        "Drop secrets from the ClusterRole, or grant them through a namespaced Role limited by resourceNames.",
});
