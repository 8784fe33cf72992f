// Advisory: creating pods, or writing a workload that makes them, runs code as any ServiceAccount of the
// namespace, whose token the pod can read. A CI runner may need it on purpose, so it names the accounts
// reached rather than forbidding it. The permissions come from the sensitive table (lib/sensitive.ts).
import { sensitiveRolePolicy } from "../lib/sensitivePolicy";

export const noWorkloadCreation = sensitiveRolePolicy({
    name: "no-workload-creation",
    description:
        "Flags create of pods, and create, update or patch of workloads that make pods, in a Role or ClusterRole: the accounts whose tokens that reaches.",
    kinds: ["Role", "ClusterRole"],
    advice: "If the consumer deploys workloads on purpose, keep it to a namespace whose accounts hold no more than it may have.",
    remediationSteps:
        "Grant workload writes only in a namespace whose ServiceAccounts hold no more than the consumer may have, or drop them.",
});
