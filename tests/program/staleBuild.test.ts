// The program refuses to run from a build older than its sources (level 2: node runs the built
// bin/index.js as the Pulumi CLI does): the shared folder (rbac/) counts as much as the program's own.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";

describe("a stale program build (node bin/index.js)", function () {
    this.timeout(60_000);
    // The checkout's layout in a temporary folder, so the real files' times are never touched.
    let root: string;
    before(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "stale-program-"));
        for (const entry of [
            "index.ts",
            "Pulumi.yaml",
            "package.json",
            "bin",
            "components",
            "rbac",
            "settings",
        ]) {
            fs.cpSync(path.join(PROJECT_DIR, entry), path.join(root, entry), {
                recursive: true,
                preserveTimestamps: true,
            });
        }
        fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(root, "node_modules"));
    });
    after(() => fs.rmSync(root, { recursive: true, force: true }));

    const run = () =>
        spawnSync(process.execPath, [path.join(root, "bin", "index.js")], { cwd: root, encoding: "utf8" });

    it("a shared source edited after npm run build: named, with npm run build and pulumi up", () => {
        const edited = path.join(root, "rbac", "staleBuild.ts");
        const later = new Date(Date.now() + 60_000);
        fs.utimesSync(edited, later, later);
        const { status, stderr } = run();
        assert.notStrictEqual(status, 0);
        assert.match(
            stderr,
            /bin\/ is older than rbac\/staleBuild\.ts \(built JavaScript runs, not the TypeScript beside it\): run npm run build, then pulumi up again\./,
        );
    });

    it("a build no older than its sources gets past the check (and stops at its first setting, given none)", () => {
        for (const file of fs.readdirSync(path.join(root, "bin"), { recursive: true }) as string[]) {
            const later = new Date(Date.now() + 120_000);
            fs.utimesSync(path.join(root, "bin", file), later, later);
        }
        const { stderr } = run();
        assert.doesNotMatch(stderr, /is older than/);
        assert.match(stderr, /Missing required configuration variable 'project:namespace'/);
    });
});
