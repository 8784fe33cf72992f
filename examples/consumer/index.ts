// Reads the account from the kube-api-access stack, builds a Kubernetes provider from it, and deploys a
// ConfigMap in the account's namespace with that provider only.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
const access = new pulumi.StackReference(config.require("accessStack"));

const namespace = access.requireOutput("namespace") as pulumi.Output<string>;

// The kubeconfig output is secret and stays secret through the StackReference. The second way shows
// how a consumer that gets endpoint, CA and token separately (a CI system, say) puts them together.
const kubeconfig =
    (config.getBoolean("useKubeconfig") ?? true)
        ? (access.requireOutput("kubeconfig") as pulumi.Output<string>)
        : pulumi.secret(
              pulumi
                  .all([
                      access.requireOutput("endpoint") as pulumi.Output<string>,
                      access.requireOutput("caCert") as pulumi.Output<string>,
                      access.requireOutput("token") as pulumi.Output<string>,
                      namespace,
                  ])
                  .apply(([server, ca, token, ns]) =>
                      JSON.stringify({
                          apiVersion: "v1",
                          kind: "Config",
                          clusters: [
                              {
                                  name: "cluster",
                                  cluster: {
                                      server,
                                      "certificate-authority-data": Buffer.from(ca).toString("base64"),
                                  },
                              },
                          ],
                          users: [{ name: "account", user: { token } }],
                          contexts: [
                              {
                                  name: "account",
                                  context: { cluster: "cluster", user: "account", namespace: ns },
                              },
                          ],
                          "current-context": "account",
                      }),
                  ),
          );

const provider = new k8s.Provider("api-access", { kubeconfig, namespace });

const settings = new k8s.core.v1.ConfigMap(
    "app-settings",
    {
        metadata: { namespace },
        data: { "deployed-by": "kube-api-access-consumer", stack: pulumi.getStack() },
    },
    { provider },
);

export const configMapName = settings.metadata.name;
