// One scale measurement, in a fresh process: N ApiServiceAccounts (the shipped build in bin/) in one
// stack under the mock runtime. Prints the time from the first construction to the last registration,
// and memory, so that start-up does not blur the per-account cost.
//   node bench/scale.js <N>
"use strict";
const { performance } = require("perf_hooks");
const path = require("path");
const { installBenchMocks } = require("./mocks");

async function main() {
    const n = Number(process.argv[2]);
    const pulumi = require("@pulumi/pulumi");
    const counter = await installBenchMocks(pulumi, "kube-api-access");
    const { ApiServiceAccount } = require(path.resolve(__dirname, "..", "bin", "components"));
    const settings = require("@pulumi/pulumi/runtime/settings");
    global.gc?.();
    const heapBefore = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
        new ApiServiceAccount(`consumer-${i}`, {
            namespace: `team-${i}`,
            endpoint: "https://api.bench.test:6443",
        });
    }
    await settings.waitForRPCs();
    const ms = performance.now() - t0;
    const mem = process.memoryUsage();
    process.stdout.write(
        JSON.stringify({
            n,
            ms,
            registered: counter.registered,
            heapMiB: (mem.heapUsed - heapBefore) / 2 ** 20,
            rssMiB: mem.rss / 2 ** 20,
        }) + "\n",
    );
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
