// Plan's file options given wrong (level 1: plan() as the command calls it, the program under the mock
// runtime): each fails before anything is written, naming the option, the value and the fix, never with
// a raw EISDIR/ENOTDIR/ENOENT or the runtime's serialization chain.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan, PLAN } from "../../../cli/plan/plan";
import { PROJECT_DIR, withEnv } from "../../../offline/program";
import { runPlanCommand } from "../../helpers";

const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };
const CONSUMER = path.join(PROJECT_DIR, "examples", "consumer");

describe("plan's file options given wrong: the option, the value and the fix", function () {
    this.timeout(120_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-options-"));
    after(() => fs.rmSync(root, { recursive: true, force: true }));
    const out = (name: string) => path.join(root, name);
    const planned = (options: Partial<Parameters<typeof plan>[0]>) =>
        withEnv(NO_KUBECONFIG, () => plan({ stack: "dev", policy: false, outDir: out("x"), ...options }));
    const rawCodes = /EISDIR|ENOTDIR|ENOENT|error serializing/;

    const refused = async (options: Partial<Parameters<typeof plan>[0]>, expected: RegExp) => {
        const err = await planned(options).then(
            () => assert.fail("plan did not fail"),
            (e: Error) => e,
        );
        assert.match(err.message, expected);
        assert.doesNotMatch(err.message, rawCodes);
        assert.ok(!fs.existsSync(out("x")), "nothing written");
    };

    it("--kubeconfig naming a folder", () =>
        refused(
            { kubeconfig: root },
            new RegExp(`^--kubeconfig ${root}: .* is a folder, not a file; give the kubeconfig file`),
        ));

    it("--out below a file", async () => {
        const file = out("afile");
        fs.writeFileSync(file, "mine\n");
        await refused(
            { outDir: path.join(file, "sub") },
            new RegExp(`^--out ${file}/sub: ${file} is a file, so no folder can be made below it. Give`),
        );
        assert.strictEqual(fs.readFileSync(file, "utf8"), "mine\n");
    });

    it("--stack-outputs naming a file that does not exist", () =>
        refused(
            { stackOutputs: { "a/b/c": out("missing.json") } },
            /^--stack-outputs a\/b\/c=.*missing\.json: no such file; give that stack's plan\.json/,
        ));

    it("--stack-outputs naming a stack the program does not read, the one it reads not given", async () => {
        const ci = await planned({ stack: "ci", outDir: out("ci") });
        await refused(
            {
                dir: CONSUMER,
                stackOutputs: { "my-org/kube-api-access/prod": path.join(ci.outDir, "plan.json") },
            },
            /^offline run: no outputs were given for the stack reference my-org\/kube-api-access\/ci: .*--stack-outputs named my-org\/kube-api-access\/prod, which the program did not read/,
        );
    });

    it("--stack-outputs naming a stack the program does not read, as a warning when it plans", async () => {
        const ci = await planned({ stack: "ci", outDir: out("ci2") });
        const p = await planned({
            outDir: out("dev"),
            stackOutputs: { "a/b/c": path.join(ci.outDir, "plan.json") },
        });
        assert.deepStrictEqual(p.warnings.length, 1);
        assert.match(
            p.warnings[0],
            /^--stack-outputs a\/b\/c=.*: the program reads no StackReference named a\/b\/c \(it reads none\)/,
        );
    });

    it("--dir naming a folder that does not exist, or one without Pulumi.yaml", async () => {
        await refused(
            { dir: path.join(root, "nope") },
            new RegExp(`^--dir ${root}/nope: no such folder; give the folder of a Pulumi program`),
        );
        await refused(
            { dir: root },
            new RegExp(`^--dir ${root}: no Pulumi\\.yaml in ${root}; give the folder of a Pulumi program`),
        );
    });

    it("--stack as a fully qualified name (org/project/stack) plans the stack it names", async () => {
        const p = await planned({ stack: "my-org/kube-api-access/dev", outDir: out("qualified") });
        assert.strictEqual(p.stack, "dev");
        await refused(
            { stack: "my-org/other-project/dev" },
            /^--stack my-org\/other-project\/dev: names a stack of project other-project, but this program is kube-api-access/,
        );
    });
});

describe("plan's command line, from the one table (the command spawned)", function () {
    this.timeout(120_000);

    it("--dir examples/consumer without --stack: the stacks there, and no hint taking the folder for a stack", () => {
        const res = runPlanCommand(["--dir", "examples/consumer"], { cwd: PROJECT_DIR });
        assert.strictEqual(res.status, 2, res.stderr);
        assert.match(res.stderr, /^--stack is required; stacks here: dev\n/);
        assert.doesNotMatch(res.stderr, /--stack examples\/consumer/);
    });

    it("--dir examples/nope without --stack: the folder named, not a raw ENOENT", () => {
        const res = runPlanCommand(["--dir", "examples/nope"], { cwd: PROJECT_DIR });
        assert.strictEqual(res.status, 2, res.stderr);
        assert.match(res.stderr, /^--stack is required; --dir examples\/nope: no such folder;/);
        assert.doesNotMatch(res.stderr, /ENOENT|scandir|\n\s+at /);
    });

    it("the usage text shows every option of the table, with its value and help", () => {
        const res = runPlanCommand(["--help"], { cwd: PROJECT_DIR });
        assert.strictEqual(res.status, 0, res.stderr);
        for (const [name, option] of Object.entries(PLAN.spec.options)) {
            const written = option.type === "string" ? `--${name} ${option.value}` : `--${name}`;
            assert.ok(res.stdout.includes(written), `${written} in\n${res.stdout}`);
            assert.ok(
                res.stdout.replace(/\s+/g, " ").includes(option.help),
                `${name}'s help in\n${res.stdout}`,
            );
        }
    });
});
