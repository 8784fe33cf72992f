// The policy pack as the CLI runs it (level: files and module resolution the runner uses): prebuilt
// JavaScript, so `pulumi preview --policy-pack policy` and `npm run plan` type-check nothing at start-up.
// The shared RBAC evaluator (rbac/) is built into the pack's own bin/, so the pack runs on its own.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { POLICY_DIR } from "../../offline/policyPack";
import { EVALUATOR_SOURCES, PACK_SOURCES } from "../../policy/lib/staleBuild";

describe("policy pack packaging", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));
    const sources = (root: string, dirs: string[]) =>
        dirs.flatMap((dir) =>
            fs
                .readdirSync(path.join(root, dir))
                .filter((f) => /(?<!\.d)\.ts$/.test(f))
                .map((f) => path.join(dir, f)),
        );
    // Every source the pack runs, as the path of its build under bin/ (tsconfig.json: rootDir "..").
    const builds = [
        ...sources(POLICY_DIR, PACK_SOURCES).map((f) => path.join("policy", f)),
        ...sources(path.dirname(POLICY_DIR), [EVALUATOR_SOURCES]),
    ].map((f) => path.join("bin", f.replace(/\.ts$/, ".js")));

    it("runs from built JavaScript: package.json main is bin/policy/index.js, which the build made", () => {
        // @pulumi/pulumi/cmd/run-policy-pack requires the pack folder, so Node takes package.json main.
        assert.strictEqual(manifest.main, "bin/policy/index.js");
        assert.strictEqual(require.resolve(POLICY_DIR), path.join(POLICY_DIR, "bin", "policy", "index.js"));
        assert.ok(builds.some((f) => f.startsWith(path.join("bin", "rbac") + path.sep)));
        for (const built of builds) {
            assert.ok(fs.existsSync(path.join(POLICY_DIR, built)), built);
        }
    });

    it("publishes the built pack, evaluator included: npm pack builds it (prepack) and ships bin/", function () {
        this.timeout(60_000);
        // prepack builds afresh: bin/ is emptied first, so no file of an older build ships.
        assert.strictEqual(manifest.scripts.prepack, "npm run build");
        assert.match(
            manifest.scripts.build,
            /^node \.\.\/scripts\/cleanBuild\.js bin && tsc -p tsconfig\.json$/,
        );
        // What `pulumi policy publish` (npm pack) would put in the tarball, without building again.
        const pack = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], {
            cwd: POLICY_DIR,
            encoding: "utf8",
        });
        assert.strictEqual(pack.status, 0, pack.stderr);
        const shipped = new Set(
            (JSON.parse(pack.stdout) as { files: { path: string }[] }[])[0].files.map((f) => f.path),
        );
        for (const file of [...builds, "package.json", "PulumiPolicy.yaml"]) {
            assert.ok(shipped.has(file.split(path.sep).join("/")), `${file} is not in the pack's tarball`);
        }
    });
});
