// Level 4 (a real kube-apiserver and kube-controller-manager on loopback, testenv/cluster.ts, started and
// stopped here): the RBAC evaluator (rbac/) against the real authorizer. Seeded random cases of rules
// and one request each (rbacDiff/cases.ts): verbs, groups, resources, subresources, resourceNames, URLs,
// wildcards, Role versus ClusterRole, RoleBinding versus ClusterRoleBinding, and aggregated ClusterRoles
// resolved by the real aggregation controller. Per case the roles and a binding to the case's own
// ServiceAccount subject are created and a SubjectAccessReview is asked (rbacDiff/cluster.ts). RBAC_DIFF_SEED,
// RBAC_DIFF_CASES and RBAC_DIFF_ONLY (a case number) reproduce a run; a disagreement is shrunk against the
// cluster and printed in minimal form (rbacDiff/shrink.ts).
import * as assert from "assert";
import { spawnSync } from "child_process";
import { CLUSTER_SCOPED } from "../../rbac/scope";
import { Cluster, startCluster } from "../../testenv/cluster";
import { grantedAmong, isNonResource } from "../../rbac/evaluator";
import { BATCH, CASES, evaluate, generate, namedCases, NS, ONLY, OTHER_NS, SEED } from "./rbacDiff/cases";
import { Apis, askCluster } from "./rbacDiff/cluster";
import { minimalForm, shrink } from "./rbacDiff/shrink";

describe("e2e (real control plane): the RBAC evaluator agrees with the real authorizer (differential)", function () {
    let apis: Apis;
    let cluster: Cluster | undefined;
    before(async function () {
        this.timeout(180_000);
        cluster = await startCluster();
        const k8s = await import("@kubernetes/client-node");
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(cluster.kubeconfig);
        apis = {
            rbac: kc.makeApiClient(k8s.RbacAuthorizationV1Api),
            authz: kc.makeApiClient(k8s.AuthorizationV1Api),
        };
        const core = kc.makeApiClient(k8s.CoreV1Api);
        for (const name of [NS, OTHER_NS]) {
            await core.createNamespace({ body: { metadata: { name } } }).catch((err: { code?: number }) => {
                if (err.code !== 409) {
                    throw err;
                }
            });
        }
    });

    after(async () => {
        await cluster?.stop();
    });

    it("the evaluator's list of cluster-scoped resources agrees with the API server's discovery", () => {
        const kubectl = (args: string[]) =>
            spawnSync("kubectl", ["--kubeconfig", cluster!.kubeconfig, ...args], {
                encoding: "utf8",
                timeout: 60_000,
            });
        const names = (namespaced: boolean) => {
            const res = kubectl([
                "api-resources",
                `--namespaced=${namespaced}`,
                "--no-headers",
                "-o",
                "name",
            ]);
            assert.strictEqual(res.status, 0, res.stderr);
            return res.stdout
                .trim()
                .split("\n")
                .map((n) => {
                    const dot = n.indexOf(".");
                    return dot < 0
                        ? { group: "", resource: n }
                        : { group: n.slice(dot + 1), resource: n.slice(0, dot) };
                });
        };
        const listed = (t: { group: string; resource: string }) =>
            (CLUSTER_SCOPED[t.group] ?? []).includes(t.resource);
        const missing = names(false).filter((t) => !listed(t));
        const wrong = names(true).filter(listed);
        assert.deepStrictEqual({ missing, wrong }, { missing: [], wrong: [] });
    });

    it("resourceNames with every verb, as the API server builds each request: the evaluator and the matrix agree", async function () {
        this.timeout(0);
        const cases = namedCases(`n${Date.now().toString(36)}`);
        const real = await askCluster(apis, cases, `n${Date.now().toString(36)}b`);
        const wrong = cases.flatMap((c, i) => {
            const req = c.request;
            if (isNonResource(req)) {
                return [];
            }
            // What plan's matrix shows: granted for some name a real request can carry.
            const matrix =
                grantedAmong(c.role!.rules[0], [req.verb], [{ group: "", resource: "configmaps" }]).length >
                0;
            return real[i] === evaluate(c) && real[i] === matrix
                ? []
                : [
                      `${req.verb} (name ${JSON.stringify(req.name ?? "")}): API server ${real[i]}, evaluator ${evaluate(c)}, matrix ${matrix}`,
                  ];
        });
        const allowed = cases.filter((_, i) => real[i]).map((c) => c.request.verb);
        console.log(`      allowed through resourceNames: ${allowed.join(", ")}`);
        assert.deepStrictEqual(wrong, []);
        assert.ok(
            !allowed.includes("create") && !allowed.includes("deletecollection") && allowed.includes("list"),
        );
    });

    it(`${ONLY === undefined ? CASES : 1} seeded cases (seed ${SEED}), zero disagreements`, async function () {
        this.timeout(0);
        const run = `r${Date.now().toString(36)}`;
        const indices = ONLY === undefined ? Array.from({ length: CASES }, (_, i) => i) : [ONLY];
        const disagreements: string[] = [];
        let allowed = 0;
        for (let start = 0; start < indices.length; start += BATCH) {
            const cases = indices.slice(start, start + BATCH).map((i) => generate(i, run));
            const real = await askCluster(apis, cases, `${run}b${start}`);
            for (const [i, c] of cases.entries()) {
                allowed += real[i] ? 1 : 0;
                if (real[i] !== evaluate(c) && disagreements.length < 5) {
                    const shrunk = await shrink(apis, c, real[i], `${run}x${c.index}`);
                    disagreements.push(minimalForm(shrunk.small, evaluate(shrunk.small), shrunk.real));
                }
            }
        }
        console.log(
            `      ${indices.length} cases, ${allowed} allowed by the API server, ${disagreements.length} disagreements`,
        );
        if (disagreements.length > 0) {
            assert.fail(
                `the evaluator and the API server disagree (first ${disagreements.length}, each shrunk):\n${disagreements.join("\n")}`,
            );
        }
    });
});
