// Level 4 (the e2e tier's real kube-apiserver, real kubectl as a ServiceAccount): resourceNames as
// Kubernetes reads them, which the evaluator (NAMELESS_VERBS, NAME_BY_SELECTOR_VERBS), the component's
// refusal and plan's note follow: with a Role limited to ConfigMap "a", get works, list and watch work only
// selecting metadata.name=a, and create and deletecollection are forbidden though the rule lists them.
import * as assert from "assert";
import * as fs from "fs";
import { authorize, NAMELESS_VERBS } from "../../rbac/evaluator";
import { requestFor } from "../../rbac/scope";
import { e2e } from "../../testenv/engine";
import { accountKubeconfig, kubectl } from "./kube";

const NS = "resource-names-e2e";
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const RULE = { apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"], verbs: VERBS };

describe("e2e (real control plane, real kubectl): resourceNames as Kubernetes reads them", function () {
    let account: string;
    before(function () {
        this.timeout(120_000);
        const manifest = [
            { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
            { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "named", namespace: NS } },
            ...["a", "b"].map((name) => ({
                apiVersion: "v1",
                kind: "ConfigMap",
                metadata: { name, namespace: NS },
                data: { k: name },
            })),
            {
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "Role",
                metadata: { name: "named", namespace: NS },
                rules: [RULE],
            },
            {
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "RoleBinding",
                metadata: { name: "named", namespace: NS },
                roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "named" },
                subjects: [{ kind: "ServiceAccount", name: "named", namespace: NS }],
            },
        ];
        const file = `${e2e().root}/resource-names.json`;
        fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: manifest }));
        const applied = kubectl(["apply", "-f", file]);
        assert.strictEqual(applied.status, 0, applied.stderr);
        account = accountKubeconfig("named", NS);
    });

    after(() => {
        kubectl(["delete", "namespace", NS, "--wait=false"]);
    });

    const as = (args: string[]) => kubectl(args, account);
    const forbidden = (r: { status: number | null; stderr: string }) =>
        r.status !== 0 && /forbidden/i.test(r.stderr);

    it("get names the object: allowed for a, forbidden for b", () => {
        assert.strictEqual(as(["get", "configmap", "a"]).status, 0);
        assert.ok(forbidden(as(["get", "configmap", "b"])));
    });

    it("list is allowed only selecting metadata.name=a, watch too", () => {
        const byName = as(["get", "configmaps", "--field-selector", "metadata.name=a", "-o", "name"]);
        assert.strictEqual(byName.status, 0, byName.stderr);
        assert.strictEqual(byName.stdout.trim(), "configmap/a");
        assert.ok(forbidden(as(["get", "configmaps"])));
        assert.ok(forbidden(as(["get", "configmaps", "--field-selector", "metadata.name=b"])));
        const watch = as([
            "get",
            "configmaps",
            "--field-selector",
            "metadata.name=a",
            "--watch",
            "--request-timeout=2s",
        ]);
        assert.ok(!forbidden(watch), watch.stderr);
    });

    it("create and deletecollection carry no name: forbidden though the rule lists them", () => {
        assert.ok(forbidden(as(["create", "configmap", "a", "--from-literal=k=v", "--dry-run=server"])));
        assert.ok(forbidden(as(["delete", "--raw", `/api/v1/namespaces/${NS}/configmaps`])));
    });

    it("the evaluator answers the same for the requests the API server builds", () => {
        const grants = [{ scope: { kind: "namespace" as const, namespace: NS }, rules: [RULE] }];
        for (const verb of VERBS) {
            const allowed = authorize(
                grants,
                requestFor({ verb, group: "", resource: "configmaps", name: "a" }, NS),
            );
            assert.strictEqual(allowed, !NAMELESS_VERBS.includes(verb), verb);
        }
    });
});
