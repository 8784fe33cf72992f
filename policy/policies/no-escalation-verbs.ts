// Advisory: escalate and bind on roles, and impersonate on users, groups, accounts, UIDs and user extras, let an account give
// itself, or act with, more than it holds. A `*` verb or resource grants them too.
import { ruleHygienePolicy } from "../lib/hygiene";
import { RBAC_GROUP } from "../lib/kubernetes";
import { formatGranted, grantedAmong, PolicyRule, Target } from "../../rbac/evaluator";

const ROLES = ["roles", "clusterroles"].map((resource) => ({ group: RBAC_GROUP, resource }));
// What the API server checks `impersonate` against (k8s.io/apiserver pkg/endpoints/filters/impersonation.go):
// users, groups and serviceaccounts in the core group; uids, and userextras/<extra key>, in
// authentication.k8s.io.
const AUTHENTICATION_GROUP = "authentication.k8s.io";
const IDENTITIES: Target[] = [
    ...["users", "groups", "serviceaccounts"].map((resource) => ({ group: "", resource })),
    { group: AUTHENTICATION_GROUP, resource: "uids" },
];

// The userextras targets a rule may reach: each extra key it names (as userextras/<key>, or as a
// subresource of every resource), and a key it does not name, which only "*" reaches (RBAC has no
// resource/* wildcard).
const userExtras = (rule: PolicyRule): Target[] =>
    [
        ...new Set([
            ...(rule.resources ?? []).flatMap((r) => /^(?:userextras|\*)\/(.+)$/.exec(r)?.[1] ?? []),
            "<any key>",
        ]),
    ].map((subresource) => ({ group: AUTHENTICATION_GROUP, resource: "userextras", subresource }));

export const noEscalationVerbs = ruleHygienePolicy({
    name: "no-escalation-verbs",
    description:
        "Flags the privilege-escalation verbs escalate and bind on roles, and impersonate on identities, in a Role or ClusterRole.",
    kinds: ["Role", "ClusterRole"],
    find: (rule) => {
        const found = [
            ...grantedAmong(rule, ["escalate", "bind"], ROLES),
            ...grantedAmong(rule, ["impersonate"], [...IDENTITIES, ...userExtras(rule)]),
        ];
        return found.length > 0 ? `grants ${formatGranted(found)}` : undefined;
    },
    advice: "escalate and bind let the account create or bind roles beyond its own rights, impersonate lets it act as other users and accounts. An API consumer rarely needs them.",
    remediationSteps:
        "Remove escalate, bind and impersonate (and any * verb on roles or identities), or move the task that needs them to a separate, audited identity.",
});
