// Advisory: escalate and bind on roles, and impersonate on users, groups, accounts, UIDs and user extras,
// let an account give itself, or act with, more than it holds. A `*` verb or resource grants them too.
// The permissions come from the sensitive table (lib/sensitive.ts).
import { sensitiveRolePolicy } from "../lib/sensitivePolicy";

export const noEscalationVerbs = sensitiveRolePolicy({
    name: "no-escalation-verbs",
    description:
        "Flags the privilege-escalation verbs escalate and bind on roles, and impersonate on identities, in a Role or ClusterRole.",
    kinds: ["Role", "ClusterRole"],
    advice: "An API consumer rarely needs them.",
    remediationSteps:
        "Remove escalate, bind and impersonate (and any * verb on roles or identities), or move the task that needs them to a separate, audited identity.",
});
