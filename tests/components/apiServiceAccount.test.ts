// ApiServiceAccount under Pulumi's mock runtime (level 1): exact resources, wiring, secrets and outputs.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { presetRules } from "../../components/rbac";
import { OFFLINE_CA_PEM, offlineToken, offlineUid } from "../../offline/mocks";
import { withEnv } from "../../offline/program";
import { createPki } from "../../testenv/pki";
import { at, build, ENDPOINT, FIXTURES, only, TYPES } from "../helpers";

describe("ApiServiceAccount (mock runtime)", () => {
    describe("cluster scope, defaults", () => {
        let built: Awaited<ReturnType<typeof build>>;
        before(async () => {
            built = await build({
                namespace: "devops-tools",
                serviceAccountName: "api-service-account",
                endpoint: ENDPOINT,
            });
        });

        it("registers exactly the component, namespace, account, cluster role, binding, two token slots and their ledger", () => {
            const got = built.resources.map((r) => `${r.type} ${r.name}`).sort();
            assert.deepStrictEqual(
                got,
                [
                    `${TYPES.component} api`,
                    `${TYPES.namespace} api-namespace`,
                    `${TYPES.serviceAccount} api-sa`,
                    `${TYPES.secret} api-token`,
                    `${TYPES.secret} api-token-b`,
                    `${TYPES.serviceAccountPatch} api-token-ledger`,
                    `${TYPES.stash} api-token-rotation`,
                    `${TYPES.clusterRole} api-role`,
                    `${TYPES.clusterRoleBinding} api-binding`,
                ].sort(),
            );
        });

        it("parents every child to the component", () => {
            const component = only(built.resources, TYPES.component);
            for (const r of built.resources.filter((x) => x.custom)) {
                assert.strictEqual(r.parent, component.urn, `${r.name} is not a child of the component`);
                assert.ok(r.urn.includes(`${TYPES.component}$`), r.urn);
            }
        });

        it("marks every object it creates with the component's URN, which the ownership check looks for", () => {
            const component = only(built.resources, TYPES.component);
            const created = built.resources.filter(
                (x) => x.custom && x.type !== TYPES.serviceAccountPatch && x.type !== TYPES.stash,
            );
            for (const r of created) {
                assert.strictEqual(
                    (at(r, "metadata.annotations") as Record<string, string>)[
                        "kube-api-access.pulumi.com/owner"
                    ],
                    component.urn,
                    `${r.name} is not marked`,
                );
            }
        });

        it("labels every object it creates (a patch and the rotation marker create none)", () => {
            const created = built.resources.filter(
                (x) => x.custom && x.type !== TYPES.serviceAccountPatch && x.type !== TYPES.stash,
            );
            assert.strictEqual(created.length, 6, created.map((r) => r.name).join(", "));
            for (const r of created) {
                assert.deepStrictEqual(at(r, "metadata.labels"), {
                    "app.kubernetes.io/managed-by": "pulumi",
                    "app.kubernetes.io/part-of": "kube-api-access",
                    "app.kubernetes.io/instance": "api",
                });
            }
        });

        it("creates the namespace and a ServiceAccount with its exact name that pods cannot mount", () => {
            assert.strictEqual(at(only(built.resources, TYPES.namespace), "metadata.name"), "devops-tools");
            const sa = only(built.resources, TYPES.serviceAccount);
            assert.strictEqual(at(sa, "metadata.name"), "api-service-account");
            assert.strictEqual(at(sa, "metadata.namespace"), "devops-tools");
            assert.strictEqual(at(sa, "automountServiceAccountToken"), false);
            assert.strictEqual(at(sa, "secrets"), undefined, "the token must not be listed in secrets");
        });

        it("grants the read-only preset through a ClusterRole bound to that account only", () => {
            const role = only(built.resources, TYPES.clusterRole);
            assert.strictEqual(at(role, "metadata.name"), "kube-api-access:devops-tools:api-service-account");
            assert.deepStrictEqual(at(role, "rules"), presetRules("read-only", "cluster"));
            const binding = only(built.resources, TYPES.clusterRoleBinding);
            assert.deepStrictEqual(at(binding, "roleRef"), {
                apiGroup: "rbac.authorization.k8s.io",
                kind: "ClusterRole",
                name: "kube-api-access:devops-tools:api-service-account",
            });
            assert.deepStrictEqual(at(binding, "subjects"), [
                { kind: "ServiceAccount", name: "api-service-account", namespace: "devops-tools" },
            ]);
        });

        it("creates a token Secret that the provider waits for, bounded by the timeout, and that follows the account", () => {
            const secret = only(built.resources, TYPES.secret, "api-token");
            assert.strictEqual(at(secret, "type"), "kubernetes.io/service-account-token");
            assert.strictEqual(at(secret, "metadata.name"), "api-service-account-token");
            assert.strictEqual(at(secret, "metadata.namespace"), "devops-tools");
            assert.deepStrictEqual(at(secret, "metadata.annotations"), {
                "kubernetes.io/service-account.name": "api-service-account",
                "pulumi.com/waitFor": "jsonpath={.data.token}",
                "kube-api-access.pulumi.com/service-account-uid": offlineUid(
                    "ServiceAccount",
                    "devops-tools",
                    "api-service-account",
                ),
                "kube-api-access.pulumi.com/owner": only(built.resources, TYPES.component).urn,
            });
            assert.deepStrictEqual(secret.customTimeouts, {
                create: "120s",
                update: "120s",
                delete: undefined,
            });
            assert.deepStrictEqual(secret.replaceOnChanges, [
                'metadata.annotations["kube-api-access.pulumi.com/service-account-uid"]',
                "type",
            ]);
            assert.strictEqual(secret.deleteBeforeReplace, true);
            const account = only(built.resources, TYPES.serviceAccount);
            assert.deepStrictEqual(
                secret.replaceWith,
                [account.urn],
                "a replaced account replaces its token",
            );
            assert.strictEqual(account.deleteBeforeReplace, true, "the account's name is fixed");
            assert.strictEqual(at(secret, "data"), undefined, "the token controller fills data, not us");
        });

        it("leaves the second token slot empty until the first rotation: an Opaque Secret with no token", () => {
            const empty = only(built.resources, TYPES.secret, "api-token-b");
            assert.strictEqual(at(empty, "type"), "Opaque");
            assert.strictEqual(at(empty, "metadata.name"), "api-service-account-token-unused-b");
            assert.deepStrictEqual(at(empty, "metadata.annotations"), {
                "kubernetes.io/service-account.name": "api-service-account",
                "kube-api-access.pulumi.com/service-account-uid": offlineUid(
                    "ServiceAccount",
                    "devops-tools",
                    "api-service-account",
                ),
                "kube-api-access.pulumi.com/token-slot": "unused",
                "kube-api-access.pulumi.com/owner": only(built.resources, TYPES.component).urn,
            });
            assert.strictEqual(empty.deleteBeforeReplace, true);
        });

        it("records the generations on the ServiceAccount (a patch) against a rotation marker", () => {
            const patch = only(built.resources, TYPES.serviceAccountPatch);
            assert.strictEqual(at(patch, "metadata.name"), "api-service-account");
            assert.strictEqual(at(patch, "metadata.namespace"), "devops-tools");
            const ledger = JSON.parse(
                (at(patch, "metadata.annotations") as Record<string, string>)[
                    "kube-api-access.pulumi.com/token-generations"
                ],
            ) as unknown;
            assert.deepStrictEqual(ledger, {
                marker: "api-token-rotation-id",
                current: 0,
                slots: [1, 0],
                last: 1,
                account: offlineUid("ServiceAccount", "devops-tools", "api-service-account"),
            });
            const marker = only(built.resources, TYPES.stash);
            assert.deepStrictEqual(marker.inputs, { input: "" });
            assert.deepStrictEqual(marker.replaceOnChanges, ["input"]);
        });

        it("deletes every fixed-name Kubernetes child before replacing it (namespace, account, roles, token)", () => {
            const k8sChildren = built.resources.filter(
                (r) => r.type.startsWith("kubernetes:") && r.type !== TYPES.serviceAccountPatch,
            );
            assert.ok(k8sChildren.length >= 5, k8sChildren.map((r) => r.type).join(", "));
            for (const r of k8sChildren) {
                assert.strictEqual(r.deleteBeforeReplace, true, `${r.type} ${r.name}`);
            }
        });

        it("outputs names, subject and endpoint in clear", () => {
            const expected: Record<string, unknown> = {
                namespace: { value: "devops-tools", secret: false, known: true },
                serviceAccountName: { value: "api-service-account", secret: false, known: true },
                subject: {
                    value: "system:serviceaccount:devops-tools:api-service-account",
                    secret: false,
                    known: true,
                },
                roleName: {
                    value: "kube-api-access:devops-tools:api-service-account",
                    secret: false,
                    known: true,
                },
                bindingName: {
                    value: "kube-api-access:devops-tools:api-service-account",
                    secret: false,
                    known: true,
                },
                tokenSecretName: { value: "api-service-account-token", secret: false, known: true },
                endpoint: { value: ENDPOINT, secret: false, known: true },
            };
            const o = built.outputs;
            assert.deepStrictEqual(Object.fromEntries(Object.keys(expected).map((k) => [k, o[k]])), expected);
        });

        it("decodes the token into a secret output, and the CA into a clear one", () => {
            assert.deepStrictEqual(built.outputs.token, {
                value: offlineToken("devops-tools", "api-service-account"),
                secret: true,
                known: true,
            });
            assert.deepStrictEqual(built.outputs.caCert, {
                value: OFFLINE_CA_PEM,
                secret: false,
                known: true,
            });
        });

        it("hands back a secret kubeconfig that verifies TLS against the cluster CA and uses the token", () => {
            assert.strictEqual(built.outputs.kubeconfig.secret, true);
            const text = built.outputs.kubeconfig.value as string;
            assert.ok(!/insecure-skip-tls-verify/.test(text));
            const doc = YAML.parse(text);
            assert.strictEqual(doc.kind, "Config");
            // One name for the three entries, unique per cluster (name and server), namespace and account.
            const entry = "kubernetes/api.k8s.example.test:6443/devops-tools/api-service-account";
            assert.deepStrictEqual(doc.clusters, [
                {
                    name: entry,
                    cluster: {
                        server: ENDPOINT,
                        "certificate-authority-data": Buffer.from(OFFLINE_CA_PEM).toString("base64"),
                    },
                },
            ]);
            assert.deepStrictEqual(doc.users, [
                { name: entry, user: { token: offlineToken("devops-tools", "api-service-account") } },
            ]);
            assert.strictEqual(doc["current-context"], entry);
            assert.deepStrictEqual(doc.contexts, [
                { name: entry, context: { cluster: entry, user: entry, namespace: "devops-tools" } },
            ]);
        });

        it("hands back a kubeconfig that the official client reads to the same server, CA and token", async () => {
            const { KubeConfig } = await import("@kubernetes/client-node");
            const kc = new KubeConfig();
            kc.loadFromString(built.outputs.kubeconfig.value as string);
            assert.strictEqual(kc.getCurrentCluster()?.server, ENDPOINT);
            assert.strictEqual(kc.getCurrentCluster()?.skipTLSVerify, false);
            assert.strictEqual(
                Buffer.from(kc.getCurrentCluster()?.caData ?? "", "base64").toString(),
                OFFLINE_CA_PEM,
            );
            assert.strictEqual(
                kc.getCurrentUser()?.token,
                offlineToken("devops-tools", "api-service-account"),
            );
            assert.strictEqual(kc.getContextObject(kc.getCurrentContext())?.namespace, "devops-tools");
        });
    });

    describe("namespace scope", () => {
        it("creates a Role and RoleBinding in the account's namespace and in each extra namespace", async () => {
            const { resources, outputs } = await build(
                {
                    namespace: "ci",
                    serviceAccountName: "runner",
                    scope: "namespace",
                    extraNamespaces: ["team-a", "team-b"],
                    endpoint: ENDPOINT,
                },
                undefined,
                "ci",
            );
            const roles = resources.filter((r) => r.type === TYPES.role);
            const bindings = resources.filter((r) => r.type === TYPES.roleBinding);
            assert.deepStrictEqual(roles.map((r) => [r.name, at(r, "metadata.namespace")]).sort(), [
                ["ci-role", "ci"],
                ["ci-role-team-a", "team-a"],
                ["ci-role-team-b", "team-b"],
            ]);
            assert.deepStrictEqual(bindings.map((r) => [r.name, at(r, "metadata.namespace")]).sort(), [
                ["ci-binding", "ci"],
                ["ci-binding-team-a", "team-a"],
                ["ci-binding-team-b", "team-b"],
            ]);
            for (const b of bindings) {
                assert.deepStrictEqual(at(b, "subjects"), [
                    { kind: "ServiceAccount", name: "runner", namespace: "ci" },
                ]);
                assert.deepStrictEqual(at(b, "roleRef"), {
                    apiGroup: "rbac.authorization.k8s.io",
                    kind: "Role",
                    name: "kube-api-access:ci:runner",
                });
            }
            for (const r of roles) {
                assert.deepStrictEqual(at(r, "rules"), presetRules("read-only", "namespace"));
            }
            assert.strictEqual(
                resources.filter((r) => r.type === TYPES.clusterRole || r.type === TYPES.clusterRoleBinding)
                    .length,
                0,
            );
            assert.strictEqual(
                resources.filter((r) => r.type === TYPES.namespace).length,
                1,
                "extra namespaces are not created",
            );
            assert.strictEqual(outputs.roleName.value, "kube-api-access:ci:runner");
        });

        it("uses an existing namespace when createNamespace is false", async () => {
            const { resources } = await build({
                namespace: "existing",
                createNamespace: false,
                endpoint: ENDPOINT,
            });
            assert.strictEqual(resources.filter((r) => r.type === TYPES.namespace).length, 0);
            assert.strictEqual(at(only(resources, TYPES.serviceAccount), "metadata.namespace"), "existing");
            assert.strictEqual(
                at(only(resources, TYPES.serviceAccount), "metadata.name"),
                "api",
                "defaults to the component name",
            );
        });

        it("puts the account in kube-system with createNamespace false, never registering the namespace", async () => {
            const { resources } = await build({
                namespace: "kube-system",
                createNamespace: false,
                endpoint: ENDPOINT,
            });
            assert.strictEqual(resources.filter((r) => r.type === TYPES.namespace).length, 0);
            assert.strictEqual(
                at(only(resources, TYPES.serviceAccount), "metadata.namespace"),
                "kube-system",
            );
        });
    });

    describe("presets and rules", () => {
        const rulesOf = async (args: Parameters<typeof build>[0]) => {
            const { resources } = await build({ endpoint: ENDPOINT, ...args });
            const role = resources.find((r) => r.type === TYPES.clusterRole || r.type === TYPES.role);
            return at(role!, "rules");
        };

        it("read-only grants get/list/watch on workloads, services, config and events, and nothing on Secrets", async () => {
            const rules = (await rulesOf({ namespace: "a" })) as { resources?: string[]; verbs: string[] }[];
            assert.deepStrictEqual(rules, [
                {
                    apiGroups: [""],
                    resources: [
                        "configmaps",
                        "endpoints",
                        "events",
                        "namespaces",
                        "persistentvolumeclaims",
                        "pods",
                        "replicationcontrollers",
                        "services",
                    ],
                    verbs: ["get", "list", "watch"],
                },
                {
                    apiGroups: ["apps"],
                    resources: ["daemonsets", "deployments", "replicasets", "statefulsets"],
                    verbs: ["get", "list", "watch"],
                },
                { apiGroups: ["batch"], resources: ["cronjobs", "jobs"], verbs: ["get", "list", "watch"] },
                {
                    apiGroups: ["autoscaling"],
                    resources: ["horizontalpodautoscalers"],
                    verbs: ["get", "list", "watch"],
                },
                {
                    apiGroups: ["networking.k8s.io"],
                    resources: ["ingresses"],
                    verbs: ["get", "list", "watch"],
                },
                {
                    apiGroups: ["discovery.k8s.io"],
                    resources: ["endpointslices"],
                    verbs: ["get", "list", "watch"],
                },
                { apiGroups: ["events.k8s.io"], resources: ["events"], verbs: ["get", "list", "watch"] },
            ]);
            assert.ok(rules.every((r) => !(r.resources ?? []).includes("secrets")));
        });

        // What Prometheus' service discovery reads in a namespace; cluster-wide it also gets nodes and /metrics.
        const read = ["get", "list", "watch"];
        const monitoringNamespaced = [
            { apiGroups: [""], resources: ["endpoints", "pods", "services"], verbs: read },
            { apiGroups: ["discovery.k8s.io"], resources: ["endpointslices"], verbs: read },
            { apiGroups: ["networking.k8s.io"], resources: ["ingresses"], verbs: read },
        ];

        it("monitoring grants what Prometheus reads, with /metrics, cluster-wide", async () => {
            assert.deepStrictEqual(await rulesOf({ namespace: "a", access: "monitoring" }), [
                { apiGroups: [""], resources: ["nodes", "nodes/metrics"], verbs: read },
                ...monitoringNamespaced,
                { nonResourceURLs: ["/metrics"], verbs: ["get"] },
            ]);
        });

        it("monitoring in a namespace keeps only the namespaced rules", async () => {
            assert.deepStrictEqual(
                await rulesOf({ namespace: "a", access: "monitoring", scope: "namespace" }),
                monitoringNamespaced,
            );
        });

        it("full grants read-write including Secrets and pods/exec", async () => {
            const rules = (await rulesOf({ namespace: "a", access: "full" })) as {
                resources?: string[];
                verbs: string[];
            }[];
            assert.deepStrictEqual(rules[0].verbs, [
                "get",
                "list",
                "watch",
                "create",
                "update",
                "patch",
                "delete",
            ]);
            assert.ok(rules[0].resources!.includes("secrets"));
            assert.ok(rules[0].resources!.includes("pods/exec"));
            assert.deepStrictEqual(rules, presetRules("full", "cluster"));
        });

        it("custom rules replace the preset exactly", async () => {
            const custom = [
                {
                    apiGroups: ["apps"],
                    resources: ["deployments"],
                    resourceNames: ["web"],
                    verbs: ["get", "patch"],
                },
            ];
            assert.deepStrictEqual(await rulesOf({ namespace: "a", access: "full", rules: custom }), custom);
        });

        it("wildcards pass when allowWildcards is set", async () => {
            const custom = [{ apiGroups: ["*"], resources: ["*"], verbs: ["*"] }];
            assert.deepStrictEqual(
                await rulesOf({ namespace: "a", rules: custom, allowWildcards: true }),
                custom,
            );
        });
    });

    describe("token lifecycle", () => {
        it("hands tokenRotation to the rotation marker only, as given (secret stays secret), never to the cluster", async () => {
            const { resources } = await build({
                namespace: "a",
                endpoint: ENDPOINT,
                tokenRotation: pulumi.secret("2026-11"),
            });
            const marker = only(resources, TYPES.stash);
            assert.deepStrictEqual(marker.inputs, { input: "2026-11" });
            assert.deepStrictEqual(marker.secretInputs, ["input"]);
            const k8sInputs = JSON.stringify(resources.filter((r) => r.type.startsWith("kubernetes:")));
            assert.ok(!k8sInputs.includes("2026-11"), "the rotation value reached a Kubernetes object");
        });

        it("a secret tokenRotation stays secret in the rotation marker, never reaches a Secret, and tokenSecretName stays clear (README outputs)", async () => {
            const { resources, outputs } = await build({
                namespace: "a",
                endpoint: ENDPOINT,
                tokenRotation: pulumi.secret("2026-11"),
            });
            assert.deepStrictEqual(only(resources, TYPES.stash).secretInputs, ["input"]);
            for (const secret of resources.filter((r) => r.type === TYPES.secret)) {
                assert.ok(!JSON.stringify(secret.inputs).includes("2026-11"), secret.name);
            }
            assert.deepStrictEqual(outputs.tokenSecretName, {
                value: "api-token",
                secret: false,
                known: true,
            });
        });

        it("bounds the token wait by tokenTimeoutSeconds", async () => {
            const { resources } = await build({
                namespace: "a",
                endpoint: ENDPOINT,
                tokenTimeoutSeconds: 300,
            });
            assert.deepStrictEqual(only(resources, TYPES.secret, "api-token").customTimeouts, {
                create: "300s",
                update: "300s",
                delete: undefined,
            });
        });
    });

    describe("endpoint", () => {
        const kubeconfigFile = path.join(FIXTURES, "kubeconfig.yaml");

        it("defaults to the server of the provider's kubeconfig current context", async () => {
            const { outputs } = await withEnv({ KUBECONFIG: kubeconfigFile }, () =>
                build({ namespace: "a" }),
            );
            assert.strictEqual(outputs.endpoint.value, "https://dev.k8s.example.test:6443");
            assert.strictEqual(
                YAML.parse(outputs.kubeconfig.value as string).clusters[0].name,
                "dev-cluster/dev.k8s.example.test:6443/a/api",
            );
        });

        it("honours kubernetes:context and kubernetes:kubeconfig", async () => {
            const { outputs } = await build({ namespace: "a", clusterName: "prod" }, undefined, "api", {
                "kubernetes:kubeconfig": kubeconfigFile,
                "kubernetes:context": "prod",
            });
            assert.strictEqual(outputs.endpoint.value, "https://prod.k8s.example.test:443");
            assert.strictEqual(
                YAML.parse(outputs.kubeconfig.value as string).clusters[0].name,
                "prod/prod.k8s.example.test:443/a/api",
            );
        });

        it("reads the endpoint from an explicit provider's own kubeconfig and context, without args.kubeconfig", async () => {
            const { outputs, resources } = await build({ namespace: "a" }, () => ({
                provider: new k8s.Provider("explicit", { kubeconfig: kubeconfigFile, context: "prod" }),
            }));
            assert.strictEqual(outputs.endpoint.value, "https://prod.k8s.example.test:443");
            for (const r of resources.filter((r) => r.type.startsWith("kubernetes:core"))) {
                assert.match(r.provider, /pulumi:providers:kubernetes::explicit::/, r.name);
            }
        });

        it("reads the kubeconfig of the provider a parent component passes down", async () => {
            const { outputs, resources } = await build({ namespace: "a" }, () => {
                const provider = new k8s.Provider("inherited", {
                    kubeconfig: fs.readFileSync(kubeconfigFile, "utf8"),
                });
                return {
                    parent: new pulumi.ComponentResource(
                        "test:index:Parent",
                        "p",
                        {},
                        { providers: [provider] },
                    ),
                };
            });
            assert.strictEqual(outputs.endpoint.value, "https://dev.k8s.example.test:6443");
            assert.match(
                only(resources, TYPES.serviceAccount).provider,
                /pulumi:providers:kubernetes::inherited::/,
            );
        });

        it("fails, naming the explicit provider's kubeconfig, when it cannot be read or there is none", async () => {
            await assert.rejects(
                withEnv({ KUBECONFIG: undefined }, () =>
                    build({ namespace: "a" }, () => ({
                        provider: new k8s.Provider("broken", { kubeconfig: "/nonexistent/kubeconfig" }),
                    })),
                ),
                (err: Error) => {
                    assert.match(
                        err.message,
                        /the kubeconfig of the Kubernetes provider "broken" could not be read/,
                    );
                    assert.match(err.message, /\/nonexistent\/kubeconfig/);
                    assert.match(err.message, /pass args\.kubeconfig/);
                    return true;
                },
            );
            await assert.rejects(
                withEnv(
                    { KUBECONFIG: undefined, HOME: "/nonexistent-home", KUBERNETES_SERVICE_HOST: undefined },
                    () => build({ namespace: "a" }, () => ({ provider: new k8s.Provider("bare", {}) })),
                ),
                /the kubeconfig of the Kubernetes provider "bare" is not set and no kubeconfig was found/,
            );
        });

        it("reads an explicit provider's kubeconfig from args.kubeconfig, and the provider flows to every child", async () => {
            const { outputs, resources } = await build(
                { namespace: "a", kubeconfig: fs.readFileSync(kubeconfigFile, "utf8") },
                () => ({ provider: new k8s.Provider("explicit", { kubeconfig: kubeconfigFile }) }),
            );
            assert.strictEqual(outputs.endpoint.value, "https://dev.k8s.example.test:6443");
            const children = resources.filter(
                (r) => r.type.startsWith("kubernetes:core") || r.type.startsWith("kubernetes:rbac"),
            );
            assert.strictEqual(children.length, 7);
            for (const r of children) {
                assert.match(
                    r.provider,
                    /pulumi:providers:kubernetes::explicit::/,
                    `${r.name} does not use the explicit provider`,
                );
            }
        });
    });
    describe("the CA consumers trust (endpointCaCert)", () => {
        let proxyCa: string;
        before(() => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaa-ca-"));
            proxyCa = fs.readFileSync(createPki(dir).caCert, "utf8");
            fs.rmSync(dir, { recursive: true, force: true });
        });
        const caOf = (kubeconfig: unknown) => {
            const cluster = YAML.parse(kubeconfig as string).clusters[0].cluster;
            const data = cluster["certificate-authority-data"];
            return data === undefined ? undefined : Buffer.from(data, "base64").toString();
        };

        it("defaults to the cluster CA for a given endpoint", async () => {
            const { outputs } = await build({ namespace: "a", endpoint: ENDPOINT });
            assert.strictEqual(outputs.endpointCaCert.value, OFFLINE_CA_PEM);
            assert.strictEqual(caOf(outputs.kubeconfig.value), OFFLINE_CA_PEM);
        });

        it("puts endpointCaCert into the kubeconfig, keeping caCert the cluster CA", async () => {
            const { outputs } = await build({ namespace: "a", endpoint: ENDPOINT, endpointCaCert: proxyCa });
            assert.deepStrictEqual(outputs.endpointCaCert, { value: proxyCa, secret: false, known: true });
            assert.strictEqual(caOf(outputs.kubeconfig.value), proxyCa);
            assert.strictEqual(outputs.caCert.value, OFFLINE_CA_PEM);
        });

        it("defaults to the CA of the kubeconfig cluster the endpoint is read from", async () => {
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kaa-kc-"));
            const file = path.join(dir, "kubeconfig");
            const doc = YAML.parse(fs.readFileSync(path.join(FIXTURES, "kubeconfig.yaml"), "utf8"));
            doc.clusters[0].cluster["certificate-authority-data"] = Buffer.from(proxyCa).toString("base64");
            fs.writeFileSync(file, YAML.stringify(doc));
            try {
                const { outputs } = await withEnv({ KUBECONFIG: file }, () => build({ namespace: "a" }));
                assert.strictEqual(outputs.endpointCaCert.value, proxyCa);
                assert.strictEqual(caOf(outputs.kubeconfig.value), proxyCa);
                assert.strictEqual(outputs.caCert.value, OFFLINE_CA_PEM);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });

        it("names no CA for a publicly trusted endpoint", async () => {
            const { outputs } = await build({
                namespace: "a",
                endpoint: ENDPOINT,
                endpointPubliclyTrusted: true,
            });
            assert.strictEqual(outputs.endpointCaCert.value, "");
            assert.strictEqual(caOf(outputs.kubeconfig.value), undefined);
            assert.ok(!/insecure-skip-tls-verify/.test(outputs.kubeconfig.value as string));
        });
    });
});
