// What verify reports beyond the matrix: the sensitive permissions (rbac/sensitive.ts) the account
// holds, by row with what each reaches, and the declared rules' names checked against the cluster's own
// discovery, read with the account's kubeconfig (every identity may read discovery).
import type { KubeConfig } from "@kubernetes/client-node";
import { SENSITIVE } from "../../rbac/sensitive";
import { readDiscovery } from "../discovery";
import { checkRoleRules, RuleFindings } from "../roleRules";
import type { Check, Expectation } from "./access";

/** One row of the table the account holds, with the checks that were allowed. */
export interface HeldSensitive {
    readonly row: string;
    readonly severity: string;
    readonly reaches: string;
    /** `create pods @apps`. */
    readonly allowed: string[];
    readonly declared: boolean;
}

/** The table's rows among the allowed checks, in table order. */
export function heldSensitive(results: readonly (Check & { allowed: boolean })[]): HeldSensitive[] {
    return SENSITIVE.flatMap((row) => {
        const held = results.filter((r) => r.allowed && r.sensitive === row.id);
        return held.length === 0
            ? []
            : [
                  {
                      row: row.id,
                      severity: row.severity,
                      reaches: row.reaches,
                      allowed: held.map((r) => `${r.verb} ${r.row}`),
                      declared: held.every((r) => r.expected),
                  },
              ];
    });
}

/** Lines for a person: `* create-workloads (medium, declared): create pods @apps: runs pods, ...`. */
export const renderHeld = (held: readonly HeldSensitive[]): string[] =>
    held.map(
        (h) =>
            `  * ${h.row} (${h.severity}, ${h.declared ? "declared" : "NOT declared"}): ${h.allowed.join(", ")}: ${h.reaches}`,
    );

/**
 * The declared rules checked against the discovery of the cluster the kubeconfig names; a discovery that
 * cannot be read is a note (the access reviews still tell what is allowed), never a mismatch.
 */
export async function namesAgainstDiscovery(
    kc: KubeConfig,
    expectation: Expectation | undefined,
    source: string,
): Promise<RuleFindings> {
    if (!expectation || expectation.rules.length === 0) {
        return { problems: [], notes: [] };
    }
    try {
        const catalog = await readDiscovery(kc);
        return checkRoleRules([{ what: "the declared rules:", rules: expectation.rules }], {
            catalog,
            name: `the discovery of the cluster of ${source}`,
            builtin: false,
        });
    } catch (err) {
        return {
            problems: [],
            notes: [
                `the API server's discovery could not be read (${(err as Error).message}), so the declared names were not checked against it`,
            ],
        };
    }
}
