// Advisory: escalate, bind and impersonate let an account give itself, or act with, more than it holds.
import { ruleHygienePolicy } from "../lib/hygiene";

const ESCALATION_VERBS = ["escalate", "bind", "impersonate"];

export const noEscalationVerbs = ruleHygienePolicy({
    name: "no-escalation-verbs",
    description:
        "Flags the privilege-escalation verbs escalate, bind and impersonate in a Role or ClusterRole.",
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        const found = rule.verbs.filter((v) => ESCALATION_VERBS.includes(v));
        return found.length > 0
            ? `grants ${found.join(", ")} on ${rule.resources.join(", ") || "(no resources)"}`
            : undefined;
    },
    advice: "escalate and bind let the account create or bind roles beyond its own rights, impersonate lets it act as other users and accounts. An API consumer rarely needs them.",
    remediationSteps:
        "Remove escalate, bind and impersonate, or move the task that needs them to a separate, audited identity.",
});
