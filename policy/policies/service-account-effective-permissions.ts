// Stack policy: follows each binding's roleRef to the role defined in the same stack (aggregation resolved)
// and works out, per ServiceAccount, what it is granted. With `report` it prints that; with an allow-list,
// more is a violation, and so is what cannot be worked out.
import { StackValidationPolicy } from "@pulumi/policy";
import { describeScope, effectiveGrants, SubjectGrant, UNKNOWN_SUBJECT } from "../lib/grants";
import { covers, formatPermission, parsePermission, PolicyRule } from "../../rbac/evaluator";

export interface EffectivePermissionsConfig {
    /** Report every ServiceAccount's effective permissions as an advisory finding. Default: false. */
    report?: boolean;
    /**
     * Allowed permissions per subject (`system:serviceaccount:<ns>:<name>`, or `*` for every account), in
     * kubectl auth can-i's words: `get pods`, `list deployments.apps`, `get /metrics`, `* *.apps`.
     * Default: none (no limit).
     */
    allowedPermissions?: Record<string, string[]>;
}

export const serviceAccountEffectivePermissions: StackValidationPolicy = {
    name: "service-account-effective-permissions",
    description:
        "Works out what each ServiceAccount is granted through the bindings and roles of the stack; reports it, and flags more than an allow-list permits.",
    configSchema: {
        properties: {
            report: {
                type: "boolean",
                default: false,
                description: "Report each ServiceAccount's effective permissions as an advisory finding.",
            },
            allowedPermissions: {
                type: "object",
                additionalProperties: { type: "array", items: { type: "string" } },
                default: {},
                description:
                    'Per subject ("system:serviceaccount:<ns>:<name>" or "*"), the permissions allowed, as "<verb> <resource>[.<group>]" or "<verb> /<url>".',
            },
        },
    },
    enforcementLevel: "advisory",
    validateStack: (args, reportViolation) => {
        const config = args.getConfig<EffectivePermissionsConfig>();
        const allowList = config.allowedPermissions ?? {};
        const parsed = parseAllowList(allowList);
        for (const problem of parsed.problems) {
            reportViolation(problem);
        }
        const grants = effectiveGrants(args.resources);
        for (const [subject, list] of [...grants.entries()].sort(([a], [b]) => a.localeCompare(b))) {
            if (config.report) {
                reportViolation(`${subject} is granted: ${summarize(list)}`);
            }
            // A subject not known during a preview may be any account: only "*" can speak for it.
            const allowed =
                subject === UNKNOWN_SUBJECT
                    ? (parsed.rules["*"] ?? (Object.keys(allowList).length > 0 ? [] : undefined))
                    : (parsed.rules[subject] ?? parsed.rules["*"]);
            if (allowed === undefined) {
                continue;
            }
            for (const g of list.filter((x) => x.unresolved)) {
                reportViolation(
                    `${subject}: ${g.via} ${g.unresolved}, so the allow-list cannot be checked for it. Define the role in this stack with rules known at preview.`,
                );
            }
            const excess = list.flatMap((g) =>
                g.permissions
                    .filter((p) => !covers(allowed, p))
                    .map((p) => `${formatPermission(p)} ${describeScope(g.scope)} (via ${g.via})`),
            );
            if (excess.length > 0) {
                reportViolation(
                    `${subject} is granted more than allowedPermissions allows: ${excess.join("; ")}. Remove those rules, or add them to the allow-list if they are needed.`,
                );
            }
        }
    },
    remediationSteps:
        "Narrow the role's rules to what the consumer uses, or widen allowedPermissions on purpose.",
};

/** The allow-list as rules per subject, and a message for each entry that is not `<verb> <target>`. */
function parseAllowList(allowList: Record<string, string[]>): {
    rules: Record<string, PolicyRule[]>;
    problems: string[];
} {
    const rules: Record<string, PolicyRule[]> = {};
    const problems: string[] = [];
    for (const [subject, entries] of Object.entries(allowList)) {
        rules[subject] = entries.flatMap((entry) => {
            const parsed = parsePermission(entry);
            if (!parsed) {
                problems.push(
                    `allowedPermissions["${subject}"] has "${entry}", which is not "<verb> <resource>[.<group>]" or "<verb> /<url>" (for example "get pods" or "list deployments.apps"); it allows nothing. Fix the entry in the pack's config.`,
                );
            }
            return parsed ?? [];
        });
    }
    return { rules, problems };
}

function summarize(grants: SubjectGrant[]): string {
    return grants
        .map((g) => {
            const scope = describeScope(g.scope);
            if (g.unresolved) {
                return `${scope}: (${g.via} ${g.unresolved})`;
            }
            const granted =
                g.permissions.length > 0 ? g.permissions.map(formatPermission).join(", ") : "nothing";
            const void_ =
                g.withoutEffect.length > 0
                    ? ` (without effect in a namespace: ${g.withoutEffect.map(formatPermission).join(", ")})`
                    : "";
            const never =
                g.neverAllowed.length > 0
                    ? ` (never allowed, as no such request carries a name: ${g.neverAllowed.map(formatPermission).join(", ")})`
                    : "";
            return `${scope} via ${g.via}: ${granted}${void_}${never}`;
        })
        .join("; ");
}
