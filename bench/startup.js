// One start-up measurement, in a fresh process: load a Pulumi program the way the Pulumi CLI's Node.js
// host would (ts-node with type-checking, ts-node transpile-only, or prebuilt JavaScript), under the
// mock runtime, and print the time from process start to the last resource registered.
//   node bench/startup.js <typecheck|transpile|js> <program file> <project dir> <project name>
// Config comes in PULUMI_CONFIG, as the CLI passes it.
"use strict";
const { performance } = require("perf_hooks");
const path = require("path");
const { installBenchMocks } = require("./mocks");

async function main() {
    const [mode, program, projectDir, project] = process.argv.slice(2);
    process.chdir(projectDir);
    if (mode === "typecheck") {
        // What @pulumi/pulumi/cmd/run does when Pulumi.yaml leaves runtime.options.typescript on.
        const tsutils = require("@pulumi/pulumi/tsutils");
        const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
        require("ts-node").register({
            typeCheck: true,
            compilerOptions: { target: "ES2020", ...compilerOptions },
        });
    } else if (mode === "transpile") {
        // What runtime.options.nodeargs "--require ts-node/register/transpile-only" does.
        require("ts-node/register/transpile-only");
    } else if (mode !== "js") {
        throw new Error(`unknown mode ${mode}`);
    }
    const pulumi = require("@pulumi/pulumi");
    const counter = await installBenchMocks(pulumi, project);
    require(path.resolve(program));
    await require("@pulumi/pulumi/runtime/settings").waitForRPCs();
    process.stdout.write(
        JSON.stringify({
            ms: performance.now(),
            registered: counter.registered,
            rssMiB: process.memoryUsage().rss / 2 ** 20,
        }) + "\n",
    );
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
