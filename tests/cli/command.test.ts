// Options written before `--` are npm's, not the command's (level 4: the real npm runs the real
// `npm run plan` / `npm run verify` scripts): every option of the command that npm kept for itself stops
// the command with the line to run instead, and npm's own settings are never taken for ours.
import * as assert from "assert";
import { spawn } from "child_process";
import { defineCommand, npmTookOptions } from "../../cli/command";
import { PROJECT_DIR } from "../../offline/program";

/** `npm run <args>` in the project, as a user types it; npm's environment from an outer npm removed. */
function npmRun(args: string[]): Promise<{ code: number | null; stderr: string; stdout: string }> {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
    return new Promise((resolve) => {
        const child = spawn("npm", ["run", "--silent", ...args], { cwd: PROJECT_DIR, env });
        let [stdout, stderr] = ["", ""];
        child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
        child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

describe("options npm took for itself (the real npm runs the scripts)", function () {
    this.timeout(120_000);

    const cases: [string[], RegExp][] = [
        [
            ["plan", "--accept-unplanned", "--", "--dir", "/tmp/p6", "--stack", "dev"],
            /npm took --accept-unplanned for itself[\s\S]*npm run plan -- --accept-unplanned --dir \/tmp\/p6 --stack dev$/m,
        ],
        [["plan", "--json", "--", "--stack", "dev"], /npm run plan -- --json --stack dev$/m],
        [["plan", "--no-policy", "--", "--stack", "dev"], /npm run plan -- --no-policy --stack dev$/m],
        [
            ["plan", "--out", "/tmp/o", "--", "--stack", "dev"],
            /npm took --out for itself[\s\S]*npm run plan -- --out \/tmp\/o --stack dev$/m,
        ],
        [
            ["plan", "--out", "/tmp/o", "--stack", "dev"],
            /npm took --stack, --out for itself.* \(npm left their values \/tmp\/o dev without names\)[\s\S]*npm run plan -- --stack <value> --out <value>$/m,
        ],
        [
            ["verify", "--json", "--", "--kubeconfig", "/tmp/k"],
            /npm run verify -- --json --kubeconfig \/tmp\/k$/m,
        ],
    ];
    for (const [args, expected] of cases) {
        it(`npm run ${args.join(" ")}: stops, exit 2, with the command to run`, async () => {
            const { code, stdout, stderr } = await npmRun(args);
            assert.strictEqual(code, 2, stdout + stderr);
            assert.match(stderr, expected);
            // With --json npm itself prints its error as JSON; the command printed nothing.
            assert.doesNotMatch(stdout, /Verifying|Plan|manifests/, "the command must not run");
        });
    }

    it("npm's real settings and an outer npm script are not taken for the command's options", () => {
        const options = { json: { type: "boolean" }, stack: { type: "string" } } as const;
        const npmEnv = {
            npm_config_registry: "https://r.example",
            npm_config_cache: "/c",
            npm_config_yes: "",
        };
        assert.strictEqual(
            npmTookOptions(["--stack", "dev"], options, "plan", { ...npmEnv, npm_lifecycle_event: "plan" }),
            undefined,
        );
        assert.strictEqual(
            npmTookOptions(["--stack", "dev"], options, "plan", {
                npm_config_json: "true",
                npm_lifecycle_event: "test",
            }),
            undefined,
        );
    });

    it("one option npm took is 'it', several are 'they' (unit)", () => {
        const options = { json: { type: "boolean" }, stack: { type: "string" } } as const;
        const env = { npm_lifecycle_event: "plan", npm_config_json: "true", npm_config_stack: "dev" };
        assert.match(
            npmTookOptions([], options, "plan", env) ?? "",
            /as they came before --, so plan never saw them/,
        );
        const one = { npm_lifecycle_event: "plan", npm_config_json: "true" };
        assert.match(
            npmTookOptions([], options, "plan", one) ?? "",
            /as it came before --, so plan never saw it/,
        );
    });
});

describe("a single-value option given twice (unit)", () => {
    const command = defineCommand({
        name: "verify",
        options: {
            stack: { type: "string", help: "s" },
            config: { type: "string", multiple: true, help: "c" },
        },
    });

    it("--stack dev --stack prod is refused, not the last one taken", () => {
        const parsed = command.parse(["--stack", "dev", "--stack", "prod"], {});
        assert.ok(!parsed.ok);
        assert.match(parsed.message, /--stack was given twice \(dev, prod\); give it once/);
    });

    it("a repeatable option (--config) may be given twice", () => {
        const parsed = command.parse(["--config", "a=1", "--config", "b=2"], {});
        assert.ok(parsed.ok);
        assert.deepStrictEqual(parsed.values.config, ["a=1", "b=2"]);
    });
});
