// The labels every child carries and the name its RBAC objects share, derived from the component's name,
// namespace and account so that a cluster's objects can be traced back to the stack that made them.

export const MANAGED_BY = "pulumi";
export const PART_OF = "kube-api-access";

/** The recommended `app.kubernetes.io/*` labels for the children of the component named `name`. */
export function standardLabels(name: string): Record<string, string> {
    return {
        "app.kubernetes.io/managed-by": MANAGED_BY,
        "app.kubernetes.io/part-of": PART_OF,
        "app.kubernetes.io/instance": name,
    };
}

/** Name of the role and binding granted to `account`: `kube-api-access:<namespace>:<account>`. */
export const rbacObjectName = (namespace: string, account: string): string =>
    `${PART_OF}:${namespace}:${account}`;
