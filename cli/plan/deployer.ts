// What the identity running `pulumi up` and `pulumi destroy` needs in the cluster for one stack: the verbs
// the Kubernetes provider (4.25.0) and the component's ownership check use on each kind the stack
// creates, and the right to grant the roles it creates (RBAC escalation prevention).
import * as YAML from "yaml";
import type { RecordedResource } from "../../offline/mocks";
import { BUILTIN_API } from "../../rbac/builtin/kubernetesApi";
import { parseKubernetesType } from "../../rbac/kubernetesType";

/** One rule of the deployer's ClusterRole, as `rbac.authorization.k8s.io/v1` writes it. */
export interface DeployerRule {
    readonly apiGroups: string[];
    readonly resources: string[];
    readonly verbs: string[];
    readonly resourceNames?: string[];
}

/**
 * Verbs on every kind the stack creates: `get` (ownership check, refresh, diff), `patch` (the provider
 * creates and updates with server-side apply, an apply PATCH: provider/pkg/await/await.go), `create`
 * (what an apply PATCH of a missing object is), `delete` (destroy, replacement), `list` and `watch` (the
 * provider's informers wait on the object and its deletion: provider/pkg/await/condition/source.go).
 */
export const MANAGE_VERBS = ["get", "list", "watch", "create", "patch", "delete"] as const;

/** The provider's await logic watches core Events about each object (NewEventAggregator in provider/pkg/await/watchers.go). */
const EVENTS_RULE: DeployerRule = { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] };

/**
 * `kind` of `group` as its resource (plural, lower case), as the API server names it: the built-in API's
 * discovery (rbac/builtin), else the lower-case plural discovery gives a CRD's kind by default.
 */
function resourceOf(group: string, kind: string): string {
    const known = (BUILTIN_API[group] ?? []).find((r) => r.kind === kind && !r.name.includes("/"));
    return known?.name ?? `${kind.toLowerCase()}s`;
}

/**
 * The rules of a ClusterRole that lets an identity run `pulumi up` and `pulumi destroy` for the planned
 * resources: MANAGE_VERBS on each kind created, Events, and `escalate` and `bind` on the roles the stack
 * creates (by name), so that it may create them and bind them to the account without holding every
 * permission they grant itself (kubernetes pkg/registry/rbac/escalation_check.go).
 */
export function deployerRules(resources: readonly RecordedResource[]): DeployerRule[] {
    const kinds = new Map<string, Set<string>>();
    const roles = new Map<string, Set<string>>();
    for (const r of resources) {
        const type = parseKubernetesType(r.type);
        if (!r.custom || !type || type.variant !== "") {
            continue;
        }
        const apiGroup = type.group === "core" ? "" : type.group;
        const kind = type.kind;
        const resource = resourceOf(apiGroup, kind);
        (kinds.get(apiGroup) ?? kinds.set(apiGroup, new Set()).get(apiGroup)!).add(resource);
        if (apiGroup === "rbac.authorization.k8s.io" && (kind === "ClusterRole" || kind === "Role")) {
            const name = (r.inputs.metadata as { name?: unknown } | undefined)?.name;
            if (typeof name === "string") {
                (roles.get(resource) ?? roles.set(resource, new Set()).get(resource)!).add(name);
            }
        }
    }
    const rules: DeployerRule[] = [...kinds.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([apiGroup, resourceSet]) => ({
            apiGroups: [apiGroup],
            resources: [...resourceSet].sort(),
            verbs: [...MANAGE_VERBS],
        }));
    if (rules.length === 0) {
        return [];
    }
    rules.push(EVENTS_RULE);
    for (const [resource, names] of [...roles.entries()].sort(([a], [b]) => a.localeCompare(b))) {
        rules.push({
            apiGroups: ["rbac.authorization.k8s.io"],
            resources: [resource],
            verbs: ["bind", "escalate"],
            resourceNames: [...names].sort(),
        });
    }
    return rules;
}

/** The file in plan's output folder that holds the deployer's ClusterRole. */
export const DEPLOYER_FILE = "deployer.yaml";

/** The deployer's ClusterRole as a manifest an admin applies and binds to the identity that runs pulumi up. */
export function deployerManifest(stack: string, rules: DeployerRule[]): string {
    return YAML.stringify({
        apiVersion: "rbac.authorization.k8s.io/v1",
        kind: "ClusterRole",
        metadata: { name: `kube-api-access-deployer-${stack}` },
        rules,
    });
}
