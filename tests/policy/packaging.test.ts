// The policy pack as the CLI runs it (level: files and module resolution the runner uses): prebuilt
// JavaScript, so `pulumi preview --policy-pack policy` and `npm run plan` type-check nothing at start-up.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { POLICY_DIR } from "../../offline/policyPack";

describe("policy pack packaging", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(POLICY_DIR, "package.json"), "utf8"));

    it("runs from built JavaScript: package.json main is bin/index.js, which the build made", () => {
        // @pulumi/pulumi/cmd/run-policy-pack requires the pack folder, so Node takes package.json main.
        assert.strictEqual(manifest.main, "bin/index.js");
        assert.strictEqual(require.resolve(POLICY_DIR), path.join(POLICY_DIR, "bin", "index.js"));
        for (const dir of ["", "lib", "policies"]) {
            for (const src of fs
                .readdirSync(path.join(POLICY_DIR, dir))
                .filter((f) => /(?<!\.d)\.ts$/.test(f))) {
                assert.ok(fs.existsSync(path.join(POLICY_DIR, "bin", dir, src.replace(/\.ts$/, ".js"))), src);
            }
        }
    });

    it("publishes the built pack: npm pack builds it (prepack) and ships bin/", () => {
        assert.match(manifest.scripts.prepack, /tsc/);
        assert.ok(manifest.files.includes("bin/") && manifest.files.includes("PulumiPolicy.yaml"));
    });
});
