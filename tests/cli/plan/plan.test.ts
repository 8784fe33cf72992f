// `npm run plan` (level 1 and 2: the program under the mock runtime, the pack over gRPC): manifests,
// access and verdict for each committed stack, and a failing verdict for a program that binds a default
// ServiceAccount.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import {
    Plan,
    plan,
    PLACEHOLDER_CLUSTER_NAME,
    PLACEHOLDER_ENDPOINT,
    renderPlan,
} from "../../../cli/plan/plan";
import { listStacks } from "../../../offline/stackConfig";
import { PROJECT_DIR, withEnv } from "../../../offline/program";
import { FIXTURES, runPlanCommand } from "../../helpers";
import { formatPermission } from "../../../rbac/evaluator";

const KUBECONFIG = path.join(FIXTURES, "kubeconfig.yaml");

describe("plan", function () {
    this.timeout(180_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    describe("dev, on a machine with no kubeconfig", () => {
        let p: Plan;
        before(async () => {
            p = await withEnv({ KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" }, () =>
                plan({ stack: "dev", outDir: path.join(out, "dev") }),
            );
        });

        it("says the endpoint is a placeholder and why, naming a KUBECONFIG file that does not exist", () => {
            assert.strictEqual(p.endpoint.value, PLACEHOLDER_ENDPOINT);
            assert.match(
                p.endpoint.note ?? "",
                /^no endpoint configured, and KUBECONFIG names \/nonexistent\/kubeconfig, which does not exist; /,
            );
        });

        it("marks each value it made up (endpoint), in the report and in plan.json", () => {
            assert.deepStrictEqual(
                p.madeUp.map((m) => [m.what, m.value]),
                [["endpoint", PLACEHOLDER_ENDPOINT]],
            );
            const report = renderPlan(p);
            assert.match(
                report,
                /\nMADE UP by plan, marked where they appear: endpoint https:\/\/api-server\.offline-plan\.invalid/,
            );
            // Every line after the heading and the MADE UP line, the endpoint's own included.
            for (const line of report.split("\n").slice(2)) {
                if (line.includes(PLACEHOLDER_ENDPOINT)) {
                    assert.match(line, /\[MADE UP: endpoint\]$/, line);
                }
            }
            assert.match(
                report,
                /^ {2}endpoint +clear +https:\/\/api-server\.offline-plan\.invalid +\[MADE UP: endpoint\]$/m,
            );
        });

        it("lists each object by kind and namespace/name as the cluster holds it, then its Pulumi name", () => {
            const report = renderPlan(p);
            assert.match(
                report,
                /^ {2}\+ Namespace +devops-tools +\(Pulumi name api-service-account-namespace\) +-> 01-namespace-api-service-account-namespace\.yaml$/m,
            );
            assert.match(
                report,
                /^ {2}\+ ServiceAccount +devops-tools\/api-service-account +\(Pulumi name api-service-account-sa\)/m,
            );
            assert.match(
                report,
                new RegExp(
                    `^Plan record: ${path.relative(process.cwd(), path.join(out, "dev", "plan.json"))} `,
                    "m",
                ),
            );
            assert.strictEqual(p.planFile, path.join(out, "dev", "plan.json"));
            // The one patch is the token ledger on the component's own ServiceAccount (tokenSecret.ts).
            assert.deepStrictEqual(
                p.resources.filter((r) => r.patch).map((r) => r.type),
                ["kubernetes:core/v1:ServiceAccountPatch"],
            );
            assert.strictEqual(p.patchesDir, path.join(out, "dev", "patches"));
        });

        it("prints what the identity running pulumi up needs, and writes it as a ClusterRole", () => {
            const manage = ["get", "list", "watch", "create", "patch", "delete"];
            assert.deepStrictEqual(p.deployer, [
                { apiGroups: [""], resources: ["namespaces", "secrets", "serviceaccounts"], verbs: manage },
                {
                    apiGroups: ["rbac.authorization.k8s.io"],
                    resources: ["clusterrolebindings", "clusterroles"],
                    verbs: manage,
                },
                { apiGroups: [""], resources: ["events"], verbs: ["list", "watch"] },
                {
                    apiGroups: ["rbac.authorization.k8s.io"],
                    resources: ["clusterroles"],
                    verbs: ["bind", "escalate"],
                    resourceNames: ["kube-api-access:devops-tools:api-service-account"],
                },
            ]);
            const role = YAML.parse(fs.readFileSync(p.deployerFile!, "utf8"));
            assert.strictEqual(role.kind, "ClusterRole");
            assert.deepStrictEqual(role.rules, p.deployer);
            assert.match(renderPlan(p), /^The identity running pulumi up and pulumi destroy needs/m);
            assert.match(
                renderPlan(p),
                /^  bind, escalate on clusterroles.rbac.authorization.k8s.io named kube-api-access:devops-tools:api-service-account$/m,
            );
        });

        it("says consumers trust the cluster CA, and how to name another", () => {
            assert.match(
                p.consumerCa ?? "",
                /^the cluster CA \(the token Secret's ca.crt\); set endpointCaCert/,
            );
            assert.match(renderPlan(p), /^consumers trust: the cluster CA/m);
        });

        it("writes one apply-ready manifest per Kubernetes resource, in creation order", () => {
            const manifests = path.join(out, "dev", "manifests");
            assert.strictEqual(p.manifestsDir, manifests);
            const files = fs.readdirSync(manifests);
            assert.deepStrictEqual(files, [
                "01-namespace-api-service-account-namespace.yaml",
                "02-serviceaccount-api-service-account-sa.yaml",
                "03-secret-api-service-account-token.yaml",
                "04-secret-api-service-account-token-b.yaml",
                "05-clusterrole-api-service-account-role.yaml",
                "06-clusterrolebinding-api-service-account-binding.yaml",
            ]);
            const docs = files.map((f) => YAML.parse(fs.readFileSync(path.join(manifests, f), "utf8")));
            assert.deepStrictEqual(
                docs.map(
                    (d) => `${d.apiVersion} ${d.kind} ${d.metadata.namespace ?? "-"}/${d.metadata.name}`,
                ),
                [
                    "v1 Namespace -/devops-tools",
                    "v1 ServiceAccount devops-tools/api-service-account",
                    "v1 Secret devops-tools/api-service-account-token",
                    "v1 Secret devops-tools/api-service-account-token-unused-b",
                    "rbac.authorization.k8s.io/v1 ClusterRole -/kube-api-access:devops-tools:api-service-account",
                    "rbac.authorization.k8s.io/v1 ClusterRoleBinding -/kube-api-access:devops-tools:api-service-account",
                ],
            );
            assert.strictEqual(docs[1].automountServiceAccountToken, false);
            assert.strictEqual(docs[2].type, "kubernetes.io/service-account-token");
            assert.strictEqual(
                docs[2].metadata.annotations["kube-api-access.pulumi.com/service-account-uid"],
                "(known after apply)",
            );
            assert.strictEqual(docs[2].data, undefined);
        });

        it("shows the access the account would get, and no Secrets among it", () => {
            const grants = p.access["system:serviceaccount:devops-tools:api-service-account"];
            assert.strictEqual(grants.length, 1);
            assert.strictEqual(grants[0].scope, "cluster-wide");
            const perms = grants[0].permissions.map(formatPermission);
            assert.ok(perms.includes("list deployments.apps"));
            assert.ok(!perms.some((x) => x.includes("secrets")));
            const text = renderPlan(p);
            assert.match(text, /deployments\.apps +✓ +✓ +✓/);
        });

        it("gives the policy pack's verdict: clean", () => {
            assert.deepStrictEqual(p.policy?.violations, []);
            assert.match(renderPlan(p), /Policy pack kube-api-access-policies \d+\.\d+\.\d+: no violations/);
        });

        it("writes plan.json beside the manifests' folder, not in it, and no token anywhere", () => {
            const json = JSON.parse(fs.readFileSync(path.join(out, "dev", "plan.json"), "utf8"));
            assert.strictEqual(json.stack, "dev");
            const written = [
                ...fs.readdirSync(path.join(out, "dev")).map((f) => path.join(out, "dev", f)),
                ...fs.readdirSync(p.manifestsDir!).map((f) => path.join(p.manifestsDir!, f)),
            ].filter((f) => fs.statSync(f).isFile());
            assert.ok(written.length >= 7, written.join(", "));
            for (const f of written) {
                assert.ok(!/offline-not-a-real-signature|"token": "/.test(fs.readFileSync(f, "utf8")), f);
            }
        });
    });

    it("vault-example with no kubeconfig: the made-up cluster name is marked wherever it shows, a flag is shown", async () => {
        const p = await withEnv({ KUBECONFIG: "", HOME: "/nonexistent-home" }, () =>
            plan({ stack: "vault-example", outDir: path.join(out, "vault-example"), policy: false }),
        );
        assert.deepStrictEqual(
            p.madeUp.map((m) => [m.what, m.value]),
            [
                ["endpoint", PLACEHOLDER_ENDPOINT],
                ["cluster name", PLACEHOLDER_CLUSTER_NAME],
            ],
        );
        const report = renderPlan(p);
        const holding = report
            .split("\n")
            .slice(2)
            .filter((l) => l.includes(PLACEHOLDER_CLUSTER_NAME));
        assert.ok(holding.length >= 4, report);
        for (const line of holding) {
            assert.match(line, /\[MADE UP: cluster name\]$/, line);
        }
        // A setting named like a credential but holding a flag is a setting: shown.
        assert.match(report, /^ {6}disableLocalCaJwt: true$/m);
        assert.doesNotMatch(report, /disableLocalCaJwt: "?\[not shown/);
    });

    it("prod: reads the endpoint from the prod context and plans monitoring access", async () => {
        const p = await plan({ stack: "prod", outDir: path.join(out, "prod"), kubeconfig: KUBECONFIG });
        assert.strictEqual(p.endpoint.value, "https://prod.k8s.example.test:443");
        assert.match(p.consumerCa ?? "", /^the CA the provider kubeconfig's cluster names for the endpoint/);
        const perms =
            p.access["system:serviceaccount:monitoring:prometheus-external"][0].permissions.map(
                formatPermission,
            );
        assert.ok(perms.includes("get /metrics"));
        assert.ok(perms.includes("watch nodes/metrics"));
        assert.deepStrictEqual(p.policy?.violations, []);
    });

    it("names a --kubeconfig file as --kubeconfig FILE in errors, not as KUBECONFIG", async () => {
        const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "plan-kc-")), "kc.yaml");
        fs.writeFileSync(
            file,
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: http://10.0.0.1:6443}\n" +
                "contexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\nusers:\n- name: u\n  user: {token: t}\n",
        );
        const error = await plan({ stack: "dev", outDir: path.join(out, "kc"), kubeconfig: file }).then(
            () => assert.fail("planned"),
            (err: Error) => err,
        );
        assert.match(
            error.message,
            new RegExp(`the server of --kubeconfig ${file.replace(/\./g, "\\.")}, context "x"`),
        );
        assert.doesNotMatch(error.message, /KUBECONFIG \(/);
    });

    it("fails, with the binding named, for a program that binds a default ServiceAccount", () => {
        const res = runPlanCommand(
            [
                "--stack",
                "dev",
                "--dir",
                path.join(FIXTURES, "unsafe-program"),
                "--out",
                path.join(out, "unsafe"),
            ],
            { cwd: PROJECT_DIR, timeout: 170_000 },
        );
        assert.strictEqual(res.status, 1, `${res.stdout}\n${res.stderr}`);
        assert.match(res.stdout, /Policy pack kube-api-access-policies [\d.]+: 1 mandatory, 0 advisory/);
        assert.match(
            res.stdout,
            /\[mandatory\] no-default-service-account-binding: RoleBinding "apps\/pod-reader-[0-9a-f]{8}" grants Role "pod-reader-[0-9a-f]{8}" to ServiceAccount "default" in namespace "apps"/,
        );
        assert.match(res.stdout, /Access for system:serviceaccount:apps:default/);
    });

    it("refuses a stack that does not exist, naming the ones that do", async () => {
        await assert.rejects(
            plan({ stack: "no-such-stack", outDir: path.join(out, "x") }),
            // Every stack file here, a user's own (Pulumi.staging.yaml) among them, in the order listed.
            new RegExp(
                `no stack file .*Pulumi\\.no-such-stack\\.yaml; stacks here: ${listStacks(PROJECT_DIR).join(", ")}$`,
            ),
        );
    });

    describe("--out: nothing of the user's is ever lost", () => {
        const quiet = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };
        const run = (outDir: string) => withEnv(quiet, () => plan({ stack: "dev", outDir, policy: false }));

        it("refuses a folder holding files it did not write (a project folder), and leaves them as they were", async () => {
            const project = fs.mkdtempSync(path.join(os.tmpdir(), "plan-project-"));
            try {
                fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: mine\n");
                fs.writeFileSync(path.join(project, "mine.yaml"), "keep: me\n");
                await assert.rejects(
                    run(project),
                    /--out .* already holds files plan did not write \(Pulumi\.yaml, mine\.yaml\).*give another --out/,
                );
                assert.deepStrictEqual(fs.readdirSync(project).sort(), ["Pulumi.yaml", "mine.yaml"]);
                assert.strictEqual(fs.readFileSync(path.join(project, "mine.yaml"), "utf8"), "keep: me\n");
            } finally {
                fs.rmSync(project, { recursive: true, force: true });
            }
        });

        it("plans again into its own folder, removing only the files it wrote there, keeping the user's and saying so", async () => {
            const dir = path.join(out, "again");
            const dev = await run(dir);
            const devFiles = fs.readdirSync(dev.manifestsDir!);
            fs.writeFileSync(path.join(dir, "notes.yaml"), "mine: true\n");
            fs.writeFileSync(path.join(dev.manifestsDir!, "mine.yaml"), "mine: true\n");
            // The same stack planned again with a Role in place of the ClusterRole.
            const ci = await withEnv(quiet, () =>
                plan({
                    stack: "dev",
                    outDir: dir,
                    policy: false,
                    config: { "kube-api-access:scope": "namespace" },
                }),
            );
            const left = fs.readdirSync(ci.manifestsDir!);
            assert.ok(devFiles.some((f) => f.includes("clusterrole")));
            assert.ok(!left.some((f) => f.includes("clusterrole")), left.join(", "));
            assert.deepStrictEqual(
                left.filter((f) => f !== "mine.yaml"),
                ci.resources
                    .filter((r) => !r.patch)
                    .map((r) => r.file)
                    .filter(Boolean),
            );
            assert.strictEqual(fs.readFileSync(path.join(dir, "notes.yaml"), "utf8"), "mine: true\n");
            assert.strictEqual(
                fs.readFileSync(path.join(ci.manifestsDir!, "mine.yaml"), "utf8"),
                "mine: true\n",
            );
            // It proceeds, and says what it kept: kubectl apply -f manifests/ would apply the user's file too.
            assert.deepStrictEqual(ci.kept.sort(), [path.join("manifests", "mine.yaml"), "notes.yaml"]);
            assert.match(
                renderPlan(ci),
                /Kept as they were \(in the output folder, not written by plan\): .*notes\.yaml.* \(kubectl apply -f manifests\/ would apply those in it too\)/,
            );
        });

        it("refuses a folder holding another stack's plan, rather than replacing it in silence", async () => {
            const dir = path.join(out, "dev-only");
            await run(dir);
            const before = fs.readFileSync(path.join(dir, "plan.json"), "utf8");
            await assert.rejects(
                withEnv(quiet, () => plan({ stack: "prod", outDir: dir, policy: false })),
                /^Error: --out .*dev-only holds the plan of stack dev; plan replaces only its own stack's plan/,
            );
            assert.strictEqual(fs.readFileSync(path.join(dir, "plan.json"), "utf8"), before);
        });

        it("--out a plan's own manifests/ folder: named as part of that plan, not as files plan did not write", async () => {
            const dir = path.join(out, "whole");
            const p = await run(dir);
            await assert.rejects(
                run(p.manifestsDir!),
                new RegExp(
                    `--out .*whole/manifests is inside the output folder of a plan, ${dir}, which wrote its files`,
                ),
            );
        });

        it("refuses its own folder when it holds another program's plan", async () => {
            const dir = path.join(out, "shared");
            await run(dir);
            await assert.rejects(
                withEnv(quiet, () =>
                    plan({
                        stack: "dev",
                        outDir: dir,
                        dir: path.join(FIXTURES, "unsafe-program"),
                        policy: false,
                    }),
                ),
                /holds the plan of another program/,
            );
        });

        it("keeps the plans of different programs apart by default", async () => {
            const cwd = process.cwd();
            const base = fs.mkdtempSync(path.join(os.tmpdir(), "plan-cwd-"));
            try {
                process.chdir(base);
                const ours = await withEnv(quiet, () => plan({ stack: "dev", policy: false }));
                const theirs = await withEnv(quiet, () =>
                    plan({ stack: "dev", dir: path.join(FIXTURES, "unsafe-program"), policy: false }),
                );
                assert.strictEqual(ours.outDir, path.join(base, "plan-out", "kube-api-access", "dev"));
                assert.match(
                    path.relative(base, theirs.outDir),
                    new RegExp(`^plan-out\\${path.sep}unsafe-program-[0-9a-f]{8}\\${path.sep}dev$`),
                );
            } finally {
                process.chdir(cwd);
                fs.rmSync(base, { recursive: true, force: true });
            }
        });
    });
});
