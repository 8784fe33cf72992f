// plan on a program's own Roles (levels 1 and 2: the program under the mock runtime, the pack over gRPC):
// rule names checked against the built-in API (a typo refuses the plan, naming the role, rule and value),
// a custom resource's group and list by name noted, and the sensitive permissions marked in the matrix.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Plan, plan, renderPlan } from "../../../cli/plan/plan";
import { withEnv } from "../../../offline/program";
import { FIXTURES } from "../../helpers";

const PROGRAM = path.join(FIXTURES, "rules-program");
const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };

describe("plan checks the rules of every role it plans", function () {
    this.timeout(240_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-rules-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    describe("a program with real names, a custom resource's group and list by name", () => {
        let p: Plan;
        let report: string;
        before(async () => {
            p = await withEnv(NO_KUBECONFIG, () =>
                plan({ stack: "dev", dir: PROGRAM, outDir: path.join(out, "ok"), policy: false }),
            );
            report = renderPlan(p);
        });

        it("notes the custom resource's group and the name selector list needs", () => {
            assert.match(p.apiNames.source, /^Kubernetes .*'s built-in API$/);
            assert.deepStrictEqual(p.apiNames.notes.length, 2, p.apiNames.notes.join("\n"));
            assert.match(
                p.apiNames.notes[0],
                /Role "apps\/reader" rule 1: API group "monitoring.coreos.com" is not built into Kubernetes/,
            );
            assert.match(
                p.apiNames.notes[1],
                /Role "apps\/reader" rule 2 grants list only for app-config: the client must list with the field selector metadata.name=app-config/,
            );
            assert.match(report, /note: Role "apps\/reader" rule 1: API group "monitoring.coreos.com"/);
        });

        it("marks create pods as sensitive in the matrix and names the namespace's accounts", () => {
            const grant = p.access["system:serviceaccount:apps:ci"][0];
            assert.deepStrictEqual(
                grant.sensitive.map((s) => [s.row, s.permissions]),
                [["create-workloads", ["create pods"]]],
            );
            assert.match(report, /^ {4}pods +✓ +✓\*/m);
            assert.match(
                report,
                /✓\* create-workloads \(medium\): create pods: runs pods as any ServiceAccount of namespace apps \(system:serviceaccounts:apps\)/,
            );
        });
    });

    it("judges a binding to the built-in view by its real rules (generated from the pinned release)", async () => {
        const p = await withEnv(NO_KUBECONFIG, () =>
            plan({ stack: "dev", dir: PROGRAM, outDir: path.join(out, "view"), policy: false }),
        );
        const grants = p.access["system:serviceaccount:apps:viewer"];
        assert.deepStrictEqual(
            grants.map((g) => [g.scope, g.via, g.unresolved]),
            [["in namespace apps", 'RoleBinding "apps/viewer"', undefined]],
        );
        const has = (verb: string, resource: string, group = "") =>
            grants[0].permissions.some(
                (x) => !("url" in x) && x.verb === verb && x.resource === resource && x.group === group,
            );
        assert.ok(has("get", "pods") && has("list", "deployments", "apps") && has("watch", "configmaps"));
        // view, aggregation included, reads no Secrets and writes nothing.
        assert.ok(!has("get", "secrets") && !has("create", "pods") && !has("update", "configmaps"));
        assert.deepStrictEqual(grants[0].sensitive, []);
        assert.match(renderPlan(p), /system:serviceaccount:apps:viewer/);
    });

    it("refuses a name no built-in API serves, naming the role, the rule, the value and the fix", async () => {
        const error = await withEnv(NO_KUBECONFIG, () =>
            plan({
                stack: "dev",
                dir: PROGRAM,
                outDir: path.join(out, "typo"),
                policy: false,
                config: { "rules-program:typo": "true" },
            }),
        ).then(
            () => undefined,
            (err: Error) => err,
        );
        assert.ok(error, "the plan was not refused");
        assert.match(
            error.message,
            /Role "apps\/reader" rule 0 resources "pod": Kubernetes .*'s built-in API has no resource "pod" in group "" \(core\); did you mean "pods"\?\. Write "pods"/,
        );
        assert.ok(!fs.existsSync(path.join(out, "typo", "manifests")), "nothing was written");
    });
});
