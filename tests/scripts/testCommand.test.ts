// The project's own test command (level: the real mocha CLI in a child process): a user's own stack file
// does not change what the suite runs, and a run in which no test ran does not pass.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";

const MOCHA = require.resolve("mocha/bin/mocha.js");
// The project's mocha settings without its spec list, which mocha would add to the files named here.
const SETTINGS = [
    "--no-config",
    "--require",
    "ts-node/register/transpile-only",
    "--extension",
    "ts",
    "--timeout",
    "60000",
];
const REPORTER = ["--reporter", "./scripts/mocha-reporter.js"];

function mocha(args: string[]) {
    return spawnSync(process.execPath, [MOCHA, ...SETTINGS, ...args], {
        cwd: PROJECT_DIR,
        encoding: "utf8",
        timeout: 120_000,
    });
}

describe("the test command (mocha CLI)", function () {
    this.timeout(120_000);

    it("fails a run in which no test ran, saying so", () => {
        const res = mocha([
            ...REPORTER,
            "tests/components/package.test.ts",
            "--grep",
            "no test is named like this",
        ]);
        assert.strictEqual(res.status, 1, res.stdout + res.stderr);
        assert.match(res.stdout, /0 passed, 0 failed, 0 skipped\nFAILED: no test ran/);
    });

    it("still passes a run in which tests ran", () => {
        const res = mocha([
            ...REPORTER,
            "tests/components/package.test.ts",
            "--grep",
            "source-based Pulumi plugin",
        ]);
        assert.strictEqual(res.status, 0, res.stdout + res.stderr);
        assert.match(res.stdout, /1 passed, 0 failed, 0 skipped/);
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
