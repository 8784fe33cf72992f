// Which rows of the sensitive table (sensitive.ts) a role's rules, a ClusterRole's labels or a single
// permission match, asked of the one evaluator (rbac.ts), wildcards included.
import {
    ALL,
    formatGranted,
    grantedAmong,
    isUrlPermission,
    Permission,
    PolicyRule,
    permissionRule,
    Target,
} from "./evaluator";
import { hasOwnKey } from "./ownKey";
import { LabelRow, Requirement, RuleRow, SENSITIVE } from "./sensitive";

type Granted = { target: string; verbs: string[] }[];

/**
 * The targets a requirement names for a rule: itself, or for a `*` subresource each key the rule names
 * (`userextras/scopes`, `*\/scopes`) and one it does not name, which only `*` reaches.
 */
function targetsFor(req: Requirement, rule: PolicyRule): Target[] {
    if (req.subresource !== ALL) {
        return [{ group: req.group, resource: req.resource, subresource: req.subresource }];
    }
    const keys = (rule.resources ?? []).flatMap((r) => {
        const slash = r.indexOf("/");
        const base = r.slice(0, slash);
        return slash > 0 && (base === req.resource || base === ALL) ? [r.slice(slash + 1)] : [];
    });
    return [...new Set([...keys, "<any key>"])].map((subresource) => ({
        group: req.group,
        resource: req.resource,
        subresource,
    }));
}

/** What one rule grants of some requirements, grouped by target; empty when nothing. */
export const grantedOf = (rule: PolicyRule, reqs: readonly Requirement[]): Granted =>
    reqs.flatMap((req) => grantedAmong(rule, req.verbs, targetsFor(req, rule)));

/** One rule of a role that matches a row, with what it grants and the rules that complete the row. */
export interface RuleFinding {
    readonly row: RuleRow;
    /** The rule's index in the role. */
    readonly rule: number;
    readonly granted: Granted;
    /** For a row with `andAlso`: the rules granting it, by index. */
    readonly with: { readonly rule: number; readonly granted: Granted }[];
    /** The rule's resourceNames: it grants the row for those objects only (empty: for every one). */
    readonly names: readonly string[];
}

const ruleRows = SENSITIVE.filter((r): r is RuleRow => r.kind === "rules");

/**
 * Every rule of a role (of `kind`) that matches one of `rows` (default: every rule row): it grants one
 * of the row's `grants`, and the role's rules together grant each of its `andAlso`.
 */
export function ruleFindings(
    rules: readonly PolicyRule[],
    kind: "Role" | "ClusterRole",
    rows: readonly RuleRow[] = ruleRows,
): RuleFinding[] {
    const out: RuleFinding[] = [];
    for (const row of rows) {
        if (row.roleKinds && !row.roleKinds.includes(kind)) {
            continue;
        }
        const completing = (row.andAlso ?? []).map((req) =>
            rules
                .map((rule, i) => ({ rule: i, granted: grantedOf(rule, [req]) }))
                .filter((g) => g.granted.length > 0),
        );
        if (completing.some((c) => c.length === 0)) {
            continue;
        }
        rules.forEach((rule, i) => {
            const granted = grantedOf(rule, row.grants);
            if (granted.length > 0) {
                out.push({ row, rule: i, granted, with: completing.flat(), names: rule.resourceNames ?? [] });
            }
        });
    }
    return out;
}

/**
 * `get on secrets`, `create on serviceaccounts/token of reporter` (a rule with resourceNames), and for a
 * row with `andAlso` `, with rule 2's approve on signers.certificates.k8s.io`.
 */
export function describeFinding(f: RuleFinding): string {
    const also = f.with
        .map((w) => `${w.rule === f.rule ? "its own" : `rule ${w.rule}'s`} ${formatGranted(w.granted)}`)
        .join(", ");
    const of = f.names.length > 0 ? ` of ${f.names.join(", ")}` : "";
    return `${formatGranted(f.granted)}${of}${also ? `, with ${also}` : ""}`;
}

/** The label rows a ClusterRole's labels match, each with the labels that match it. */
export function labelFindings(
    labels: Readonly<Record<string, string>>,
    rows: readonly LabelRow[] = SENSITIVE.filter((r): r is LabelRow => r.kind === "labels"),
): { row: LabelRow; labels: string[] }[] {
    return rows
        .map((row) => ({
            row,
            labels: row.labels
                .filter((l) => hasOwnKey(labels, l.key) && labels[l.key] === l.value)
                .map((l) => `${l.key}=${l.value}`),
        }))
        .filter((f) => f.labels.length > 0);
}

/**
 * The rule rows that the permission is part of, given everything the same subject holds there
 * (`all`, for rows that need `andAlso`): what plan marks in its matrix.
 */
export function rowsOfPermission(p: Permission, all: readonly Permission[]): RuleRow[] {
    if (isUrlPermission(p)) {
        return [];
    }
    const allRules = all.map(permissionRule);
    return ruleRows.filter(
        (row) =>
            grantedOf(permissionRule(p), row.grants).length > 0 &&
            (row.andAlso ?? []).every((req) => allRules.some((r) => grantedOf(r, [req]).length > 0)),
    );
}
