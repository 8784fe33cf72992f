// What plan says about the rules it plans beyond the access matrix: their names checked against the API
// (the built-in list of the pinned release, or with --kubeconfig that cluster's discovery), resourceNames
// as Kubernetes reads them, and which permissions belong to the sensitive table (the matrix's marks).
import * as path from "path";
import { BUILTIN_SOURCE, CatalogSource } from "../../components/apiNames";
import type { RecordedResource } from "../../offline/mocks";
import { formatPermission, isUrlPermission, Permission, BindingScope } from "../../rbac/evaluator";
import { reachOf, RuleRow, Severity } from "../../rbac/sensitive";
import { rowsOfPermission } from "../../rbac/sensitiveMatch";
import { readDiscovery } from "../discovery";
import { checkRoleRules, rolesOf } from "../roleRules";

/** A row of the sensitive table a grant holds, with its permissions. */
export interface SensitiveGrant {
    readonly row: string;
    readonly severity: Severity;
    readonly reaches: string;
    /** `create pods`, as formatPermission writes them. */
    readonly permissions: string[];
}

/**
 * The sensitive rows among a grant's permissions, in table order. A row whose every permission is limited
 * by resourceNames reaches those objects only (reachOf), else all of them.
 */
export function sensitiveOf(permissions: readonly Permission[], scope: BindingScope): SensitiveGrant[] {
    const byRow = new Map<string, { row: RuleRow; permissions: Permission[] }>();
    for (const p of permissions) {
        for (const row of rowsOfPermission(p, permissions)) {
            byRow.set(row.id, { row, permissions: [...(byRow.get(row.id)?.permissions ?? []), p] });
        }
    }
    return [...byRow.values()].map(({ row, permissions: held }) => {
        const names = held.map((p) => (isUrlPermission(p) ? undefined : p.names));
        const named = names.every((n) => n !== undefined) ? [...new Set(names.flat())] : [];
        return {
            row: row.id,
            severity: row.severity,
            reaches: reachOf(row, scope.kind === "namespace" ? scope.namespace : undefined, named),
            permissions: held.map(formatPermission),
        };
    });
}

const DISCOVERY_TIMEOUT_MS = 10_000;

async function sourceFor(
    kubeconfig: string | undefined,
): Promise<{ source: CatalogSource; notes: string[] }> {
    if (!kubeconfig) {
        return { source: BUILTIN_SOURCE, notes: [] };
    }
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
        kc.loadFromFile(path.resolve(kubeconfig));
        const timeout = new Promise<never>((_, reject) =>
            setTimeout(
                () => reject(new Error(`no answer within ${DISCOVERY_TIMEOUT_MS / 1000} s`)),
                DISCOVERY_TIMEOUT_MS,
            ).unref(),
        );
        const catalog = await Promise.race([readDiscovery(kc), timeout]);
        return {
            source: {
                catalog,
                name: `the discovery of --kubeconfig ${kubeconfig}'s cluster`,
                builtin: false,
            },
            notes: [],
        };
    } catch (err) {
        return {
            source: BUILTIN_SOURCE,
            notes: [
                `the discovery of --kubeconfig ${kubeconfig}'s cluster could not be read (${(err as Error).message}); names were checked against ${BUILTIN_SOURCE.name} instead`,
            ],
        };
    }
}

/**
 * Every Role and ClusterRole of the run checked against the API; throws, naming each rule and value, when
 * one names what the API does not serve or grants create or deletecollection by name.
 */
export async function namesChecked(
    kubeconfig: string | undefined,
    resources: readonly RecordedResource[],
): Promise<{ source: string; notes: string[] }> {
    const { source, notes } = await sourceFor(kubeconfig);
    const found = checkRoleRules(rolesOf(resources), source);
    if (found.problems.length > 0) {
        throw new Error(
            `rules that Kubernetes would store but never use, so nothing was planned:\n${found.problems.map((p) => `  - ${p}`).join("\n")}`,
        );
    }
    return { source: source.name, notes: [...notes, ...found.notes] };
}
