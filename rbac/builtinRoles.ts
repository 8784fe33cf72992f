// Kubernetes' default ClusterRoles of the pinned release (builtin/clusterRoles.ts, generated from a real
// API server), as the evaluator's aggregation takes them: a binding to `view` is judged by view's real
// rules, and a stack's ClusterRole labelled aggregate-to-view is added to them as the controller would.
import type { ClusterRoleInput, LabelSelector } from "./aggregation";
import type { PolicyRule } from "./evaluator";

/** A bootstrap ClusterRole as the API server holds it. */
export interface BuiltinClusterRole {
    readonly name: string;
    readonly labels: Readonly<Record<string, string>>;
    /** The aggregationRule's clusterRoleSelectors, for view, edit, admin and the like. */
    readonly selectors?: readonly LabelSelector[];
    /** Its rules; for an aggregated role, the union the controller wrote. */
    readonly rules: readonly PolicyRule[];
}

/** The roles as aggregation inputs. */
export const asClusterRoleInputs = (roles: readonly BuiltinClusterRole[]): ClusterRoleInput[] =>
    roles.map((r) => ({ name: r.name, labels: r.labels, rules: r.rules, selectors: r.selectors }));
