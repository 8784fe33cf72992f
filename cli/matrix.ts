// The access matrix that plan and verify print: resources down, verbs across, one symbol per cell, so a
// person sees at a glance what an account can do and where it differs from what was declared.
import { READ_VERBS, WRITE_VERBS } from "../components/rbac";
import { isUrlPermission, Permission, targetOf } from "../rbac/evaluator";

/** What one cell says. */
export type CellState =
    /** Granted, as declared. */
    | "allowed"
    /** Not granted, as intended. */
    | "denied"
    /** Granted but not declared: more access than asked for. */
    | "unexpected"
    /** Declared but not granted: the consumer will get 403. */
    | "missing"
    /** Granted, as declared, and named by the sensitive table (rbac/sensitive.ts). */
    | "sensitive";

export const SYMBOLS: Record<CellState | "unchecked", string> = {
    allowed: "✓",
    denied: "·",
    unexpected: "!",
    missing: "✗",
    sensitive: "✓*",
    unchecked: " ",
};

/** Columns in reading order: reads, writes (components/rbac.ts), then the verbs that widen access. */
export const VERB_ORDER = [
    ...READ_VERBS,
    ...WRITE_VERBS,
    "deletecollection",
    "escalate",
    "bind",
    "impersonate",
];

/** Orders verbs the way people read them: reads, writes, then the rest alphabetically. */
export function sortVerbs(verbs: Iterable<string>): string[] {
    const rank = (v: string) => (VERB_ORDER.includes(v) ? VERB_ORDER.indexOf(v) : VERB_ORDER.length);
    return [...new Set(verbs)].sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** Renders a matrix; `cell` returns undefined for a combination that was not checked or not granted. */
export function renderMatrix(
    rows: string[],
    verbs: string[],
    cell: (row: string, verb: string) => CellState | undefined,
    indent = "  ",
): string {
    const width = Math.max(8, ...rows.map((r) => r.length));
    const header = `${indent}${"resource".padEnd(width)}  ${verbs.map((v) => v.padEnd(Math.max(v.length, 1))).join(" ")}`;
    const lines = rows.map((row) => {
        const cells = verbs.map((v) => SYMBOLS[cell(row, v) ?? "unchecked"].padEnd(v.length));
        return `${indent}${row.padEnd(width)}  ${cells.join(" ")}`.trimEnd();
    });
    return [header, ...lines].join("\n");
}

export const LEGEND = `${SYMBOLS.allowed} allowed  ${SYMBOLS.sensitive} allowed, sensitive (below)  ${SYMBOLS.denied} denied  ${SYMBOLS.unexpected} allowed but not declared  ${SYMBOLS.missing} declared but denied`;

/** A permission's matrix row: `deployments.apps`, `secrets (names: a, b)`, `/metrics`. */
export function permissionRow(p: Permission): string {
    if (isUrlPermission(p)) {
        return p.url;
    }
    return `${targetOf(p)}${p.names ? ` (names: ${p.names.join(", ")})` : ""}`;
}
