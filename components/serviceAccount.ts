// The namespace and the ServiceAccount steps of ApiServiceAccount: the identity consumers outside the
// cluster authenticate as.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FIXED_NAME_OPTIONS } from "./metadata";

/**
 * The account's namespace: created as `${name}-namespace` when `create` is true, else the existing one.
 * The name flows from the Namespace resource when created, so that every namespaced child waits for it
 * through data, not through dependsOn.
 */
export function accountNamespace(
    parent: pulumi.Resource,
    name: string,
    namespace: string,
    create: boolean,
    labels: Record<string, string>,
): pulumi.Output<string> {
    return create
        ? new k8s.core.v1.Namespace(
              `${name}-namespace`,
              { metadata: { name: namespace, labels } },
              { parent, ...FIXED_NAME_OPTIONS },
          ).metadata.name
        : pulumi.output(namespace);
}

/** A ServiceAccount for a consumer outside the cluster, named exactly `accountName`. */
export function serviceAccount(
    parent: pulumi.Resource,
    logicalName: string,
    accountName: string,
    namespace: pulumi.Input<string>,
    labels: Record<string, string>,
): k8s.core.v1.ServiceAccount {
    return new k8s.core.v1.ServiceAccount(
        logicalName,
        {
            metadata: { name: accountName, namespace, labels },
            // The consumer runs outside the cluster; pods must not pick this identity up.
            automountServiceAccountToken: false,
            // `secrets` stays unset: the legacy token cleaner removes unused tokens listed there.
        },
        { parent, ...FIXED_NAME_OPTIONS },
    );
}
