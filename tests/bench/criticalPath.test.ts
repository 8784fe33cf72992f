// The deployment critical path of each committed stack (level 1): what `pulumi up` must wait for, and
// no dependency beyond what the data requires. A structural check, not a timing.
import * as assert from "assert";
import * as path from "path";
import { criticalPath } from "../../bench/criticalPath";
import { runProgramOffline } from "../../offline/program";
import { COMMITTED_STACKS, FIXTURES } from "../helpers";

describe("deployment critical path", () => {
    for (const stack of COMMITTED_STACKS) {
        it(`${stack}: no dependency that no input value explains`, async () => {
            const run = await runProgramOffline(stack, {
                env: { KUBECONFIG: path.join(FIXTURES, "kubeconfig.yaml") },
            });
            assert.deepStrictEqual(criticalPath(run.resources).needless, []);
        });
    }

    it("dev: namespace, account, then its token Secret and the wait for it", async () => {
        const run = await runProgramOffline("dev", {
            env: { KUBECONFIG: path.join(FIXTURES, "kubeconfig.yaml") },
        });
        const cp = criticalPath(run.resources);
        assert.deepStrictEqual(cp.chain, [
            "Namespace api-service-account-namespace",
            "ServiceAccount api-service-account-sa",
            "Secret api-service-account-token",
        ]);
        assert.strictEqual(cp.roundTrips, 4);
    });

    it("would report a dependsOn that no input explains", () => {
        const base = {
            custom: true,
            inputs: {},
            secretInputs: [],
            replaceOnChanges: [],
            deleteBeforeReplace: false,
            replaceWith: [],
            customTimeouts: {},
            provider: "",
            parent: "",
        };
        const a = {
            ...base,
            type: "kubernetes:core/v1:Namespace",
            name: "a",
            urn: "urn:a",
            dependencies: [],
            propertyDependencies: {},
        };
        const b = {
            ...base,
            type: "kubernetes:core/v1:ConfigMap",
            name: "b",
            urn: "urn:b",
            dependencies: ["urn:a"],
            propertyDependencies: {},
        };
        assert.deepStrictEqual(criticalPath([a, b]).needless, ["ConfigMap b -> Namespace a"]);
    });
});
