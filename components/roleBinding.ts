// The role-and-binding step of ApiServiceAccount: the rules granted to the account, cluster-wide or in
// each of its namespaces, and the one helper every `roleRef` in the component is built by.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FIXED_NAME_OPTIONS } from "./metadata";
import type { Ownership } from "./ownership";

/** One role and the binding of it to one ServiceAccount. */
export interface RoleAndBindingArgs {
    /** Logical (Pulumi) names of the role and of the binding. */
    readonly logicalNames: { readonly role: string; readonly binding: string };
    /** Object name shared by the role and the binding. */
    readonly objectName: string;
    /**
     * Namespace of a Role and RoleBinding (the Output, so that they wait for a namespace being created, and
     * its settled name); undefined for a ClusterRole and ClusterRoleBinding.
     */
    readonly namespace?: { readonly output: pulumi.Input<string>; readonly name: string };
    readonly rules: pulumi.Input<pulumi.Input<k8s.types.input.rbac.v1.PolicyRule>[]>;
    readonly subject: k8s.core.v1.ServiceAccount;
    readonly labels: Record<string, string>;
    readonly ownership: Ownership;
}

export interface Granted {
    /** Name of the ClusterRole or Role. */
    readonly role: pulumi.Output<string>;
    /** Name of the ClusterRoleBinding or RoleBinding. */
    readonly binding: pulumi.Output<string>;
}

/** Creates a Role and RoleBinding (with `namespace`) or a ClusterRole and ClusterRoleBinding, children of `parent`. */
export function roleAndBinding(parent: pulumi.Resource, args: RoleAndBindingArgs): Granted {
    const opts = { parent, ...FIXED_NAME_OPTIONS };
    const { objectName: name, labels } = args;
    const cluster = args.namespace === undefined;
    const metadata = (kind: string) => ({
        name,
        labels,
        ...(args.namespace ? { namespace: args.namespace.output } : {}),
        annotations: args.ownership.annotate({
            apiVersion: "rbac.authorization.k8s.io/v1",
            kind,
            name,
            namespace: args.namespace?.name,
        }),
    });
    const role = cluster
        ? new k8s.rbac.v1.ClusterRole(
              args.logicalNames.role,
              { metadata: metadata("ClusterRole"), rules: args.rules },
              opts,
          )
        : new k8s.rbac.v1.Role(
              args.logicalNames.role,
              { metadata: metadata("Role"), rules: args.rules },
              opts,
          );
    const bindingArgs = {
        metadata: metadata(cluster ? "ClusterRoleBinding" : "RoleBinding"),
        roleRef: {
            apiGroup: "rbac.authorization.k8s.io",
            kind: args.namespace === undefined ? "ClusterRole" : "Role",
            name: role.metadata.name,
        },
        subjects: [
            {
                kind: "ServiceAccount",
                name: args.subject.metadata.name,
                namespace: args.subject.metadata.namespace,
            },
        ],
    };
    const binding =
        args.namespace === undefined
            ? new k8s.rbac.v1.ClusterRoleBinding(args.logicalNames.binding, bindingArgs, opts)
            : new k8s.rbac.v1.RoleBinding(args.logicalNames.binding, bindingArgs, opts);
    return { role: role.metadata.name, binding: binding.metadata.name };
}

/**
 * Grants `rules` to `account`: a ClusterRole and ClusterRoleBinding (`${name}-role`, `${name}-binding`),
 * or per namespace of `roleNamespaces` a Role and RoleBinding (`-<namespace>` suffixed after the first).
 * Returns the names of the first pair, the one in the account's own namespace.
 */
export function grantAccess(
    parent: pulumi.Resource,
    name: string,
    args: {
        readonly objectName: string;
        /** Empty for cluster scope; else the account's namespace first, then the extra ones. */
        readonly roleNamespaces: string[];
        /** The account's namespace as an Output, so its Role waits for a namespace being created. */
        readonly accountNamespace: pulumi.Output<string>;
        readonly rules: k8s.types.input.rbac.v1.PolicyRule[];
        readonly account: k8s.core.v1.ServiceAccount;
        readonly labels: Record<string, string>;
        readonly ownership: Ownership;
    },
): Granted {
    const common = {
        objectName: args.objectName,
        rules: args.rules,
        subject: args.account,
        labels: args.labels,
        ownership: args.ownership,
    };
    if (args.roleNamespaces.length === 0) {
        return roleAndBinding(parent, {
            ...common,
            logicalNames: { role: `${name}-role`, binding: `${name}-binding` },
        });
    }
    const pairs = args.roleNamespaces.map((ns, i) => {
        // The account's own namespace may be created here; extra namespaces must exist.
        const suffix = i === 0 ? "" : `-${ns}`;
        return roleAndBinding(parent, {
            ...common,
            logicalNames: { role: `${name}-role${suffix}`, binding: `${name}-binding${suffix}` },
            namespace: { output: i === 0 ? args.accountNamespace : ns, name: ns },
        });
    });
    return pairs[0];
}
