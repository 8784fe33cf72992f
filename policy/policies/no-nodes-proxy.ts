// Advisory: nodes/proxy reaches the kubelet API, which runs commands in any pod on the node.
import { ruleHygienePolicy } from "../lib/hygiene";

export const noNodesProxy = ruleHygienePolicy({
    name: "no-nodes-proxy",
    description: "Flags access to nodes/proxy in a Role or ClusterRole.",
    kinds: ["Role", "ClusterRole"],
    find: (rule) =>
        rule.resources.includes("nodes/proxy") &&
        (rule.apiGroups.includes("") || rule.apiGroups.includes("*"))
            ? `grants ${rule.verbs.join(", ")} on nodes/proxy`
            : undefined,
    advice: "nodes/proxy reaches the kubelet API, which can run commands in any pod on the node and bypasses audit of pod exec. Scrape nodes/metrics instead.",
    remediationSteps: "Replace nodes/proxy with nodes/metrics (for Prometheus) or remove it.",
});
