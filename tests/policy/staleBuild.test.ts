// A pack whose built JavaScript is older than its sources (level 2: the pack process as plan starts it):
// one plain paragraph naming the stale files and the fix, before the pack process starts, never its
// stack trace. The pack's sources and the shared evaluator's (rbac/, built into the pack's bin/rbac/) both
// count; the pack's bin/ alone, as published, starts with no sources beside it.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { POLICY_DIR, PolicyPackProcess } from "../../offline/policyPack";

const EVALUATOR_DIR = path.join(POLICY_DIR, "..", "rbac");

describe("a stale pack build (the pack process as plan starts it)", function () {
    this.timeout(120_000);
    // A checkout's layout (policy/ beside rbac/ and node_modules/) in a temporary folder, so the real
    // pack's files are never touched.
    let root: string;
    let pack: string;
    before(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "stale-pack-"));
        pack = path.join(root, "policy");
        for (const entry of ["index.ts", "lib", "policies", "bin", "package.json", "PulumiPolicy.yaml"]) {
            fs.cpSync(path.join(POLICY_DIR, entry), path.join(pack, entry), {
                recursive: true,
                preserveTimestamps: true,
            });
        }
        fs.cpSync(EVALUATOR_DIR, path.join(root, "rbac"), { recursive: true, preserveTimestamps: true });
        fs.symlinkSync(path.join(POLICY_DIR, "..", "node_modules"), path.join(root, "node_modules"));
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    const touchLater = (file: string, ms: number) => {
        const later = new Date(Date.now() + ms);
        fs.utimesSync(file, later, later);
    };
    const refusal = (file: string) =>
        new RegExp(
            `^\\S*bin/\\S* is older than \\S*${path.basename(file).replace(".", "\\.")} \\(built JavaScript runs, not the TypeScript beside it\\): run npm run build, then the command again\\.$`,
        );
    const startError = () =>
        PolicyPackProcess.start(pack).then(
            (p) => (p.stop(), undefined),
            (e: Error) => e,
        );

    for (const [what, folder] of [
        ["a policy", () => path.join(pack, "policies")],
        ["the shared RBAC evaluator", () => path.join(root, "rbac")],
    ] as const) {
        it(`${what} edited after npm run build: the file named and npm run build, in one paragraph`, async () => {
            const edited = path.join(folder(), fs.readdirSync(folder())[0]);
            const mtime = fs.statSync(edited).mtime;
            touchLater(edited, 60_000);
            try {
                const err = await startError();
                assert.ok(err, "the pack must not start from a stale build");
                assert.match(err.message, refusal(edited));
                assert.doesNotMatch(err.message, /\n|\x1b\[|at refuseStaleBuild|unhandled exception/);
            } finally {
                fs.utimesSync(edited, mtime, mtime);
            }
        });
    }

    it("the same copy, rebuilt (sources no newer than bin/), starts", async () => {
        touchLater(path.join(pack, "policies", fs.readdirSync(path.join(pack, "policies"))[0]), 60_000);
        for (const file of fs.readdirSync(path.join(pack, "bin"), { recursive: true }) as string[]) {
            touchLater(path.join(pack, "bin", file), 120_000);
        }
        (await PolicyPackProcess.start(pack)).stop();
    });

    it("bin/ alone, as published (no policy or evaluator sources beside it), starts with every policy", async () => {
        for (const entry of [
            path.join(pack, "index.ts"),
            path.join(pack, "lib"),
            path.join(pack, "policies"),
        ]) {
            fs.rmSync(entry, { recursive: true });
        }
        fs.rmSync(path.join(root, "rbac"), { recursive: true });
        const started = await PolicyPackProcess.start(pack);
        try {
            assert.ok((await started.info()).policies.length > 0);
        } finally {
            started.stop();
        }
    });
});
