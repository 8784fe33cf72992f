// Checks ApiServiceAccount's arguments before anything is registered, and turns them into the settled
// values the component builds from. Every message names the argument, the bad value and the fix.
import { AccessPreset, ApiServiceAccountArgs, ARGS_FIELDS, isOneOf, PolicyRule, Scope } from "./args";
import { RESERVED_NAMESPACES } from "./metadata";
import { ACCESS_PRESETS, presetRules, SCOPES } from "./rbac";
import * as pulumi from "@pulumi/pulumi";
import { resolveEndpoint, ClusterEntry } from "./endpoint";
import { ApiServiceAccountArgsError, Fail, FieldPath, Problem, problemList, Words } from "./problems";
import { checkRule } from "./ruleChecks";
import { ARGS_DEFAULTS, FALLBACK_CLUSTER_NAME } from "./defaults";
import { pemProblem } from "./pem";
import { refuseUnknownFields, valueSuggestion } from "./suggest";
import { settleVaultArgs, SettledVault } from "./vaultSettings";

/** The arguments after defaults and checks. */
export interface SettledArgs {
    readonly namespace: string;
    readonly createNamespace: boolean;
    readonly serviceAccountName: string;
    readonly scope: Scope;
    /** Namespaces that get the Role and RoleBinding (namespace scope): the account's own first. */
    readonly roleNamespaces: string[];
    readonly access: AccessPreset | "custom";
    readonly rules: PolicyRule[];
    readonly clusterName: string | undefined;
    readonly tokenTimeoutSeconds: number;
    readonly revokePreviousToken: boolean;
}

// Kubernetes' own name rules (k8s.io/apimachinery/pkg/util/validation).
const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;
const CLUSTER_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/**
 * Every check of the component's arguments run to the end (the arguments, the endpoint, Vault), so that
 * one error lists every problem; throws ApiServiceAccountArgsError with all of them.
 */
export function settleAll(
    name: string,
    args: ApiServiceAccountArgs,
    opts: pulumi.ComponentResourceOptions | undefined,
    endpoint = true,
): { settled: SettledArgs; cluster: ClusterEntry; vault?: SettledVault } {
    const problems: Problem[] = [];
    const attempt = <T>(step: () => T): T | undefined => {
        try {
            return step();
        } catch (err) {
            if (!(err instanceof ApiServiceAccountArgsError)) {
                throw err;
            }
            problems.push(...err.details);
            return undefined;
        }
    };
    const settled = attempt(() => settleArgs(name, args));
    if (args === null || typeof args !== "object") {
        throw new ApiServiceAccountArgsError(String(name), problems);
    }
    const cluster = endpoint
        ? attempt(() => resolveEndpoint(name, args, settled?.clusterName, opts))
        : { endpoint: pulumi.output(""), clusterName: settled?.clusterName ?? FALLBACK_CLUSTER_NAME };
    const where = {
        cluster: cluster?.clusterName ?? FALLBACK_CLUSTER_NAME,
        namespace: String(args.namespace),
        account: settled?.serviceAccountName ?? String(args.serviceAccountName ?? name),
    };
    const vault =
        args.vault !== undefined ? attempt(() => settleVaultArgs(name, args.vault!, where)) : undefined;
    if (problems.length > 0 || !settled || !cluster) {
        throw new ApiServiceAccountArgsError(name, problems);
    }
    return { settled, cluster, vault };
}

/**
 * The problems `settleAll` would raise for these arguments, without creating anything; [] when none. An
 * endpoint or kubeconfig given as an Output is checked when its value arrives, by the component itself.
 */
export function argsProblems(
    name: string,
    args: ApiServiceAccountArgs,
    opts?: pulumi.ComponentResourceOptions,
): Problem[] {
    try {
        const later = [args.endpoint, args.kubeconfig].some((v) => v !== undefined && typeof v !== "string");
        settleAll(name, args, opts, !later);
        return [];
    } catch (err) {
        if (err instanceof ApiServiceAccountArgsError) {
            return [...err.details];
        }
        throw err;
    }
}

/** Validates `args` and returns the settled values, or throws ApiServiceAccountArgsError. */
export function settleArgs(name: string, args: ApiServiceAccountArgs | undefined): SettledArgs {
    const { problems, fail } = problemList();

    if (typeof name !== "string" || name.length === 0 || name.length > 63 || !LABEL_VALUE.test(name)) {
        fail(
            ["name"],
            name,
            "the component name is used as the value of the app.kubernetes.io/instance label",
            "Use at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        );
    }
    if (args === undefined || args === null || typeof args !== "object") {
        throw new ApiServiceAccountArgsError(String(name), [
            {
                path: ["args"],
                value: args,
                why: "the arguments are required",
                fix: 'Pass at least { namespace: "<namespace>" }',
            },
        ]);
    }

    refuseUnknownFields(fail, ["args"], args, ARGS_FIELDS, "ApiServiceAccountArgs has");

    const namespace = args.namespace;
    checkDnsLabel(fail, ["args", "namespace"], namespace, true);

    const createNamespace = args.createNamespace ?? ARGS_DEFAULTS.createNamespace;
    if (typeof createNamespace !== "boolean") {
        fail(["args", "createNamespace"], createNamespace, "it must be a boolean", "Use true or false");
    } else if (createNamespace && (RESERVED_NAMESPACES as readonly unknown[]).includes(namespace)) {
        fail(
            ["args", "namespace"],
            namespace,
            "Kubernetes makes and needs this namespace; the component never creates it, and pulumi destroy must never delete it",
            (t) =>
                `Set ${t(["args", "createNamespace"])} to false to put the account in the existing namespace`,
        );
    }

    const serviceAccountName = args.serviceAccountName ?? name;
    // Unset, the account takes the component's name: the problem is then the name the caller wrote.
    const accountField: FieldPath =
        args.serviceAccountName === undefined ? ["name"] : ["args", "serviceAccountName"];
    const taken = (why: string): Words =>
        args.serviceAccountName === undefined
            ? (t) =>
                  `${why} (the ServiceAccount takes the component's name when ${t(["args", "serviceAccountName"])} is not set)`
            : why;
    if (serviceAccountName === "default") {
        fail(
            accountField,
            serviceAccountName,
            taken(
                "every pod that names no ServiceAccount runs as its namespace's default account, so its rights would go to all of them",
            ),
            (t) =>
                `Choose a dedicated name for the consumer, such as "prometheus-reader"${args.serviceAccountName === undefined ? `, as the component's name or as ${t(["args", "serviceAccountName"])}` : ""}`,
        );
    } else if (
        typeof serviceAccountName !== "string" ||
        serviceAccountName.length > 253 ||
        !DNS1123_SUBDOMAIN.test(serviceAccountName)
    ) {
        fail(
            accountField,
            serviceAccountName,
            taken("a ServiceAccount name must be a DNS-1123 subdomain"),
            "Use lower-case letters, digits, '-' and '.', starting and ending with a letter or digit",
        );
    }

    const scope = args.scope ?? ARGS_DEFAULTS.scope;
    if (!isOneOf(Scope, scope)) {
        fail(
            ["args", "scope"],
            scope,
            `unknown scope${valueSuggestion(scope, SCOPES)}`,
            'Use "cluster" (ClusterRole and ClusterRoleBinding) or "namespace" (Role and RoleBinding)',
        );
    }

    const extraNamespaces = args.extraNamespaces ?? [...ARGS_DEFAULTS.extraNamespaces];
    if (!Array.isArray(extraNamespaces)) {
        fail(
            ["args", "extraNamespaces"],
            extraNamespaces,
            "it must be a list of namespaces",
            'Use ["ns-a", "ns-b"]',
        );
    } else {
        extraNamespaces.forEach((ns, i) => checkDnsLabel(fail, ["args", "extraNamespaces", i], ns, false));
        if (extraNamespaces.length > 0 && scope !== "namespace") {
            fail(
                ["args", "extraNamespaces"],
                extraNamespaces,
                'extra namespaces only apply to scope "namespace"; a cluster role already reaches every namespace',
                (t) => `Set ${t(["args", "scope"])}: "namespace", or drop ${t(["args", "extraNamespaces"])}`,
            );
        }
        const seen = new Set<string>([String(namespace)]);
        for (const ns of extraNamespaces) {
            if (seen.has(ns)) {
                fail(
                    ["args", "extraNamespaces"],
                    extraNamespaces,
                    `namespace "${ns}" is listed twice (or is the account's own namespace)`,
                    "List each extra namespace once, without the account's own",
                );
            }
            seen.add(ns);
        }
    }

    const access = args.access ?? ARGS_DEFAULTS.access;
    if (!isOneOf(AccessPreset, access)) {
        fail(
            ["args", "access"],
            access,
            `unknown access preset${valueSuggestion(access, ACCESS_PRESETS)}`,
            (t) =>
                `Use one of ${ACCESS_PRESETS.map((a) => `"${a}"`).join(", ")}, or give ${t(["args", "rules"])}`,
        );
    }

    let rules: PolicyRule[] = [];
    if (args.rules !== undefined) {
        if (!Array.isArray(args.rules)) {
            fail(
                ["args", "rules"],
                args.rules,
                "it must be a list of RBAC PolicyRules",
                'Give a list such as [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }]',
            );
        } else if (args.rules.length === 0) {
            fail(
                ["args", "rules"],
                args.rules,
                "an empty rule list grants nothing, so the account could not do anything",
                (t) =>
                    `Give at least one rule, or leave ${t(["args", "rules"])} out to use ${t(["args", "access"])}`,
            );
        } else {
            rules = args.rules;
            rules.forEach((rule, i) =>
                checkRule(
                    fail,
                    ["args", "rules", i],
                    rule,
                    scope === "namespace",
                    (args.allowWildcards ?? ARGS_DEFAULTS.allowWildcards) === true,
                ),
            );
        }
    } else if (isOneOf(AccessPreset, access) && isOneOf(Scope, scope)) {
        rules = presetRules(access, scope);
    }

    checkEndpointCa(fail, args.endpointCaCert, args.endpointPubliclyTrusted);

    const clusterName = args.clusterName;
    if (clusterName !== undefined && (typeof clusterName !== "string" || !CLUSTER_NAME.test(clusterName))) {
        fail(
            ["args", "clusterName"],
            clusterName,
            "the cluster name is used in the kubeconfig and in storage paths",
            "Use letters, digits, '-', '_' or '.', starting and ending with a letter or digit",
        );
    }

    const tokenTimeoutSeconds = args.tokenTimeoutSeconds ?? ARGS_DEFAULTS.tokenTimeoutSeconds;
    if (
        typeof tokenTimeoutSeconds !== "number" ||
        !Number.isInteger(tokenTimeoutSeconds) ||
        tokenTimeoutSeconds <= 0
    ) {
        fail(
            ["args", "tokenTimeoutSeconds"],
            tokenTimeoutSeconds,
            "it must be a positive whole number of seconds",
            `Use for example ${ARGS_DEFAULTS.tokenTimeoutSeconds} (the default)`,
        );
    }

    const revokePreviousToken = args.revokePreviousToken ?? ARGS_DEFAULTS.revokePreviousToken;
    if (typeof revokePreviousToken !== "boolean") {
        fail(
            ["args", "revokePreviousToken"],
            revokePreviousToken,
            "it must be a boolean",
            "Use true or false",
        );
    }

    if (problems.length > 0) {
        throw new ApiServiceAccountArgsError(name, problems);
    }
    return {
        namespace,
        createNamespace,
        serviceAccountName,
        scope: scope,
        roleNamespaces: scope === "namespace" ? [namespace, ...extraNamespaces] : [],
        access: args.rules !== undefined ? "custom" : access,
        rules,
        clusterName,
        tokenTimeoutSeconds,
        revokePreviousToken,
    };
}

/** `endpointCaCert` (when given as a plain string) must be PEM certificates; not together with `endpointPubliclyTrusted`. */
function checkEndpointCa(fail: Fail, pem: unknown, publiclyTrusted: unknown): void {
    if (publiclyTrusted !== undefined && typeof publiclyTrusted !== "boolean") {
        fail(
            ["args", "endpointPubliclyTrusted"],
            publiclyTrusted,
            "it must be a boolean",
            "Use true or false",
        );
    }
    if (pem === undefined) {
        return;
    }
    if (publiclyTrusted === true) {
        fail(
            ["args", "endpointCaCert"],
            "(a PEM bundle)",
            (t) =>
                `it names a CA, while ${t(["args", "endpointPubliclyTrusted"])} says the system's roots are to be trusted`,
            (t) =>
                `Keep one of the two: ${t(["args", "endpointCaCert"])} for a private CA, ` +
                `${t(["args", "endpointPubliclyTrusted"])} for a public one`,
        );
    }
    if (typeof pem === "string") {
        const problem = pemProblem(pem);
        if (problem) {
            fail(
                ["args", "endpointCaCert"],
                shortPem(pem),
                problem,
                "Give the CA certificate(s) as PEM text, -----BEGIN CERTIFICATE----- blocks",
            );
        }
    } else if (!pulumi.Output.isInstance(pem) && !(pem instanceof Promise)) {
        fail(
            ["args", "endpointCaCert"],
            pem,
            "it must be PEM text",
            "Give the CA certificate(s) as PEM text",
        );
    }
}

/** A PEM value as messages show it: its first line and length, not the whole bundle. */
const shortPem = (pem: string) => `${pem.trim().split("\n")[0].slice(0, 40)}… (${pem.length} characters)`;

function checkDnsLabel(fail: Fail, field: FieldPath, value: unknown, required: boolean): void {
    if (value === undefined && required) {
        fail(
            field,
            value,
            "it is required",
            'Name the namespace the ServiceAccount lives in, such as "devops-tools"',
        );
    } else if (typeof value !== "string" || value.length > 63 || !DNS1123_LABEL.test(value)) {
        fail(
            field,
            value,
            "a namespace name must be a DNS-1123 label",
            "Use at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit",
        );
    }
}
