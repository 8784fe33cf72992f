// Advisory: pods/exec, pods/attach and pods/portforward reach into running containers. The permissions
// come from the sensitive table (lib/sensitive.ts).
import { sensitiveRolePolicy } from "../lib/sensitivePolicy";

export const noPodExecAttach = sensitiveRolePolicy({
    name: "no-pod-exec-attach",
    description:
        "Flags pods/exec, pods/attach and pods/portforward in a Role or ClusterRole, through wildcards too.",
    kinds: ["Role", "ClusterRole"],
    advice: "An API consumer outside the cluster should read, not exec.",
    remediationSteps:
        "Remove pods/exec, pods/attach and pods/portforward (and the wildcard that covers them); use pods/log for logs.",
});
