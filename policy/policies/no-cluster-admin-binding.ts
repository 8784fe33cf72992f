// Advisory: binding cluster-admin hands over the whole cluster; admin or edit bound cluster-wide hands
// over every namespace. The roles and what they reach come from the sensitive table (lib/sensitive.ts).
import { bindingHygienePolicy } from "../lib/hygiene";
import { isKnown, stringField } from "../lib/kubernetes";
import { rowsOf } from "../../rbac/sensitive";

const ROWS = rowsOf("no-cluster-admin-binding", "roleRef");
const ANYWHERE = ROWS.filter((r) => !r.clusterWide).map((r) => r.role);
const CLUSTER_WIDE = ROWS.filter((r) => r.clusterWide).map((r) => r.role);
const reachOf = (role: string, fallback: string) => ROWS.find((r) => r.role === role)?.reaches ?? fallback;

export interface ClusterAdminConfig {
    /** ClusterRoles flagged in any binding. Default: the table's, ["cluster-admin"]. */
    forbiddenRoles?: string[];
    /** ClusterRoles flagged when bound cluster-wide. Default: the table's, ["admin", "edit"]. */
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
                default: ANYWHERE,
                description: "ClusterRoles flagged in any binding.",
            },
            forbiddenClusterWideRoles: {
                type: "array",
                items: { type: "string" },
                default: CLUSTER_WIDE,
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
        if ((config.forbiddenRoles ?? ANYWHERE).includes(name)) {
            const reach = reachOf(name, "which the pack's config forbids");
            return `binds ClusterRole "${name}", which ${reach}${kind === "RoleBinding" ? " of its namespace" : " in the cluster"}`;
        }
        if (
            kind === "ClusterRoleBinding" &&
            (config.forbiddenClusterWideRoles ?? CLUSTER_WIDE).includes(name)
        ) {
            return `binds ClusterRole "${name}" cluster-wide, which ${reachOf(name, "the pack's config forbids cluster-wide")}`;
        }
        return undefined;
    },
    advice: "An API consumer needs a role with the rules it uses. Give it one (the ApiServiceAccount component's presets or rules).",
    remediationSteps:
        "Bind a role with exactly the rules the consumer needs; bind admin or edit per namespace with a RoleBinding if at all.",
});
