// Level 4 (the e2e tier's real kube-apiserver and kube-controller-manager of the pinned release): the
// generated files of the evaluator (rbac/builtin/) are exactly what that API server serves, its
// discovery and its bootstrap ClusterRoles with aggregation resolved, so a Kubernetes upgrade that changes
// them fails here until `npm run generate:builtin` is run and the result committed.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { KUBERNETES_VERSION } from "../../rbac/builtin/kubernetesApi";
import { BUILTIN_DIR, builtinFiles } from "../../testenv/builtinApi";
import { e2e } from "../../testenv/engine";

describe("e2e (real control plane): the built-in API list and bootstrap roles are the pinned release's", function () {
    let files: Record<string, string>;
    before(async function () {
        this.timeout(120_000);
        const k8s = await import("@kubernetes/client-node");
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(e2e().adminKubeconfig);
        files = await builtinFiles(kc, e2e().cluster.version);
    });

    it("the committed files come from the running release", () => {
        assert.strictEqual(KUBERNETES_VERSION, e2e().cluster.version);
    });

    for (const name of ["kubernetesApi.ts", "clusterRoles.ts"]) {
        it(`rbac/builtin/${name} equals what the API server serves (npm run generate:builtin)`, () => {
            const committed = fs.readFileSync(path.join(BUILTIN_DIR, name), "utf8");
            assert.ok(
                committed === files[name],
                `rbac/builtin/${name} differs from Kubernetes ${e2e().cluster.version}'s; run npm run generate:builtin and commit it`,
            );
        });
    }
});
