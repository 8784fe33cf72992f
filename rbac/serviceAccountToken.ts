// What Kubernetes calls a ServiceAccount's long-lived token Secret: its type, which the token controller
// fills, and the annotation naming the account it fills it for (k8s.io/api core/v1 types.go:
// SecretTypeServiceAccountToken, ServiceAccountNameKey). Here, in the shared folder, because the
// component writes them, the policy pack checks them and the mock cluster and benchmarks recognise them.

/** The `type` of a Secret that holds a ServiceAccount's long-lived token. */
export const SERVICE_ACCOUNT_TOKEN_TYPE = "kubernetes.io/service-account-token";

/** The annotation on a token Secret that names its ServiceAccount (in the Secret's namespace). */
export const SERVICE_ACCOUNT_NAME_ANNOTATION = "kubernetes.io/service-account.name";

/**
 * Whether a resource registered as `type` with `inputs` is a token Secret: a `kubernetes:core/v1:Secret`
 * whose `type` input is SERVICE_ACCOUNT_TOKEN_TYPE. Lists and patches are not.
 */
export function isServiceAccountTokenSecret(type: string, inputs: unknown): boolean {
    return (
        type === "kubernetes:core/v1:Secret" &&
        (inputs as { type?: unknown } | undefined)?.type === SERVICE_ACCOUNT_TOKEN_TYPE
    );
}
