// The output folder of `npm run plan` (level 1: the program under the mock runtime, files as plan
// writes them; no pack): the record's hashes decide what plan may remove, and a failed plan leaves the
// folder as it found it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../../cli/plan/plan";
import { RECORD_FILE } from "../../../cli/plan/output";
import { PROJECT_DIR, withEnv } from "../../../offline/program";
import { FIXTURES } from "../../helpers";

const CREDENTIALS = path.join(FIXTURES, "credentials-program");
const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };
const run = (outDir: string, stack = "dev", config?: Record<string, string>) =>
    withEnv(NO_KUBECONFIG, () => plan({ stack, outDir, policy: false, config }));
/** dev planned with a Role in place of its ClusterRole: the same stack, other files. */
const NAMESPACED = { "kube-api-access:scope": "namespace" };

/** Every file below `dir` (links not followed), relative path to text; a link as `-> target`. */
function snapshot(dir: string): Record<string, string> {
    return Object.fromEntries(
        fs
            .readdirSync(dir, { recursive: true, withFileTypes: true })
            .filter((e) => e.isFile() || e.isSymbolicLink())
            .map((e) => {
                const file = path.join(e.parentPath, e.name);
                const text = e.isSymbolicLink()
                    ? `-> ${fs.readlinkSync(file)}`
                    : fs.readFileSync(file, "utf8");
                return [path.relative(dir, file), text];
            }),
    );
}

describe("plan's output folder: its record holds hashes, and a failed plan leaves nothing behind", function () {
    this.timeout(120_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-output-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("records each file it wrote with its sha256", async () => {
        const dir = path.join(out, "hashes");
        const p = await run(dir);
        const record = JSON.parse(fs.readFileSync(path.join(dir, RECORD_FILE), "utf8"));
        const plan = record.files.find((f: { path: string }) => f.path === "plan.json");
        assert.match(plan.sha256, /^[0-9a-f]{64}$/);
        assert.match(
            record.files.find((f: { path: string }) => f.path === "deployer.yaml").sha256,
            /^[0-9a-f]{64}$/,
        );
        // The manifests, plan.json and deployer.yaml.
        assert.strictEqual(record.files.length, p.resources.filter((r) => r.file).length + 2);
    });

    it("a forged record listing Pulumi.yaml: plan refuses and Pulumi.yaml stays", async () => {
        const dir = path.join(out, "forged");
        await run(dir);
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mine\n");
        const recordFile = path.join(dir, RECORD_FILE);
        const record = JSON.parse(fs.readFileSync(recordFile, "utf8"));
        record.files.push({ path: "Pulumi.yaml", sha256: "0".repeat(64) });
        fs.writeFileSync(recordFile, JSON.stringify(record));
        await assert.rejects(
            run(dir),
            /Pulumi\.yaml changed since plan wrote it\. Plan removes only files that still hold what it wrote/,
        );
        assert.strictEqual(fs.readFileSync(path.join(dir, "Pulumi.yaml"), "utf8"), "name: mine\n");
        assert.ok(fs.existsSync(path.join(dir, "plan.json")), "nothing removed when refused");
    });

    it("a record of file names without hashes (or not JSON): plan removes none and says why", async () => {
        for (const [name, text] of [
            [
                "names-only",
                JSON.stringify({
                    writtenBy: "kube-api-access plan",
                    program: PROJECT_DIR,
                    files: ["Pulumi.yaml"],
                }),
            ],
            ["not-json", "Pulumi.yaml\n"],
        ]) {
            const dir = path.join(out, name);
            fs.mkdirSync(dir);
            fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: mine\n");
            fs.writeFileSync(path.join(dir, RECORD_FILE), text);
            await assert.rejects(run(dir), /its plan record \.kube-api-access-plan .* removes none/);
            assert.deepStrictEqual(fs.readdirSync(dir).sort(), [RECORD_FILE, "Pulumi.yaml"]);
        }
    });

    it("a manifest the user edited is kept and the plan refused, naming it", async () => {
        const dir = path.join(out, "edited");
        const p = await run(dir);
        const edited = path.join(p.manifestsDir!, p.resources[0].file!);
        fs.appendFileSync(edited, "# mine\n");
        await assert.rejects(run(dir), /manifests\/01-namespace-.*\.yaml changed since plan wrote it/);
        assert.match(fs.readFileSync(edited, "utf8"), /# mine\n$/);
    });

    it("never overwrites a file it did not write, even where it would write its own", async () => {
        const dir = path.join(out, "collision");
        await run(dir);
        const recordFile = path.join(dir, RECORD_FILE);
        const record = JSON.parse(fs.readFileSync(recordFile, "utf8"));
        record.files = record.files.filter((f: { path: string }) => f.path !== "plan.json");
        fs.writeFileSync(recordFile, JSON.stringify(record));
        fs.writeFileSync(path.join(dir, "plan.json"), "{}\n");
        await assert.rejects(run(dir), /plan would write plan\.json, but a file it did not write is there/);
        assert.strictEqual(fs.readFileSync(path.join(dir, "plan.json"), "utf8"), "{}\n");
    });

    it("a plan whose program fails creates no folder, and leaves a previous plan as it was", async () => {
        const stack = `plan-output-${process.pid}`;
        const stackFile = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(stackFile, "config:\n  kube-api-access:namespace: Not_A_Label\n");
        try {
            const fresh = path.join(out, "failed", "project", "stack");
            await assert.rejects(run(fresh, stack), /Not_A_Label/);
            assert.ok(!fs.existsSync(path.join(out, "failed")), "no folder left behind");

            const previous = path.join(out, "previous");
            await run(previous);
            const before = fs.readdirSync(previous, { recursive: true }).sort();
            await assert.rejects(
                run(previous, "dev", { "kube-api-access:namespace": "Not_A_Label" }),
                /Not_A_Label/,
            );
            assert.deepStrictEqual(fs.readdirSync(previous, { recursive: true }).sort(), before);
        } finally {
            fs.rmSync(stackFile, { force: true });
        }
    });

    it("a plan refused for a user's file where it would write changes nothing: the previous plan stays whole", async () => {
        const dir = path.join(out, "refused");
        await run(dir);
        const ci = await run(path.join(out, "ci-names"), "dev", NAMESPACED);
        const before = snapshot(dir);
        const target = path.join(
            dir,
            "manifests",
            ci.resources.find((r) => r.file?.includes("-role-"))!.file!,
        );
        assert.ok(!fs.existsSync(target), `${target} is not one of dev's files`);
        fs.writeFileSync(target, "X\n");
        await assert.rejects(
            run(dir, "dev", NAMESPACED),
            /a file it did not write is there.*changed nothing/,
        );
        assert.deepStrictEqual(snapshot(dir), { ...before, [path.relative(dir, target)]: "X\n" });
    });

    // credentials-program writes a patch, so it has a patches/ folder.
    for (const folder of ["manifests", "patches"]) {
        it(`never writes or removes through a symlinked ${folder}/ folder: refused, naming it, nothing changed`, async () => {
            const dir = path.join(out, `linked-${folder}`);
            const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), "plan-elsewhere-"));
            const again = () =>
                withEnv(NO_KUBECONFIG, () =>
                    plan({ stack: "dev", dir: CREDENTIALS, outDir: dir, policy: false }),
                );
            try {
                await again();
                // The user's folder outside --out, holding files of the same names and content.
                const inside = path.join(dir, folder);
                const files = fs.readdirSync(inside).sort();
                assert.ok(files.length > 0);
                fs.cpSync(inside, elsewhere, { recursive: true });
                fs.rmSync(inside, { recursive: true });
                fs.symlinkSync(elsewhere, inside);
                const before = snapshot(dir);
                await assert.rejects(again(), new RegExp(`${folder} is a symlink .*changed nothing`));
                assert.deepStrictEqual(fs.readdirSync(elsewhere).sort(), files);
                assert.deepStrictEqual(snapshot(dir), before);
            } finally {
                fs.rmSync(elsewhere, { recursive: true, force: true });
            }
        });
    }
});
