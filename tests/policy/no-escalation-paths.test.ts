// no-escalation-paths through its function (level 2, in process, SDK proxy): the paths that reach more
// than they name, each with its near miss (the table's cases are in sensitive.test.ts).
import * as assert from "assert";
import { noEscalationPaths as policy } from "../../policy/policies/no-escalation-paths";
import { RBAC, role, UNKNOWN, violations } from "./harness";

const CR = `${RBAC}/v1:ClusterRole`;
const R = `${RBAC}/v1:Role`;
const CERTS = "certificates.k8s.io";

describe("policy no-escalation-paths", () => {
    it("is advisory by default", () => assert.strictEqual(policy.enforcementLevel, "advisory"));

    it("passes reading CSRs, approving without a signer, and creating ServiceAccounts", async () => {
        const rules = [
            { apiGroups: [CERTS], resources: ["certificatesigningrequests"], verbs: ["get", "list"] },
            { apiGroups: [CERTS], resources: ["certificatesigningrequests/approval"], verbs: ["update"] },
            { apiGroups: [""], resources: ["serviceaccounts", "persistentvolumeclaims"], verbs: ["create"] },
        ];
        assert.deepStrictEqual(await violations(policy, { type: CR, props: role("ClusterRole", rules) }), []);
    });

    it("reports CSR approval when two rules together grant it, naming both", async () => {
        const rules = [
            { apiGroups: [CERTS], resources: ["certificatesigningrequests/approval"], verbs: ["update"] },
            { apiGroups: [CERTS], resources: ["signers"], verbs: ["approve"] },
        ];
        const got = await violations(policy, { type: CR, props: role("ClusterRole", rules) });
        assert.deepStrictEqual(got.length, 1);
        assert.ok(
            got[0].includes(
                "rule 0 grants update on certificatesigningrequests/approval.certificates.k8s.io, with rule 1's approve on signers.certificates.k8s.io: whoever holds it approves certificates",
            ),
            got[0],
        );
    });

    it("reports serviceaccounts/token and ephemeral containers in a Role, * included", async () => {
        const rules = [
            { apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] },
            { apiGroups: [""], resources: ["*/ephemeralcontainers"], verbs: ["*"] },
        ];
        const got = await violations(policy, { type: R, props: role("Role", rules) });
        assert.strictEqual(got.length, 2);
        assert.match(got[0], /rule 0 grants create on serviceaccounts\/token: whoever holds it mints tokens/);
        assert.match(got[1], /rule 1 grants update, patch on pods\/ephemeralcontainers/);
    });

    it("reports serviceaccounts/token limited by resourceNames, naming whose tokens (the request names the account)", async () => {
        const rules = [
            {
                apiGroups: [""],
                resources: ["serviceaccounts/token"],
                resourceNames: ["reporter"],
                verbs: ["create"],
            },
        ];
        const inRole = await violations(policy, { type: R, props: role("Role", rules) });
        assert.strictEqual(inRole.length, 1);
        assert.ok(
            inRole[0].includes(
                "rule 0 grants create on serviceaccounts/token of reporter: whoever holds it mints tokens only for ServiceAccount apps/reporter, and acts as it.",
            ),
            inRole[0],
        );
        const cluster = await violations(policy, { type: CR, props: role("ClusterRole", rules) });
        assert.strictEqual(cluster.length, 1);
        assert.match(
            cluster[0],
            /mints tokens only for ServiceAccount reporter of every namespace it is bound in, and acts as it/,
        );
        // Creating the account itself by name carries no name: never allowed, so nothing to flag.
        const account = [{ ...rules[0], resources: ["serviceaccounts"] }];
        assert.deepStrictEqual(await violations(policy, { type: R, props: role("Role", account) }), []);
    });

    it("reports an aggregation label of a built-in role, not the same label on a Role", async () => {
        const labelled = {
            ...role("ClusterRole", []),
            metadata: { name: "extra", labels: { "rbac.authorization.k8s.io/aggregate-to-admin": "true" } },
        };
        const got = await violations(policy, { type: CR, props: labelled });
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /ClusterRole "extra" is labelled rbac.authorization.k8s.io\/aggregate-to-admin=true/,
        );
        const asRole = { ...labelled, kind: "Role", metadata: { ...labelled.metadata, namespace: "apps" } };
        assert.deepStrictEqual(await violations(policy, { type: R, props: asRole }), []);
    });

    it("notes labels not known during a preview", async () => {
        const props = { ...role("ClusterRole", []), metadata: { name: "extra", labels: UNKNOWN } };
        const got = await violations(policy, { type: CR, props });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /its labels are not known during this preview/);
    });
});
