// The Vault step of ApiServiceAccount: store the account's credentials in a KV v2 secret readable through
// one ACL policy, or configure Vault's Kubernetes secrets engine to issue short-lived tokens instead.
import * as pulumi from "@pulumi/pulumi";
import * as vault from "@pulumi/vault";
import type { SettledVault } from "./vaultSettings";

/** The ACL policy that lets a consumer read exactly one KV v2 secret, and nothing else. */
export function kvReadPolicy(mount: string, path: string, subject: string): string {
    // KV v2 serves a secret's current version at <mount>/data/<path>; reading it needs nothing else.
    return [
        `# Read the Kubernetes API credentials of ${subject}, and nothing else.`,
        `path "${mount}/data/${path}" {`,
        `  capabilities = ["read"]`,
        `}`,
        ``,
    ].join("\n");
}

/** The ACL policy that lets a consumer request short-lived tokens from one engine role, and nothing else. */
export function dynamicCredsPolicy(mount: string, role: string, subject: string): string {
    // Tokens are issued by writing to <mount>/creds/<role>, which Vault authorizes as "update".
    return [
        `# Request short-lived Kubernetes API tokens for ${subject}, and nothing else.`,
        `path "${mount}/creds/${role}" {`,
        `  capabilities = ["update"]`,
        `}`,
        ``,
    ].join("\n");
}

/** Outputs of the Vault part; undefined members mean the mode does not produce them. */
export interface VaultOutputs {
    readonly mode: pulumi.Output<string>;
    readonly policyName: pulumi.Output<string>;
    readonly secretPath?: pulumi.Output<string>;
    readonly readCommand?: pulumi.Output<string>;
    readonly kubernetesMount?: pulumi.Output<string>;
    readonly roleName?: pulumi.Output<string>;
    readonly credentialsCommand?: pulumi.Output<string>;
}

/** What the Vault step stores or hands to Vault; `token` and `kubeconfig` exist in kv mode only. */
export interface VaultInputs {
    /** `system:serviceaccount:<namespace>:<name>`, named in policy comments and descriptions. */
    readonly subject: string;
    readonly endpoint: pulumi.Output<string>;
    /** The CA consumers (and Vault's engine) trust for the endpoint; "" when publicly trusted. */
    readonly caCert: pulumi.Output<string>;
    readonly accountNamespace: pulumi.Output<string>;
    readonly accountName: pulumi.Output<string>;
    /** kv mode: the account's long-lived token and kubeconfig, stored in the secret. */
    readonly stored?: { readonly token: pulumi.Output<string>; readonly kubeconfig: pulumi.Output<string> };
    /** dynamic mode: the token of the identity the engine mints tokens with. */
    readonly issuerToken?: pulumi.Output<string>;
}

/** Creates the ACL policy, then the KV secret (kv) or the secrets engine and its role (dynamic). */
export function vaultAccess(
    parent: pulumi.Resource,
    name: string,
    settings: SettledVault,
    inputs: VaultInputs,
): VaultOutputs {
    const policyName = new vault.Policy(
        `${name}-vault-policy`,
        {
            name: settings.policyName,
            policy:
                settings.mode === "kv"
                    ? kvReadPolicy(settings.kvMount, settings.kvPath, inputs.subject)
                    : dynamicCredsPolicy(settings.kubernetesMount, settings.roleName, inputs.subject),
        },
        { parent },
    ).name;
    const common = { mode: pulumi.output<string>(settings.mode), policyName };
    if (settings.mode === "kv" && inputs.stored) {
        return { ...common, ...kvSecret(parent, name, settings, inputs, inputs.stored) };
    }
    if (inputs.issuerToken) {
        return { ...common, ...kubernetesEngine(parent, name, settings, inputs, inputs.issuerToken) };
    }
    return common;
}

/** What the kv secret holds, as the JSON its `dataJson` takes: everything a consumer needs, in one read. */
export function kvSecretData(values: {
    readonly endpoint: string;
    readonly caCert: string;
    readonly token: string;
    readonly kubeconfig: string;
    readonly namespace: string;
    readonly serviceAccount: string;
}): string {
    const { endpoint, caCert, token, kubeconfig, namespace, serviceAccount } = values;
    return JSON.stringify({ endpoint, caCert, token, kubeconfig, namespace, serviceAccount });
}

/** kv mode: one KV v2 secret with everything a consumer needs, in one read. */
function kvSecret(
    parent: pulumi.Resource,
    name: string,
    settings: SettledVault,
    inputs: VaultInputs,
    stored: NonNullable<VaultInputs["stored"]>,
): Pick<VaultOutputs, "secretPath" | "readCommand"> {
    const mount = settings.createKvMount
        ? new vault.Mount(
              `${name}-vault-kv-mount`,
              {
                  path: settings.kvMount,
                  type: "kv",
                  options: { version: "2" },
                  description: "kube-api-access credentials",
              },
              { parent },
          ).path
        : pulumi.output(settings.kvMount);
    const secret = new vault.kv.SecretV2(
        `${name}-vault-secret`,
        {
            mount,
            name: settings.kvPath,
            // Destroy removes every version and the metadata: by default the provider deletes only the
            // latest version, a soft delete that `vault kv undelete` reverses, token included
            // (terraform-provider-vault vault/resource_kv_secret_v2.go, kvSecretV2Delete).
            deleteAllVersions: true,
            // Secret because it holds the token.
            dataJson: pulumi.secret(
                pulumi
                    .all([
                        inputs.endpoint,
                        inputs.caCert,
                        stored.token,
                        stored.kubeconfig,
                        inputs.accountNamespace,
                        inputs.accountName,
                    ])
                    .apply(([endpoint, caCert, token, kubeconfig, namespace, serviceAccount]) =>
                        kvSecretData({ endpoint, caCert, token, kubeconfig, namespace, serviceAccount }),
                    ),
            ),
        },
        { parent },
    );
    return {
        secretPath: pulumi.interpolate`${secret.mount}/${secret.name}`,
        readCommand: pulumi.interpolate`vault kv get -mount=${secret.mount} ${secret.name}`,
    };
}

/** dynamic mode: Vault's Kubernetes secrets engine and a role that mints tokens for this account only. */
function kubernetesEngine(
    parent: pulumi.Resource,
    name: string,
    settings: SettledVault,
    inputs: VaultInputs,
    issuerToken: pulumi.Output<string>,
): Pick<VaultOutputs, "kubernetesMount" | "roleName" | "credentialsCommand"> {
    const engine = new vault.kubernetes.SecretBackend(
        `${name}-vault-engine`,
        {
            path: settings.kubernetesMount,
            description: `Short-lived tokens for ${inputs.subject}`,
            kubernetesHost: inputs.endpoint,
            // Empty: the engine trusts its system's roots, for a publicly trusted endpoint.
            kubernetesCaCert: inputs.caCert.apply((ca) => ca || undefined) as pulumi.Output<string>,
            serviceAccountJwt: issuerToken,
            // Vault runs outside the cluster: it must use the credentials given, never its own pod's.
            disableLocalCaJwt: true,
        },
        { parent },
    );
    const role = new vault.kubernetes.SecretBackendRole(
        `${name}-vault-role`,
        {
            backend: engine.path,
            name: settings.roleName,
            allowedKubernetesNamespaces: [inputs.accountNamespace],
            serviceAccountName: inputs.accountName,
            tokenDefaultTtl: settings.tokenDefaultTtlSeconds,
            tokenMaxTtl: settings.tokenMaxTtlSeconds,
        },
        { parent },
    );
    return {
        kubernetesMount: engine.path,
        roleName: role.name,
        credentialsCommand: pulumi.interpolate`vault write ${engine.path}/creds/${role.name} kubernetes_namespace=${inputs.accountNamespace}`,
    };
}
