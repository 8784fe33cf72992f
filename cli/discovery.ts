// A cluster's API as its discovery documents list it (/api/v1, /apis and each group version), read with
// @kubernetes/client-node over the kubeconfig's TLS and credential. Every authenticated identity may read
// discovery (the bootstrap role system:discovery), so an account's own kubeconfig is enough.
import type { KubeConfig, V1APIResource } from "@kubernetes/client-node";
import type { ApiCatalog, ApiResource } from "../rbac/apiCatalog";
import { makeApiClient } from "./verify/apiClient";

/** Merges one version's resources into a group's, keeping the first kind seen and every verb. */
function merge(into: Map<string, ApiResource>, listed: V1APIResource[]): void {
    for (const r of listed) {
        const had = into.get(r.name);
        into.set(r.name, {
            name: r.name,
            kind: had?.kind ?? r.kind,
            namespaced: r.namespaced,
            ...((had?.singularName ?? r.singularName)
                ? { singularName: had?.singularName ?? r.singularName }
                : {}),
            ...(r.shortNames?.length || had?.shortNames
                ? { shortNames: [...new Set([...(had?.shortNames ?? []), ...(r.shortNames ?? [])])].sort() }
                : {}),
            verbs: [...new Set([...(had?.verbs ?? []), ...r.verbs])].sort(),
        });
    }
}

const sorted = (m: Map<string, ApiResource>): ApiResource[] =>
    [...m.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** Every group the API server serves and its resources, over all served versions; groups sorted. */
export async function readDiscovery(kc: KubeConfig): Promise<Record<string, ApiResource[]>> {
    const k8s = await import("@kubernetes/client-node");
    const core = new Map<string, ApiResource>();
    merge(core, (await (await makeApiClient(kc, k8s.CoreV1Api)).getAPIResources()).resources);
    const out: Record<string, ApiResource[]> = { "": sorted(core) };
    const groups = await (await makeApiClient(kc, k8s.ApisApi)).getAPIVersions();
    const custom = await makeApiClient(kc, k8s.CustomObjectsApi);
    for (const g of [...groups.groups].sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const resources = new Map<string, ApiResource>();
        for (const v of g.versions) {
            merge(resources, (await custom.getAPIResources({ group: g.name, version: v.version })).resources);
        }
        out[g.name] = sorted(resources);
    }
    return out;
}

export type { ApiCatalog };
