// The consumer's kubeconfig (components/kubeconfig.ts): entry names that keep several stacks' kubeconfigs
// apart when merged. Real kubectl merging them is proven in tests/e2e/kubeconfigMerge.e2e.test.ts.
import * as assert from "assert";
import * as YAML from "yaml";
import { kubeconfigEntryName, renderKubeconfig } from "../../components/kubeconfig";

const account = (server: string, namespace: string, user: string, token: string) =>
    renderKubeconfig({
        clusterName: "kubernetes",
        server,
        caCert: `CA of ${server}`,
        namespace,
        user,
        token,
    });

describe("consumer kubeconfig names", () => {
    it("names cluster, user and context after the cluster, its server, the namespace and the account", () => {
        assert.strictEqual(
            kubeconfigEntryName({
                clusterName: "prod",
                server: "https://203.0.113.10:6443",
                namespace: "monitoring",
                user: "prometheus-external",
            }),
            "prod/203.0.113.10:6443/monitoring/prometheus-external",
        );
        assert.strictEqual(
            kubeconfigEntryName({
                clusterName: "c",
                server: "https://api.example.test",
                namespace: "n",
                user: "u",
            }),
            "c/api.example.test:443/n/u",
        );
    });

    it("keeps two clusters with the default name, and two namespaces, apart in a merged kubeconfig", async () => {
        const docs = [
            account("https://10.0.0.1:6443", "apps", "api-service-account", "token-a"),
            account("https://10.0.0.2:6443", "apps", "api-service-account", "token-b"),
            account("https://10.0.0.1:6443", "tools", "api-service-account", "token-c"),
        ];
        const k8s = await import("@kubernetes/client-node");
        const merged = new k8s.KubeConfig();
        merged.loadFromString(docs[0]);
        for (const doc of docs.slice(1)) {
            const next = new k8s.KubeConfig();
            next.loadFromString(doc);
            merged.mergeConfig(next); // throws "Duplicate cluster: ..." on a repeated name
        }
        assert.strictEqual(merged.getContexts().length, 3);
        for (const doc of docs) {
            const name = (YAML.parse(doc) as { "current-context": string })["current-context"];
            merged.setCurrentContext(name);
            const own = YAML.parse(doc) as {
                clusters: { cluster: { server: string } }[];
                users: { user: { token: string } }[];
            };
            assert.strictEqual(merged.getCurrentCluster()?.server, own.clusters[0].cluster.server);
            assert.strictEqual(merged.getCurrentUser()?.token, own.users[0].user.token);
        }
    });
});
