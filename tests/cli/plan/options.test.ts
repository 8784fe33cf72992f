// Plan's file options given wrong (level 1: plan() as the command calls it, the program under the mock
// runtime): each fails before anything is written, naming the option, the value and the fix, never with
// a raw EISDIR/ENOTDIR/ENOENT or the runtime's serialization chain.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../../cli/plan/plan";
import { PROJECT_DIR, withEnv } from "../../../offline/program";

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
});
