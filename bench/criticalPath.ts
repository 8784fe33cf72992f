// The deployment's critical path: from the registered resources' dependencies, the longest chain of API
// round trips `pulumi up` must wait for, and any dependency that no input value explains (a dependsOn).
import { RecordedResource } from "../offline/mocks";
import { isServiceAccountTokenSecret } from "../rbac/serviceAccountToken";

export interface CriticalPath {
    /** The longest chain, first to last, as `Kind name`. */
    readonly chain: string[];
    /** Round trips on it: one per resource, one more for each token Secret the provider waits on. */
    readonly roundTrips: number;
    /** Dependencies no input property carries, as `resource -> dependency`. */
    readonly needless: string[];
}

const label = (r: RecordedResource) => `${r.type.split(":").pop()} ${r.name}`;

/** A token Secret costs a second round trip: the provider watches it until the token controller fills it. */
const waits = (r: RecordedResource) => (isServiceAccountTokenSecret(r.type, r.inputs) ? 1 : 0);

export function criticalPath(resources: RecordedResource[]): CriticalPath {
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:providers:"));
    const byUrn = new Map(custom.map((r) => [r.urn, r]));
    const memo = new Map<string, { cost: number; chain: RecordedResource[] }>();
    const longest = (r: RecordedResource): { cost: number; chain: RecordedResource[] } => {
        const known = memo.get(r.urn);
        if (known) {
            return known;
        }
        let best = { cost: 0, chain: [] as RecordedResource[] };
        for (const dep of r.dependencies) {
            const d = byUrn.get(dep);
            if (d) {
                const sub = longest(d);
                if (sub.cost > best.cost) {
                    best = sub;
                }
            }
        }
        const result = { cost: best.cost + 1 + waits(r), chain: [...best.chain, r] };
        memo.set(r.urn, result);
        return result;
    };
    let top = { cost: 0, chain: [] as RecordedResource[] };
    for (const r of custom) {
        const c = longest(r);
        if (c.cost > top.cost) {
            top = c;
        }
    }
    const needless: string[] = [];
    for (const r of custom) {
        const explained = new Set(Object.values(r.propertyDependencies).flat());
        for (const dep of r.dependencies) {
            if (byUrn.has(dep) && !explained.has(dep)) {
                needless.push(`${label(r)} -> ${label(byUrn.get(dep)!)}`);
            }
        }
    }
    return { chain: top.chain.map(label), roundTrips: top.cost, needless };
}
