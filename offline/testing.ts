// Unit-testing a program that uses ApiServiceAccount (import from "kube-api-access/testing"): Pulumi mocks
// that answer as a cluster would. The token controller fills every service-account-token Secret (token,
// ca.crt, namespace), the API server assigns UIDs, and unmocked invokes throw, so a missing mock is loud.
// Pass `endpoint` to the component in tests: a test machine has no kubeconfig to read it from.
import * as pulumi from "@pulumi/pulumi";
import { OFFLINE_CA_PEM, OfflineCluster, offlineToken, RecordedResource } from "./mocks";

export { OFFLINE_CA_PEM, offlineToken, RecordedResource };

/**
 * Mocks for `pulumi.runtime.setMocks`. `preview` (default false) leaves what the cluster assigns unknown,
 * as `pulumi preview` does. Extend the class to answer your own resources or invokes; what it does not
 * know it returns as the resource's inputs.
 */
export class ApiServiceAccountMocks extends OfflineCluster {
    constructor(options: { readonly preview?: boolean } = {}) {
        super(options.preview ?? false);
    }

    protected override unanswered(token: string): string {
        return (
            `ApiServiceAccountMocks has no answer for the function ${token} (an invoke). To answer it, ` +
            "override call() in a subclass of ApiServiceAccountMocks, returning the function's result for " +
            "that token and super.call(args) for the others (docs/component.md, Unit-testing a program that uses the component)"
        );
    }
}

/** Installs ApiServiceAccountMocks with `pulumi.runtime.setMocks`; call it before importing the program. */
export async function setApiServiceAccountMocks(
    project = "project",
    stack = "test",
    options: { readonly preview?: boolean } = {},
): Promise<ApiServiceAccountMocks> {
    const mocks = new ApiServiceAccountMocks(options);
    await pulumi.runtime.setMocks(mocks, project, stack, options.preview ?? false);
    return mocks;
}
