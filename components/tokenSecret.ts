// A long-lived token Secret for a ServiceAccount, filled by Kubernetes' token controller, with the
// provider's wait made real and the token and CA read back out of it.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ANNOTATIONS, FIXED_NAME_OPTIONS } from "./metadata";
import { mockMonitor } from "./sdkInternals";

export interface TokenSecretArgs {
    readonly secretName: string;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly labels: Record<string, string>;
    readonly timeoutSeconds: number;
    readonly rotation?: pulumi.Input<string>;
    /** The owner annotation (Ownership.annotate), so that the Secret waits for the ownership check. */
    readonly owner: Record<string, pulumi.Input<string>>;
}

export interface TokenSecret {
    readonly name: pulumi.Output<string>;
    /** The decoded token, always a secret. */
    readonly token: pulumi.Output<string>;
    /** The cluster CA (PEM), public and exported in clear. */
    readonly caCert: pulumi.Output<string>;
}

/** Creates the token Secret as a child of `parent`. */
export function tokenSecret(
    parent: pulumi.Resource,
    logicalName: string,
    args: TokenSecretArgs,
): TokenSecret {
    const account = args.serviceAccount;
    const annotations: Record<string, pulumi.Input<string>> = {
        [ANNOTATIONS.serviceAccountName]: account.metadata.name,
        [ANNOTATIONS.waitFor]: "jsonpath={.data.token}",
        // A replaced ServiceAccount has a new UID and its old tokens stop working (401), so the token
        // Secret follows it; see replaceOnChanges below.
        [ANNOTATIONS.serviceAccountUid]: account.metadata.uid,
        ...(args.rotation !== undefined ? { [ANNOTATIONS.tokenRotation]: args.rotation } : {}),
        ...args.owner,
    };
    const timeout = `${args.timeoutSeconds}s`;
    const secret = new k8s.core.v1.Secret(
        logicalName,
        {
            metadata: {
                name: args.secretName,
                namespace: account.metadata.namespace,
                labels: args.labels,
                annotations,
            },
            type: "kubernetes.io/service-account-token",
        },
        {
            parent,
            // With pulumi.com/waitFor set, the provider honours customTimeouts for the wait.
            customTimeouts: { create: timeout, update: timeout },
            // Keys with dots and slashes are quoted, as Pulumi's property paths allow
            // (sdk/go/common/resource/properties_path.go).
            replaceOnChanges: [
                `metadata.annotations["${ANNOTATIONS.serviceAccountUid}"]`,
                `metadata.annotations["${ANNOTATIONS.tokenRotation}"]`,
            ],
            // The name is fixed, and the old token must be gone before the new one is handed out.
            ...FIXED_NAME_OPTIONS,
            // A replaced ServiceAccount's token controller deletes this Secret (its UID no longer matches), and
            // `pulumi up --replace` of the account alone plans no diff for the Secret: the engine replaces it with
            // the account (resource option replaceWith, pulumi/pulumi sdk/nodejs/resource.ts).
            replaceWith: [account],
        },
    );
    // Kubernetes returns Secret data base64-encoded; the provider marks it secret in a real run but the
    // mock runtime does not, so the token is wrapped explicitly.
    const token = pulumi.secret(secret.data.apply((d) => decodeField(d, "token", args.secretName)));
    // The CA is public; it is read out of the secret data and deliberately exported in clear.
    const caCert = pulumi.unsecret(secret.data.apply((d) => decodeField(d, "ca.crt", args.secretName)));
    // The name is fixed (args.secretName) and public, but a secret tokenRotation among the annotations
    // makes the whole metadata output secret, its name included: unsecret it, as the outputs table says.
    return { name: pulumi.unsecret(secret.metadata.name), token, caCert };
}

/** Decodes one field of a token Secret's data, with an error that says what went wrong (never the value). */
function decodeField(data: Record<string, string> | undefined, field: string, secretName: string): string {
    const encoded = data?.[field];
    if (!encoded && underMocks()) {
        // Unit-test mocks that return a resource's inputs as its state play no token controller: say so
        // once, and go on with an empty value rather than failing every output with a rejection no test awaits.
        if (!warnedUnderMocks) {
            warnedUnderMocks = true;
            void pulumi.log.warn(
                `token Secret ${JSON.stringify(secretName)} has no data.${field} under unit-test mocks, which play no ` +
                    `token controller: token, caCert and kubeconfig are empty. Use the mocks of kube-api-access/testing ` +
                    `(ApiServiceAccountMocks), which fill the Secret as the token controller does`,
            );
        }
        return "";
    }
    if (!encoded) {
        throw new Error(
            `token Secret ${JSON.stringify(secretName)} has no data.${field}: the token controller did not fill it. ` +
                `Check that the ServiceAccount exists and the kube-controller-manager runs, or raise tokenTimeoutSeconds`,
        );
    }
    return Buffer.from(encoded, "base64").toString("utf8");
}

let warnedUnderMocks = false;

/** True under pulumi.runtime.setMocks. */
export function underMocks(): boolean {
    return mockMonitor() !== undefined;
}
