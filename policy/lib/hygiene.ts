// Builders for the advisory RBAC hygiene policies: one walks every rule of every role, the other every
// binding. What cannot be judged during a preview is skipped with a note saying so; the mandatory policies
// fail closed instead.
import {
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
} from "@pulumi/policy";
import { describe, isBindingKind, isKnown, isRoleKind, objectsOf, rbacKind } from "./kubernetes";
import { PolicyRule } from "../../rbac/evaluator";
import { rulesOf } from "./rules";

interface HygieneSpec {
    readonly name: string;
    readonly description: string;
    readonly enforcementLevel?: EnforcementLevel;
    readonly remediationSteps: string;
}

export interface RuleCheck extends HygieneSpec {
    /** Role kinds the check applies to. */
    readonly kinds: ("Role" | "ClusterRole")[];
    /** Returns what the rule grants that is a problem, or undefined. */
    readonly find: (rule: PolicyRule) => string | undefined;
    /** Why that is a problem and what to do, appended to the message. */
    readonly advice: string;
}

/** A policy that reports every rule of a Role or ClusterRole for which `find` returns a finding. */
export function ruleHygienePolicy(check: RuleCheck): ResourceValidationPolicy {
    return {
        name: check.name,
        description: check.description,
        enforcementLevel: check.enforcementLevel ?? "advisory",
        validateResource: (args: ResourceValidationArgs, reportViolation: ReportViolation) => {
            const kind = rbacKind(args.type);
            if (!isRoleKind(kind) || !check.kinds.includes(kind)) {
                return;
            }
            forEachKnownObject(args, reportViolation, (role) => {
                const what = describe(kind, role, args.name);
                const rules = rulesOf(role);
                if (!isKnown(rules)) {
                    reportViolation(notChecked(what, "its rules are"));
                    return;
                }
                rules.forEach((rule, j) => {
                    if (!isKnown(rule)) {
                        reportViolation(notChecked(what, `rule ${j} is`));
                        return;
                    }
                    const finding = check.find(rule);
                    if (finding) {
                        reportViolation(`${what} rule ${j} ${finding}. ${check.advice}`);
                    }
                });
            });
        },
        remediationSteps: check.remediationSteps,
    };
}

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
