// `npm run plan` on what programs declare besides this project's component (levels 1 and 2: the program
// under the mock runtime, the pack over gRPC; the command spawned for its exit codes): YAML objects
// expanded and judged, Helm listed as not planned, non-Kubernetes resources kept out of the manifests,
// outputs' secretness, secure: values, the in-cluster endpoint, and hints for mistyped arguments.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { EXIT_UNPLANNED, Plan, plan, PLAN, renderPlan } from "../../../cli/plan/plan";
import { PROJECT_DIR, withEnv } from "../../../offline/program";
import { FIXTURES, runPlanCommand, writeKubeconfig } from "../../helpers";

const YAML_PROGRAM = path.join(FIXTURES, "yaml-program");
const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };

describe("plan of programs with YAML, Helm and other providers' resources", function () {
    this.timeout(240_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-programs-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    describe("a program whose objects come from yaml/v2, yaml v1 and Helm, run from its Pulumi.yaml main", () => {
        let p: Plan;
        let files: string[];
        before(async () => {
            p = await withEnv(NO_KUBECONFIG, () =>
                plan({ stack: "dev", dir: YAML_PROGRAM, outDir: path.join(out, "yaml") }),
            );
            files = fs.readdirSync(p.manifestsDir!);
        });

        it("expands yaml/v2 ConfigGroup and ConfigFile, and the v1 ConfigGroup, into one manifest per object", () => {
            const docs = files.map((f) => YAML.parse(fs.readFileSync(path.join(p.manifestsDir!, f), "utf8")));
            assert.deepStrictEqual(
                docs.map((d) => `${d.kind} ${d.metadata.namespace ?? "-"}/${d.metadata.name}`).sort(),
                [
                    "ClusterRole -/app-reader",
                    "ConfigMap apps/legacy-settings",
                    "ConfigMap apps/settings",
                    "RoleBinding apps/reader",
                    "ServiceAccount apps/app",
                ],
            );
            assert.ok(
                files.every((f) => /^\d\d-[a-z]+-[A-Za-z0-9._-]+\.yaml$/.test(f)),
                files.join(", "),
            );
        });

        it("judges the expanded objects with the pack: the inline RoleBinding to default is refused", () => {
            const mandatory = p.policy!.violations.filter((v) => v.enforcementLevel === "mandatory");
            assert.strictEqual(mandatory.length, 1);
            assert.match(
                mandatory[0].message,
                /RoleBinding "apps\/reader" grants ClusterRole "app-reader" to ServiceAccount "default"/,
            );
        });

        it("lists Helm releases and charts as not planned, not policy-checked", () => {
            assert.deepStrictEqual(p.notPlanned.map((r) => `${r.type} ${r.name}`).sort(), [
                "kubernetes:helm.sh/v3:Release release",
                "kubernetes:helm.sh/v4:Chart chart",
            ]);
            const report = renderPlan(p);
            assert.match(report, /NOT planned, NOT policy-checked \(2\)/);
            // Counted once: not also among what pulumi up would create.
            const created = /Resources pulumi up would create \((\d+)\):\n((?: {2}\+ .*\n)*)/.exec(report);
            assert.ok(created, report);
            assert.ok(!/helm\.sh/.test(created[2]), created[2]);
            assert.strictEqual(Number(created[1]), created[2].trimEnd().split("\n").length);
        });

        it("writes no manifest for what is not a Kubernetes object, and shows its settings instead", () => {
            assert.ok(
                !files.some((f) => /policy|release|chart|inline\.yaml|configgroup/i.test(f)),
                files.join(", "),
            );
            const vaultPolicy = p.other.find((r) => r.type === "vault:index/policy:Policy");
            assert.ok(vaultPolicy);
            assert.match(String(vaultPolicy.settings.policy), /path "secret\/data\/app"/);
            assert.match(
                renderPlan(p),
                /Other resources \(not Kubernetes objects, so no manifest\)[\s\S]*capabilities = \["read"\]/,
            );
        });

        it("shows which outputs are exported and which are secret, never a secret's value", () => {
            assert.deepStrictEqual(p.outputs.password, { secret: true, known: true });
            assert.deepStrictEqual(p.outputs.policyName, { secret: false, known: true, value: "app-reader" });
            const text = renderPlan(p);
            assert.match(text, /password +secret +\[secret\]/);
            assert.ok(
                !text.includes("hunter2") &&
                    !fs.readFileSync(path.join(p.outDir, "plan.json"), "utf8").includes("hunter2"),
            );
        });
    });

    it("the command exits non-zero for what it could not plan, unless told to accept it", () => {
        const run = (...extra: string[]) =>
            runPlanCommand(["--stack", "dev", "--dir", YAML_PROGRAM, "--no-policy", ...extra], {
                cwd: out,
                timeout: 200_000,
                env: { ...process.env, ...NO_KUBECONFIG },
            });
        const refused = run("--out", path.join(out, "cmd-1"));
        assert.strictEqual(refused.status, EXIT_UNPLANNED, refused.stdout + refused.stderr);
        assert.match(
            refused.stderr,
            /2 resource\(s\) could not be planned or policy-checked offline .* --accept-unplanned/,
        );
        const json = run("--out", path.join(out, "cmd-json"), "--json");
        assert.strictEqual(json.status, EXIT_UNPLANNED, json.stderr);
        assert.match(json.stderr, /\(notPlanned in the JSON\)/);
        assert.doesNotMatch(json.stderr, /listed above/);
        const accepted = run("--out", path.join(out, "cmd-2"), "--accept-unplanned");
        assert.strictEqual(accepted.status, 0, accepted.stdout + accepted.stderr);
    });

    describe("this project's stacks", () => {
        const written: string[] = [];
        after(() => written.forEach((f) => fs.rmSync(f, { force: true })));
        const userStack = (yaml: string) => {
            const stack = `plan-test-${process.pid}-${written.length}`;
            const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
            fs.writeFileSync(file, yaml);
            written.push(file);
            return stack;
        };

        it("a secure: value is asked for in clear with --config, and then planned as a secret", async () => {
            const stack = userStack(
                "config:\n  kube-api-access:namespace: staging\n  kube-api-access:tokenRotation:\n    secure: v1:AAAABBBBCCCC\n",
            );
            await assert.rejects(
                withEnv(NO_KUBECONFIG, () =>
                    plan({ stack, outDir: path.join(out, "secure-1"), policy: false }),
                ),
                new RegExp(
                    `Pulumi\\.${stack}\\.yaml:3: kube-api-access:tokenRotation: it is encrypted \\("secure:"\\), and an offline run cannot decrypt it\\. .*--config kube-api-access:tokenRotation=VALUE`,
                ),
            );
            const p = await withEnv(NO_KUBECONFIG, () =>
                plan({
                    stack,
                    outDir: path.join(out, "secure-2"),
                    policy: false,
                    config: { "kube-api-access:tokenRotation": "rotation-in-clear" },
                }),
            );
            const written = fs
                .readdirSync(p.manifestsDir!)
                .map((f) => fs.readFileSync(path.join(p.manifestsDir!, f), "utf8"));
            // The rotation value goes to the rotation marker alone, never to a Kubernetes object.
            assert.ok(p.resources.some((r) => r.type === "pulumi:index:Stash"));
            assert.ok(!written.some((t) => t.includes("rotation-in-clear")));
            assert.ok(!JSON.stringify(p).includes("rotation-in-clear"));
        });

        it("warns that an in-cluster service IP cannot be reached from outside", async () => {
            const kubeconfig = writeKubeconfig(
                path.join(out, "in-cluster.kubeconfig"),
                "https://10.96.0.1:443",
            );
            const p = await plan({
                stack: "dev",
                kubeconfig,
                outDir: path.join(out, "in-cluster"),
                policy: false,
            });
            assert.strictEqual(p.endpoint.value, "https://10.96.0.1:443");
            assert.match(
                renderPlan(p),
                /in-cluster kubernetes Service IP, which a consumer outside the cluster cannot reach/,
            );
        });

        it("refuses the in-cluster name of the API server as an endpoint", async () => {
            await assert.rejects(
                plan({
                    stack: "dev",
                    outDir: path.join(out, "in-cluster-name"),
                    policy: false,
                    config: { "kube-api-access:endpoint": "https://kubernetes.default.svc" },
                }),
                /kube-api-access:endpoint "https:\/\/kubernetes\.default\.svc": it is the API server's in-cluster address/,
            );
        });
    });

    describe("argument hints", () => {
        it("npm run plan --stack dev (no --): npm kept --stack, and the hint says to put it after --", async () => {
            const hint = await withEnv({ npm_config_stack: "true", npm_lifecycle_event: "plan" }, () =>
                Promise.resolve(PLAN.hint(["dev"])),
            );
            assert.strictEqual(
                hint,
                "hint: npm took --stack for itself, as it came before --, so plan never saw it. Options go after --:\n  npm run plan -- --stack dev",
            );
        });

        it("-s dev: no short options, use --stack", () => {
            assert.strictEqual(
                PLAN.hint(["-s", "dev"], {}),
                "hint: plan has no short options: write --stack instead of -s",
            );
        });

        it("a stack name alone, or a misspelt option", () => {
            assert.strictEqual(
                PLAN.hint(["dev"], {}),
                "hint: to name the stack, write npm run plan -- --stack dev",
            );
            assert.strictEqual(
                PLAN.hint(["--stak", "dev"], {}),
                "hint: --stak is not an option; did you mean --stack?",
            );
        });
    });
});
