// no-default-service-account-token through its function (level 2, in process, SDK proxy).
import * as assert from "assert";
import { noDefaultServiceAccountToken as policy } from "../../policy/policies/no-default-service-account-token";
import { UNKNOWN, violations } from "./harness";

const SECRET = "kubernetes:core/v1:Secret";
const token = (account: unknown, extra: Record<string, unknown> = {}) => ({
    metadata: {
        name: "t",
        namespace: "apps",
        annotations: { "kubernetes.io/service-account.name": account },
    },
    type: "kubernetes.io/service-account-token",
    ...extra,
});

describe("policy no-default-service-account-token", () => {
    it("is mandatory by default", () => assert.strictEqual(policy.enforcementLevel, "mandatory"));

    it("passes a token for a dedicated account, and other Secrets", async () => {
        assert.deepStrictEqual(await violations(policy, { type: SECRET, props: token("api-reader") }), []);
        const opaque = {
            metadata: { name: "x", annotations: { "kubernetes.io/service-account.name": "default" } },
            type: "Opaque",
        };
        assert.deepStrictEqual(await violations(policy, { type: SECRET, props: opaque }), []);
    });

    it("reports a token for the default account", async () => {
        const got = await violations(policy, { type: SECRET, props: token("default") });
        assert.strictEqual(got.length, 1);
        assert.match(
            got[0],
            /Secret "apps\/t" is a long-lived token for the default ServiceAccount.*dedicated ServiceAccount/,
        );
    });

    it("checks SecretPatch and SecretList", async () => {
        assert.strictEqual(
            (await violations(policy, { type: "kubernetes:core/v1:SecretPatch", props: token("default") }))
                .length,
            1,
        );
        const list = { items: [token("api-reader"), token("default")] };
        assert.strictEqual(
            (await violations(policy, { type: "kubernetes:core/v1:SecretList", props: list })).length,
            1,
        );
    });

    it("fails closed when the account is unknown during a preview", async () => {
        const got = await violations(policy, { type: SECRET, props: token(UNKNOWN) });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /cannot be proven not to be the default ServiceAccount/);
    });

    it("treats a Secret of unknown type that names the default account as a token", async () => {
        assert.strictEqual(
            (await violations(policy, { type: SECRET, props: token("default", { type: UNKNOWN }) })).length,
            1,
        );
        assert.deepStrictEqual(
            await violations(policy, { type: SECRET, props: { metadata: { name: "x" }, type: UNKNOWN } }),
            [],
        );
    });

    it("exempts allowedNamespaces", async () => {
        assert.deepStrictEqual(
            await violations(
                policy,
                { type: SECRET, props: token("default") },
                { allowedNamespaces: ["apps"] },
            ),
            [],
        );
    });
    it("does not exempt a token Secret that names no namespace: it goes to the provider's default one", async () => {
        const props = token("default");
        delete (props.metadata as { namespace?: string }).namespace;
        const got = await violations(policy, { type: SECRET, props }, { allowedNamespaces: ["default"] });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /names no namespace, so it goes to the provider's default one/);
        assert.deepStrictEqual(
            await violations(
                policy,
                { type: SECRET, props: token("default") },
                { allowedNamespaces: ["apps"] },
            ),
            [],
        );
    });

    it("fails closed on a List item not known during a preview", async () => {
        const got = await violations(policy, {
            type: "kubernetes:core/v1:SecretList",
            props: { items: [token("api-reader"), UNKNOWN] },
        });
        assert.strictEqual(got.length, 1);
        assert.match(got[0], /item 1 is not known during this preview/);
    });
});
