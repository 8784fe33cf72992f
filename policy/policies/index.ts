// Every policy of the pack, in the order a failed preview lists them.
import { Policies } from "@pulumi/policy";
import { noAnonymousOrMastersBinding } from "./no-anonymous-or-masters-binding";
import { noClusterAdminBinding } from "./no-cluster-admin-binding";
import { noClusterWideSecretRead } from "./no-cluster-wide-secret-read";
import { noDefaultServiceAccountBinding } from "./no-default-service-account-binding";
import { noDefaultServiceAccountToken } from "./no-default-service-account-token";
import { noEscalationPaths } from "./no-escalation-paths";
import { noEscalationVerbs } from "./no-escalation-verbs";
import { noNodesProxy } from "./no-nodes-proxy";
import { noPodExecAttach } from "./no-pod-exec-attach";
import { noWildcardRules } from "./no-wildcard-rules";
import { noWorkloadCreation } from "./no-workload-creation";
import { serviceAccountEffectivePermissions } from "./service-account-effective-permissions";

export const policies: Policies = [
    noDefaultServiceAccountBinding,
    noDefaultServiceAccountToken,
    noClusterAdminBinding,
    noWildcardRules,
    noEscalationVerbs,
    noEscalationPaths,
    noWorkloadCreation,
    noClusterWideSecretRead,
    noNodesProxy,
    noPodExecAttach,
    noAnonymousOrMastersBinding,
    serviceAccountEffectivePermissions,
];
