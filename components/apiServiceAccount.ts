// ApiServiceAccount: Kubernetes API access for one consumer outside the cluster, under least privilege:
// namespace, ServiceAccount, role, binding and long-lived token, handed back as endpoint, CA and kubeconfig.
// The constructor is the design in named steps; each step lives in its concern's file.
import * as pulumi from "@pulumi/pulumi";
import type { ApiServiceAccountArgs } from "./args";
import { clusterReader } from "./clusterReader";
import { consumerCa, providerKubeconfig } from "./endpoint";
import { accountKubeconfig } from "./kubeconfig";
import { rbacObjectName, standardLabels } from "./metadata";
import { serviceAccountUser } from "../rbac/serviceAccountUser";
import { PolicyRule } from "./rbac";
import { grantAccess } from "./roleBinding";
import { accountNamespace, serviceAccount } from "./serviceAccount";
import { Ownership } from "./ownership";
import { tokenSecret, underMocks } from "./tokenSecret";
import { settleAll } from "./validation";
import { vaultAccess } from "./vault";
import { vaultIssuer } from "./vaultIssuer";

/** Type token of the component. */
export const API_SERVICE_ACCOUNT_TYPE = "kube-api-access:index:ApiServiceAccount";

/**
 * The outputs the component records in its state, in the order of the class's fields: every output but
 * `rules` (see registerOutputs below). Rehydration reads exactly these back. Tests compare this list with
 * the class, the program's stack outputs and the README's table.
 */
export const RECORDED_OUTPUTS = [
    "namespace",
    "serviceAccountName",
    "subject",
    "roleName",
    "bindingName",
    "tokenSecretName",
    "previousTokenSecretName",
    "endpoint",
    "caCert",
    "endpointCaCert",
    "token",
    "kubeconfig",
    "scope",
    "roleNamespaces",
    "vaultMode",
    "vaultPolicyName",
    "vaultSecretPath",
    "vaultReadCommand",
    "vaultKubernetesMount",
    "vaultRoleName",
    "vaultCredentialsCommand",
] as const satisfies readonly (keyof ApiServiceAccount)[];

/**
 * Kubernetes API access for one consumer outside the cluster (see the file's head). The identity running
 * `pulumi up` must be allowed to create what it creates and to grant its role: when `up` fails with
 * "attempting to grant RBAC permissions not currently held", give it `escalate` and `bind` on that role,
 * as `npm run plan` prints (docs/deployer.md).
 */
export class ApiServiceAccount extends pulumi.ComponentResource {
    // Output fields are `declare`d: an emitted field (ES2022 class fields) would reset, after super(), the
    // Outputs that rehydration set on the instance.
    /** Namespace of the ServiceAccount. */
    declare public readonly namespace: pulumi.Output<string>;
    /** Name of the ServiceAccount. */
    declare public readonly serviceAccountName: pulumi.Output<string>;
    /** The account as RBAC and audit logs name it: `system:serviceaccount:<namespace>:<name>`. */
    declare public readonly subject: pulumi.Output<string>;
    /** Name of the ClusterRole or Role. */
    declare public readonly roleName: pulumi.Output<string>;
    /** Name of the ClusterRoleBinding or RoleBinding. */
    declare public readonly bindingName: pulumi.Output<string>;
    /** Name of the token Secret; undefined in Vault dynamic mode, which makes no long-lived token. */
    declare public readonly tokenSecretName?: pulumi.Output<string>;
    /**
     * Name of the previous token's Secret, still valid until the next rotation; `""` when there is none
     * (no rotation yet, or `revokePreviousToken`). Undefined in Vault dynamic mode.
     */
    declare public readonly previousTokenSecretName?: pulumi.Output<string>;
    /** API server URL for consumers. */
    declare public readonly endpoint: pulumi.Output<string>;
    /** Cluster CA certificate (PEM), from the token Secret's `ca.crt`. */
    declare public readonly caCert: pulumi.Output<string>;
    /**
     * The CA (PEM) consumers trust for `endpoint`, which the kubeconfig and Vault carry: `endpointCaCert`,
     * else the provider kubeconfig's CA for the endpoint, else `caCert`; "" when publicly trusted.
     */
    declare public readonly endpointCaCert: pulumi.Output<string>;
    /** The decoded bearer token. Secret. Undefined in Vault dynamic mode. */
    declare public readonly token?: pulumi.Output<string>;
    /** A complete kubeconfig for this account. Secret. Undefined in Vault dynamic mode. */
    declare public readonly kubeconfig?: pulumi.Output<string>;
    /** `cluster` or `namespace`: where the rules apply. */
    declare public readonly scope: pulumi.Output<string>;
    /** Namespaces that hold the Role and RoleBinding (scope `namespace`); empty for scope `cluster`. */
    declare public readonly roleNamespaces: pulumi.Output<string[]>;
    /** The rules granted (the preset's or the custom ones), which `verify` checks against the cluster. */
    declare public readonly rules: pulumi.Output<PolicyRule[]>;
    /** `kv` or `dynamic` when Vault is used. */
    declare public readonly vaultMode?: pulumi.Output<string>;
    /** The Vault ACL policy to give the consumer's Vault identity. */
    declare public readonly vaultPolicyName?: pulumi.Output<string>;
    /** kv mode: the secret's path as `vault kv get` takes it, `<mount>/<path>`. */
    declare public readonly vaultSecretPath?: pulumi.Output<string>;
    /** kv mode: the command a consumer runs to read the credentials. */
    declare public readonly vaultReadCommand?: pulumi.Output<string>;
    /** dynamic mode: mount path of the Kubernetes secrets engine. */
    declare public readonly vaultKubernetesMount?: pulumi.Output<string>;
    /** dynamic mode: the engine's role for this account. */
    declare public readonly vaultRoleName?: pulumi.Output<string>;
    /** dynamic mode: the command a consumer runs to get a short-lived token. */
    declare public readonly vaultCredentialsCommand?: pulumi.Output<string>;

    constructor(name: string, args: ApiServiceAccountArgs, opts?: pulumi.ComponentResourceOptions) {
        if (opts?.urn) {
            // Rehydration: a reference to a component that exists (another language's SDK, a component
            // built by a provider). The engine holds its outputs; nothing is checked or created again.
            // `rules` is not recorded, so it stays undefined here.
            super(
                API_SERVICE_ACCOUNT_TYPE,
                name,
                Object.fromEntries(RECORDED_OUTPUTS.map((k) => [k, undefined])),
                opts,
            );
            return;
        }
        // Everything is checked before the component or any child is registered.
        const { settled, cluster, vault: vaultSettings } = settleAll(name, args, opts);
        // In Vault dynamic mode there is no long-lived token: Vault mints short-lived ones on request.
        const dynamic = vaultSettings?.mode === "dynamic";
        // The cluster the provider deploys to, read before any child is created (unit-test mocks have none).
        const deployedTo = underMocks() ? undefined : providerKubeconfig(name, args, opts);

        super(API_SERVICE_ACCOUNT_TYPE, name, {}, opts);
        const labels = standardLabels(name);
        const objectName = rbacObjectName(settled.namespace, settled.serviceAccountName);
        const ownership = new Ownership(this, name, deployedTo?.apply(clusterReader));

        const namespace = accountNamespace(
            this,
            name,
            settled.namespace,
            settled.createNamespace,
            labels,
            ownership,
        );
        const account = serviceAccount(
            this,
            `${name}-sa`,
            settled.serviceAccountName,
            { output: namespace, name: settled.namespace },
            labels,
            ownership,
        );
        const [accountName, accountNs] = [account.metadata.name, account.metadata.namespace];
        const granted = grantAccess(this, name, {
            objectName,
            roleNamespaces: settled.roleNamespaces,
            accountNamespace: namespace,
            rules: settled.rules,
            account,
            labels,
            ownership,
        });
        const generations = {
            labels,
            timeoutSeconds: settled.tokenTimeoutSeconds,
            rotation: args.tokenRotation,
            revokePrevious: settled.revokePreviousToken,
            ownership,
        };
        const own = dynamic
            ? undefined
            : tokenSecret(this, `${name}-token`, {
                  accountName: settled.serviceAccountName,
                  namespace: settled.namespace,
                  serviceAccount: account,
                  ...generations,
              });
        // In dynamic mode the rotation turns to the issuer's token, the one long-lived token there is.
        const issuer = dynamic
            ? vaultIssuer(this, name, {
                  namespace: settled.namespace,
                  account,
                  accountName: settled.serviceAccountName,
                  ...generations,
              })
            : undefined;
        const caCert = (own ?? issuer)!.caCert;
        const endpointCaCert = consumerCa(args, cluster, caCert);
        const kubeconfig = own
            ? accountKubeconfig({
                  clusterName: cluster.clusterName,
                  server: cluster.endpoint,
                  caCert: endpointCaCert,
                  namespace: accountNs,
                  user: accountName,
                  token: own.token,
              })
            : undefined;
        const stored = vaultSettings
            ? vaultAccess(this, name, vaultSettings, {
                  subject: serviceAccountUser(settled.namespace, settled.serviceAccountName),
                  endpoint: cluster.endpoint,
                  caCert: endpointCaCert,
                  accountNamespace: accountNs,
                  accountName,
                  stored: own && kubeconfig ? { token: own.token, kubeconfig } : undefined,
                  issuerToken: issuer?.token,
              })
            : undefined;

        this.namespace = namespace;
        this.serviceAccountName = accountName;
        this.subject = pulumi.all([accountNs, accountName]).apply(([ns, n]) => serviceAccountUser(ns, n));
        this.roleName = granted.role;
        this.bindingName = granted.binding;
        this.tokenSecretName = own?.name;
        this.previousTokenSecretName = own?.previousName;
        this.endpoint = cluster.endpoint;
        this.caCert = caCert;
        this.endpointCaCert = endpointCaCert;
        this.token = own?.token;
        this.kubeconfig = kubeconfig;
        this.scope = pulumi.output(settled.scope);
        this.roleNamespaces = pulumi.output(settled.roleNamespaces);
        this.rules = pulumi.output(settled.rules);
        this.vaultMode = stored?.mode;
        this.vaultPolicyName = stored?.policyName;
        this.vaultSecretPath = stored?.secretPath;
        this.vaultReadCommand = stored?.readCommand;
        this.vaultKubernetesMount = stored?.kubernetesMount;
        this.vaultRoleName = stored?.roleName;
        this.vaultCredentialsCommand = stored?.credentialsCommand;

        // rules stays a property (programs and multi-language consumers read it there) but is left out of
        // the component's recorded state: serializing it for every account cost about a sixth of a
        // 1,000-account stack's registration time (npm run bench).
        this.registerOutputs(Object.fromEntries(RECORDED_OUTPUTS.map((k) => [k, this[k]])));
    }
}
