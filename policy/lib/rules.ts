// RBAC rules read out of Role and ClusterRole resources, and what they grant.
import { isKnown, Maybe, read, UNKNOWN } from "./kubernetes";

export interface Rule {
    readonly apiGroups: string[];
    readonly resources: string[];
    readonly resourceNames: string[];
    readonly nonResourceURLs: string[];
    readonly verbs: string[];
}

const list = (value: unknown): string[] =>
    Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * The rules of a role object. A rule with an unknown field is returned in `unknown`, by index, since
 * what it grants cannot be judged yet.
 */
export function rulesOf(
    role: Record<string, unknown>,
): { rules: Rule[]; unknown: number[] } | typeof UNKNOWN {
    const raw = read(() => role.rules as unknown[] | undefined);
    if (!isKnown(raw)) {
        return UNKNOWN;
    }
    const rules: Rule[] = [];
    const unknown: number[] = [];
    (Array.isArray(raw) ? raw : []).forEach((item, i) => {
        const field = (key: string): Maybe<string[]> =>
            read(() => {
                const v = (item as Record<string, unknown>)[key];
                return Array.isArray(v) ? list([...(v as unknown[])]) : [];
            });
        const fields = ["apiGroups", "resources", "resourceNames", "nonResourceURLs", "verbs"].map(field);
        if (fields.every(isKnown)) {
            const [apiGroups, resources, resourceNames, nonResourceURLs, verbs] = fields;
            rules.push({ apiGroups, resources, resourceNames, nonResourceURLs, verbs });
        } else {
            unknown.push(i);
        }
    });
    return { rules, unknown };
}

const matches = (granted: string[], wanted: string[]) =>
    granted.includes("*") || wanted.some((w) => granted.includes(w));

/**
 * True when `rule` grants at least one of `verbs` on at least one of `resources` in at least one of
 * `groups`, counting `*` as everything (resourceNames narrow a rule but still grant).
 */
export function grants(rule: Rule, verbs: string[], groups: string[], resources: string[]): boolean {
    return (
        matches(rule.verbs, verbs) && matches(rule.apiGroups, groups) && matches(rule.resources, resources)
    );
}

/** Every `verb resource[.group]` a rule grants, in kubectl auth can-i's words; `/url` for non-resource URLs. */
export function permissionsOf(rule: Rule): string[] {
    const out: string[] = [];
    const names = rule.resourceNames.length > 0 ? ` (names: ${rule.resourceNames.join(", ")})` : "";
    for (const verb of rule.verbs) {
        for (const group of rule.apiGroups) {
            for (const resource of rule.resources) {
                out.push(`${verb} ${resource}${group ? `.${group}` : ""}${names}`);
            }
        }
        for (const url of rule.nonResourceURLs) {
            out.push(`${verb} ${url}`);
        }
    }
    return out;
}

/** True when `permission` (`verb resource[.group]` or `verb /url`) is covered by an allow-list entry. */
export function allowedBy(permission: string, allowList: string[]): boolean {
    const [verb, target] = permission.replace(/ \(names: .*\)$/, "").split(" ");
    return allowList.some((entry) => {
        const [v, t] = entry.trim().split(/\s+/);
        if (v !== "*" && v !== verb) {
            return false;
        }
        if (t === "*" || t === target) {
            return true;
        }
        // "get *.apps" allows every resource of a group; "get /metrics*" every URL under a prefix.
        if (t?.startsWith("*.") && !target.startsWith("/")) {
            return target.endsWith(t.slice(1)) || (t === "*." && !target.includes("."));
        }
        return t?.endsWith("*") === true && target.startsWith(t.slice(0, -1));
    });
}
