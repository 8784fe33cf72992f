// The differential test's questions to the API server: each case's roles and binding created, aggregation
// and the authorizer's caches waited for, a SubjectAccessReview per case, everything deleted again.
import type { AuthorizationV1Api, RbacAuthorizationV1Api } from "@kubernetes/client-node";
import { Request } from "../../../rbac/evaluator";
import { Case, NS, QUIET_MS, RUN_LABEL, subjectOf } from "./cases";

export interface Apis {
    readonly rbac: RbacAuthorizationV1Api;
    readonly authz: AuthorizationV1Api;
}

async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
    const out: R[] = new Array<R>(items.length);
    let next = 0;
    await Promise.all(
        Array.from({ length: Math.min(n, items.length) }, async () => {
            while (next < items.length) {
                const i = next++;
                out[i] = await fn(items[i]);
            }
        }),
    );
    return out;
}

async function until(what: string, ok: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await ok())) {
        if (Date.now() > deadline) {
            throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
    }
}

const meta = (name: string, run: string, labels: Record<string, string> = {}) => ({
    name,
    labels: { ...labels, [RUN_LABEL]: run },
});
const roleRef = (kind: string, name: string) => ({ apiGroup: "rbac.authorization.k8s.io", kind, name });

async function bind(
    apis: Apis,
    kind: Case["binding"],
    name: string,
    ref: Case["roleRef"],
    user: string,
    run: string,
) {
    const body = {
        metadata: meta(name, run),
        roleRef: roleRef(ref.kind, ref.name),
        subjects: [{ kind: "ServiceAccount", name: user.split(":")[3], namespace: NS }],
    };
    if (kind === "RoleBinding") {
        await apis.rbac.createNamespacedRoleBinding({
            namespace: NS,
            body: { ...body, metadata: { ...body.metadata, namespace: NS } },
        });
    } else {
        await apis.rbac.createClusterRoleBinding({ body });
    }
}

async function review(apis: Apis, user: string, req: Request): Promise<boolean> {
    const spec =
        "path" in req
            ? { user, nonResourceAttributes: { verb: req.verb, path: req.path } }
            : { user, resourceAttributes: { ...req } };
    const res = await apis.authz.createSubjectAccessReview({
        body: { apiVersion: "authorization.k8s.io/v1", kind: "SubjectAccessReview", spec },
    });
    return res.status?.allowed === true;
}

/** Creates the cases' objects, waits until aggregation and the authorizer's caches have them, asks, cleans up. */
export async function askCluster(apis: Apis, cases: readonly Case[], run: string): Promise<boolean[]> {
    const clusterRoles = cases.flatMap((c) => c.clusterRoles);
    await pool(clusterRoles, 16, (cr) =>
        apis.rbac.createClusterRole({
            body: {
                metadata: meta(cr.name, run, cr.labels),
                rules: cr.rules,
                ...(cr.selectors ? { aggregationRule: { clusterRoleSelectors: cr.selectors as never } } : {}),
            },
        }),
    );
    await pool(
        cases.filter((c) => c.role),
        16,
        (c) =>
            apis.rbac.createNamespacedRole({
                namespace: NS,
                body: {
                    metadata: { ...meta(c.role!.name, run), namespace: NS },
                    rules: c.role!.rules,
                },
            }),
    );
    await pool(cases, 16, (c) =>
        bind(apis, c.binding, `rbac-diff-${c.id}-binding`, c.roleRef, subjectOf(c), run),
    );
    // The aggregation controller works from ClusterRole events and syncs in milliseconds: wait until the
    // batch's aggregated roles have kept the same resourceVersion for QUIET_MS.
    if (clusterRoles.some((cr) => cr.selectors)) {
        let last = "";
        let since = Date.now();
        await until("the aggregation controller to settle the batch", async () => {
            const list = await apis.rbac.listClusterRole({ labelSelector: `${RUN_LABEL}=${run}` });
            const now = list.items
                .filter((cr) => cr.aggregationRule)
                .map((cr) => `${cr.metadata?.name}@${cr.metadata?.resourceVersion}`)
                .join(",");
            if (now !== last) {
                last = now;
                since = Date.now();
            }
            return Date.now() - since >= QUIET_MS;
        });
    }
    // Sentinels made after everything else: once the authorizer allows them, its caches (ordered per
    // resource type) hold every role and binding made before them, aggregation updates included.
    const sentinel = `${run}-sentinel-${cases[0].index}`;
    const clusterSentinel = { kind: "ClusterRole" as const, name: `rbac-diff-${sentinel}` };
    const roleSentinel = { kind: "Role" as const, name: `rbac-diff-${sentinel}` };
    await apis.rbac.createClusterRole({
        body: {
            metadata: meta(clusterSentinel.name, run),
            rules: [{ verbs: ["get"], nonResourceURLs: [`/${sentinel}`] }],
        },
    });
    await apis.rbac.createNamespacedRole({
        namespace: NS,
        body: {
            metadata: { ...meta(roleSentinel.name, run), namespace: NS },
            rules: [
                { verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: [sentinel] },
            ],
        },
    });
    const user = `system:serviceaccount:${NS}:sa-${sentinel}`;
    await bind(apis, "ClusterRoleBinding", `rbac-diff-${sentinel}-c`, clusterSentinel, user, run);
    await bind(apis, "RoleBinding", `rbac-diff-${sentinel}-r`, roleSentinel, user, run);
    await until(
        "the authorizer to see the batch",
        async () =>
            (await review(apis, user, { verb: "get", path: `/${sentinel}` })) &&
            (await review(apis, user, {
                verb: "get",
                group: "",
                resource: "configmaps",
                name: sentinel,
                namespace: NS,
            })),
    );
    const answers = await pool(cases, 16, (c) => review(apis, subjectOf(c), c.request));
    const labelSelector = `${RUN_LABEL}=${run}`;
    await apis.rbac.deleteCollectionClusterRoleBinding({ labelSelector });
    await apis.rbac.deleteCollectionClusterRole({ labelSelector });
    await apis.rbac.deleteCollectionNamespacedRoleBinding({ namespace: NS, labelSelector });
    await apis.rbac.deleteCollectionNamespacedRole({ namespace: NS, labelSelector });
    return answers;
}
