// no-escalation-verbs through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noEscalationVerbs as policy } from "../../policy/policies/no-escalation-verbs";
import { RBAC, role, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const RBAC_GROUP = "rbac.authorization.k8s.io";

describe("policy no-escalation-verbs", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes read verbs on roles, and a verb named impersonate on something that is no identity", async () => {
        const rules = [
            { apiGroups: [RBAC_GROUP], resources: ["clusterroles"], verbs: ["get", "list"] },
            { apiGroups: [""], resources: ["pods"], verbs: ["impersonate"] },
            // The API server asks about uids in authentication.k8s.io; core "uids" grants nothing.
            { apiGroups: [""], resources: ["uids"], verbs: ["impersonate"] },
        ];
        assert.deepStrictEqual(await violations(policy, { type: CR, props: role("ClusterRole", rules) }), []);
    });

    for (const [title, rule, finding] of [
        [
            "escalate",
            { apiGroups: [RBAC_GROUP], resources: ["clusterroles"], verbs: ["get", "escalate"] },
            "escalate on clusterroles.rbac.authorization.k8s.io",
        ],
        [
            "bind",
            { apiGroups: [RBAC_GROUP], resources: ["roles"], verbs: ["bind"] },
            "bind on roles.rbac.authorization.k8s.io",
        ],
        [
            "impersonate",
            { apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] },
            "impersonate on users; impersonate on groups",
        ],
        [
            "* on clusterroles",
            { apiGroups: [RBAC_GROUP], resources: ["clusterroles"], verbs: ["*"] },
            "escalate on clusterroles.rbac.authorization.k8s.io: whoever holds it writes roles with rights beyond its own; bind on clusterroles.rbac.authorization.k8s.io: whoever holds it binds",
        ],
        [
            "* on every resource",
            { apiGroups: ["*"], resources: ["*"], verbs: ["*"] },
            "escalate on roles.rbac.authorization.k8s.io; escalate on clusterroles.rbac.authorization.k8s.io: whoever holds it writes roles with rights beyond its own; bind on roles.rbac.authorization.k8s.io; bind on clusterroles.rbac.authorization.k8s.io: whoever holds it binds roles with rights beyond its own; impersonate on users; impersonate on groups",
        ],
        [
            "impersonate on every core resource",
            { apiGroups: [""], resources: ["*"], verbs: ["impersonate"] },
            "impersonate on users; impersonate on groups; impersonate on serviceaccounts",
        ],
        [
            "impersonate on UIDs (authentication.k8s.io, as the API server asks)",
            { apiGroups: ["authentication.k8s.io"], resources: ["uids"], verbs: ["impersonate"] },
            "impersonate on uids.authentication.k8s.io",
        ],
        [
            "impersonate on one user extra",
            {
                apiGroups: ["authentication.k8s.io"],
                resources: ["userextras/scopes"],
                verbs: ["impersonate"],
            },
            "impersonate on userextras/scopes.authentication.k8s.io",
        ],
        [
            "impersonate on a user extra of every resource",
            { apiGroups: ["authentication.k8s.io"], resources: ["*/scopes"], verbs: ["impersonate"] },
            "impersonate on userextras/scopes.authentication.k8s.io",
        ],
        [
            "impersonate on every authentication.k8s.io resource",
            { apiGroups: ["authentication.k8s.io"], resources: ["*"], verbs: ["impersonate"] },
            "impersonate on uids.authentication.k8s.io; impersonate on userextras/<any key>.authentication.k8s.io",
        ],
    ] as const) {
        it(`reports ${title}`, async () => {
            const got = await violations(policy, { type: CR, props: role("ClusterRole", [rule]) });
            assert.strictEqual(got.length, 1);
            assert.ok(got[0].includes(`rule 0 grants ${finding}`), got[0]);
        });
    }
});
