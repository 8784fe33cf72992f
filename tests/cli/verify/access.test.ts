// What verify asks and expects, worked out by the RBAC evaluator (level 1, pure functions): declared
// checks only where they take effect, sensitive actions expected as the declared grants allow them.
import * as assert from "assert";
import { beyondDeclared, checksFor, Expectation } from "../../../cli/verify/access";
import { SENSITIVE } from "../../../rbac/sensitive";

const namespaced = (rules: Expectation["rules"]): Expectation => ({
    scope: "namespace",
    namespace: "apps",
    roleNamespaces: ["apps"],
    rules,
});
const cluster = (rules: Expectation["rules"]): Expectation => ({
    scope: "cluster",
    namespace: "apps",
    roleNamespaces: [],
    rules,
});

describe("verify's checks (RBAC evaluator)", () => {
    it("does not expect a namespaced role's cluster-scoped resources to be allowed", () => {
        const checks = checksFor(
            namespaced([{ apiGroups: [""], resources: ["pods", "nodes"], verbs: ["get"] }]),
            "apps",
        );
        const declared = checks.filter((c) => c.why === "declared").map((c) => `${c.verb} ${c.row}`);
        assert.deepStrictEqual(declared, ["get pods @apps"]);
    });

    it("expects the sensitive actions a wildcard grants, and asks cluster-scoped ones without a namespace", () => {
        const checks = checksFor(cluster([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]), "apps");
        const escalate = checks.find((c) => c.verb === "escalate" && c.resource === "clusterroles")!;
        assert.strictEqual(escalate.expected, true);
        assert.strictEqual(escalate.namespace, "");
        const exec = checks.filter(
            (c) => c.verb === "create" && c.resource === "pods" && c.subresource === "exec",
        );
        assert.deepStrictEqual(
            exec.map((c) => [c.namespace, c.expected]),
            [
                ["apps", true],
                ["", true],
            ],
        );
    });

    it("expects */exec in a Role to allow pods/exec in its namespace only", () => {
        const checks = checksFor(
            namespaced([{ apiGroups: [""], resources: ["*/exec"], verbs: ["create"] }]),
            "apps",
        );
        const exec = checks.filter(
            (c) => c.verb === "create" && c.resource === "pods" && c.subresource === "exec",
        );
        assert.deepStrictEqual(
            exec.map((c) => [c.namespace, c.expected]),
            [
                ["apps", true],
                ["", false],
            ],
        );
    });

    it("finds a reviewed * verb beyond declared reads, and nothing beyond a matching wildcard", () => {
        const review = {
            resourceRules: [{ verbs: ["*"], apiGroups: [""], resources: ["pods"] }],
            nonResourceRules: [],
        };
        const reads = cluster([{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list"] }]);
        assert.deepStrictEqual(beyondDeclared(review, reads, "apps"), ["* pods"]);
        assert.deepStrictEqual(
            beyondDeclared(review, cluster([{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }]), "apps"),
            [],
        );
    });

    it("ignores what every authenticated identity may do, and reports other URLs", () => {
        const review = {
            resourceRules: [
                {
                    verbs: ["create"],
                    apiGroups: ["authorization.k8s.io"],
                    resources: ["selfsubjectaccessreviews"],
                },
            ],
            nonResourceRules: [{ verbs: ["get"], nonResourceURLs: ["/api/*", "/healthz", "/metrics"] }],
        };
        assert.deepStrictEqual(beyondDeclared(review, cluster([]), "apps"), ["get /metrics"]);
    });
});

describe("verify's sensitive checks come from the sensitive table", () => {
    it("asks every verb of every permission row, in the namespace and cluster-wide, tagged with its row", () => {
        const checks = checksFor(undefined, "apps").filter((c) => c.sensitive);
        const asked = new Set(checks.map((c) => c.sensitive));
        const rows = SENSITIVE.filter((r) => r.kind === "rules").map((r) => r.id);
        assert.deepStrictEqual([...asked].sort(), [...rows].sort());
        const pods = checks.filter((c) => c.verb === "create" && c.resource === "pods" && !c.subresource);
        assert.deepStrictEqual(
            pods.map((c) => [c.namespace, c.sensitive, c.expected]),
            [
                ["apps", "create-workloads", false],
                ["", "create-workloads", false],
            ],
        );
        assert.ok(checks.every((c) => c.why === "sensitive"));
    });

    it("tags a declared sensitive permission with its row and expects it allowed", () => {
        const checks = checksFor(
            namespaced([{ apiGroups: ["apps"], resources: ["deployments"], verbs: ["patch"] }]),
            "apps",
        );
        const patch = checks.filter((c) => c.verb === "patch" && c.resource === "deployments");
        assert.deepStrictEqual(
            patch.map((c) => [c.row, c.expected, c.sensitive]),
            [
                ["deployments.apps @apps", true, "create-workloads"],
                ["deployments.apps @all namespaces", false, "create-workloads"],
            ],
        );
    });

    it("does not expect create or deletecollection through resourceNames, and asks list by name", () => {
        const checks = checksFor(
            namespaced([
                {
                    apiGroups: [""],
                    resources: ["configmaps"],
                    resourceNames: ["a"],
                    verbs: ["create", "deletecollection", "list"],
                },
            ]),
            "apps",
        ).filter((c) => c.why === "declared");
        assert.deepStrictEqual(
            checks.map((c) => [c.verb, c.name]),
            [["list", "a"]],
        );
    });
});
