// `npm run plan -- --dir` on a program that reads another stack through a StackReference, examples/consumer
// (level 1: the program under the mock runtime in this process; the command spawned for its option and
// exit code): the referenced stack's outputs come from its plan.json or `pulumi stack output --json`.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Plan, plan, renderPlan } from "../../../cli/plan/plan";
import { PROJECT_DIR, runProgramOffline, withEnv } from "../../../offline/program";
import { readStackOutputs } from "../../../offline/stackReferences";
import { runPlanCommand } from "../../helpers";

const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };

describe("plan of a program that reads another stack", function () {
    this.timeout(120_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-stack-refs-"));
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    describe("a program that reads another stack through a StackReference (examples/consumer)", () => {
        const consumer = path.join(PROJECT_DIR, "examples", "consumer");
        const ACCESS = "my-org/kube-api-access/ci";
        const configMapNamespace = (p: Plan) => {
            const file = p.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!.file!;
            return YAML.parse(fs.readFileSync(path.join(p.manifestsDir!, file), "utf8")).metadata.namespace;
        };
        const planConsumer = (out: string, stackOutputs?: Record<string, string>) =>
            withEnv(NO_KUBECONFIG, () =>
                plan({
                    stack: "dev",
                    dir: consumer,
                    outDir: path.join(root, out),
                    policy: false,
                    stackOutputs,
                }),
            );

        it("without the referenced stack's outputs, the error says how to give them", async () => {
            await assert.rejects(
                planConsumer("consumer-none"),
                new RegExp(
                    `no outputs were given for the stack reference ${ACCESS}: npm run plan takes them with ` +
                        `--stack-outputs ${ACCESS}=FILE, FILE being that stack's plan\\.json`,
                ),
            );
        });

        it("from the plan.json of the referenced stack", async () => {
            const ci = await withEnv(NO_KUBECONFIG, () =>
                plan({ stack: "ci", outDir: path.join(root, "ci-plan"), policy: false }),
            );
            const p = await planConsumer("consumer-plan", { [ACCESS]: path.join(ci.outDir, "plan.json") });
            assert.strictEqual(configMapNamespace(p), ci.outputs.namespace.value);
            // The program read the stack it was given: a StackReference is a read, not a registration.
            assert.deepStrictEqual(p.warnings, []);
        });

        it("an object the program leaves unnamed gets the name pulumi up would give it, marked as made up", async () => {
            const file = path.join(root, "ci-outputs-named.json");
            fs.writeFileSync(file, JSON.stringify({ namespace: "apps", kubeconfig: "[secret]" }));
            const p = await planConsumer("consumer-named", { [ACCESS]: file });
            const configMap = p.resources.find((r) => r.type === "kubernetes:core/v1:ConfigMap")!;
            const text = fs.readFileSync(path.join(p.manifestsDir!, configMap.file!), "utf8");
            const doc = YAML.parse(text);
            assert.match(doc.metadata.name, /^app-settings-[0-9a-f]{8}$/);
            assert.strictEqual(doc.metadata.annotations["pulumi.com/autonamed"], "true");
            assert.match(
                text,
                /# metadata\.name is MADE UP by plan: the program names no object, so pulumi up names it app-settings-<8 random hex/,
            );
            assert.deepStrictEqual(configMap.object, {
                kind: "ConfigMap",
                namespace: "apps",
                name: doc.metadata.name,
                autoNamed: true,
            });
            assert.strictEqual(
                p.outputs.configMapName.value,
                doc.metadata.name,
                "the output names the same object",
            );
            assert.match(
                renderPlan(p),
                new RegExp(
                    `^ {2}\\+ ConfigMap +apps/${doc.metadata.name} +\\(Pulumi name app-settings\\) +-> 01-configmap-app-settings\\.yaml +\\[name MADE UP by plan`,
                    "m",
                ),
            );
        });

        it("from pulumi stack output --json, whose [secret] values stay secret in the run", async () => {
            const file = path.join(root, "ci-outputs.json");
            fs.writeFileSync(
                file,
                JSON.stringify({ namespace: "from-stack-output", kubeconfig: "[secret]" }),
            );
            const p = await planConsumer("consumer-json", { [ACCESS]: file });
            assert.strictEqual(configMapNamespace(p), "from-stack-output");
            const run = await runProgramOffline("dev", {
                dir: consumer,
                preview: true,
                env: NO_KUBECONFIG,
                stackReferences: { [ACCESS]: readStackOutputs(file) },
            });
            const provider = run.resources.find((r) => r.type === "pulumi:providers:kubernetes")!;
            assert.ok(provider.secretInputs.includes("kubeconfig"), provider.secretInputs.join(", "));
        });

        it("the command takes --stack-outputs STACK=FILE", () => {
            const file = path.join(root, "ci-outputs-cmd.json");
            fs.writeFileSync(file, JSON.stringify({ namespace: "from-command", kubeconfig: "[secret]" }));
            const args = [
                "--stack",
                "dev",
                "--dir",
                consumer,
                "--no-policy",
                "--out",
                path.join(root, "cmd"),
            ];
            const env = { ...process.env, ...NO_KUBECONFIG };
            const run = runPlanCommand([...args, "--stack-outputs", `${ACCESS}=${file}`], { cwd: root, env });
            assert.strictEqual(run.status, 0, run.stdout + run.stderr);
            assert.match(
                run.stdout,
                /\+ ConfigMap +from-command\/app-settings-[0-9a-f]{8} +\(Pulumi name app-settings\)/,
            );
            const bad = runPlanCommand([...args, "--stack-outputs", file], { cwd: root, env });
            assert.strictEqual(bad.status, 2);
            assert.match(bad.stderr, /give --stack-outputs STACK=FILE/);
        });
    });
});
