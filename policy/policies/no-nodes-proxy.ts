// Advisory: nodes/proxy reaches the kubelet API, which runs commands in any pod on the node.
import { ruleHygienePolicy } from "../lib/hygiene";
import { formatGranted, grantedAmong } from "../../rbac/evaluator";

// A proxied request's verb is its HTTP method's (GET get, POST create, PUT update, PATCH patch, DELETE delete).
const PROXY_VERBS = ["get", "create", "update", "patch", "delete"];

export const noNodesProxy = ruleHygienePolicy({
    name: "no-nodes-proxy",
    description: "Flags access to nodes/proxy in a Role or ClusterRole, through wildcards too.",
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        const found = grantedAmong(rule, PROXY_VERBS, [
            { group: "", resource: "nodes", subresource: "proxy" },
        ]);
        return found.length > 0 ? `grants ${formatGranted(found)}` : undefined;
    },
    advice: "nodes/proxy reaches the kubelet API, which can run commands in any pod on the node and bypasses audit of pod exec. Scrape nodes/metrics instead.",
    remediationSteps:
        "Replace nodes/proxy (or the wildcard that covers it) with nodes/metrics (for Prometheus), or remove it.",
});
