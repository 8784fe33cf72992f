// The Vault side of ApiServiceAccount: store the account's credentials in a KV v2 secret readable through
// one ACL policy, or configure Vault's Kubernetes secrets engine to issue short-lived tokens instead.
import * as pulumi from "@pulumi/pulumi";
import type { Fail } from "./validation";

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

export const VAULT_MODES = ["kv", "dynamic"] as const;
export type VaultMode = (typeof VAULT_MODES)[number];

export interface SettledVault {
    readonly mode: VaultMode;
    readonly kvMount: string;
    readonly createKvMount: boolean;
    readonly kvPath: string;
    readonly kubernetesMount: string;
    readonly roleName: string;
    readonly tokenDefaultTtlSeconds: number;
    readonly tokenMaxTtlSeconds: number;
    readonly policyName: string;
}

/**
 * Shortest lifetime, in seconds, of a token Kubernetes issues through the TokenRequest API
 * (`expirationSeconds` must be at least 600: k8s.io/kubernetes pkg/apis/authentication/validation/validation.go).
 */
export const MIN_TOKEN_TTL_SECONDS = 600;

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** Seconds in a duration such as `1h30m`, `45m`, `3600s` or `3600`; undefined when it is not one. */
export function durationSeconds(value: unknown): number | undefined {
    if (typeof value === "number") {
        return Number.isInteger(value) && value > 0 ? value : undefined;
    }
    if (typeof value !== "string" || value.trim() === "") {
        return undefined;
    }
    const text = value.trim();
    if (/^\d+$/.test(text)) {
        return Number(text) > 0 ? Number(text) : undefined;
    }
    const m = DURATION.exec(text);
    if (!m || (!m[1] && !m[2] && !m[3])) {
        return undefined;
    }
    const seconds = Number(m[1] ?? 0) * 3600 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
    return seconds > 0 ? seconds : undefined;
}

/** A segment safe in Vault paths and policy names. */
const segment = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, "-");

const MOUNT = /^[A-Za-z0-9][A-Za-z0-9._/-]*[A-Za-z0-9]$|^[A-Za-z0-9]$/;

/** Checks the Vault arguments and fills in defaults; `where` names the cluster, namespace and account. */
export function settleVault(
    vault: VaultArgs,
    where: { cluster: string; namespace: string; account: string },
    fail: Fail,
): SettledVault | undefined {
    if (vault === null || typeof vault !== "object") {
        fail("args.vault", vault, "it must be an object", 'Use { mode: "kv" } or { mode: "dynamic" }');
        return undefined;
    }
    const mode = vault.mode;
    if (!(VAULT_MODES as readonly unknown[]).includes(mode)) {
        fail(
            "args.vault.mode",
            mode,
            "unknown Vault mode",
            'Use "kv" (store the long-lived token in Vault) or "dynamic" (Vault issues short-lived tokens)',
        );
    }
    const base = `${segment(where.cluster)}/${where.namespace}/${where.account}`;
    const checkPath = (field: string, value: unknown, example: string) => {
        if (typeof value !== "string" || value.trim() === "" || !MOUNT.test(value) || value.includes("//")) {
            fail(
                field,
                value,
                "a Vault path must be non-empty, without spaces, leading or trailing '/'",
                `Use for example "${example}"`,
            );
        }
    };
    const kvMount = vault.kvMount ?? "secret";
    const kvPath = vault.kvPath ?? `kube-api-access/${base}`;
    const kubernetesMount = vault.kubernetesMount ?? `kubernetes-${base.replace(/\//g, "-")}`;
    if (mode === "kv") {
        checkPath("args.vault.kvMount", kvMount, "secret");
        checkPath("args.vault.kvPath", kvPath, `kube-api-access/${base}`);
    }
    if (mode === "dynamic") {
        checkPath("args.vault.kubernetesMount", kubernetesMount, `kubernetes-${where.cluster}`);
    }
    const createKvMount = vault.createKvMount ?? false;
    if (typeof createKvMount !== "boolean") {
        fail("args.vault.createKvMount", createKvMount, "it must be a boolean", "Use true or false");
    }
    const roleName = vault.roleName ?? where.account;
    if (typeof roleName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(roleName)) {
        fail(
            "args.vault.roleName",
            roleName,
            "a role name must be letters, digits, '.', '_' or '-'",
            `Use for example "${where.account}"`,
        );
    }
    const policyName =
        vault.policyName ?? `kube-api-access-${segment(where.cluster)}-${where.namespace}-${where.account}`;
    if (typeof policyName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(policyName)) {
        fail(
            "args.vault.policyName",
            policyName,
            "a policy name must be letters, digits, '.', '_' or '-'",
            "Leave it out for the default",
        );
    }

    const defaultTtl = durationSeconds(vault.tokenDefaultTtl ?? "1h");
    const maxTtl = durationSeconds(vault.tokenMaxTtl ?? "24h");
    if (defaultTtl === undefined) {
        fail(
            "args.vault.tokenDefaultTtl",
            vault.tokenDefaultTtl,
            "it is not a positive duration",
            'Use for example "1h", "30m" or "3600s"',
        );
    }
    if (maxTtl === undefined) {
        fail(
            "args.vault.tokenMaxTtl",
            vault.tokenMaxTtl,
            "it is not a positive duration",
            'Use for example "24h"',
        );
    }
    for (const [field, value, seconds] of [
        ["args.vault.tokenDefaultTtl", vault.tokenDefaultTtl, defaultTtl],
        ["args.vault.tokenMaxTtl", vault.tokenMaxTtl, maxTtl],
    ] as const) {
        if (seconds !== undefined && seconds < MIN_TOKEN_TTL_SECONDS) {
            fail(
                field,
                value,
                `it is below ${MIN_TOKEN_TTL_SECONDS / 60}m, the shortest token Kubernetes issues, so every credentials request would fail`,
                'Use "10m" or more',
            );
        }
    }
    if (defaultTtl !== undefined && maxTtl !== undefined && defaultTtl > maxTtl) {
        fail(
            "args.vault.tokenDefaultTtl",
            vault.tokenDefaultTtl ?? "1h",
            `it exceeds tokenMaxTtl (${vault.tokenMaxTtl ?? "24h"})`,
            "Lower tokenDefaultTtl or raise tokenMaxTtl",
        );
    }
    if (mode === "kv" && (vault.tokenDefaultTtl !== undefined || vault.tokenMaxTtl !== undefined)) {
        fail(
            "args.vault.tokenDefaultTtl",
            vault.tokenDefaultTtl ?? vault.tokenMaxTtl,
            'token lifetimes apply to mode "dynamic"; a stored long-lived token does not expire',
            'Use mode "dynamic", or drop the TTLs and rotate with tokenRotation',
        );
    }
    if (!(VAULT_MODES as readonly unknown[]).includes(mode)) {
        return undefined;
    }
    return {
        mode: mode as VaultMode,
        kvMount,
        createKvMount,
        kvPath,
        kubernetesMount,
        roleName,
        tokenDefaultTtlSeconds: defaultTtl ?? 0,
        tokenMaxTtlSeconds: maxTtl ?? 0,
        policyName,
    };
}

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

export const EXPORT_TOKEN_SETTINGS = ["auto", "true", "false"] as const;

/**
 * Whether a program exports the long-lived token and kubeconfig: `auto` exports them unless Vault holds
 * the credentials. Throws, naming the setting, where the answer cannot be honoured.
 */
export function shouldExportToken(setting: string | undefined, vaultMode: string | undefined): boolean {
    const value = setting ?? "auto";
    if (!(EXPORT_TOKEN_SETTINGS as readonly string[]).includes(value)) {
        throw new Error(
            `config exportToken ${JSON.stringify(value)}: unknown setting. Use "auto" (the default), "true" or "false".`,
        );
    }
    if (value === "true" && vaultMode === "dynamic") {
        throw new Error(
            'config exportToken "true" with vault.mode "dynamic": dynamic mode makes no long-lived token to export. ' +
                'Set exportToken to "auto" or "false", or use vault.mode "kv" to keep a long-lived token in Vault.',
        );
    }
    return value === "true" || (value === "auto" && vaultMode === undefined);
}
