// The public argument types of ApiServiceAccount. Types only, free of resources, so that validation,
// the Vault step and the component import them without a cycle.
import type * as pulumi from "@pulumi/pulumi";
import type { PolicyRule } from "./rbac";

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
    /** Accept wildcards in rules: `*`, and `*` before a subresource (exec on every resource). Default: false. */
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

/** Vault settings of an ApiServiceAccount. The Vault provider is configured as usual or passed in opts. */
export interface VaultArgs {
    /**
     * `"kv"`: store endpoint, CA, token and kubeconfig in a KV v2 secret. `"dynamic"`: no long-lived token;
     * Vault's Kubernetes secrets engine issues short-lived tokens for the account. Required.
     */
    readonly mode: string;
    /** KV v2 mount (kv mode). Default: `secret`. */
    readonly kvMount?: string;
    /** Create the KV v2 mount (kv mode); false uses an existing one. Default: false. */
    readonly createKvMount?: boolean;
    /** Path of the secret inside the mount (kv mode). Default: `kube-api-access/<cluster>/<namespace>/<account>`. */
    readonly kvPath?: string;
    /** Mount path of the Kubernetes secrets engine (dynamic mode). Default: `kubernetes-<cluster>-<namespace>-<account>`. */
    readonly kubernetesMount?: string;
    /** Name of the engine's role (dynamic mode). Default: the ServiceAccount name. */
    readonly roleName?: string;
    /** Default lifetime of an issued token, e.g. `1h`, `30m`, `3600s` (dynamic mode). Default: `1h`. */
    readonly tokenDefaultTtl?: string;
    /** Longest lifetime a consumer may ask for (dynamic mode). Default: `24h`. */
    readonly tokenMaxTtl?: string;
    /** Name of the Vault ACL policy that lets the consumer read or request the credentials. Default: derived from the account. */
    readonly policyName?: string;
}
