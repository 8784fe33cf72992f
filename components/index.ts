// The package's public surface: the component, its argument types and the helpers tools build on.
export { ApiServiceAccount, API_SERVICE_ACCOUNT_TYPE } from "./apiServiceAccount";
export { ANNOTATIONS } from "./metadata";
export { AccessPreset, ApiServiceAccountArgs, PolicyRule, Scope, VaultArgs, VaultMode } from "./args";
export { ACCESS_PRESETS, SCOPES, KNOWN_VERBS, presetRules } from "./rbac";
export { ApiServiceAccountArgsError, FieldPath, Problem, Terms, Words } from "./problems";
export { ForeignObjectError } from "./ownership";
export { renderKubeconfig, serverFromKubeconfig, findProviderKubeconfig } from "./kubeconfig";
export { VAULT_MODES, durationSeconds } from "./vaultSettings";
