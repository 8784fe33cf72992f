// The one RBAC evaluator: how Kubernetes authorizes a request against a set of rules, and what a set of
// rules grants, broken down and compared the way the API server does. The pack, the component and the CLI
// all ask it; rbac/ is its one home, built into both the component package and the pack. Pure (no SDK
// import), so either can load it. Upstream, kubernetes/kubernetes:
// pkg/apis/rbac/v1/evaluation_helpers.go (matching), plugin/pkg/auth/authorizer/rbac/rbac.go (RuleAllows,
// bindings), pkg/registry/rbac/validation/policy_comparator.go (breaking rules down, Covers).

/**
 * One RBAC PolicyRule, as in `rbac.authorization.k8s.io/v1`; an absent list is an empty one. Also the
 * type of the component's `rules` argument, whose schema takes the field descriptions from here.
 */
export interface PolicyRule {
    /** API groups the rule applies to; `""` is the core group. Required when `resources` is set. */
    readonly apiGroups?: string[];
    /** Resources (and `resource/subresource`) the rule applies to. Default: none. */
    readonly resources?: string[];
    /** Restricts the rule to these object names. Default: all names. */
    readonly resourceNames?: string[];
    /** Non-resource URLs such as `/metrics`; cluster scope only. Default: none. */
    readonly nonResourceURLs?: string[];
    /** Verbs the rule allows, such as `get`, `list`, `watch`. Required, at least one. */
    readonly verbs: string[];
}

/** The API group of RBAC's own objects (roles, bindings). */
export const RBAC_GROUP = "rbac.authorization.k8s.io";

/** The wildcard of verbs, apiGroups, resources and nonResourceURLs (rbacv1.VerbAll and friends). */
export const ALL = "*";

/** A resource request, as a SubjectAccessReview's `resourceAttributes` carries it. */
export interface ResourceRequest {
    readonly verb: string;
    /** API group; "" is the core group. */
    readonly group: string;
    /** Resource without its subresource: `pods`, not `pods/exec`. */
    readonly resource: string;
    readonly subresource?: string;
    /** Object name; absent or "" for list, create, deletecollection and watch without a name. */
    readonly name?: string;
    /** Absent or "" for cluster-scoped resources and requests across all namespaces. */
    readonly namespace?: string;
}

/** A non-resource request (`/metrics`, `/healthz`), as `nonResourceAttributes` carries it. */
export interface NonResourceRequest {
    readonly verb: string;
    readonly path: string;
}

export type Request = ResourceRequest | NonResourceRequest;

export const isNonResource = (r: Request): r is NonResourceRequest => "path" in r;

const listOf = (v: readonly string[] | undefined): readonly string[] => v ?? [];

/** `*` or the verb itself. */
export const verbMatches = (rule: PolicyRule, verb: string): boolean =>
    listOf(rule.verbs).some((v) => v === ALL || v === verb);

/** `*` or the group itself ("" is the core group). */
export const groupMatches = (rule: PolicyRule, group: string): boolean =>
    listOf(rule.apiGroups).some((g) => g === ALL || g === group);

/** `*`, `resource` or `resource/subresource` exactly, or `*\/subresource` for that subresource of any resource. */
export function resourceMatches(rule: PolicyRule, resource: string, subresource = ""): boolean {
    const combined = subresource ? `${resource}/${subresource}` : resource;
    return listOf(rule.resources).some(
        (r) => r === ALL || r === combined || (subresource !== "" && r === `*/${subresource}`),
    );
}

/** No resourceNames means every name; otherwise the name must be listed ("" only matches ""). */
export const nameMatches = (rule: PolicyRule, name = ""): boolean =>
    listOf(rule.resourceNames).length === 0 || listOf(rule.resourceNames).includes(name);

/** `*`, the path itself, or a prefix ending in `*` (`/api/*`, `/metrics*`). */
export const urlCovers = (pattern: string, path: string): boolean =>
    pattern === ALL ||
    pattern === path ||
    (pattern.endsWith("*") && path.startsWith(pattern.replace(/\*+$/, "")));

export const urlMatches = (rule: PolicyRule, path: string): boolean =>
    listOf(rule.nonResourceURLs).some((u) => urlCovers(u, path));

/** True when the rule allows the request (RuleAllows). */
export function ruleAllows(rule: PolicyRule, request: Request): boolean {
    if (!verbMatches(rule, request.verb)) {
        return false;
    }
    if (isNonResource(request)) {
        return urlMatches(rule, request.path);
    }
    return (
        groupMatches(rule, request.group) &&
        resourceMatches(rule, request.resource, request.subresource) &&
        nameMatches(rule, request.name)
    );
}

export const rulesAllow = (rules: readonly PolicyRule[], request: Request): boolean =>
    rules.some((r) => ruleAllows(r, request));

/**
 * Verbs whose requests never carry an object name (create, deletecollection), so a rule limited by
 * resourceNames never allows them; list and watch carry one only with a `metadata.name` field selector.
 * Upstream: k8s.io/apiserver pkg/endpoints/request/requestinfo.go; kubernetes/website#29468.
 */
export const NAMELESS_VERBS: readonly string[] = ["create", "deletecollection"];
/**
 * True when a request with this verb carries no object name: create or deletecollection of a resource
 * itself. A subresource's create names its object (`serviceaccounts/<name>/token`, `pods/<name>/exec`).
 */
export const carriesNoName = (verb: string, subresource = ""): boolean =>
    NAMELESS_VERBS.includes(verb) && subresource === "";

/** Verbs that carry an object name only when the client selects by `metadata.name`. */
export const NAME_BY_SELECTOR_VERBS: readonly string[] = ["list", "watch"];

/**
 * True when the rule allows the request for at least one object name a real request can carry: a rule
 * limited by resourceNames still grants those names, but never a verb of NAMELESS_VERBS. The request's
 * own name is ignored.
 */
export const ruleAllowsSomeName = (rule: PolicyRule, request: ResourceRequest): boolean =>
    ruleAllows(rule, {
        ...request,
        name: carriesNoName(request.verb, request.subresource) ? "" : (listOf(rule.resourceNames)[0] ?? ""),
    });

/** Where a binding's rules apply: everywhere (ClusterRoleBinding) or in one namespace (RoleBinding). */
export type BindingScope =
    { readonly kind: "cluster" } | { readonly kind: "namespace"; readonly namespace: string };

/** The rules one binding gives its subjects, and where. */
export interface Grant {
    readonly scope: BindingScope;
    readonly rules: readonly PolicyRule[];
}

/**
 * True when the grant allows the request. A RoleBinding's rules apply only to resource requests in its
 * namespace, so never to non-resource URLs nor to cluster-scoped resources (whose requests carry no namespace).
 */
export function grantAllows(grant: Grant, request: Request): boolean {
    if (grant.scope.kind === "namespace") {
        if (isNonResource(request) || (request.namespace ?? "") !== grant.scope.namespace) {
            return false;
        }
    }
    return rulesAllow(grant.rules, request);
}

/** The authorizer's decision for one subject's grants: allowed when any grant allows (RBAC only allows). */
export const authorize = (grants: readonly Grant[], request: Request): boolean =>
    grants.some((g) => grantAllows(g, request));

/** One verb on one resource of one API group (names kept together), or one verb on one URL. */
export type Permission = ResourcePermission | UrlPermission;

export interface ResourcePermission {
    readonly verb: string;
    readonly group: string;
    /** As written in the rule: `pods`, `pods/log`, `*`, `*\/scale`. */
    readonly resource: string;
    /** Limited to these object names; absent means every name. */
    readonly names?: readonly string[];
}

export interface UrlPermission {
    readonly verb: string;
    readonly url: string;
}

export const isUrlPermission = (p: Permission): p is UrlPermission => "url" in p;

/** A rule broken down into permissions, as the policy comparator's breakdownRule does. */
export function permissionsOf(rule: PolicyRule): Permission[] {
    const out: Permission[] = [];
    const names = listOf(rule.resourceNames);
    for (const group of listOf(rule.apiGroups)) {
        for (const resource of listOf(rule.resources)) {
            for (const verb of listOf(rule.verbs)) {
                out.push(names.length > 0 ? { verb, group, resource, names } : { verb, group, resource });
            }
        }
    }
    for (const url of listOf(rule.nonResourceURLs)) {
        for (const verb of listOf(rule.verbs)) {
            out.push({ verb, url });
        }
    }
    return out;
}

/** A permission as the rule that grants exactly it. */
export function permissionRule(p: Permission): PolicyRule {
    if (isUrlPermission(p)) {
        return { verbs: [p.verb], nonResourceURLs: [p.url] };
    }
    return {
        verbs: [p.verb],
        apiGroups: [p.group],
        resources: [p.resource],
        ...(p.names ? { resourceNames: [...p.names] } : {}),
    };
}

// A rule's resource entry covers another when it is `*`, the same, or `*/sub` over `x/sub` and `*/sub`.
function resourceCovers(owner: string, wanted: string): boolean {
    if (owner === ALL || owner === wanted) {
        return true;
    }
    const slash = wanted.indexOf("/");
    return owner.startsWith("*/") && slash > 0 && wanted.slice(slash + 1) === owner.slice(2);
}

/**
 * True when `owner` covers everything `p` grants (ruleCovers, with `*\/subresource` also covering that
 * subresource of each resource). A wildcard in `p` is covered only by the same wildcard or a wider one.
 */
export function covers(owner: readonly PolicyRule[], p: Permission): boolean {
    if (isUrlPermission(p)) {
        return owner.some(
            (r) =>
                verbMatches(r, p.verb) && listOf(r.nonResourceURLs).some((u) => urlPatternCovers(u, p.url)),
        );
    }
    const names = p.names ?? [undefined];
    return names.every((name) =>
        owner.some(
            (r) =>
                verbMatches(r, p.verb) &&
                groupMatches(r, p.group) &&
                listOf(r.resources).some((res) => resourceCovers(res, p.resource)) &&
                (listOf(r.resourceNames).length === 0 ||
                    (name !== undefined && listOf(r.resourceNames).includes(name))),
        ),
    );
}

// A URL pattern covers another pattern when every path the second matches, the first matches too.
function urlPatternCovers(owner: string, wanted: string): boolean {
    if (!wanted.endsWith("*")) {
        return urlCovers(owner, wanted);
    }
    return owner === ALL || (owner.endsWith("*") && wanted.startsWith(owner.replace(/\*+$/, "")));
}

/** What `rules` grant that `owner` does not cover, as permissions (Covers' uncovered rules). */
export const uncovered = (owner: readonly PolicyRule[], rules: readonly PolicyRule[]): Permission[] =>
    rules.flatMap(permissionsOf).filter((p) => !covers(owner, p));

/** `get pods`, `list deployments.apps`, `get secrets (names: a, b)`, `get /metrics`: kubectl's words. */
export function formatPermission(p: Permission): string {
    if (isUrlPermission(p)) {
        return `${p.verb} ${p.url}`;
    }
    const names = p.names ? ` (names: ${p.names.join(", ")})` : "";
    return `${p.verb} ${targetOf(p)}${names}`;
}

/** `deployments.apps`, `pods`, `pods/log`, `*.apps`, `*.*` (every group): a resource as a row label. */
export const targetOf = (p: ResourcePermission): string =>
    p.group ? `${p.resource}.${p.group}` : p.resource;

/**
 * Reads kubectl's words back as rules: `get pods`, `list deployments.apps`, `get pods/log`, `* *.apps`
 * (every resource of a group), `get *.` (every core resource), `get *` (every resource and URL),
 * `get /metrics`, `get /metrics*`. Returns undefined when the text is not `<verb> <target>`.
 */
export function parsePermission(text: string): PolicyRule[] | undefined {
    const [verb, target, ...rest] = text.trim().split(/\s+/);
    if (!verb || !target || rest.length > 0) {
        return undefined;
    }
    if (target.startsWith("/")) {
        return [{ verbs: [verb], nonResourceURLs: [target] }];
    }
    if (target === ALL) {
        return [
            { verbs: [verb], apiGroups: [ALL], resources: [ALL] },
            { verbs: [verb], nonResourceURLs: [ALL] },
        ];
    }
    const dot = target.indexOf(".");
    const resource = dot < 0 ? target : target.slice(0, dot);
    const group = dot < 0 ? "" : target.slice(dot + 1);
    return [{ verbs: [verb], apiGroups: [group], resources: [resource] }];
}

/** The wildcards in a rule: `*` in verbs, apiGroups, nonResourceURLs; `*` or `*\/sub` in resources. */
export function wildcardsIn(rule: PolicyRule): { field: keyof PolicyRule; values: string[] }[] {
    const found: { field: keyof PolicyRule; values: string[] }[] = [];
    for (const field of ["verbs", "apiGroups", "resources", "nonResourceURLs"] as const) {
        const values = listOf(rule[field]).filter(
            (v) => v === ALL || (field === "resources" && v.startsWith("*/")),
        );
        if (values.length > 0) {
            found.push({ field, values });
        }
    }
    return found;
}

/** A resource to ask about, without verb, name or namespace. */
export type Target = Pick<ResourceRequest, "group" | "resource" | "subresource">;

/**
 * Which of `verbs` the rule allows on each target, for at least one object name, grouped by target:
 * `[{ target: "pods/exec", verbs: ["get", "create"] }]`. Empty when it allows none of them.
 */
export function grantedAmong(
    rule: PolicyRule,
    verbs: readonly string[],
    targets: readonly Target[],
): { target: string; verbs: string[] }[] {
    return targets
        .map((t) => ({
            target: formatTarget(t),
            verbs: verbs.filter((verb) => ruleAllowsSomeName(rule, { ...t, verb })),
        }))
        .filter((g) => g.verbs.length > 0);
}

/** `pods/exec`, `clusterroles.rbac.authorization.k8s.io`: a target in kubectl's words. */
export const formatTarget = (t: Target): string =>
    targetOf({
        verb: "",
        group: t.group,
        resource: t.subresource ? `${t.resource}/${t.subresource}` : t.resource,
    });

/** `get, create on pods/exec; create on pods/attach`, for messages. */
export const formatGranted = (granted: { target: string; verbs: string[] }[]): string =>
    granted.map((g) => `${g.verbs.join(", ")} on ${g.target}`).join("; ");
