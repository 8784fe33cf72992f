// The ownership check's reader (components/clusterReader.ts) against a real HTTPS server on 127.0.0.1
// (level 3): @kubernetes/client-node loaded as the component loads it, discovery of each kind's resource,
// the provider's credential sent, 404 as absent, and an unreachable server named once.
import * as assert from "assert";
import * as fs from "fs";
import * as https from "https";
import { AddressInfo } from "net";
import * as YAML from "yaml";
import { clusterReader } from "../../components/clusterReader";
import { closedPort, makePki, Pki } from "../cli/verify/fakeApiServer";

const DISCOVERY: Record<string, unknown> = {
    "/api/v1": {
        kind: "APIResourceList",
        groupVersion: "v1",
        resources: [
            { name: "namespaces", kind: "Namespace", namespaced: false, verbs: ["get"] },
            { name: "secrets", kind: "Secret", namespaced: true, verbs: ["get"] },
        ],
    },
    "/apis/rbac.authorization.k8s.io/v1": {
        kind: "APIResourceList",
        groupVersion: "rbac.authorization.k8s.io/v1",
        resources: [{ name: "clusterroles", kind: "ClusterRole", namespaced: false, verbs: ["get"] }],
    },
};
const OBJECTS: Record<string, unknown> = {
    "/api/v1/namespaces/monitoring": {
        apiVersion: "v1",
        kind: "Namespace",
        metadata: { name: "monitoring", annotations: { "example.test/a": "b" } },
    },
    "/apis/rbac.authorization.k8s.io/v1/clusterroles/kube-api-access:a:b": {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: "kube-api-access:a:b" },
    },
};

describe("cluster reader (real HTTPS server on 127.0.0.1)", function () {
    this.timeout(60_000);
    let pki: Pki;
    let server: https.Server;
    let url: string;
    const seen: { path: string; authorization?: string }[] = [];

    before(async () => {
        pki = makePki();
        server = https.createServer({ key: pki.server.key, cert: pki.server.cert }, (req, res) => {
            const path = decodeURIComponent((req.url ?? "").split("?")[0]);
            seen.push({ path, authorization: req.headers.authorization });
            const body = DISCOVERY[path] ?? OBJECTS[path];
            res.writeHead(body ? 200 : 404, { "content-type": "application/json" });
            res.end(JSON.stringify(body ?? { kind: "Status", code: 404, reason: "NotFound" }));
        });
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    after(() => {
        server.close();
        fs.rmSync(pki.dir, { recursive: true, force: true });
    });

    const kubeconfig = (server: string) =>
        YAML.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [
                {
                    name: "c",
                    cluster: {
                        server,
                        "certificate-authority-data": Buffer.from(pki.caCert).toString("base64"),
                    },
                },
            ],
            users: [{ name: "u", user: { token: "deployer-token" } }],
            contexts: [{ name: "x", context: { cluster: "c", user: "u" } }],
            "current-context": "x",
        });

    it("reads annotations, with the provider's credential, and takes 404 as absent", async () => {
        const read = clusterReader(kubeconfig(url));
        assert.deepStrictEqual(await read({ apiVersion: "v1", kind: "Namespace", name: "monitoring" }), {
            annotations: { "example.test/a": "b" },
        });
        assert.deepStrictEqual(
            await read({
                apiVersion: "rbac.authorization.k8s.io/v1",
                kind: "ClusterRole",
                name: "kube-api-access:a:b",
            }),
            { annotations: {} },
        );
        assert.strictEqual(
            await read({ apiVersion: "v1", kind: "Secret", name: "reader-token", namespace: "monitoring" }),
            undefined,
        );
        assert.ok(seen.some((r) => r.path === "/api/v1/namespaces/monitoring/secrets/reader-token"));
        assert.ok(seen.every((r) => r.authorization === "Bearer deployer-token"));
    });

    it("says which API server is unreachable", async () => {
        const down = `https://127.0.0.1:${await closedPort()}`;
        const read = clusterReader(kubeconfig(down));
        await assert.rejects(
            read({ apiVersion: "v1", kind: "Namespace", name: "monitoring" }),
            (err: Error) => {
                assert.strictEqual(err.name, "UnreachableError");
                assert.match(
                    err.message,
                    new RegExp(`the API server ${down} is unreachable \\(.*ECONNREFUSED`),
                );
                return true;
            },
        );
    });
});
