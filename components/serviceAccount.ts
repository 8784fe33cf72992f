// The namespace and the ServiceAccount steps of ApiServiceAccount: the identity consumers outside the
// cluster authenticate as.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { FIXED_NAME_OPTIONS } from "./metadata";
import type { Ownership } from "./ownership";

/**
 * The account's namespace: created as `${name}-namespace` when `create` is true, else the existing one,
 * which the stack then never changes or deletes. The name flows from the Namespace resource when created,
 * so that every namespaced child waits for it through data, not through dependsOn.
 */
export function accountNamespace(
    parent: pulumi.Resource,
    name: string,
    namespace: string,
    create: boolean,
    labels: Record<string, string>,
    ownership: Ownership,
): pulumi.Output<string> {
    if (!create) {
        return pulumi.output(namespace);
    }
    const annotations = ownership.annotate({ apiVersion: "v1", kind: "Namespace", name: namespace });
    return new k8s.core.v1.Namespace(
        `${name}-namespace`,
        { metadata: { name: namespace, labels, annotations } },
        { parent, ...FIXED_NAME_OPTIONS },
    ).metadata.name;
}

/**
 * A ServiceAccount for a consumer outside the cluster, named exactly `accountName`, in `namespace` (the
 * Output, so that it waits for a namespace being created; `namespaceName` is its settled name).
 */
export function serviceAccount(
    parent: pulumi.Resource,
    logicalName: string,
    accountName: string,
    namespace: { readonly output: pulumi.Input<string>; readonly name: string },
    labels: Record<string, string>,
    ownership: Ownership,
): k8s.core.v1.ServiceAccount {
    const annotations = ownership.annotate({
        apiVersion: "v1",
        kind: "ServiceAccount",
        name: accountName,
        namespace: namespace.name,
    });
    return new k8s.core.v1.ServiceAccount(
        logicalName,
        {
            metadata: { name: accountName, namespace: namespace.output, labels, annotations },
            // The consumer runs outside the cluster; pods must not pick this identity up.
            automountServiceAccountToken: false,
            // `secrets` stays unset: the legacy token cleaner removes unused tokens listed there.
        },
        { parent, ...FIXED_NAME_OPTIONS },
    );
}
