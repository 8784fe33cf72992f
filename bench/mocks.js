// The mock cluster both benchmark runners share: the project's one offline cluster (offline/mocks.ts, as
// `npm run build` compiles it into bin/, so the runners need no ts-node), plus a count of registrations.
// Without the request recording of installOfflineCluster, so that the figures are the program's and the SDK's.
"use strict";
const path = require("path");

const BUILT = path.resolve(__dirname, "..", "bin", "offline", "mocks.js");

/** The offline cluster's answers, counted. */
function benchMocks() {
    const { OfflineCluster } = require(BUILT);
    const cluster = new OfflineCluster();
    const counter = { registered: 0 };
    const mocks = {
        newResource(args) {
            counter.registered++;
            return cluster.newResource(args);
        },
        call(args) {
            return cluster.call(args);
        },
    };
    return { mocks, counter };
}

/** Installs the mocks for `project` and returns the counter of registrations. */
async function installBenchMocks(pulumi, project) {
    const { mocks, counter } = benchMocks();
    await pulumi.runtime.setMocks(mocks, project, "bench", false);
    return counter;
}

module.exports = { benchMocks, installBenchMocks };
