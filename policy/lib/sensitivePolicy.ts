// The builder of the policies that report rows of the sensitive table (rbac/sensitive.ts): each rule of a
// Role or ClusterRole that grants a row the policy owns, with what that reaches, and each ClusterRole
// label a row names.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { reachOf, rowsOf } from "../../rbac/sensitive";
import { describeFinding, labelFindings, ruleFindings } from "../../rbac/sensitiveMatch";
import { notChecked, RoleCheck, rolePolicy } from "./hygiene";
import { isKnown, stringField, stringMapOf } from "./kubernetes";

/** A policy reporting the rows of the table whose `policy` is `check.name` (rows of kind rules and labels). */
export function sensitiveRolePolicy(check: RoleCheck): ResourceValidationPolicy {
    const ruleRows = rowsOf(check.name, "rules");
    const labelRows = rowsOf(check.name, "labels");
    return rolePolicy(check, (role, report) => {
        const ns = role.kind === "Role" ? stringField(role.obj, "metadata", "namespace") : undefined;
        // Whose tokens a workload row reaches: the Role's namespace, or every one a ClusterRole is bound in.
        const namespace = role.kind === "Role" ? (isKnown(ns) ? (ns ?? "") : "?") : undefined;
        const index = role.rules.map((r) => r.index);
        const byRule = new Map<number, string[]>();
        for (const f of ruleFindings(
            role.rules.map((r) => r.rule),
            role.kind,
            ruleRows,
        )) {
            const j = index[f.rule];
            const found = describeFinding({
                ...f,
                rule: j,
                with: f.with.map((w) => ({ ...w, rule: index[w.rule] })),
            });
            byRule.set(j, [
                ...(byRule.get(j) ?? []),
                `${found}: whoever holds it ${reachOf(f.row, namespace, f.names)}`,
            ]);
        }
        for (const [j, found] of [...byRule].sort(([a], [b]) => a - b)) {
            report(`${role.what} rule ${j} grants ${found.join("; ")}. ${check.advice}`);
        }
        if (labelRows.length === 0 || role.kind !== "ClusterRole") {
            return;
        }
        const labels = stringMapOf(role.obj, "metadata", "labels");
        if (!isKnown(labels)) {
            report(notChecked(role.what, "its labels are"));
            return;
        }
        for (const f of labelFindings(labels, labelRows)) {
            report(`${role.what} is labelled ${f.labels.join(", ")}: it ${f.row.reaches}. ${check.advice}`);
        }
    });
}
