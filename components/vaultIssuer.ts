// The identity Vault's Kubernetes secrets engine mints tokens with (vault.mode "dynamic"): a second
// ServiceAccount that may only create tokens for the consumer's account, and its own token Secret.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { rbacObjectName } from "./metadata";
import type { Ownership } from "./ownership";
import { roleAndBinding } from "./roleBinding";
import { serviceAccount } from "./serviceAccount";
import { TokenSecret, tokenSecret } from "./tokenSecret";

/**
 * Creates `<account>-vault-issuer` with a Role that allows `create` on `serviceaccounts/token` for the
 * account's name only, and its token Secrets in two generations (tokenSecret.ts), whose current token and CA
 * are returned.
 */
export function vaultIssuer(
    parent: pulumi.Resource,
    name: string,
    args: {
        /** The account's namespace as settled from the arguments, for the role's object name. */
        readonly namespace: string;
        readonly account: k8s.core.v1.ServiceAccount;
        readonly accountName: string;
        readonly labels: Record<string, string>;
        readonly timeoutSeconds: number;
        readonly ownership: Ownership;
        /** tokenRotation: rotates the issuer's token in two generations. */
        readonly rotation?: pulumi.Input<string>;
        readonly revokePrevious?: boolean;
    },
): TokenSecret {
    const { account, labels, ownership } = args;
    const issuerName = `${args.accountName}-vault-issuer`;
    const namespace = { output: account.metadata.namespace, name: args.namespace };
    const issuer = serviceAccount(
        parent,
        `${name}-vault-issuer-sa`,
        issuerName,
        namespace,
        labels,
        ownership,
    );
    roleAndBinding(parent, {
        logicalNames: { role: `${name}-vault-issuer-role`, binding: `${name}-vault-issuer-binding` },
        objectName: rbacObjectName(args.namespace, issuerName),
        namespace,
        rules: [
            {
                apiGroups: [""],
                resources: ["serviceaccounts/token"],
                resourceNames: [account.metadata.name],
                verbs: ["create"],
            },
        ],
        subject: issuer,
        labels,
        ownership,
    });
    return tokenSecret(parent, `${name}-vault-issuer-token`, {
        accountName: issuerName,
        namespace: args.namespace,
        serviceAccount: issuer,
        labels,
        timeoutSeconds: args.timeoutSeconds,
        rotation: args.rotation,
        revokePrevious: args.revokePrevious,
        ownership,
    });
}
