// Advisory: a ClusterRole that reads Secrets reads every credential in every namespace once bound
// cluster-wide.
import { ruleHygienePolicy } from "../lib/hygiene";
import { grantedAmong } from "../../rbac/evaluator";

export const noClusterWideSecretRead = ruleHygienePolicy({
    name: "no-cluster-wide-secret-read",
    description: "Flags a ClusterRole that can get, list or watch Secrets, through wildcards too.",
    kinds: ["ClusterRole"],
    find: (rule) => {
        const found = grantedAmong(rule, ["get", "list", "watch"], [{ group: "", resource: "secrets" }]);
        const names =
            (rule.resourceNames ?? []).length > 0 ? ` (names: ${rule.resourceNames!.join(", ")})` : "";
        return found.length > 0 ? `can ${found[0].verbs.join(", ")} Secrets${names}` : undefined;
    },
    advice: "Bound by a ClusterRoleBinding, that reads every Secret, and so every credential, in the cluster. Read Secrets through a Role in the one namespace that needs it, with resourceNames where possible.",
    remediationSteps:
        "Drop secrets (and the wildcard that covers them) from the ClusterRole, or grant them through a namespaced Role limited by resourceNames.",
});
