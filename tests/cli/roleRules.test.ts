// What plan and verify say about the rules of the roles they see (level 1, pure): names against a catalog,
// a custom resource's group noted, resourceNames read as Kubernetes reads them, and the sensitive rows a
// grant holds (plan's matrix marks).
import * as assert from "assert";
import { BUILTIN_SOURCE } from "../../components/apiNames";
import { checkRoleRules, rolesOf } from "../../cli/roleRules";
import { sensitiveOf } from "../../cli/plan/rules";
import { RBAC } from "../policy/harness";

const reader = (rules: unknown[]) => [
    {
        type: `${RBAC}/v1:Role`,
        name: "r",
        inputs: { metadata: { name: "reader", namespace: "apps" }, rules },
    },
];

describe("plan's and verify's rule checks", () => {
    it("refuses a typo with did you mean, naming the role and rule", () => {
        const found = checkRoleRules(
            rolesOf(reader([{ apiGroups: ["app"], resources: ["deployments"], verbs: ["get"] }])),
            BUILTIN_SOURCE,
        );
        assert.strictEqual(found.problems.length, 1);
        assert.match(
            found.problems[0],
            /^Role "apps\/reader" rule 0 apiGroups "app": .*did you mean "apps"\?/,
        );
    });

    it("notes a custom resource's group as not checked, and checks nothing in it", () => {
        const found = checkRoleRules(
            rolesOf(
                reader([
                    { apiGroups: ["monitoring.coreos.com"], resources: ["prometheusez"], verbs: ["get"] },
                ]),
            ),
            BUILTIN_SOURCE,
        );
        assert.deepStrictEqual(found.problems, []);
        assert.match(
            found.notes[0],
            /API group "monitoring.coreos.com" is not built into Kubernetes .* --kubeconfig checks them/,
        );
    });

    it("checks a custom resource's group against a cluster's catalog", () => {
        const cluster = {
            catalog: {
                "": [],
                "monitoring.coreos.com": [
                    { name: "prometheuses", kind: "Prometheus", namespaced: true, verbs: ["get"] },
                ],
            },
            name: "the discovery of the cluster",
            builtin: false,
        };
        const found = checkRoleRules(
            rolesOf(
                reader([{ apiGroups: ["monitoring.coreos.com"], resources: ["prometheus"], verbs: ["get"] }]),
            ),
            cluster,
        );
        assert.match(
            found.problems[0],
            /resources "prometheus": the discovery of the cluster has no resource .*did you mean "prometheuses"\?/,
        );
        const gone = checkRoleRules(
            rolesOf(reader([{ apiGroups: ["example.com"], resources: ["x"], verbs: ["get"] }])),
            cluster,
        );
        assert.match(
            gone.problems[0],
            /apiGroups "example.com": the discovery of the cluster serves no API group "example.com"/,
        );
    });

    it("refuses create by name and notes list and watch by name", () => {
        const found = checkRoleRules(
            rolesOf(
                reader([
                    {
                        apiGroups: [""],
                        resources: ["configmaps"],
                        resourceNames: ["app-config"],
                        verbs: ["create", "list", "watch"],
                    },
                ]),
            ),
            BUILTIN_SOURCE,
        );
        assert.deepStrictEqual(found.problems.length, 1);
        assert.match(found.problems[0], /rule 0 grants create with resourceNames: .* never allows it/);
        assert.match(
            found.notes[0],
            /list, watch only for app-config: the client must list or watch with the field selector metadata.name=app-config/,
        );
    });

    it("keeps create of a subresource by name: its request names the object (serviceaccounts/<name>/token)", () => {
        const found = checkRoleRules(
            rolesOf(
                reader([
                    {
                        apiGroups: [""],
                        resources: ["serviceaccounts/token"],
                        resourceNames: ["reporter"],
                        verbs: ["create"],
                    },
                ]),
            ),
            BUILTIN_SOURCE,
        );
        assert.deepStrictEqual(found.problems, []);
    });
});

describe("plan's sensitive marks", () => {
    it("marks the permissions a row names and says what they reach in the binding's namespace", () => {
        const perms = [
            { verb: "get", group: "", resource: "pods" },
            { verb: "create", group: "", resource: "pods" },
            { verb: "update", group: "certificates.k8s.io", resource: "certificatesigningrequests/approval" },
        ];
        const marks = sensitiveOf(perms, { kind: "namespace", namespace: "ci" });
        assert.deepStrictEqual(
            marks.map((m) => [m.row, m.permissions]),
            [["create-workloads", ["create pods"]]],
        );
        assert.match(marks[0].reaches, /any ServiceAccount of namespace ci \(system:serviceaccounts:ci\)/);
        const approve = [...perms, { verb: "approve", group: "certificates.k8s.io", resource: "signers" }];
        assert.ok(sensitiveOf(approve, { kind: "cluster" }).some((m) => m.row === "approve-csrs"));
    });

    it("marks create serviceaccounts/token by name, reaching those accounts only; unnamed, every one", () => {
        const named = { verb: "create", group: "", resource: "serviceaccounts/token", names: ["reporter"] };
        const marks = sensitiveOf([named], { kind: "namespace", namespace: "ci" });
        assert.deepStrictEqual(
            marks.map((m) => [m.row, m.permissions, m.reaches]),
            [
                [
                    "create-serviceaccount-tokens",
                    ["create serviceaccounts/token (names: reporter)"],
                    "mints tokens only for ServiceAccount ci/reporter, and acts as it",
                ],
            ],
        );
        const both = sensitiveOf([named, { ...named, names: undefined }], {
            kind: "namespace",
            namespace: "ci",
        });
        assert.match(both[0].reaches, /^mints tokens for any ServiceAccount it reaches/);
    });
});
