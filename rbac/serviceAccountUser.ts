// How Kubernetes names a ServiceAccount as a user: the subject RBAC, SubjectAccessReviews and audit logs
// see (k8s.io/apiserver/pkg/authentication/serviceaccount/util.go, MakeUsername and SplitUsername).

const PREFIX = "system:serviceaccount:";

/** `system:serviceaccount:<namespace>:<name>`. */
export function serviceAccountUser(namespace: string, name: string): string {
    return `${PREFIX}${namespace}:${name}`;
}

/** The namespace and name of a ServiceAccount's user name; undefined for any other user name. */
export function splitServiceAccountUser(user: string): { namespace: string; name: string } | undefined {
    const parts = user.startsWith(PREFIX) ? user.slice(PREFIX.length).split(":") : [];
    return parts.length === 2 && parts[0] !== "" && parts[1] !== ""
        ? { namespace: parts[0], name: parts[1] }
        : undefined;
}
