// Runs a policy's validate function the way the policy SDK does (level 2, in process): props behind the
// SDK's unknown-checking proxy, preview unknowns as the engine's sentinel, config as the engine passes it.
import {
    PolicyResource,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
    unknownCheckingProxy,
} from "@pulumi/policy";
import * as pulumi from "@pulumi/pulumi";

/** The value the engine sends for a property not known during a preview. */
export const UNKNOWN = pulumi.runtime.unknownValue;

export interface FixtureResource {
    readonly type: string;
    readonly props: Record<string, unknown>;
    readonly name?: string;
}

function resourceArgs(r: FixtureResource, config: object): ResourceValidationArgs {
    const name = r.name ?? "fixture";
    return {
        type: r.type,
        props: unknownCheckingProxy(structuredClone(r.props)) as Record<string, unknown>,
        urn: `urn:pulumi:test::kube-api-access::${r.type}::${name}`,
        name,
        opts: {
            protect: false,
            ignoreChanges: [],
            aliases: [],
            additionalSecretOutputs: [],
            customTimeouts: {},
        },
        stackTags: new Map(),
        isType: () => false,
        asType: () => undefined,
        getConfig: <T extends object>() => config as T,
        notApplicable: () => {
            throw new Error("not applicable");
        },
    } as unknown as ResourceValidationArgs;
}

/** The messages a resource policy reports for one resource. */
export async function violations(
    policy: ResourceValidationPolicy,
    resource: FixtureResource,
    config: object = {},
): Promise<string[]> {
    const messages: string[] = [];
    const validate = policy.validateResource;
    for (const v of Array.isArray(validate) ? validate : validate ? [validate] : []) {
        await v(resourceArgs(resource, config), (message: string) => messages.push(message));
    }
    return messages;
}

/** The messages a stack policy reports for a set of resources. */
export async function stackViolations(
    policy: StackValidationPolicy,
    resources: FixtureResource[],
    config: object = {},
): Promise<string[]> {
    const messages: string[] = [];
    const args = {
        resources: resources.map((r) => resourceArgs(r, config) as unknown as PolicyResource),
        getConfig: <T extends object>() => config as T,
        stackTags: new Map(),
    } as unknown as StackValidationArgs;
    await policy.validateStack(args, (message: string) => messages.push(message));
    return messages;
}

export const RBAC = "kubernetes:rbac.authorization.k8s.io";

/** A compliant RoleBinding: a dedicated account in the binding's namespace. */
export function roleBinding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "RoleBinding",
        metadata: { name: "reader", namespace: "apps" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "reader" },
        subjects: [{ kind: "ServiceAccount", name: "api-reader", namespace: "apps" }],
        ...overrides,
    };
}

/** A compliant ClusterRoleBinding. */
export function clusterRoleBinding(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRoleBinding",
        metadata: { name: "reader" },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "reader" },
        subjects: [{ kind: "ServiceAccount", name: "api-reader", namespace: "apps" }],
        ...overrides,
    };
}

/** A compliant role with the given rules. */
export function role(kind: "Role" | "ClusterRole", rules: unknown[], name = "reader", namespace = "apps") {
    return {
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind,
        metadata: kind === "Role" ? { name, namespace } : { name },
        rules,
    };
}
