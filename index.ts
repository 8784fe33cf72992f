// The program: one ApiServiceAccount from the stack's settings, its values exported as stack outputs.
// The token and kubeconfig are top-level secret outputs so a StackReference can read each on its own.
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ApiServiceAccount, ApiServiceAccountArgs, PolicyRule, VaultArgs, VaultMode } from "./components";
import { isOneOf } from "./components/args";
import { PROGRAM_DEFAULTS } from "./components/defaults";
import { argsProblems } from "./components/validation";
import { Problem, problemList } from "./components/problems";
import { refuseStaleBuild } from "./rbac/staleBuild";
import {
    inStackSettings,
    isSecretSetting,
    PROJECT_DIR,
    refuseSettings,
    structuredSetting,
    unknownSettings,
} from "./settings/stackSettings";

// Pulumi runs the prebuilt bin/index.js (see Pulumi.yaml): never deploy from a build older than its sources.
if (path.extname(__filename) === ".js") {
    refuseStaleBuild(PROJECT_DIR, __dirname, ["", "components", "rbac", "settings"], "pulumi up");
}

/** The settings of `exportToken`, a fixed value set. */
const ExportToken = { Auto: "auto", True: "true", False: "false" } as const;

/**
 * Whether a program exports the long-lived token and kubeconfig: `auto` exports them unless Vault holds
 * the credentials. `problems` (in the component's paths, `["args", "exportToken"]`) where the answer
 * cannot be honoured.
 */
function exportTokenSetting(
    setting: string | undefined,
    vaultMode: string | undefined,
): { exportToken: boolean; problems: Problem[] } {
    const value = setting ?? PROGRAM_DEFAULTS.exportToken;
    const { problems, fail } = problemList();
    if (!isOneOf(ExportToken, value)) {
        fail(
            ["args", "exportToken"],
            value,
            "not one of its values",
            `Use "${PROGRAM_DEFAULTS.exportToken}" (the default), "true" or "false"`,
        );
    } else if (value === ExportToken.True && vaultMode === VaultMode.Dynamic) {
        fail(
            ["args", "exportToken"],
            value,
            (t) =>
                `Vault mode "dynamic" (${t(["args", "vault", "mode"])}) makes no long-lived token to export`,
            (t) =>
                `Set ${t(["args", "exportToken"])} to "auto" or "false", or use Vault mode "kv" to keep a long-lived token in Vault`,
        );
    }
    return {
        exportToken: value === ExportToken.True || (value === ExportToken.Auto && vaultMode === undefined),
        problems,
    };
}

// The settings are checked as the user wrote them, before anything is created: a misspelt key would
// otherwise be ignored and its default used. Errors name the stack key, file and line.
const stack = pulumi.getStack();
const unknown = unknownSettings(pulumi.runtime.allConfig());

const config = new pulumi.Config();
// Pulumi.yaml declares "" as the default of optional strings; treat it as unset.
const optional = (key: string) => config.get(key) || undefined;
// A setting stored with `pulumi config set --secret` stays secret where the component takes an Input;
// config.get would hand it over in clear, into the state and the manifests.
const keepSecret = (key: string) =>
    isSecretSetting(`${config.name}:${key}`) ? config.getSecret(key) : optional(key);

const accountName = config.get("serviceAccountName") ?? PROGRAM_DEFAULTS.serviceAccountName;
// Read as written, even when not an object or a list: the component names what is wrong and the fix.
const vault = structuredSetting(config, "vault") as VaultArgs | undefined;
const accountArgs: ApiServiceAccountArgs = {
    namespace: config.require("namespace"),
    createNamespace: config.getBoolean("createNamespace"),
    serviceAccountName: accountName,
    scope: config.get("scope"),
    extraNamespaces: config.getObject<string[]>("extraNamespaces"),
    access: config.get("access"),
    rules: structuredSetting(config, "rules") as PolicyRule[] | undefined,
    allowWildcards: config.getBoolean("allowWildcards"),
    endpoint: keepSecret("endpoint"),
    endpointCaCert: optional("endpointCaCert"),
    endpointPubliclyTrusted: config.getBoolean("endpointPubliclyTrusted"),
    clusterName: optional("clusterName"),
    tokenTimeoutSeconds: config.getNumber("tokenTimeoutSeconds"),
    tokenRotation: keepSecret("tokenRotation"),
    revokePreviousToken: config.getBoolean("revokePreviousToken"),
    vault,
};
// Every problem of the settings at once, before anything is created. The component raises its own
// problems itself; they are gathered beforehand only to report them with the program's. The component's
// name is the setting serviceAccountName.
const { exportToken, problems } = exportTokenSetting(optional("exportToken"), vault?.mode);
if (unknown.length + problems.length > 0) {
    refuseSettings(
        stack,
        unknown,
        [...problems, ...argsProblems(accountName, accountArgs)],
        "serviceAccountName",
    );
}
const account = inStackSettings(
    stack,
    "serviceAccountName",
    () => new ApiServiceAccount(accountName, accountArgs),
);

export const namespace = account.namespace;
export const serviceAccountName = account.serviceAccountName;
export const subject = account.subject;
export const roleName = account.roleName;
export const bindingName = account.bindingName;
export const tokenSecretName = account.tokenSecretName;
export const previousTokenSecretName = account.previousTokenSecretName;
export const endpoint = account.endpoint;
export const caCert = account.caCert;
export const endpointCaCert = account.endpointCaCert;
export const token = exportToken ? account.token : undefined;
export const kubeconfig = exportToken ? account.kubeconfig : undefined;
export const scope = account.scope;
export const roleNamespaces = account.roleNamespaces;
export const rules = account.rules;
export const vaultMode = account.vaultMode;
export const vaultPolicyName = account.vaultPolicyName;
export const vaultSecretPath = account.vaultSecretPath;
export const vaultReadCommand = account.vaultReadCommand;
export const vaultKubernetesMount = account.vaultKubernetesMount;
export const vaultRoleName = account.vaultRoleName;
export const vaultCredentialsCommand = account.vaultCredentialsCommand;
