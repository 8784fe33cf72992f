// The defaults of ApiServiceAccount's arguments and of the program's settings, in one table: the component
// settles its arguments from it, the program falls back on it, messages quote it, and
// tests/components/defaults.test.ts holds args.ts's JSDoc, Pulumi.yaml's `default:` values and the
// README's tables to it. Defaults derived from the account (the ServiceAccount
// name, Vault paths, mounts and names) are computed where they are settled.
import { AccessPreset, Scope } from "./args";

/** Defaults of ApiServiceAccountArgs that do not depend on the account. */
export const ARGS_DEFAULTS = {
    createNamespace: true,
    scope: Scope.Cluster,
    extraNamespaces: [] as readonly string[],
    access: AccessPreset.ReadOnly,
    allowWildcards: false,
    endpointPubliclyTrusted: false,
    tokenTimeoutSeconds: 120,
    revokePreviousToken: false,
} as const;

/** The cluster name in the consumer's kubeconfig when neither `clusterName` nor the kubeconfig gives one. */
export const FALLBACK_CLUSTER_NAME = "kubernetes";

/**
 * Defaults of the per-environment program's own settings, which the component does not have in that form
 * (its `serviceAccountName` defaults to the component's name). Pulumi.yaml declares them, so the CLI
 * applies them; the program falls back on them when it runs with config that lacks them.
 */
export const PROGRAM_DEFAULTS = {
    serviceAccountName: "api-service-account",
    exportToken: "auto",
} as const;

/** Defaults of VaultArgs that do not depend on the account. */
export const VAULT_DEFAULTS = {
    kvMount: "secret",
    createKvMount: false,
    tokenDefaultTtl: "1h",
    tokenMaxTtl: "24h",
} as const;
