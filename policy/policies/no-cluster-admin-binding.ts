// Advisory: binding cluster-admin hands over the whole cluster; admin or edit bound cluster-wide hands
// over every namespace.
import { bindingHygienePolicy } from "../lib/hygiene";
import { isKnown, stringField } from "../lib/kubernetes";

export interface ClusterAdminConfig {
    /** ClusterRoles flagged in any binding. Default: ["cluster-admin"]. */
    forbiddenRoles?: string[];
    /** ClusterRoles flagged when bound cluster-wide. Default: ["admin", "edit"]. */
    forbiddenClusterWideRoles?: string[];
}

export const noClusterAdminBinding = bindingHygienePolicy<ClusterAdminConfig>({
    name: "no-cluster-admin-binding",
    description: "Flags bindings of cluster-admin, and of admin or edit through a ClusterRoleBinding.",
    configSchema: {
        properties: {
            forbiddenRoles: {
                type: "array",
                items: { type: "string" },
                default: ["cluster-admin"],
                description: "ClusterRoles flagged in any binding.",
            },
            forbiddenClusterWideRoles: {
                type: "array",
                items: { type: "string" },
                default: ["admin", "edit"],
                description: "ClusterRoles flagged when bound by a ClusterRoleBinding.",
            },
        },
    },
    find: (binding, kind, config) => {
        const refKind = stringField(binding, "roleRef", "kind");
        const name = stringField(binding, "roleRef", "name");
        if (!isKnown(refKind) || !isKnown(name) || refKind !== "ClusterRole" || !name) {
            return undefined;
        }
        if ((config.forbiddenRoles ?? ["cluster-admin"]).includes(name)) {
            return `binds ClusterRole "${name}", which allows every action on every resource${kind === "RoleBinding" ? " of its namespace" : " in the cluster"}`;
        }
        if (
            kind === "ClusterRoleBinding" &&
            (config.forbiddenClusterWideRoles ?? ["admin", "edit"]).includes(name)
        ) {
            return `binds ClusterRole "${name}" cluster-wide, which allows writing workloads and reading Secrets in every namespace`;
        }
        return undefined;
    },
    advice: "An API consumer needs a role with the rules it uses. Give it one (the ApiServiceAccount component's presets or rules).",
    remediationSteps:
        "Bind a role with exactly the rules the consumer needs; bind admin or edit per namespace with a RoleBinding if at all.",
});
