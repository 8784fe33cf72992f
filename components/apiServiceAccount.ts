// ApiServiceAccount: Kubernetes API access for one consumer outside the cluster, under least privilege:
// namespace, ServiceAccount, role, binding and long-lived token, handed back as endpoint, CA and kubeconfig.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import {
    endpointProblem,
    findProviderKubeconfig,
    readKubeconfigSetting,
    renderKubeconfig,
    serverFromKubeconfig,
} from "./kubeconfig";
import { PolicyRule } from "./rbac";
import { ApiServiceAccountArgsError, settleArgs, SettledArgs } from "./validation";

export interface ApiServiceAccountArgs {
    /** Namespace the ServiceAccount lives in (a DNS-1123 label). Required. */
    readonly namespace: string;
    /** Create the namespace (true) or use an existing one (false). Default: true. */
    readonly createNamespace?: boolean;
    /** Exact ServiceAccount name, never suffixed; must not be `default`. Default: the component's name. */
    readonly serviceAccountName?: string;
    /**
     * `"cluster"`: a ClusterRole and ClusterRoleBinding. `"namespace"`: a Role and RoleBinding in
     * `namespace` and in each of `extraNamespaces`. Default: `"cluster"`.
     */
    readonly scope?: string;
    /** More namespaces that get the same Role and RoleBinding (scope `"namespace"` only). Default: none. */
    readonly extraNamespaces?: string[];
    /**
     * Named rule preset: `"read-only"`, `"monitoring"` or `"full"`. Ignored when `rules` is given.
     * Default: `"read-only"`.
     */
    readonly access?: string;
    /** RBAC rules that replace the preset. Default: the preset's rules. */
    readonly rules?: PolicyRule[];
    /** Accept `*` in verbs, resources or apiGroups. Default: false. */
    readonly allowWildcards?: boolean;
    /**
     * API server URL handed to consumers (https). Default: the server of the kubeconfig the Kubernetes
     * provider uses (`kubeconfig` below, else `kubernetes:kubeconfig`, `KUBECONFIG` or `~/.kube/config`,
     * honouring `kubernetes:context` and `kubernetes:cluster`).
     */
    readonly endpoint?: pulumi.Input<string>;
    /**
     * The kubeconfig (document or path) of the explicit provider passed in `opts`, read only to find
     * the endpoint when `endpoint` is not given. Default: the default provider's kubeconfig.
     */
    readonly kubeconfig?: pulumi.Input<string>;
    /** Cluster name used in the consumer's kubeconfig. Default: the kubeconfig's cluster name, else `kubernetes`. */
    readonly clusterName?: string;
    /** Seconds to wait for the token controller to fill the token Secret. Default: 120. */
    readonly tokenTimeoutSeconds?: number;
    /** Any string; changing it replaces the token Secret, revoking the old token. Default: none. */
    readonly tokenRotation?: pulumi.Input<string>;
}

/** Type token of the component. */
export const API_SERVICE_ACCOUNT_TYPE = "kube-api-access:index:ApiServiceAccount";

/** Annotations and labels the component writes; the policy pack and tools read the same keys. */
export const ANNOTATIONS = {
    serviceAccountName: "kubernetes.io/service-account.name",
    // The provider waits only ~5 s for a token Secret, ignoring customTimeouts, unless pulumi.com/waitFor
    // is set (pulumi-kubernetes provider/pkg/await/awaiters.go; waitFor since 4.18, fixed in 4.18.4).
    waitFor: "pulumi.com/waitFor",
    serviceAccountUid: "kube-api-access.pulumi.com/service-account-uid",
    tokenRotation: "kube-api-access.pulumi.com/token-rotation",
} as const;

export const MANAGED_BY = "pulumi";
export const PART_OF = "kube-api-access";

export class ApiServiceAccount extends pulumi.ComponentResource {
    /** Namespace of the ServiceAccount. */
    public readonly namespace: pulumi.Output<string>;
    /** Name of the ServiceAccount. */
    public readonly serviceAccountName: pulumi.Output<string>;
    /** The account as RBAC and audit logs name it: `system:serviceaccount:<namespace>:<name>`. */
    public readonly subject: pulumi.Output<string>;
    /** Name of the ClusterRole or Role. */
    public readonly roleName: pulumi.Output<string>;
    /** Name of the ClusterRoleBinding or RoleBinding. */
    public readonly bindingName: pulumi.Output<string>;
    /** Name of the token Secret. */
    public readonly tokenSecretName: pulumi.Output<string>;
    /** API server URL for consumers. */
    public readonly endpoint: pulumi.Output<string>;
    /** Cluster CA certificate (PEM), from the token Secret's `ca.crt`. */
    public readonly caCert: pulumi.Output<string>;
    /** The decoded bearer token. Secret. */
    public readonly token: pulumi.Output<string>;
    /** A complete kubeconfig for this account. Secret. */
    public readonly kubeconfig: pulumi.Output<string>;
    /** `cluster` or `namespace`: where the rules apply. */
    public readonly scope: pulumi.Output<string>;
    /** Namespaces that hold the Role and RoleBinding (scope `namespace`); empty for scope `cluster`. */
    public readonly roleNamespaces: pulumi.Output<string[]>;
    /** The rules granted (the preset's or the custom ones), which `verify` checks against the cluster. */
    public readonly rules: pulumi.Output<PolicyRule[]>;

    constructor(name: string, args: ApiServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is checked before the component or any child is registered.
        const settled = settleArgs(name, args);
        const target = resolveEndpoint(name, args, settled, opts);

        super(API_SERVICE_ACCOUNT_TYPE, name, {}, opts);

        const labels = {
            "app.kubernetes.io/managed-by": MANAGED_BY,
            "app.kubernetes.io/part-of": PART_OF,
            "app.kubernetes.io/instance": name,
        };
        const childOpts: pulumi.CustomResourceOptions = { parent: this };

        // The namespace name flows from the Namespace resource when we create it, so that every
        // namespaced child waits for it through data, not through dependsOn.
        const namespace: pulumi.Output<string> = settled.createNamespace
            ? new k8s.core.v1.Namespace(
                  `${name}-namespace`,
                  { metadata: { name: settled.namespace, labels } },
                  childOpts,
              ).metadata.name
            : pulumi.output(settled.namespace);

        const serviceAccount = new k8s.core.v1.ServiceAccount(
            `${name}-sa`,
            {
                metadata: { name: settled.serviceAccountName, namespace, labels },
                // The consumer runs outside the cluster; pods must not pick this identity up.
                automountServiceAccountToken: false,
                // `secrets` stays unset: the legacy token cleaner removes unused tokens listed there.
            },
            childOpts,
        );
        const accountName = serviceAccount.metadata.name;
        const accountNamespace = serviceAccount.metadata.namespace;

        const roleName = `${PART_OF}:${settled.namespace}:${settled.serviceAccountName}`;
        const subjects = [{ kind: "ServiceAccount", name: accountName, namespace: accountNamespace }];
        let role: pulumi.Output<string>;
        let binding: pulumi.Output<string>;
        if (settled.scope === "cluster") {
            const clusterRole = new k8s.rbac.v1.ClusterRole(
                `${name}-role`,
                { metadata: { name: roleName, labels }, rules: settled.rules },
                childOpts,
            );
            binding = new k8s.rbac.v1.ClusterRoleBinding(
                `${name}-binding`,
                {
                    metadata: { name: roleName, labels },
                    roleRef: {
                        apiGroup: "rbac.authorization.k8s.io",
                        kind: "ClusterRole",
                        name: clusterRole.metadata.name,
                    },
                    subjects,
                },
                childOpts,
            ).metadata.name;
            role = clusterRole.metadata.name;
        } else {
            const pairs = settled.roleNamespaces.map((ns, i) => {
                // The account's own namespace may be created here; extra namespaces must exist.
                const roleNamespace = i === 0 ? namespace : pulumi.output(ns);
                const suffix = i === 0 ? "" : `-${ns}`;
                const nsRole = new k8s.rbac.v1.Role(
                    `${name}-role${suffix}`,
                    { metadata: { name: roleName, namespace: roleNamespace, labels }, rules: settled.rules },
                    childOpts,
                );
                const nsBinding = new k8s.rbac.v1.RoleBinding(
                    `${name}-binding${suffix}`,
                    {
                        metadata: { name: roleName, namespace: roleNamespace, labels },
                        roleRef: {
                            apiGroup: "rbac.authorization.k8s.io",
                            kind: "Role",
                            name: nsRole.metadata.name,
                        },
                        subjects,
                    },
                    childOpts,
                );
                return { role: nsRole.metadata.name, binding: nsBinding.metadata.name };
            });
            role = pairs[0].role;
            binding = pairs[0].binding;
        }

        const annotations: pulumi.Input<Record<string, pulumi.Input<string>>> = {
            [ANNOTATIONS.serviceAccountName]: accountName,
            [ANNOTATIONS.waitFor]: "jsonpath={.data.token}",
            // A replaced ServiceAccount has a new UID and its old tokens stop working (401), so the
            // token Secret follows it; see replaceOnChanges below.
            [ANNOTATIONS.serviceAccountUid]: serviceAccount.metadata.uid,
            ...(args.tokenRotation !== undefined ? { [ANNOTATIONS.tokenRotation]: args.tokenRotation } : {}),
        };
        const timeout = `${settled.tokenTimeoutSeconds}s`;
        const tokenSecret = new k8s.core.v1.Secret(
            `${name}-token`,
            {
                metadata: {
                    name: `${settled.serviceAccountName}-token`,
                    namespace: accountNamespace,
                    labels,
                    annotations,
                },
                type: "kubernetes.io/service-account-token",
            },
            {
                ...childOpts,
                // With pulumi.com/waitFor set, the provider honours customTimeouts for the wait.
                customTimeouts: { create: timeout, update: timeout },
                replaceOnChanges: [
                    `metadata.annotations["${ANNOTATIONS.serviceAccountUid}"]`,
                    `metadata.annotations["${ANNOTATIONS.tokenRotation}"]`,
                ],
                // The name is fixed, and the old token must be gone before the new one is handed out.
                deleteBeforeReplace: true,
            },
        );

        const secretName = tokenSecret.metadata.name;
        const data = tokenSecret.data;
        // Kubernetes returns Secret data base64-encoded; the provider marks it secret in a real run but the
        // mock runtime does not, so the token is wrapped explicitly.
        const token = pulumi.secret(
            pulumi.all([data, secretName]).apply(([d, secret]) => decodeField(d, "token", secret)),
        );
        // The CA is public; it is read out of the secret data and deliberately exported in clear.
        const caCert = pulumi.unsecret(
            pulumi.all([data, secretName]).apply(([d, secret]) => decodeField(d, "ca.crt", secret)),
        );

        this.namespace = namespace;
        this.serviceAccountName = accountName;
        this.subject = pulumi.interpolate`system:serviceaccount:${accountNamespace}:${accountName}`;
        this.roleName = role;
        this.bindingName = binding;
        this.tokenSecretName = secretName;
        this.endpoint = target.endpoint;
        this.caCert = caCert;
        this.token = token;
        this.kubeconfig = pulumi.secret(
            pulumi
                .all([target.endpoint, caCert, token, accountNamespace, accountName])
                .apply(([server, ca, tok, ns, user]) =>
                    renderKubeconfig({
                        clusterName: target.clusterName,
                        server,
                        caCert: ca,
                        namespace: ns,
                        user,
                        token: tok,
                    }),
                ),
        );

        this.scope = pulumi.output(settled.scope);
        this.roleNamespaces = pulumi.output(settled.roleNamespaces);
        this.rules = pulumi.output(settled.rules);

        this.registerOutputs({
            namespace: this.namespace,
            serviceAccountName: this.serviceAccountName,
            subject: this.subject,
            roleName: this.roleName,
            bindingName: this.bindingName,
            tokenSecretName: this.tokenSecretName,
            endpoint: this.endpoint,
            caCert: this.caCert,
            token: this.token,
            kubeconfig: this.kubeconfig,
            scope: this.scope,
            roleNamespaces: this.roleNamespaces,
            rules: this.rules,
        });
    }
}

/** Decodes one field of a token Secret's data, with an error that says what went wrong (never the value). */
function decodeField(data: Record<string, string> | undefined, field: string, secretName: string): string {
    const encoded = data?.[field];
    if (!encoded) {
        throw new Error(
            `token Secret ${JSON.stringify(secretName)} has no data.${field}: the token controller did not fill it. ` +
                `Check that the ServiceAccount exists and the kube-controller-manager runs, or raise tokenTimeoutSeconds`,
        );
    }
    return Buffer.from(encoded, "base64").toString("utf8");
}

interface Target {
    readonly endpoint: pulumi.Output<string>;
    readonly clusterName: string;
}

/** Settles the API server URL and cluster name before anything is registered. */
function resolveEndpoint(
    name: string,
    args: ApiServiceAccountArgs,
    settled: SettledArgs,
    opts: pulumi.ComponentResourceOptions | undefined,
): Target {
    const clusterName = settled.clusterName ?? "kubernetes";
    const checked = (url: string) => {
        const problem = endpointProblem(url);
        if (problem) {
            throw new ApiServiceAccountArgsError(name, [`args.${problem}`]);
        }
        return url;
    };
    if (typeof args.endpoint === "string") {
        return { endpoint: pulumi.output(checked(args.endpoint)), clusterName };
    }
    if (args.endpoint !== undefined) {
        return { endpoint: pulumi.output(args.endpoint).apply(checked), clusterName };
    }
    if (args.kubeconfig !== undefined) {
        const endpoint = pulumi
            .output(args.kubeconfig)
            .apply((text) =>
                checked(serverFromKubeconfig(readKubeconfigSetting(text, "args.kubeconfig")).server),
            );
        return { endpoint, clusterName };
    }
    if (opts?.provider !== undefined || opts?.providers !== undefined) {
        throw new ApiServiceAccountArgsError(name, [
            "args.endpoint undefined: an explicit Kubernetes provider was passed, and its kubeconfig cannot be read " +
                "back from it. Pass args.endpoint (the API server URL) or args.kubeconfig (the provider's kubeconfig).",
        ]);
    }
    const k8sConfig = new pulumi.Config("kubernetes");
    let source;
    let resolved;
    try {
        source = findProviderKubeconfig(k8sConfig.get("kubeconfig"));
        resolved = source && serverFromKubeconfig(source, k8sConfig.get("context"), k8sConfig.get("cluster"));
    } catch (err) {
        throw new ApiServiceAccountArgsError(name, [
            `args.endpoint undefined: the provider's kubeconfig could not be read (${(err as Error).message}). ` +
                `Fix the kubeconfig, or pass args.endpoint.`,
        ]);
    }
    if (!resolved) {
        throw new ApiServiceAccountArgsError(name, [
            "args.endpoint undefined: no kubeconfig found (looked at config kubernetes:kubeconfig, KUBECONFIG and " +
                "~/.kube/config). Pass args.endpoint, the API server URL consumers reach (never the in-cluster address).",
        ]);
    }
    return {
        endpoint: pulumi.output(checked(resolved.server)),
        clusterName: settled.clusterName ?? resolved.clusterName,
    };
}
