// The metadata the component writes: the labels every child carries, the annotation keys of token Secrets
// and the name its RBAC objects share. Free of resources, so the offline cluster and tools can read it.
import { SERVICE_ACCOUNT_NAME_ANNOTATION } from "../rbac/serviceAccountToken";

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

/**
 * Resource options of every child with a fixed object name (the component never autonames: consumers and
 * policies know the names). Replaced create-before-delete, the "new" object would be applied over the old
 * one and then the old deleted, leaving none while the state says it exists (seen on the real engine with
 * `pulumi up --replace`); so the old one goes first, and the engine replaces its dependents with it.
 */
export const FIXED_NAME_OPTIONS = { deleteBeforeReplace: true } as const;

/** Name of the role and binding granted to `account`: `kube-api-access:<namespace>:<account>`. */
export const rbacObjectName = (namespace: string, account: string): string =>
    `${PART_OF}:${namespace}:${account}`;

/** Annotations the component writes on token Secrets and, for the token ledger, on the ServiceAccount. */
export const ANNOTATIONS = {
    serviceAccountName: SERVICE_ACCOUNT_NAME_ANNOTATION,
    // The provider waits only ~5 s for a token Secret, ignoring customTimeouts, unless pulumi.com/waitFor
    // is set (pulumi-kubernetes provider/pkg/await/awaiters.go; waitFor since 4.18, fixed in 4.18.4).
    waitFor: "pulumi.com/waitFor",
    serviceAccountUid: "kube-api-access.pulumi.com/service-account-uid",
    // Which component created the object: its URN. Checked before anything is created (ownership.ts).
    owner: "kube-api-access.pulumi.com/owner",
    /** On the ServiceAccount: which generation of its token each slot holds (tokenGenerations.ts). */
    tokenGenerations: "kube-api-access.pulumi.com/token-generations",
    /** On an empty slot's Opaque Secret, which holds no token: `unused`. */
    tokenSlot: "kube-api-access.pulumi.com/token-slot",
} as const;

/**
 * Namespaces Kubernetes makes and needs. The component never creates or deletes them: with
 * `createNamespace: true` it refuses them, and with `false` it only puts its objects in them.
 */
export const RESERVED_NAMESPACES = ["default", "kube-system", "kube-public", "kube-node-lease"] as const;
