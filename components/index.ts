// The package's public surface: the component, its argument types and the helpers tools build on.
export {
    ApiServiceAccount,
    ApiServiceAccountArgs,
    API_SERVICE_ACCOUNT_TYPE,
    ANNOTATIONS,
} from "./apiServiceAccount";
export { PolicyRule, ACCESS_PRESETS, SCOPES, KNOWN_VERBS, presetRules } from "./rbac";
export { ApiServiceAccountArgsError } from "./validation";
export { renderKubeconfig, serverFromKubeconfig, findProviderKubeconfig } from "./kubeconfig";
export { VaultArgs, VAULT_MODES, shouldExportToken, durationSeconds } from "./vault";
