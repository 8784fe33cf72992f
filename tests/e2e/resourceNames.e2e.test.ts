// Level 4 (the e2e tier's real kube-apiserver, real kubectl as a ServiceAccount): resourceNames as
// Kubernetes reads them, which the evaluator (carriesNoName, NAME_BY_SELECTOR_VERBS), the component's
// refusal and plan's note follow: with a Role limited to ConfigMap "a", get works, list and watch work only
// selecting metadata.name=a, and create and deletecollection are forbidden though the rule lists them; a
// subresource's create names its object, so create serviceaccounts/token limited to "a" mints a's only.
import * as assert from "assert";
import * as fs from "fs";
import { authorize, carriesNoName } from "../../rbac/evaluator";
import { requestFor } from "../../rbac/scope";
import { e2e } from "../../testenv/engine";
import { accountKubeconfig, kubectl } from "./kube";

const NS = "resource-names-e2e";
const VERBS = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];
const RULE = { apiGroups: [""], resources: ["configmaps"], resourceNames: ["a"], verbs: VERBS };
const TOKENS = {
    apiGroups: [""],
    resources: ["serviceaccounts/token"],
    resourceNames: ["a"],
    verbs: ["create"],
};

describe("e2e (real control plane, real kubectl): resourceNames as Kubernetes reads them", function () {
    let account: string;
    before(function () {
        this.timeout(120_000);
        const manifest = [
            { apiVersion: "v1", kind: "Namespace", metadata: { name: NS } },
            ...["named", "a", "b"].map((name) => ({
                apiVersion: "v1",
                kind: "ServiceAccount",
                metadata: { name, namespace: NS },
            })),
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
                rules: [RULE, TOKENS],
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

    it("create of a subresource names its object: a token for account a, not for b", () => {
        // The token itself is never printed: only the status and kubectl's error are looked at.
        const mint = (account: string) => as(["create", "token", account, "-n", NS, "--duration", "10m"]);
        const a = mint("a");
        assert.strictEqual(a.status, 0, a.stderr);
        assert.ok(forbidden(mint("b")));
    });

    it("the evaluator answers the same for the requests the API server builds", () => {
        const grants = [{ scope: { kind: "namespace" as const, namespace: NS }, rules: [RULE, TOKENS] }];
        for (const verb of VERBS) {
            const allowed = authorize(
                grants,
                requestFor({ verb, group: "", resource: "configmaps", name: "a" }, NS),
            );
            assert.strictEqual(allowed, !carriesNoName(verb), verb);
        }
        const token = (name: string) =>
            authorize(
                grants,
                requestFor(
                    { verb: "create", group: "", resource: "serviceaccounts", subresource: "token", name },
                    NS,
                ),
            );
        assert.deepStrictEqual([token("a"), token("b")], [true, false]);
    });
});
