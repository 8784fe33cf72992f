// Level 4 (the e2e tier's real kube-apiserver, SelfSubjectAccessReview as real accounts): verify reports
// each permission of the sensitive table (rbac/sensitive.ts) an account holds, declared or not, and
// none for an account without them; the declared names are checked against the real discovery.
import * as assert from "assert";
import * as fs from "fs";
import { verify, VerifyReport } from "../../cli/verify/verify";
import type { Expectation } from "../../cli/verify/access";
import type { PolicyRule } from "../../components/rbac";
import { SENSITIVE, sensitiveRequests } from "../../rbac/sensitive";
import { e2e } from "../../testenv/engine";
import { accountKubeconfig, kubectl } from "./kube";

const NS = "sensitive-e2e";
// One rule per request of the table: every verb on every target.
const RULES: PolicyRule[] = sensitiveRequests().map((r) => ({
    verbs: [r.verb],
    apiGroups: [r.group],
    resources: [r.subresource ? `${r.resource}/${r.subresource}` : r.resource],
}));
const ROW_IDS = SENSITIVE.filter((r) => r.kind === "rules").map((r) => r.id);

const kubeconfigOf = (account: string) => fs.readFileSync(accountKubeconfig(account, NS), "utf8");

describe("e2e (real control plane): verify reports each sensitive permission an account holds", function () {
    let holder: string;
    let none: string;
    const cluster = (rules: PolicyRule[]): Expectation => ({
        scope: "cluster",
        namespace: NS,
        roleNamespaces: [],
        rules,
    });

    before(function () {
        this.timeout(120_000);
        const items = [
            { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
            ...["holder", "none"].map((name) => ({
                apiVersion: "v1",
                kind: "ServiceAccount",
                metadata: { name, namespace: NS },
            })),
            {
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "ClusterRole",
                metadata: { name: NS },
                rules: RULES,
            },
            {
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "ClusterRoleBinding",
                metadata: { name: NS },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: NS },
                subjects: [{ kind: "ServiceAccount", name: "holder", namespace: NS }],
            },
        ];
        const file = `${e2e().root}/sensitive.json`;
        fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items }));
        const applied = kubectl(["apply", "-f", file]);
        assert.strictEqual(applied.status, 0, applied.stderr);
        holder = kubeconfigOf("holder");
        none = kubeconfigOf("none");
    });

    after(() => {
        kubectl(["delete", "clusterrolebinding,clusterrole", NS, "--ignore-not-found"]);
        kubectl(["delete", "namespace", NS, "--wait=false"]);
    });

    const held = (r: VerifyReport) => (r.sensitiveHeld ?? []).map((h) => h.row);

    it("an account granted the whole table, declared: every row held and declared, no mismatch", async function () {
        this.timeout(120_000);
        const report = await verify({ kubeconfig: holder, expectation: cluster(RULES), source: "holder" });
        assert.strictEqual(report.diagnosis, undefined, JSON.stringify(report.diagnosis));
        const sensitive = report.checks.filter((c) => c.sensitive);
        assert.deepStrictEqual(
            sensitive.filter((c) => !c.allowed).map((c) => `${c.verb} ${c.row}`),
            [],
        );
        assert.deepStrictEqual(held(report), ROW_IDS);
        assert.ok(report.sensitiveHeld!.every((h) => h.declared));
        assert.deepStrictEqual(report.names, { problems: [], notes: [] });
        assert.strictEqual(report.mismatches, 0, JSON.stringify(report.beyondDeclared));
    });

    it("the same account with nothing declared: each sensitive permission is an unexpected grant", async function () {
        this.timeout(120_000);
        const report = await verify({ kubeconfig: holder, expectation: cluster([]), source: "holder" });
        assert.deepStrictEqual(held(report), ROW_IDS);
        assert.ok(report.sensitiveHeld!.every((h) => !h.declared));
        const unexpected = report.checks.filter((c) => c.state === "unexpected");
        assert.strictEqual(unexpected.length, report.checks.filter((c) => c.sensitive).length);
    });

    it("an account without them holds none", async function () {
        this.timeout(120_000);
        const report = await verify({ kubeconfig: none, source: "none" });
        assert.deepStrictEqual(held(report), []);
        assert.ok(report.checks.every((c) => c.state === "denied"));
        assert.strictEqual(report.mismatches, 0);
    });

    it("declared names the cluster's discovery does not serve are mismatches", async function () {
        this.timeout(120_000);
        const typo = [{ verbs: ["get"], apiGroups: [""], resources: ["pod"] }];
        const report = await verify({ kubeconfig: none, expectation: cluster(typo), source: "none" });
        const problems = report.names?.problems ?? [];
        assert.strictEqual(problems.length, 1, JSON.stringify(report.names));
        assert.match(
            problems[0],
            /resources "pod": the discovery of the cluster of none has no resource "pod" in group "" \(core\); did you mean "pods"\?/,
        );
        assert.ok(report.mismatches >= 1);
    });
});
