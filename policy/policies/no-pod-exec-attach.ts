// Advisory: pods/exec and pods/attach give a shell in running containers, with their credentials.
import { ruleHygienePolicy } from "../lib/hygiene";

const INTERACTIVE = ["pods/exec", "pods/attach"];

export const noPodExecAttach = ruleHygienePolicy({
    name: "no-pod-exec-attach",
    description: "Flags pods/exec and pods/attach in a Role or ClusterRole.",
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        const found = rule.resources.filter((r) => INTERACTIVE.includes(r));
        return found.length > 0 && (rule.apiGroups.includes("") || rule.apiGroups.includes("*"))
            ? `grants ${rule.verbs.join(", ")} on ${found.join(", ")}`
            : undefined;
    },
    advice: "That opens a shell in running containers, with every credential mounted there. An API consumer outside the cluster should read, not exec.",
    remediationSteps: "Remove pods/exec and pods/attach; use pods/log for logs.",
});
