// Rehydration under the mock runtime (level 1): constructed with `opts.urn`, the component reads its
// recorded outputs back from the engine, and checks and creates nothing.
import * as assert from "assert";
import type { ApiServiceAccountArgs } from "../../components";
import { RECORDED_OUTPUTS } from "../../components/apiServiceAccount";
import { build, ENDPOINT, value } from "../helpers";

describe("ApiServiceAccount rehydration (mock runtime)", () => {
    it("reads the recorded outputs back by URN, registering nothing and checking no arguments", async () => {
        const built = await build({ namespace: "apps", serviceAccountName: "reader", endpoint: ENDPOINT });
        const urn = await value(built.component.urn);
        const { ApiServiceAccount } = await import("../../components");
        const before = built.resources.length;

        const again = new ApiServiceAccount("api", undefined as unknown as ApiServiceAccountArgs, { urn });

        assert.strictEqual(await value(again.urn), urn);
        assert.strictEqual(await value(again.namespace), "apps");
        assert.strictEqual(await value(again.subject), "system:serviceaccount:apps:reader");
        assert.strictEqual(await value(again.endpoint), ENDPOINT);
        for (const key of RECORDED_OUTPUTS) {
            assert.ok(again[key] !== undefined, `${key} is not read back`);
        }
        assert.strictEqual(built.resources.length, before, "rehydration registered resources");
    });
});
