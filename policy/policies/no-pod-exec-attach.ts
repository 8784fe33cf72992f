// Advisory: pods/exec and pods/attach give a shell in running containers, with their credentials.
import { ruleHygienePolicy } from "../lib/hygiene";
import { formatGranted, grantedAmong } from "../../rbac/evaluator";

const INTERACTIVE = ["exec", "attach"].map((subresource) => ({ group: "", resource: "pods", subresource }));

export const noPodExecAttach = ruleHygienePolicy({
    name: "no-pod-exec-attach",
    description: "Flags pods/exec and pods/attach in a Role or ClusterRole, through wildcards too.",
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        // Streaming connections are authorized as get (WebSocket) or create (SPDY upgrade).
        const found = grantedAmong(rule, ["get", "create"], INTERACTIVE);
        return found.length > 0 ? `grants ${formatGranted(found)}` : undefined;
    },
    advice: "That opens a shell in running containers, with every credential mounted there. An API consumer outside the cluster should read, not exec.",
    remediationSteps:
        "Remove pods/exec and pods/attach (and the wildcard that covers them); use pods/log for logs.",
});
