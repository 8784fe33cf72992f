// Advisory: permissions that reach more than they name: minting ServiceAccount tokens, adding ephemeral
// containers, admission webhooks, approving certificates, PersistentVolumes (hostPath), and a ClusterRole
// labelled to aggregate into the built-in roles. The rows come from the sensitive table (lib/sensitive.ts).
import { sensitiveRolePolicy } from "../lib/sensitivePolicy";

export const noEscalationPaths = sensitiveRolePolicy({
    name: "no-escalation-paths",
    description:
        "Flags escalation paths in a Role or ClusterRole: serviceaccounts/token, pods/ephemeralcontainers, webhook configurations, CSR approval, PersistentVolume creation, and aggregation labels of the built-in roles.",
    kinds: ["Role", "ClusterRole"],
    advice: "An API consumer rarely needs it; give the task that does a separate, audited identity.",
    remediationSteps:
        "Remove the rule (or the wildcard that covers it), or the aggregate-to-* label, or move the task to a separate, audited identity.",
});
