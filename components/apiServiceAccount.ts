// ApiServiceAccount: Kubernetes API access for one consumer outside the cluster, under least privilege:
// namespace, ServiceAccount, role, binding and long-lived token, handed back as endpoint, CA and kubeconfig.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import {
    endpointProblem,
    findProviderKubeconfig,
    readKubeconfigSetting,
    renderKubeconfig,
    serverFromKubeconfig,
} from "./kubeconfig";
import { PolicyRule } from "./rbac";
import { TOKEN_ANNOTATIONS, tokenSecret } from "./tokenSecret";
import { ApiServiceAccountArgsError, problemList, settleArgs, SettledArgs } from "./validation";
import { dynamicCredsPolicy, kvReadPolicy, settleVault, SettledVault, VaultArgs } from "./vault";

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
    /** Store the credentials in Vault, or let Vault issue short-lived tokens instead. Default: no Vault. */
    readonly vault?: VaultArgs;
}

/** Type token of the component. */
export const API_SERVICE_ACCOUNT_TYPE = "kube-api-access:index:ApiServiceAccount";

/** Annotations the component writes; the policy pack and tools read the same keys. */
export const ANNOTATIONS = TOKEN_ANNOTATIONS;

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
    /** Name of the token Secret; undefined in Vault dynamic mode, which makes no long-lived token. */
    public readonly tokenSecretName?: pulumi.Output<string>;
    /** API server URL for consumers. */
    public readonly endpoint: pulumi.Output<string>;
    /** Cluster CA certificate (PEM), from the token Secret's `ca.crt`. */
    public readonly caCert: pulumi.Output<string>;
    /** The decoded bearer token. Secret. Undefined in Vault dynamic mode. */
    public readonly token?: pulumi.Output<string>;
    /** A complete kubeconfig for this account. Secret. Undefined in Vault dynamic mode. */
    public readonly kubeconfig?: pulumi.Output<string>;
    /** `cluster` or `namespace`: where the rules apply. */
    public readonly scope: pulumi.Output<string>;
    /** Namespaces that hold the Role and RoleBinding (scope `namespace`); empty for scope `cluster`. */
    public readonly roleNamespaces: pulumi.Output<string[]>;
    /** The rules granted (the preset's or the custom ones), which `verify` checks against the cluster. */
    public readonly rules: pulumi.Output<PolicyRule[]>;
    /** `kv` or `dynamic` when Vault is used. */
    public readonly vaultMode?: pulumi.Output<string>;
    /** The Vault ACL policy to give the consumer's Vault identity. */
    public readonly vaultPolicyName?: pulumi.Output<string>;
    /** kv mode: the secret's path as `vault kv get` takes it, `<mount>/<path>`. */
    public readonly vaultSecretPath?: pulumi.Output<string>;
    /** kv mode: the command a consumer runs to read the credentials. */
    public readonly vaultReadCommand?: pulumi.Output<string>;
    /** dynamic mode: mount path of the Kubernetes secrets engine. */
    public readonly vaultKubernetesMount?: pulumi.Output<string>;
    /** dynamic mode: the engine's role for this account. */
    public readonly vaultRoleName?: pulumi.Output<string>;
    /** dynamic mode: the command a consumer runs to get a short-lived token. */
    public readonly vaultCredentialsCommand?: pulumi.Output<string>;

    constructor(name: string, args: ApiServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        // Everything is checked before the component or any child is registered.
        const settled = settleArgs(name, args);
        const target = resolveEndpoint(name, args, settled, opts);
        const vaultSettings =
            args.vault !== undefined ? settleVaultArgs(name, args.vault, settled, target) : undefined;
        const dynamic = vaultSettings?.mode === "dynamic";

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

        // In Vault dynamic mode there is no long-lived token: Vault mints short-lived ones on request.
        const own = dynamic
            ? undefined
            : tokenSecret(this, `${name}-token`, {
                  secretName: `${settled.serviceAccountName}-token`,
                  serviceAccount,
                  labels,
                  timeoutSeconds: settled.tokenTimeoutSeconds,
                  rotation: args.tokenRotation,
              });
        const issuer = dynamic ? vaultIssuer(this, name, settled, serviceAccount, labels) : undefined;
        const caCert = (own ?? issuer)!.caCert;

        this.namespace = namespace;
        this.serviceAccountName = accountName;
        this.subject = pulumi.interpolate`system:serviceaccount:${accountNamespace}:${accountName}`;
        this.roleName = role;
        this.bindingName = binding;
        this.endpoint = target.endpoint;
        this.caCert = caCert;
        if (own) {
            this.tokenSecretName = own.name;
            this.token = own.token;
            this.kubeconfig = pulumi.secret(
                pulumi
                    .all([target.endpoint, caCert, own.token, accountNamespace, accountName])
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
        }

        if (vaultSettings) {
            const subject = `system:serviceaccount:${settled.namespace}:${settled.serviceAccountName}`;
            this.vaultMode = pulumi.output(vaultSettings.mode);
            this.vaultPolicyName = new vault.Policy(
                `${name}-vault-policy`,
                {
                    name: vaultSettings.policyName,
                    policy:
                        vaultSettings.mode === "kv"
                            ? kvReadPolicy(vaultSettings.kvMount, vaultSettings.kvPath, subject)
                            : dynamicCredsPolicy(
                                  vaultSettings.kubernetesMount,
                                  vaultSettings.roleName,
                                  subject,
                              ),
                },
                { parent: this },
            ).name;
            if (own && vaultSettings.mode === "kv") {
                const mount = vaultSettings.createKvMount
                    ? new vault.Mount(
                          `${name}-vault-kv-mount`,
                          {
                              path: vaultSettings.kvMount,
                              type: "kv",
                              options: { version: "2" },
                              description: "kube-api-access credentials",
                          },
                          { parent: this },
                      ).path
                    : pulumi.output(vaultSettings.kvMount);
                const stored = new vault.kv.SecretV2(
                    `${name}-vault-secret`,
                    {
                        mount,
                        name: vaultSettings.kvPath,
                        // Everything a consumer needs in one read; secret because it holds the token.
                        dataJson: pulumi.secret(
                            pulumi
                                .all([
                                    target.endpoint,
                                    caCert,
                                    own.token,
                                    this.kubeconfig!,
                                    accountNamespace,
                                    accountName,
                                ])
                                .apply(([endpoint, ca, tok, kc, ns, sa]) =>
                                    JSON.stringify({
                                        endpoint,
                                        caCert: ca,
                                        token: tok,
                                        kubeconfig: kc,
                                        namespace: ns,
                                        serviceAccount: sa,
                                    }),
                                ),
                        ),
                    },
                    { parent: this },
                );
                this.vaultSecretPath = pulumi.interpolate`${stored.mount}/${stored.name}`;
                this.vaultReadCommand = pulumi.interpolate`vault kv get -mount=${stored.mount} ${stored.name}`;
            }
            if (issuer) {
                const engine = new vault.kubernetes.SecretBackend(
                    `${name}-vault-engine`,
                    {
                        path: vaultSettings.kubernetesMount,
                        description: `Short-lived tokens for ${subject}`,
                        kubernetesHost: target.endpoint,
                        kubernetesCaCert: caCert,
                        serviceAccountJwt: issuer.token,
                        // Vault runs outside the cluster: it must use the credentials given, never its own pod's.
                        disableLocalCaJwt: true,
                    },
                    { parent: this },
                );
                const engineRole = new vault.kubernetes.SecretBackendRole(
                    `${name}-vault-role`,
                    {
                        backend: engine.path,
                        name: vaultSettings.roleName,
                        allowedKubernetesNamespaces: [accountNamespace],
                        serviceAccountName: accountName,
                        tokenDefaultTtl: vaultSettings.tokenDefaultTtlSeconds,
                        tokenMaxTtl: vaultSettings.tokenMaxTtlSeconds,
                    },
                    { parent: this },
                );
                this.vaultKubernetesMount = engine.path;
                this.vaultRoleName = engineRole.name;
                this.vaultCredentialsCommand = pulumi.interpolate`vault write ${engine.path}/creds/${engineRole.name} kubernetes_namespace=${accountNamespace}`;
            }
        }

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
            // rules stays a property (programs and multi-language consumers read it there) but is left out
            // of the component's recorded state: serializing it for every account cost about a sixth of a
            // 1,000-account stack's registration time (npm run bench).
            vaultMode: this.vaultMode,
            vaultPolicyName: this.vaultPolicyName,
            vaultSecretPath: this.vaultSecretPath,
            vaultReadCommand: this.vaultReadCommand,
            vaultKubernetesMount: this.vaultKubernetesMount,
            vaultRoleName: this.vaultRoleName,
            vaultCredentialsCommand: this.vaultCredentialsCommand,
        });
    }
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
    if (hasKubernetesProvider(opts)) {
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

/** Checks the Vault arguments, with the cluster name the endpoint resolution settled on. */
function settleVaultArgs(name: string, args: VaultArgs, settled: SettledArgs, target: Target): SettledVault {
    const { problems, fail } = problemList();
    const result = settleVault(
        args,
        { cluster: target.clusterName, namespace: settled.namespace, account: settled.serviceAccountName },
        fail,
    );
    if (problems.length > 0 || !result) {
        throw new ApiServiceAccountArgsError(name, problems);
    }
    return result;
}

/**
 * The identity Vault's Kubernetes secrets engine uses: a ServiceAccount that may only create tokens for
 * the consumer's ServiceAccount (serviceaccounts/token, create, that one name), and its own token.
 */
function vaultIssuer(
    parent: pulumi.Resource,
    name: string,
    settled: SettledArgs,
    account: k8s.core.v1.ServiceAccount,
    labels: Record<string, string>,
) {
    const issuerName = `${settled.serviceAccountName}-vault-issuer`;
    const opts = { parent };
    const issuer = new k8s.core.v1.ServiceAccount(
        `${name}-vault-issuer-sa`,
        {
            metadata: { name: issuerName, namespace: account.metadata.namespace, labels },
            automountServiceAccountToken: false,
        },
        opts,
    );
    const roleName = `${PART_OF}:${settled.namespace}:${issuerName}`;
    const role = new k8s.rbac.v1.Role(
        `${name}-vault-issuer-role`,
        {
            metadata: { name: roleName, namespace: account.metadata.namespace, labels },
            rules: [
                {
                    apiGroups: [""],
                    resources: ["serviceaccounts/token"],
                    resourceNames: [account.metadata.name],
                    verbs: ["create"],
                },
            ],
        },
        opts,
    );
    new k8s.rbac.v1.RoleBinding(
        `${name}-vault-issuer-binding`,
        {
            metadata: { name: roleName, namespace: account.metadata.namespace, labels },
            roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: role.metadata.name },
            subjects: [
                { kind: "ServiceAccount", name: issuer.metadata.name, namespace: issuer.metadata.namespace },
            ],
        },
        opts,
    );
    return tokenSecret(parent, `${name}-vault-issuer-token`, {
        secretName: `${issuerName}-token`,
        serviceAccount: issuer,
        labels,
        timeoutSeconds: settled.tokenTimeoutSeconds,
    });
}

/** True when the caller passes its own Kubernetes provider (a Vault provider alone does not count). */
function hasKubernetesProvider(opts: pulumi.ComponentResourceOptions | undefined): boolean {
    const providers = [
        ...(opts?.provider ? [opts.provider] : []),
        ...(Array.isArray(opts?.providers) ? opts.providers : Object.values(opts?.providers ?? {})),
    ];
    return providers.some((p) => k8s.Provider.isInstance(p));
}
