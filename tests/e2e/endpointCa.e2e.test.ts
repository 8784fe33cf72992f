// Level 4, end to end (real Pulumi CLI, provider, control plane and kubectl): consumers reaching the API
// through a TLS-terminating proxy whose certificate another CA signed. With `endpointCaCert` set to that
// CA, the kubeconfig `pulumi up` hands out reaches the API through the proxy; `caCert` stays the cluster
// CA, which the proxy's certificate does not verify against.
import * as assert from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import * as tls from "tls";
import * as YAML from "yaml";
import { Stack } from "@pulumi/pulumi/automation";
import { e2e } from "../../testenv/engine";
import { destroy, stackOf, up } from "../../testenv/engineStacks";
import { createPki } from "../../testenv/pki";
import { kubeconfigFile, kubectlAsync } from "./kube";

const STACK = "e2e-endpoint-ca";

/** A proxy on loopback that ends TLS with its own certificate and opens a TLS connection to `upstream`. */
async function tlsProxy(
    upstream: URL,
    upstreamCa: string,
    cert: string,
    key: string,
): Promise<{ url: string; close: () => void }> {
    const server = tls.createServer({ cert, key }, (client) => {
        const backend = tls.connect({
            host: upstream.hostname,
            port: Number(upstream.port),
            ca: upstreamCa,
            servername: upstream.hostname === "127.0.0.1" ? undefined : upstream.hostname,
        });
        client.pipe(backend).pipe(client);
        const end = () => {
            client.destroy();
            backend.destroy();
        };
        client.on("error", end);
        backend.on("error", end);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as net.AddressInfo).port;
    return { url: `https://127.0.0.1:${port}`, close: () => server.close() };
}

describe("e2e (real CLI, provider, control plane, kubectl): the CA consumers trust for the endpoint", function () {
    let stack: Stack;
    let proxy: { url: string; close: () => void };
    let proxyCa: string;

    before(async () => {
        const dir = fs.mkdtempSync(path.join(e2e().root, "proxy-pki-"));
        const pki = createPki(dir);
        proxyCa = fs.readFileSync(pki.caCert, "utf8");
        proxy = await tlsProxy(
            new URL(e2e().cluster.server),
            fs.readFileSync(e2e().cluster.caCert, "utf8"),
            fs.readFileSync(pki.servingCert, "utf8"),
            fs.readFileSync(pki.servingKey, "utf8"),
        );
        stack = await stackOf(STACK, {
            "kube-api-access:namespace": { value: STACK },
            "kube-api-access:endpoint": { value: proxy.url },
            "kube-api-access:endpointCaCert": { value: proxyCa },
        });
    });
    after(async () => {
        await destroy(stack);
        proxy?.close();
    });

    it("hands out a kubeconfig that reaches the API through the proxy, trusting the proxy's CA", async () => {
        const res = await up(stack);
        const outputs = res.outputs;
        assert.strictEqual(outputs.endpoint.value, proxy.url);
        assert.strictEqual(outputs.endpointCaCert.value, proxyCa);
        assert.notStrictEqual(outputs.caCert.value, proxyCa, "caCert must stay the cluster CA");
        const file = kubeconfigFile(STACK, outputs.kubeconfig.value as string);
        const who = await kubectlAsync(
            ["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"],
            file,
        );
        assert.strictEqual(who.status, 0, who.stderr);
        assert.strictEqual(who.stdout, `system:serviceaccount:${STACK}:api-service-account`);

        // The same kubeconfig with the cluster CA (the old behaviour) fails verification at the proxy.
        const doc = YAML.parse(outputs.kubeconfig.value as string);
        doc.clusters[0].cluster["certificate-authority-data"] = Buffer.from(
            outputs.caCert.value as string,
        ).toString("base64");
        const wrong = await kubectlAsync(
            ["auth", "whoami"],
            kubeconfigFile(`${STACK}-cluster-ca`, YAML.stringify(doc)),
        );
        assert.notStrictEqual(wrong.status, 0);
        assert.match(wrong.stderr, /certificate signed by unknown authority|x509/);
    });
});
