// A pack whose built JavaScript is older than its sources (level 2: the pack process as plan starts it):
// one plain paragraph naming the stale files and the fix, before the pack process starts, never its
// stack trace.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { POLICY_DIR, PolicyPackProcess } from "../../offline/policyPack";

describe("a stale pack build (the pack process as plan starts it)", function () {
    this.timeout(120_000);
    let copy: string;
    before(() => {
        // A copy of the pack beside the project's node_modules, so the real one's files are never touched.
        copy = fs.mkdtempSync(path.join(os.tmpdir(), "stale-pack-"));
        for (const entry of ["index.ts", "lib", "policies", "bin", "package.json", "PulumiPolicy.yaml"]) {
            fs.cpSync(path.join(POLICY_DIR, entry), path.join(copy, entry), {
                recursive: true,
                preserveTimestamps: true,
            });
        }
        fs.symlinkSync(path.join(POLICY_DIR, "..", "node_modules"), path.join(copy, "node_modules"));
    });
    after(() => fs.rmSync(copy, { recursive: true, force: true }));

    it("a policy edited after npm run build: the files named and npm run build, in one paragraph", async () => {
        const edited = path.join(copy, "policies", fs.readdirSync(path.join(copy, "policies"))[0]);
        const later = new Date(Date.now() + 60_000);
        fs.utimesSync(edited, later, later);
        const err = await PolicyPackProcess.start(copy).then(
            (p) => (p.stop(), undefined),
            (e: Error) => e,
        );
        assert.ok(err, "the pack must not start from a stale build");
        assert.match(
            err.message,
            new RegExp(
                `^\\S*bin/ is older than \\S*${path.basename(edited).replace(".", "\\.")} \\(built JavaScript runs, not the TypeScript beside it\\): run npm run build, then the command again\\.$`,
            ),
        );
        assert.doesNotMatch(err.message, /\n|\x1b\[|at refuseStaleBuild|unhandled exception/);
    });

    it("the same copy, rebuilt (sources no newer than bin/), starts", async () => {
        const later = new Date(Date.now() + 120_000);
        for (const file of fs.readdirSync(path.join(copy, "bin"), { recursive: true }) as string[]) {
            fs.utimesSync(path.join(copy, "bin", file), later, later);
        }
        const pack = await PolicyPackProcess.start(copy);
        pack.stop();
    });
});
