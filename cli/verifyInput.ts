// Where verify's input comes from: the kubeconfig and declared access from a deployed stack's outputs
// (Automation API), or the declared access computed offline from the stack's settings.
import type { PolicyRule } from "../components/rbac";
import { PROJECT_DIR, runProgramOffline } from "../offline/program";
import type { Expectation } from "./access";
import type { VerifyInput } from "./verify";

/** The declared access computed offline from a stack's settings, for a kubeconfig given as a file. */
export async function offlineExpectation(stack: string, endpoint: string): Promise<Expectation> {
    const run = await runProgramOffline(stack, { overrides: { "kube-api-access:endpoint": endpoint } });
    return {
        scope: run.outputs.scope.value as Expectation["scope"],
        namespace: run.outputs.namespace.value as string,
        roleNamespaces: run.outputs.roleNamespaces.value as string[],
        rules: run.outputs.rules.value as PolicyRule[],
    };
}

/** Reads the kubeconfig and the declared access from a deployed stack through the Automation API. */
export async function fromStack(stackName: string): Promise<VerifyInput> {
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    let outputs;
    try {
        const stack = await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR });
        outputs = await stack.outputs();
    } catch (err) {
        throw new Error(
            `could not read stack ${stackName}'s outputs (${(err as Error).message.split("\n")[0]}). This needs the Pulumi CLI ` +
                `and a deployed stack; or pass --kubeconfig FILE (from: pulumi stack output kubeconfig --show-secrets)`,
        );
    }
    if (!("kubeconfig" in outputs) && outputs.vaultMode?.value === "dynamic") {
        throw new Error(
            `stack ${stackName} uses Vault dynamic mode, so it exports no long-lived kubeconfig. Get a token with ` +
                `${String(outputs.vaultCredentialsCommand?.value)}, put it in a kubeconfig with the endpoint and caCert ` +
                `outputs, and pass it with --kubeconfig FILE --stack ${stackName}`,
        );
    }
    if (!("kubeconfig" in outputs)) {
        throw new Error(
            `stack ${stackName} does not export its kubeconfig (exportToken, or Vault kv mode). Read it from where it ` +
                `is kept (for example ${String(outputs.vaultReadCommand?.value ?? "vault kv get")} -field=kubeconfig) and pass --kubeconfig FILE --stack ${stackName}`,
        );
    }
    const need = (key: string) => {
        if (!(key in outputs)) {
            throw new Error(`stack ${stackName} has no output ${key}; run pulumi up with this version first`);
        }
        return outputs[key].value as unknown;
    };
    return {
        kubeconfig: need("kubeconfig") as string,
        expectation: {
            scope: need("scope") as Expectation["scope"],
            namespace: need("namespace") as string,
            roleNamespaces: need("roleNamespaces") as string[],
            rules: need("rules") as PolicyRule[],
        },
    };
}
