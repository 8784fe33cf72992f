// Checks an RBAC rule's API groups and resources against what the API serves (a catalog: the built-in
// one generated from the pinned kube-apiserver, or a cluster's discovery), as `kubectl create role
// --resource` maps names through discovery: a name no API has grants nothing, so it is a typo.
import { ApiCatalog, ApiResource, RBAC_ONLY, serves } from "../rbac/apiCatalog";
import { distance } from "fastest-levenshtein";
import { BUILTIN_API, KUBERNETES_VERSION } from "../rbac/builtin/kubernetesApi";
import { didYouMean } from "./suggest";
import { hasOwnKey } from "../rbac/ownKey";

/** Where the names were looked up, for messages: `Kubernetes v1.37.2's built-in API`. */
export interface CatalogSource {
    readonly catalog: ApiCatalog;
    readonly name: string;
    /** True for the built-in catalog: a group it lacks may be a CRD's, and is accepted unchecked. */
    readonly builtin: boolean;
}

/** The built-in API of the pinned release, which the component and plan check every rule against. */
export const BUILTIN_SOURCE: CatalogSource = {
    catalog: BUILTIN_API,
    name: `Kubernetes ${KUBERNETES_VERSION.replace(/^v/, "")}'s built-in API`,
    builtin: true,
};

/** One name the catalog does not have: the rule's field, the value, why, and the fix. */
export interface NameProblem {
    readonly field: "apiGroups" | "resources";
    readonly value: string;
    readonly why: string;
    readonly fix: string;
}

export interface NameCheck {
    readonly problems: NameProblem[];
    /** Groups the built-in catalog does not have and that were accepted unchecked (a CRD's). */
    readonly unchecked: string[];
}

const ALL = "*";
// A dotted group this close to a built-in one is a typo of it, not a CRD's ("networking.k8s.oi").
const GROUP_EDITS = 2;

/** Every name a user may mean a resource by (plural, singular, Kind, short names), lower case, to its name. */
function aliases(resources: readonly ApiResource[]): Map<string, string> {
    const out = new Map<string, string>();
    for (const r of resources.filter((x) => !x.name.includes("/"))) {
        for (const alias of [r.name, r.singularName, r.kind, ...(r.shortNames ?? [])]) {
            if (alias && !out.has(alias.toLowerCase())) {
                out.set(alias.toLowerCase(), r.name);
            }
        }
    }
    return out;
}

const groupLabel = (g: string) => (g === "" ? `"" (core)` : JSON.stringify(g));

function checkGroup(group: string, source: CatalogSource): NameProblem | "unchecked" | undefined {
    if (group === ALL || hasOwnKey(source.catalog, group)) {
        return undefined;
    }
    const groups = Object.keys(source.catalog);
    const near = didYouMean(group, groups);
    const close = near !== undefined && (!group.includes(".") || levenshteinClose(group, near));
    if (source.builtin && group.includes(".") && !close) {
        return "unchecked";
    }
    const why = source.builtin
        ? `${source.name} has no API group ${groupLabel(group)}${group.includes(".") ? "" : " (a custom resource's group always has a dot)"}`
        : `${source.name} serves no API group ${groupLabel(group)}`;
    return {
        field: "apiGroups",
        value: group,
        why: close ? `${why}; did you mean ${groupLabel(near)}?` : why,
        fix: close
            ? `Write ${groupLabel(near)}`
            : `Use a group the API serves, such as "" (core), "apps" or "batch" (kubectl api-resources lists them)`,
    };
}

// At most GROUP_EDITS edits for a dotted group: "gateway.networking.k8s.io" is a CRD's, not a typo.
const levenshteinClose = (word: string, near: string): boolean =>
    distance(word.toLowerCase(), near.toLowerCase()) <= GROUP_EDITS;

function checkResource(
    resource: string,
    groups: readonly string[],
    source: CatalogSource,
): NameProblem | undefined {
    if (resource === ALL || groups.some((g) => serves(source.catalog, g, resource))) {
        return undefined;
    }
    const inGroups = groups.flatMap((g) => source.catalog[g] ?? []);
    const names = [...inGroups.map((r) => r.name), ...groups.flatMap((g) => RBAC_ONLY[g] ?? [])];
    const [base, sub] = resource.split("/");
    if (base === ALL) {
        const subs = [...new Set(names.flatMap((n) => (n.includes("/") ? [n.split("/")[1]] : [])))];
        if (subs.includes(sub)) {
            return undefined;
        }
        const near = didYouMean(sub, subs);
        return problem(
            resource,
            `no resource of ${groups.map(groupLabel).join(", ")} has a subresource "${sub}"`,
            near && `*/${near}`,
        );
    }
    const meant = aliases(inGroups).get(base.toLowerCase());
    const candidate = meant !== undefined ? (sub === undefined ? meant : `${meant}/${sub}`) : undefined;
    const near =
        candidate !== undefined && (sub === undefined || names.includes(candidate))
            ? candidate
            : didYouMean(resource, names);
    const elsewhere = Object.entries(source.catalog)
        .filter(([g, rs]) => !groups.includes(g) && rs.some((r) => r.name === resource))
        .map(([g]) => g);
    const why = `${source.name} has no resource "${resource}" in ${groups.length > 1 ? "groups" : "group"} ${groups.map(groupLabel).join(", ")}`;
    if (near === undefined && elsewhere.length > 0) {
        return {
            field: "resources",
            value: resource,
            why: `${why}; it is in group ${elsewhere.map(groupLabel).join(", ")}`,
            fix: `Put it in a rule with apiGroups ${JSON.stringify(elsewhere)}`,
        };
    }
    return problem(resource, why, near);
}

function problem(value: string, why: string, near: string | undefined): NameProblem {
    return {
        field: "resources",
        value,
        why: near === undefined ? why : `${why}; did you mean "${near}"?`,
        fix:
            near === undefined
                ? "Use the plural, lower-case resource name discovery lists (kubectl api-resources), with /subresource where needed"
                : `Write "${near}", the name discovery lists (plural, lower case)`,
    };
}

/**
 * The names of one rule the catalog does not have. Resources are checked only when every group of the
 * rule is one the catalog holds (a CRD's group may hold any resource), against those groups together.
 */
export function checkApiNames(
    rule: { readonly apiGroups?: readonly string[]; readonly resources?: readonly string[] },
    source: CatalogSource,
): NameCheck {
    const problems: NameProblem[] = [];
    const unchecked: string[] = [];
    const groups = rule.apiGroups ?? [];
    for (const g of groups) {
        const found = checkGroup(g, source);
        if (found === "unchecked") {
            unchecked.push(g);
        } else if (found) {
            problems.push(found);
        }
    }
    const checkable = groups.length > 0 && groups.every((g) => g !== ALL && hasOwnKey(source.catalog, g));
    if (checkable) {
        for (const r of rule.resources ?? []) {
            const found = checkResource(r, groups, source);
            if (found) {
                problems.push(found);
            }
        }
    }
    return { problems, unchecked };
}
