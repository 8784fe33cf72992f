// Mandatory: no RoleBinding or ClusterRoleBinding may grant a role to a default ServiceAccount, directly
// (the account, or its User name) or through a group that contains default accounts.
import { ResourceValidationPolicy } from "@pulumi/policy";
import {
    describe,
    describeRoleRef,
    isBindingKind,
    isKnown,
    elementsOf,
    objectsOf,
    rbacKind,
    stringField,
} from "../lib/kubernetes";
import { exempt, judgeSubject } from "../lib/subjects";

export interface DefaultAccountConfig {
    /** Namespaces whose default account may be bound (for example a sandbox). Default: none. */
    allowedNamespaces?: string[];
}

export const defaultAccountConfigSchema = {
    properties: {
        allowedNamespaces: {
            type: "array" as const,
            items: { type: "string" as const },
            default: [] as string[],
            description:
                "Namespaces whose default ServiceAccount may be bound or get a token. Default: none.",
        },
    },
};

export const noDefaultServiceAccountBinding: ResourceValidationPolicy = {
    name: "no-default-service-account-binding",
    description:
        "Forbids binding any role to a default ServiceAccount: every pod that names no ServiceAccount runs as its namespace's default one, so the role would go to all of them.",
    configSchema: defaultAccountConfigSchema,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const kind = rbacKind(args.type);
        if (!isBindingKind(kind)) {
            return;
        }
        const allowed = args.getConfig<DefaultAccountConfig>().allowedNamespaces ?? [];
        const objects = objectsOf(args.type, args.props);
        if (!isKnown(objects)) {
            reportViolation(
                `${args.type} "${args.name}": its items are not known during this preview, so no binding in it can be proven not to grant a role to a default ServiceAccount. ` +
                    `Make the list's items known at preview (plain values), or create the bindings as separate resources.`,
            );
            return;
        }
        objects.forEach((binding, item) => {
            if (!isKnown(binding)) {
                reportViolation(
                    `${args.type} "${args.name}": item ${item} is not known during this preview, so it cannot be proven not to grant a role to a default ServiceAccount. ` +
                        `Make the list's items known at preview (plain values), or create the bindings as separate resources.`,
                );
                return;
            }
            const what = describe(kind, binding, args.name);
            const role = describeRoleRef(binding);
            const subjects = elementsOf(binding, "subjects");
            if (!isKnown(subjects)) {
                reportViolation(
                    `${what} grants ${role} to subjects that are not known during this preview, so they cannot be proven not to include a default ServiceAccount. ` +
                        `Give the subjects as plain values, or bind a dedicated ServiceAccount whose name is known.`,
                );
                return;
            }
            const namespace = stringField(binding, "metadata", "namespace");
            subjects.forEach((subject, i) => {
                const verdict = judgeSubject(subject, kind, namespace);
                if (verdict.verdict === "unknown") {
                    reportViolation(
                        `${what} grants ${role} to subject ${i} (${verdict.subject}), whose ${verdict.missing} is not known during this preview, ` +
                            `so it cannot be proven not to be a default ServiceAccount. Bind a dedicated ServiceAccount whose name is known at preview.`,
                    );
                } else if (verdict.verdict === "default" && !exempt(verdict.namespaces, allowed)) {
                    reportViolation(
                        `${what} grants ${role} to ${verdict.subject} (subject ${i}). Every pod that names no ServiceAccount runs as its namespace's ` +
                            `default account, so this gives the role to all of those pods. Create a dedicated ServiceAccount for the workload ` +
                            `(the ApiServiceAccount component does) and bind the role to it instead.`,
                    );
                }
            });
        });
    },
    remediationSteps:
        "Create a dedicated ServiceAccount for the consumer and bind the role to it. If a namespace's default account must be bound on purpose, add the namespace to allowedNamespaces in the pack's config.",
};
