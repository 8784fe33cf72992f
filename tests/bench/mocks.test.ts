// The benchmark runners' mock cluster is the project's one offline cluster (level 1, mock runtime
// answers): bench/mocks.js loads offline/mocks.ts as built into bin/, and must answer as it does.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import type * as pulumi from "@pulumi/pulumi";
import { OfflineCluster } from "../../offline/mocks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const bench = require("../../bench/mocks.js") as {
    benchMocks(): { mocks: pulumi.runtime.Mocks; counter: { registered: number } };
};

const registration = (type: string, name: string, inputs: Record<string, unknown>) =>
    ({ type, name, inputs, provider: "", custom: true }) as pulumi.runtime.MockResourceArgs;

const REGISTRATIONS = [
    registration("kubernetes:core/v1:Secret", "api-token", {
        metadata: {
            name: "api-token",
            namespace: "apps",
            annotations: { "kubernetes.io/service-account.name": "api" },
        },
        type: "kubernetes.io/service-account-token",
    }),
    registration("kubernetes:core/v1:Secret", "plain", { metadata: { name: "plain", namespace: "apps" } }),
    registration("kubernetes:core/v1:ServiceAccount", "api-sa", {
        metadata: { name: "api", namespace: "apps" },
    }),
    registration("kubernetes:core/v1:Namespace", "apps", { metadata: { name: "apps" } }),
    registration("vault:index/policy:Policy", "p", { name: "p", policy: "" }),
];

describe("benchmark mock cluster", () => {
    it("is the offline cluster, built into bin/", () => {
        const built = path.resolve(__dirname, "..", "..", "bin", "offline", "mocks.js");
        assert.ok(fs.existsSync(built), `${built} is missing: run npm run build`);
    });

    it("answers every registration as the offline cluster does (UIDs, token data only in token Secrets)", async () => {
        const { mocks, counter } = bench.benchMocks();
        const offline = new OfflineCluster();
        for (const r of REGISTRATIONS) {
            assert.deepStrictEqual(
                await mocks.newResource(r),
                offline.newResource(r),
                `${r.type} ${r.name}: the bench's answer differs (is bin/ older than offline/mocks.ts? npm run build)`,
            );
        }
        assert.strictEqual(counter.registered, REGISTRATIONS.length);
        assert.throws(
            () => mocks.call({ token: "x:y:z", inputs: {}, provider: "" }),
            /the function x:y:z \(an invoke\) has no offline answer/,
        );
    });
});
