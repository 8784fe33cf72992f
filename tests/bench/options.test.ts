// npm run bench's options and exit code (level 1: the command spawned as its npm script runs it, for the
// options; its verdict as a function): wrong options stop it before anything is built or measured, and a
// missed target fails it. The timings themselves are never asserted (README "Performance").
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { verdict } from "../../bench/run";
import { PROJECT_DIR } from "../../offline/program";

function bench(args: string[]) {
    return spawnSync(
        process.execPath,
        [
            require.resolve("ts-node/dist/bin"),
            "--transpile-only",
            path.join(PROJECT_DIR, "bench", "run.ts"),
            ...args,
        ],
        { cwd: PROJECT_DIR, encoding: "utf8", timeout: 60_000 },
    );
}

describe("npm run bench: options and exit code", function () {
    this.timeout(120_000);

    const wrong: [string[], RegExp][] = [
        [["--runs", "3"], /^--runs 3: not a whole number of at least 5; give --runs N with N >= 5/],
        [["--runs", "abc"], /^--runs abc: not a whole number of at least 5/],
        [["--engine-runs", "0"], /^--engine-runs 0: not a whole number of at least 1/],
        [["--only", "plann"], /^--only plann: not one of plan; did you mean --only plan\?/],
        [["--quik"], /Unknown option '--quik'[\s\S]*hint: --quik is not an option; did you mean --quick\?/],
    ];
    for (const [args, expected] of wrong) {
        it(`${args.join(" ")}: refused, exit 2, before anything is built or run`, () => {
            const res = bench(args);
            assert.strictEqual(res.status, 2, res.stdout + res.stderr);
            assert.match(res.stderr, expected);
            assert.match(res.stderr, /usage: npm run bench --/);
            assert.doesNotMatch(res.stdout, /benchmarks on|start-up|Offline plan/);
        });
    }

    it("a missed target fails the run (exit 1), naming it; every target met exits 0", () => {
        const errors: string[] = [];
        const original = console.error;
        console.error = (...a: unknown[]) => errors.push(a.join(" "));
        try {
            assert.strictEqual(verdict({ startup: { met: true }, plan: { met: true } }), 0);
            assert.strictEqual(verdict({ startup: { met: true }, plan: { met: false } }), 1);
        } finally {
            console.error = original;
        }
        assert.deepStrictEqual(errors, ['bench: target NOT met: plan {"met":false}']);
    });
});
