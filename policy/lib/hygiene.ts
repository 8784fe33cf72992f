// Builders for the advisory RBAC hygiene policies: one walks every rule of every role, the other every
// binding (sensitivePolicy.ts builds the table's policies on the first). What cannot be judged during a preview is skipped with a note saying so; the mandatory policies
// fail closed instead.
import {
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
} from "@pulumi/policy";
import { describe, isBindingKind, isKnown, isRoleKind, objectsOf, rbacKind } from "./kubernetes";
import { PolicyRule } from "../../rbac/evaluator";
import { readRules } from "./rules";

interface HygieneSpec {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel?: EnforcementLevel;
    readonly remediationSteps: string;
}

export interface RoleCheck extends HygieneSpec {
    /** Role kinds the check applies to. */
    readonly kinds: ("Role" | "ClusterRole")[];
    /** Why that is a problem and what to do, appended to the message. */
    readonly advice: string;
}

/** A role as a check sees it: its known rules (with their indexes in the role) and how to name it. */
export interface RoleView {
    readonly kind: "Role" | "ClusterRole";
    readonly obj: Record<string, unknown>;
    /** `ClusterRole "reader"`. */
    readonly what: string;
    /** The rules known during this preview, and each one's index in the role. */
    readonly rules: { readonly rule: PolicyRule; readonly index: number }[];
}

/**
 * A policy that walks every Role or ClusterRole (of `check.kinds`): rules not known during a preview get
 * a note, and `judge` reports on the known ones.
 */
export function rolePolicy(
    check: RoleCheck,
    judge: (role: RoleView, report: ReportViolation) => void,
): ResourceValidationPolicy {
    return {
        name: check.name,
        description: check.description,
        enforcementLevel: check.enforcementLevel ?? "advisory",
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            const kind = rbacKind(args.type);
            if (!isRoleKind(kind) || !check.kinds.includes(kind)) {
                return;
            }
            forEachKnownObject(args, reportViolation, (obj) => {
                const what = describe(kind, obj, args.name);
                const rules = readRules(obj);
                if (!isKnown(rules)) {
                    reportViolation(notChecked(what, "its rules are"));
                }
                const known = (isKnown(rules) ? rules : []).flatMap((rule, index) => {
                    if (isKnown(rule)) {
                        return [{ rule, index }];
                    }
                    reportViolation(notChecked(what, `rule ${index} is`));
                    return [];
                });
                judge({ kind, obj, what, rules: known }, reportViolation);
            });
        },
        remediationSteps: check.remediationSteps,
    };
}

export interface RuleCheck extends RoleCheck {
    /** Returns what the rule grants that is a problem, or undefined. */
    readonly find: (rule: PolicyRule) => string | undefined;
}

/** A policy that reports every rule of a Role or ClusterRole for which `find` returns a finding. */
export const ruleHygienePolicy = (check: RuleCheck): ResourceValidationPolicy =>
    rolePolicy(check, (role, report) => {
        for (const { rule, index } of role.rules) {
            const finding = check.find(rule);
            if (finding) {
                report(`${role.what} rule ${index} ${finding}. ${check.advice}`);
            }
        }
    });

export interface BindingCheck<C> extends HygieneSpec {
    readonly configSchema?: ResourceValidationPolicy["configSchema"];
    /** Returns what the binding does that is a problem, or undefined. Unknown parts are skipped by it. */
    readonly find: (
        binding: Record<string, unknown>,
        kind: "RoleBinding" | "ClusterRoleBinding",
        config: C,
    ) => string | undefined;
    readonly advice: string;
}

/** A policy that reports every RoleBinding or ClusterRoleBinding for which `find` returns a finding. */
export function bindingHygienePolicy<C extends object>(check: BindingCheck<C>): ResourceValidationPolicy {
    return {
        name: check.name,
        description: check.description,
        configSchema: check.configSchema,
        enforcementLevel: check.enforcementLevel ?? "advisory",
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            const kind = rbacKind(args.type);
            if (!isBindingKind(kind)) {
                return;
            }
            const config = args.getConfig<C>();
            forEachKnownObject(args, reportViolation, (binding) => {
                const finding = check.find(binding, kind, config);
                if (finding) {
                    reportViolation(`${describe(kind, binding, args.name)} ${finding}. ${check.advice}`);
                }
            });
        },
        remediationSteps: check.remediationSteps,
    };
}

/** The note an advisory leaves for what it could not judge during a preview. */
export const notChecked = (what: string, part: string) =>
    `${what}: ${part} not known during this preview, so this advisory did not check it. It will on the next preview or update where the value is known.`;

/** Calls `fn` for each object the resource holds, leaving a note for each one not known yet. */
function forEachKnownObject(
    args: ResourceValidationArgs,
    reportViolation: ReportViolation,
    fn: (obj: Record<string, unknown>) => void,
): void {
    const objects = objectsOf(args.type, args.props);
    if (!isKnown(objects)) {
        reportViolation(notChecked(`${args.type} "${args.name}"`, "its items are"));
        return;
    }
    objects.forEach((obj, i) => {
        if (isKnown(obj)) {
            fn(obj);
        } else {
            reportViolation(notChecked(`${args.type} "${args.name}"`, `item ${i} is`));
        }
    });
}
