// The annotation keys the component writes and the self-contained policy pack reads agree (level 2 for the
// pack: its function with the SDK's proxy): the component's own token Secret, its account renamed to
// `default`, must draw the pack's violation, which it can only if both use the same key.
import * as assert from "assert";
import { ANNOTATIONS } from "../../components";
import { noDefaultServiceAccountToken } from "../../policy/policies/no-default-service-account-token";
import { violations } from "../policy/harness";
import { build, ENDPOINT, only, TYPES } from "../helpers";

describe("metadata shared with the policy pack", () => {
    it("the pack reads the service-account annotation under the key the component writes", async () => {
        const built = await build({ namespace: "apps", serviceAccountName: "reader", endpoint: ENDPOINT });
        const secret = only(built.resources, TYPES.secret, "api-token");
        const props = secret.inputs as { metadata: { annotations: Record<string, string> } };
        assert.strictEqual(props.metadata.annotations[ANNOTATIONS.serviceAccountName], "reader");
        assert.deepStrictEqual(
            await violations(noDefaultServiceAccountToken, { type: secret.type, props }),
            [],
        );

        props.metadata.annotations[ANNOTATIONS.serviceAccountName] = "default";
        const found = await violations(noDefaultServiceAccountToken, { type: secret.type, props });
        assert.strictEqual(found.length, 1, `expected one violation, got ${JSON.stringify(found)}`);
    });
});
