// Advisory: a ClusterRole that reads Secrets reads every credential in every namespace once bound
// cluster-wide. The permissions come from the sensitive table (lib/sensitive.ts).
import { sensitiveRolePolicy } from "../lib/sensitivePolicy";

export const noClusterWideSecretRead = sensitiveRolePolicy({
    name: "no-cluster-wide-secret-read",
    description: "Flags a ClusterRole that can get, list or watch Secrets, through wildcards too.",
    kinds: ["ClusterRole"],
    advice: "Read Secrets through a Role in the one namespace that needs it, with resourceNames where possible.",
    remediationSteps:
        "Drop secrets (and the wildcard that covers them) from the ClusterRole, or grant them through a namespaced Role limited by resourceNames.",
});
