// Mandatory: no long-lived token Secret for a default ServiceAccount; whoever holds it acts as every pod
// of the namespace that names no account.
import { ResourceValidationPolicy } from "@pulumi/policy";
import { parseKubernetesType } from "../../rbac/kubernetesType";
import { SERVICE_ACCOUNT_NAME_ANNOTATION, SERVICE_ACCOUNT_TOKEN_TYPE } from "../../rbac/serviceAccountToken";
import { describe, isKnown, objectsOf, stringField } from "../lib/kubernetes";
import { exempt } from "../lib/subjects";
import { DefaultAccountConfig, defaultAccountConfigSchema } from "./no-default-service-account-binding";

export const noDefaultServiceAccountToken: ResourceValidationPolicy = {
    name: "no-default-service-account-token",
    description:
        "Forbids a service-account token Secret for a default ServiceAccount: its holder would act as every pod of the namespace that names no account.",
    configSchema: defaultAccountConfigSchema,
    enforcementLevel: "mandatory",
    validateResource: (args, reportViolation) => {
        const t = parseKubernetesType(args.type);
        if (t?.group !== "core" || t.kind !== "Secret") {
            return;
        }
        const allowed = args.getConfig<DefaultAccountConfig>().allowedNamespaces ?? [];
        const objects = objectsOf(args.type, args.props);
        if (!isKnown(objects)) {
            reportViolation(
                `${args.type} "${args.name}": its items are not known during this preview, so no Secret in it can be proven not to be a token for a default ServiceAccount. Create the Secrets as separate resources.`,
            );
            return;
        }
        objects.forEach((secret, item) => {
            if (!isKnown(secret)) {
                reportViolation(
                    `${args.type} "${args.name}": item ${item} is not known during this preview, so it cannot be proven not to be a token for a default ServiceAccount. Create the Secrets as separate resources.`,
                );
                return;
            }
            const type = stringField(secret, "type");
            const account = stringField(secret, "metadata", "annotations", SERVICE_ACCOUNT_NAME_ANNOTATION);
            // A token Secret is one of the token type, or of a type not yet known that names an account.
            const isToken = isKnown(type)
                ? type === SERVICE_ACCOUNT_TOKEN_TYPE
                : !isKnown(account) || account !== undefined;
            if (!isToken) {
                return;
            }
            const what = describe("Secret", secret, args.name);
            if (!isKnown(account)) {
                reportViolation(
                    `${what} is a service-account token whose account (annotation ${SERVICE_ACCOUNT_NAME_ANNOTATION}) is not known during this preview, ` +
                        `so it cannot be proven not to be the default ServiceAccount. Give the account name as a plain value.`,
                );
            } else if (account === "default") {
                // Without a namespace the Secret lands in the provider's default namespace, which the pack
                // cannot see: it is exempt only when its namespace is written and allowed.
                const ns = stringField(secret, "metadata", "namespace");
                if (!exempt([ns], allowed)) {
                    const where =
                        isKnown(ns) && !ns
                            ? " (it names no namespace, so it goes to the provider's default one)"
                            : "";
                    reportViolation(
                        `${what} is a long-lived token for the default ServiceAccount${where}: whoever holds it acts as every pod of the namespace that names no account. ` +
                            `Create a dedicated ServiceAccount and its token instead (the ApiServiceAccount component does).`,
                    );
                }
            }
        });
    },
    remediationSteps:
        "Make the token for a dedicated ServiceAccount. If a namespace must be exempt, add it to allowedNamespaces in the pack's config.",
};
