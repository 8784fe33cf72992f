// The human-readable report of an offline plan: endpoint, resources and their manifests, what is not
// planned, the settings of other resources (Vault), the outputs and their secretness, the access
// matrix per ServiceAccount and the policy pack's verdict.
import * as path from "path";
import * as YAML from "yaml";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../settings/placeholders";
import { formatPermission } from "../../rbac/evaluator";
import { LEGEND, permissionRow, renderMatrix, sortVerbs, SYMBOLS } from "../matrix";
import type { Plan } from "./plan";
import { MANIFESTS, PATCHES, PlannedResource, YAML_OPTIONS } from "./manifests";
import { renderRotation } from "./rotation";

/** The human-readable report. */
export function renderPlan(p: Plan): string {
    const out: string[] = [];
    out.push(`Plan for stack ${p.stack} (offline: Pulumi's mock runtime; no cluster, no Pulumi CLI)`);
    out.push(`endpoint: ${p.endpoint.value}${p.endpoint.note ? `  (${p.endpoint.note})` : ""}`);
    if (p.consumerCa) {
        out.push(`consumers trust: ${p.consumerCa}`);
    }
    // What cannot be planned (a Helm Release) is listed once, under NOT planned.
    const unplanned = (r: { type: string; name: string }) =>
        p.notPlanned.some((n) => n.type === r.type && n.name === r.name);
    const created = p.resources.filter((r) => !r.patch && !unplanned(r));
    const patches = p.resources.filter((r) => r.patch);
    out.push("", `Resources pulumi up would create (${created.length}):`);
    out.push(...resourceRows(created, "+"));
    if (patches.length > 0) {
        out.push(
            "",
            `Patches pulumi up would apply to existing objects (${patches.length}; server-side apply of a partial object, not whole manifests):`,
        );
        out.push(...resourceRows(patches, "~", `${PATCHES}/`));
    }
    out.push(
        p.manifestsDir
            ? `Manifests: ${path.relative(process.cwd(), p.manifestsDir)}/ (check them against a cluster with kubectl apply --dry-run=server -f)`
            : "Manifests: none written (no Kubernetes objects)",
        `Plan record: ${path.relative(process.cwd(), p.planFile)} (this report's findings as JSON; --stack-outputs takes it)`,
    );
    if (p.kept.length > 0) {
        out.push(
            `Kept as they were (in the output folder, not written by plan): ${p.kept.join(", ")}` +
                (p.kept.some((f) => f.startsWith(`${MANIFESTS}${path.sep}`))
                    ? ` (kubectl apply -f ${MANIFESTS}/ would apply those in it too)`
                    : ""),
        );
    }
    if (p.notPlanned.length > 0) {
        out.push(
            "",
            `NOT planned, NOT policy-checked (${p.notPlanned.length}): their objects cannot be rendered offline`,
        );
        for (const r of p.notPlanned) {
            out.push(`  ? ${r.type}  ${r.name}: ${r.why}`);
        }
    }
    if (p.other.length > 0) {
        out.push(
            "",
            "Other resources (not Kubernetes objects, so no manifest), with their settings " +
                `(secrets ${SECRET_PLACEHOLDER}; credentials and providers' settings not shown):`,
        );
        for (const r of p.other) {
            out.push(`  + ${r.type}  ${r.name}`);
            out.push(
                ...YAML.stringify(r.settings, YAML_OPTIONS)
                    .trimEnd()
                    .split("\n")
                    .map((line) => `      ${line}`),
            );
        }
    }
    const outputs = Object.entries(p.outputs);
    if (outputs.length > 0) {
        out.push(
            "",
            `Stack outputs (exported; secret ones are shown as ${SECRET_PLACEHOLDER} and stay encrypted in the state):`,
        );
        const width = Math.max(...outputs.map(([name]) => name.length));
        for (const [name, o] of outputs) {
            const shown = o.secret ? SECRET_PLACEHOLDER : !o.known ? UNKNOWN_PLACEHOLDER : oneLine(o.value);
            out.push(`  ${name.padEnd(width)}  ${o.secret ? "secret" : "clear "}  ${shown}`);
        }
    }
    if (p.rotation) {
        out.push("", ...renderRotation(p.rotation));
    }
    for (const [subject, grants] of Object.entries(p.access)) {
        out.push("", `Access for ${subject}:`);
        for (const g of grants) {
            out.push(`  ${g.scope}, via ${g.via}:`);
            if (g.unresolved) {
                out.push(`    (${g.unresolved})`);
                continue;
            }
            const marked = new Set(g.sensitive.flatMap((x) => x.permissions));
            const cells = g.permissions.map((perm) => ({
                verb: perm.verb,
                row: permissionRow(perm),
                sensitive: marked.has(formatPermission(perm)),
            }));
            const rows = [...new Set(cells.map((c) => c.row))].sort();
            const verbs = sortVerbs(cells.map((c) => c.verb));
            out.push(
                renderMatrix(
                    rows,
                    verbs,
                    (row, verb) => {
                        const cell = cells.find((c) => c.row === row && c.verb === verb);
                        return cell ? (cell.sensitive ? "sensitive" : "allowed") : undefined;
                    },
                    "    ",
                ),
            );
            for (const x of g.sensitive) {
                out.push(
                    `    ${SYMBOLS.sensitive} ${x.row} (${x.severity}): ${x.permissions.join(", ")}: ${x.reaches}`,
                );
            }
            if (g.neverAllowed.length > 0) {
                out.push(
                    `    never allowed (a create or deletecollection request carries no name, so resourceNames never matches it): ${g.neverAllowed.map(formatPermission).join(", ")}`,
                );
            }
            if (g.withoutEffect.length > 0) {
                out.push(
                    `    without effect (a namespace's binding grants no cluster-scoped resource): ${g.withoutEffect.map(formatPermission).join(", ")}`,
                );
            }
        }
    }
    if (Object.keys(p.access).length > 0) {
        out.push("", `  ${LEGEND}`);
    }
    out.push(
        "",
        `Rule names checked against ${p.apiNames.source}${p.apiNames.notes.length > 0 ? ":" : ": all served"}`,
    );
    out.push(...p.apiNames.notes.map((n) => `  note: ${n}`));
    if (p.deployer.length > 0) {
        out.push(
            "",
            "The identity running pulumi up and pulumi destroy needs (a ClusterRole to bind to it; docs/deployer.md):",
            ...p.deployer.map(
                (r) =>
                    `  ${r.verbs.join(", ")} on ${r.resources.map((res) => (r.apiGroups[0] ? `${res}.${r.apiGroups[0]}` : res)).join(", ")}` +
                    (r.resourceNames ? ` named ${r.resourceNames.join(", ")}` : ""),
            ),
            `  As a manifest: ${path.relative(process.cwd(), p.deployerFile ?? "")} (kubectl apply -f it, then bind it to the deployer).`,
        );
    }
    if (p.policy) {
        const mandatory = p.policy.violations.filter((v) => v.enforcementLevel === "mandatory");
        out.push(
            "",
            `Policy pack ${p.policy.pack}: ${p.policy.violations.length === 0 ? "no violations" : `${mandatory.length} mandatory, ${p.policy.violations.length - mandatory.length} advisory`}`,
        );
        for (const v of p.policy.violations) {
            // The SDK puts the policy's description before the finding; the finding is what to read.
            const finding = v.message.includes("\n")
                ? v.message.slice(v.message.indexOf("\n") + 1)
                : v.message;
            out.push(`  [${v.enforcementLevel}] ${v.policyName}: ${finding.trim()}`);
        }
    } else {
        out.push("", "Policy pack: skipped (--no-policy)");
    }
    return markMadeUp(out, p.madeUp).join("\n");
}

/**
 * The report's lines with each line that holds a value plan made up marked as such (the heading
 * excepted), after a line naming them all with why.
 */
function markMadeUp(lines: string[], madeUp: Plan["madeUp"]): string[] {
    if (madeUp.length === 0) {
        return lines;
    }
    const marked = lines.map((line, i) => {
        const found = madeUp.filter((m) => line.includes(m.value));
        return i > 0 && found.length > 0
            ? `${line}  [MADE UP: ${found.map((m) => m.what).join(", ")}]`
            : line;
    });
    return [
        marked[0],
        `MADE UP by plan, marked where they appear: ${madeUp.map((m) => `${m.what} ${m.value} (${m.why})`).join("; ")}`,
        ...marked.slice(1),
    ];
}

/**
 * The lines of a resource list, marked `mark`: a Kubernetes object by its kind and namespace/name as the
 * cluster holds it, then `(Pulumi name ...)` and its file (in `folder`); anything else (Vault) by its
 * Pulumi type and name. Columns are aligned among the Kubernetes objects.
 */
function resourceRows(resources: PlannedResource[], mark: string, folder = ""): string[] {
    const objects = resources.flatMap((r) => (r.object ? [{ r, o: r.object }] : []));
    const where = (o: NonNullable<PlannedResource["object"]>) =>
        `${o.namespace ? `${o.namespace}/` : ""}${o.name}`;
    const kindWidth = Math.max(0, ...objects.map(({ o }) => o.kind.length));
    const nameWidth = Math.max(0, ...objects.map(({ o }) => where(o).length));
    return resources.map((r) => {
        if (!r.object) {
            return `  ${mark} ${r.type}  ${r.name}`;
        }
        const made = r.object.autoNamed
            ? "  [name MADE UP by plan: pulumi up auto-names it with a random suffix]"
            : "";
        const file = r.file ? `  -> ${folder}${r.file}` : "";
        return `  ${mark} ${r.object.kind.padEnd(kindWidth)}  ${where(r.object).padEnd(nameWidth)}  (Pulumi name ${r.name})${file}${made}`;
    });
}

/** A value on one line, cut at 100 characters. */
function oneLine(value: unknown): string {
    const text = typeof value === "string" ? value : JSON.stringify(value);
    const flat = text.replace(/\s*\n\s*/g, " ");
    return flat.length > 100 ? `${flat.slice(0, 100)}…` : flat;
}
