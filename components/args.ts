// The public argument types of ApiServiceAccount and their fixed value sets. Free of resources, so that
// validation, the Vault step and the component import them without a cycle.
import type * as pulumi from "@pulumi/pulumi";

// Fixed value sets are `as const` objects with a type alias, so the package schema the Pulumi SDK infers
// carries enums (pulumi/pulumi sdk/nodejs/provider/experimental/analyzer.ts); the values are still checked
// at run time, since config and other languages can pass any string.

/** Where the rules apply. */
export const Scope = {
    /** A ClusterRole and ClusterRoleBinding. */
    Cluster: "cluster",
    /** A Role and RoleBinding in the namespace and in each extra namespace. */
    Namespace: "namespace",
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

/** Named rule presets; `rbac.ts` holds their rules. */
export const AccessPreset = {
    /** get/list/watch on workloads, services, config and events; no Secrets. */
    ReadOnly: "read-only",
    /** What Prometheus' Kubernetes service discovery and node scraping read. */
    Monitoring: "monitoring",
    /** The broad read-write role of many tutorials, Secrets and pods/exec included. */
    Full: "full",
} as const;
export type AccessPreset = (typeof AccessPreset)[keyof typeof AccessPreset];

/** How Vault is used. */
export const VaultMode = {
    /** Store endpoint, CA, token and kubeconfig in a KV v2 secret. */
    Kv: "kv",
    /** No long-lived token: Vault's Kubernetes secrets engine issues short-lived ones. */
    Dynamic: "dynamic",
} as const;
export type VaultMode = (typeof VaultMode)[keyof typeof VaultMode];

/** The values of a fixed value set, in declaration order. */
export const valuesOf = <T extends Record<string, string>>(set: T): readonly T[keyof T][] =>
    Object.values(set) as T[keyof T][];

/** True when `value` is one of the set's values. */
export const isOneOf = <T extends Record<string, string>>(set: T, value: unknown): value is T[keyof T] =>
    (Object.values(set) as unknown[]).includes(value);

// One RBAC PolicyRule: declared once, beside the evaluator that reads it.
import type { PolicyRule } from "../rbac/evaluator";
export type { PolicyRule };

export interface ApiServiceAccountArgs {
    /** Namespace the ServiceAccount lives in (a DNS-1123 label). Required. */
    readonly namespace: string;
    /**
     * Create the namespace (true) or use an existing one, which the stack then never changes or deletes
     * (false). With true, a namespace of that name that this stack did not create stops the deployment
     * before anything is created, and `kube-system`, `kube-public`, `kube-node-lease` and `default` are
     * refused (components/ownership.ts). Default: true.
     */
    readonly createNamespace?: boolean;
    /** Exact ServiceAccount name, never suffixed; must not be `default`. Default: the component's name. */
    readonly serviceAccountName?: string;
    /**
     * `"cluster"`: a ClusterRole and ClusterRoleBinding. `"namespace"`: a Role and RoleBinding in
     * `namespace` and in each of `extraNamespaces`. Default: `"cluster"`.
     */
    readonly scope?: Scope;
    /** More namespaces that get the same Role and RoleBinding (scope `"namespace"` only). Default: none. */
    readonly extraNamespaces?: string[];
    /**
     * Named rule preset: `"read-only"`, `"monitoring"` or `"full"`. Ignored when `rules` is given.
     * Default: `"read-only"`.
     */
    readonly access?: AccessPreset;
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
     * The kubeconfig (document or path) the component reads the cluster with: its current context's cluster
     * is read, with its credentials, to check that no object of the names the component creates exists
     * already (components/ownership.ts), and its server is the endpoint when `endpoint` is not given.
     * Default: the kubeconfig of the Kubernetes provider the children use (an explicit one's `kubeconfig`,
     * `context` and `cluster` settings, else `kubernetes:kubeconfig`, `KUBECONFIG` or `~/.kube/config`).
     */
    readonly kubeconfig?: pulumi.Input<string>;
    /**
     * PEM bundle of the CA(s) consumers trust for `endpoint`: the CA that signed the certificate of a load
     * balancer or proxy in front of the API server. It goes into the kubeconfig and Vault; the `caCert`
     * output stays the cluster CA. Default: the CA the provider kubeconfig's cluster names
     * (`certificate-authority-data` or `certificate-authority`) when the endpoint is read from it, else
     * the cluster CA (the token Secret's `ca.crt`).
     */
    readonly endpointCaCert?: pulumi.Input<string>;
    /**
     * The endpoint's certificate is publicly trusted: the kubeconfig names no CA (consumers use their
     * system's roots) and Vault is given none. Not with `endpointCaCert`. Default: false.
     */
    readonly endpointPubliclyTrusted?: boolean;
    /** Cluster name used in the consumer's kubeconfig. Default: the kubeconfig's cluster name, else `kubernetes`. */
    readonly clusterName?: string;
    /** Seconds to wait for the token controller to fill the token Secret. Default: 120. */
    readonly tokenTimeoutSeconds?: number;
    /**
     * Any string; changing it makes a new token (`<account>-token-<generation>`), waits for it, then exports it,
     * keeping the previous token valid until the next change, which revokes it. In Vault dynamic mode it
     * rotates the issuer's token the same way. Default: none.
     */
    readonly tokenRotation?: pulumi.Input<string>;
    /**
     * Revoke the previous token in this `up` (a leaked token) instead of at the next rotation, leaving only
     * the current one valid. Default: false.
     */
    readonly revokePreviousToken?: boolean;
    /** Store the credentials in Vault, or let Vault issue short-lived tokens instead. Default: no Vault. */
    readonly vault?: VaultArgs;
}

/**
 * The fields of ApiServiceAccountArgs. JavaScript callers and stack settings can pass any name, so the
 * component refuses others at run time (a misspelt optional field would silently get its default).
 */
export const ARGS_FIELDS = [
    "namespace",
    "createNamespace",
    "serviceAccountName",
    "scope",
    "extraNamespaces",
    "access",
    "rules",
    "allowWildcards",
    "endpoint",
    "kubeconfig",
    "endpointCaCert",
    "endpointPubliclyTrusted",
    "clusterName",
    "tokenTimeoutSeconds",
    "tokenRotation",
    "revokePreviousToken",
    "vault",
] as const satisfies readonly (keyof ApiServiceAccountArgs)[];

/** Vault settings of an ApiServiceAccount. The Vault provider is configured as usual or passed in opts. */
export interface VaultArgs {
    /**
     * `"kv"`: store endpoint, CA, token and kubeconfig in a KV v2 secret. `"dynamic"`: no long-lived token;
     * Vault's Kubernetes secrets engine issues short-lived tokens for the account. Required.
     */
    readonly mode: VaultMode;
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
