// The project's own test command (level: the real mocha CLI in a child process): a user's own stack file
// does not change what the suite runs, a run in which no test ran does not pass, and naming a test file
// runs that file alone.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";

const MOCHA = require.resolve("mocha/bin/mocha.js");

/** The real mocha CLI with the project's own config (.mocharc.js), as `npx mocha <args>` runs it. */
function mocha(args: string[]) {
    return spawnSync(process.execPath, [MOCHA, ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        timeout: 120_000,
    });
}

/** The files a dry run loaded, read from the spec reporter's top-level suite titles. */
const topSuites = (stdout: string) =>
    stdout
        .split("\n")
        .filter((line) => /^ {2}\S/.test(line) && !/^ {2}\d+ (passing|pending|failing)/.test(line))
        .map((line) => line.trim());

describe("the test command (mocha CLI)", function () {
    this.timeout(120_000);

    it("fails a run in which no test ran, saying so", () => {
        const res = mocha(["tests/components/package.test.ts", "--grep", "no test is named like this"]);
        assert.strictEqual(res.status, 1, res.stdout + res.stderr);
        assert.match(res.stdout, /0 passed, 0 failed, 0 skipped\nFAILED: no test ran/);
    });

    it("still passes a run in which tests ran", () => {
        const res = mocha(["tests/components/package.test.ts", "--grep", "source-based Pulumi plugin"]);
        assert.strictEqual(res.status, 0, res.stdout + res.stderr);
        assert.match(res.stdout, /1 passed, 0 failed, 0 skipped/);
    });

    it("runs only the test file named on the command line, not the whole suite beside it", () => {
        const res = mocha(["--dry-run", "tests/components/package.test.ts"]);
        assert.strictEqual(res.status, 0, res.stdout + res.stderr);
        assert.deepStrictEqual(topSuites(res.stdout), ["component package"]);
        assert.match(res.stdout, /\n\d+ passed, 0 failed, 0 skipped/);
    });

    it("runs a named folder alone, and the whole suite (e2e tier left out) when nothing is named", () => {
        const folder = mocha(["--dry-run", "tests/scripts"]);
        assert.deepStrictEqual(topSuites(folder.stdout), [
            "the Node.js version check (scripts/requireNode.js)",
            "the test command (mocha CLI)",
        ]);
        const all = topSuites(mocha(["--dry-run"]).stdout);
        assert.ok(all.includes("component package") && all.length > 20, all.join("\n"));
        assert.ok(!all.some((title) => /e2e|end to end/i.test(title)), all.join("\n"));
    });

    it("names a test file that does not exist instead of running nothing green", () => {
        const res = mocha(["tests/components/no-such.test.ts"]);
        assert.notStrictEqual(res.status, 0);
        assert.match(res.stderr + res.stdout, /no-such\.test\.ts/);
    });

    it("runs the committed stacks only, whatever other stack files a user keeps beside them", () => {
        // A user's own stack, as people keep them: a secret the suite cannot decrypt, settings of its own.
        const name = `user-own-${process.pid}`;
        const file = path.join(PROJECT_DIR, `Pulumi.${name}.yaml`);
        assert.ok(!fs.existsSync(file));
        fs.writeFileSync(
            file,
            "config:\n  kube-api-access:namespace: staging\n  kube-api-access:tokenRotation:\n    secure: AAABAxyz\n",
        );
        try {
            const res = mocha([
                "--dry-run",
                "tests/program/program.test.ts",
                "tests/policy/program.test.ts",
                "tests/bench/criticalPath.test.ts",
            ]);
            assert.strictEqual(res.status, 0, res.stdout + res.stderr);
            assert.ok(!res.stdout.includes(name), res.stdout);
            assert.match(res.stdout, /vault-example: every registered resource passes/);
        } finally {
            fs.rmSync(file);
        }
    });
});
