// The Node.js version check (scripts/requireNode.js; level: the real npm and an older Node.js on this
// machine, where there is one): package.json's engines.node is compared in full (undici needs 22.19.0, not
// any 22), and `npm test` on an older Node.js stops at once, naming `npm test`, before any build runs.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const check = require("../../scripts/requireNode.js") as {
    wantedNode(): { version: number[]; range: string };
    satisfies(running: string, wanted: number[]): boolean;
    nodeProblem(command: string, running?: string): string | undefined;
};

/** A Node.js older than engines.node on PATH (the machine's own), if any. */
function oldNode(): string | undefined {
    const found = spawnSync("which", ["-a", "node"], { encoding: "utf8" }).stdout.split("\n").filter(Boolean);
    return found.find((bin) => {
        const v = spawnSync(bin, ["-p", "process.versions.node"], { encoding: "utf8" }).stdout.trim();
        return v !== "" && !check.satisfies(v, check.wantedNode().version);
    });
}

describe("the Node.js version check (scripts/requireNode.js)", function () {
    this.timeout(120_000);

    it("compares the full version with engines.node, which holds what undici needs", () => {
        const undici = JSON.parse(
            fs.readFileSync(path.join(PROJECT_DIR, "node_modules", "undici", "package.json"), "utf8"),
        ) as { engines: { node: string } };
        assert.strictEqual(check.wantedNode().range, undici.engines.node);
        const wanted = check.wantedNode().version;
        assert.strictEqual(check.satisfies("22.18.0", wanted), false);
        assert.strictEqual(check.satisfies("22.19.0", wanted), true);
        assert.strictEqual(check.satisfies("23.0.0", wanted), true);
        assert.strictEqual(check.satisfies("20.20.2", wanted), false);
        assert.match(
            check.nodeProblem("npm run plan", "22.18.0") ?? "",
            /^npm run plan needs Node\.js 22\.19\.0 or newer \(package\.json engines\.node ">=22\.19\.0"\); this is Node\.js v22\.18\.0/,
        );
    });

    it("npm test on an older Node.js stops at once, naming npm test, before any build (the machine's old node)", function () {
        const old = oldNode();
        if (old === undefined) {
            console.log("      skipped: no Node.js older than engines.node on this machine (which -a node)");
            return this.skip();
        }
        const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
        const res = spawnSync("npm", ["test"], {
            cwd: PROJECT_DIR,
            encoding: "utf8",
            timeout: 110_000,
            env: { ...env, PATH: `${path.dirname(old)}${path.delimiter}${env.PATH ?? ""}` },
        });
        const output = res.stdout + res.stderr;
        assert.notStrictEqual(res.status, 0, output);
        assert.match(res.stderr, /npm test needs Node\.js 22\.19\.0 or newer .*this is Node\.js v\d+/);
        assert.doesNotMatch(output, /> tsc|npm run mocha/, "nothing else ran");
    });
});
