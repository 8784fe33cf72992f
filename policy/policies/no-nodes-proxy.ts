// Advisory: nodes/proxy reaches the kubelet API, which runs commands in any pod on the node. The
// permissions come from the sensitive table (lib/sensitive.ts).
import { sensitiveRolePolicy } from "../lib/sensitivePolicy";

export const noNodesProxy = sensitiveRolePolicy({
    name: "no-nodes-proxy",
    description: "Flags access to nodes/proxy in a Role or ClusterRole, through wildcards too.",
    kinds: ["Role", "ClusterRole"],
    advice: "Scrape nodes/metrics instead.",
    remediationSteps:
        "Replace nodes/proxy (or the wildcard that covers it) with nodes/metrics (for Prometheus), or remove it.",
});
