// Checks the `vault` argument of ApiServiceAccount and fills in its defaults: mode, mounts, paths,
// role and policy names, and token lifetimes. Every message names the field, the value and the fix.
import { isOneOf, valuesOf, VaultArgs, VaultMode } from "./args";
import { VAULT_DEFAULTS } from "./defaults";
import { ApiServiceAccountArgsError, Fail, FieldPath, problemList } from "./problems";
import { refuseUnknownFields, valueSuggestion } from "./suggest";

/** Every Vault mode, derived from `VaultMode` in args.ts. */
export const VAULT_MODES = valuesOf(VaultMode);

/** Every field of VaultArgs: anything else is refused, as a misspelt TTL would silently get the default. */
export const VAULT_FIELDS = [
    "mode",
    "kvMount",
    "createKvMount",
    "kvPath",
    "kubernetesMount",
    "roleName",
    "tokenDefaultTtl",
    "tokenMaxTtl",
    "policyName",
] as const satisfies readonly (keyof VaultArgs)[];

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
    if (vault === null || typeof vault !== "object" || Array.isArray(vault)) {
        fail(["args", "vault"], vault, "it must be an object", 'Use { mode: "kv" } or { mode: "dynamic" }');
        return undefined;
    }
    refuseUnknownFields(fail, ["args", "vault"], vault, VAULT_FIELDS, "Vault settings have");
    const mode = vault.mode;
    if (!isOneOf(VaultMode, mode)) {
        fail(
            ["args", "vault", "mode"],
            mode,
            mode === undefined
                ? "Vault settings need a mode"
                : `unknown Vault mode${valueSuggestion(mode, VAULT_MODES)}`,
            'Use "kv" (store the long-lived token in Vault) or "dynamic" (Vault issues short-lived tokens)',
        );
    }
    const base = `${segment(where.cluster)}/${where.namespace}/${where.account}`;
    const checkPath = (field: FieldPath, value: unknown, example: string) => {
        if (typeof value !== "string" || value.trim() === "" || !MOUNT.test(value) || value.includes("//")) {
            fail(
                field,
                value,
                "a Vault path must be non-empty, without spaces, leading or trailing '/'",
                `Use for example "${example}"`,
            );
        }
    };
    const kvMount = vault.kvMount ?? VAULT_DEFAULTS.kvMount;
    const kvPath = vault.kvPath ?? `kube-api-access/${base}`;
    const kubernetesMount = vault.kubernetesMount ?? `kubernetes-${base.replace(/\//g, "-")}`;
    if (mode === "kv") {
        checkPath(["args", "vault", "kvMount"], kvMount, VAULT_DEFAULTS.kvMount);
        checkPath(["args", "vault", "kvPath"], kvPath, `kube-api-access/${base}`);
    }
    if (mode === "dynamic") {
        checkPath(["args", "vault", "kubernetesMount"], kubernetesMount, `kubernetes-${where.cluster}`);
    }
    const createKvMount = vault.createKvMount ?? VAULT_DEFAULTS.createKvMount;
    if (typeof createKvMount !== "boolean") {
        fail(["args", "vault", "createKvMount"], createKvMount, "it must be a boolean", "Use true or false");
    }
    const roleName = vault.roleName ?? where.account;
    if (typeof roleName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(roleName)) {
        fail(
            ["args", "vault", "roleName"],
            roleName,
            "a role name must be letters, digits, '.', '_' or '-'",
            `Use for example "${where.account}"`,
        );
    }
    const policyName =
        vault.policyName ?? `kube-api-access-${segment(where.cluster)}-${where.namespace}-${where.account}`;
    if (typeof policyName !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(policyName)) {
        fail(
            ["args", "vault", "policyName"],
            policyName,
            "a policy name must be letters, digits, '.', '_' or '-'",
            "Leave it out for the default",
        );
    }

    const defaultTtl = durationSeconds(vault.tokenDefaultTtl ?? VAULT_DEFAULTS.tokenDefaultTtl);
    const maxTtl = durationSeconds(vault.tokenMaxTtl ?? VAULT_DEFAULTS.tokenMaxTtl);
    if (defaultTtl === undefined) {
        fail(
            ["args", "vault", "tokenDefaultTtl"],
            vault.tokenDefaultTtl,
            "it is not a positive duration",
            `Use for example ${JSON.stringify(VAULT_DEFAULTS.tokenDefaultTtl)}, "30m" or "3600s"`,
        );
    }
    if (maxTtl === undefined) {
        fail(
            ["args", "vault", "tokenMaxTtl"],
            vault.tokenMaxTtl,
            "it is not a positive duration",
            `Use for example ${JSON.stringify(VAULT_DEFAULTS.tokenMaxTtl)}`,
        );
    }
    for (const [field, value, seconds] of [
        [["args", "vault", "tokenDefaultTtl"], vault.tokenDefaultTtl, defaultTtl],
        [["args", "vault", "tokenMaxTtl"], vault.tokenMaxTtl, maxTtl],
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
    // Each problem names the field the user wrote: a default is never blamed for the other field's value.
    if (defaultTtl !== undefined && maxTtl !== undefined && defaultTtl > maxTtl) {
        if (vault.tokenDefaultTtl !== undefined) {
            fail(
                ["args", "vault", "tokenDefaultTtl"],
                vault.tokenDefaultTtl,
                `it exceeds tokenMaxTtl (${vault.tokenMaxTtl ?? `${VAULT_DEFAULTS.tokenMaxTtl}, the default`})`,
                "Lower tokenDefaultTtl or raise tokenMaxTtl",
            );
        } else {
            fail(
                ["args", "vault", "tokenMaxTtl"],
                vault.tokenMaxTtl,
                `it is below tokenDefaultTtl (${VAULT_DEFAULTS.tokenDefaultTtl}, the default)`,
                `Raise tokenMaxTtl to ${VAULT_DEFAULTS.tokenDefaultTtl} or more, or set a lower tokenDefaultTtl`,
            );
        }
    }
    if (mode === "kv") {
        for (const field of ["tokenDefaultTtl", "tokenMaxTtl"] as const) {
            if (vault[field] !== undefined) {
                fail(
                    ["args", "vault", field],
                    vault[field],
                    'token lifetimes apply to mode "dynamic"; a stored long-lived token does not expire',
                    'Use mode "dynamic", or drop the TTLs and rotate with tokenRotation',
                );
            }
        }
    }
    if (!isOneOf(VaultMode, mode)) {
        return undefined;
    }
    return {
        mode,
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

/** Checks the Vault arguments for the cluster name the endpoint resolution settled on, or throws. */
export function settleVaultArgs(
    name: string,
    args: VaultArgs,
    where: { cluster: string; namespace: string; account: string },
): SettledVault {
    const { problems, fail } = problemList();
    const result = settleVault(args, where, fail);
    if (problems.length > 0 || !result) {
        throw new ApiServiceAccountArgsError(name, problems);
    }
    return result;
}
