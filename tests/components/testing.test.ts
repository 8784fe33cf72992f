// For library users (mock runtime): a program that uses ApiServiceAccount, unit-tested under Pulumi's
// standard mocks and under the package's own test helper, imported by its published name.
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import type { ApiServiceAccount as Component } from "../../components";
import { settle } from "../../offline/program";
import { ENDPOINT } from "../helpers";

const NS = "apps";
/** Imports by the package's published name (package.json exports), as a user's program would. */
const published = (name: string): Promise<unknown> => import(name);

async function construct(): Promise<Component> {
    const { ApiServiceAccount } = (await published("kube-api-access")) as typeof import("../../components");
    return new ApiServiceAccount("reader", { namespace: NS, endpoint: ENDPOINT });
}

describe("unit-testing a program that uses the component (mock runtime)", () => {
    it("under Pulumi's standard mocks (inputs as state): a warning naming the helper, and no rejection", async () => {
        const rejections: unknown[] = [];
        const onRejection = (reason: unknown) => rejections.push(reason);
        process.on("unhandledRejection", onRejection);
        const printed: string[] = [];
        const [warn, error, log] = [console.warn, console.error, console.log];
        console.warn = console.error = console.log = (...a: unknown[]) => printed.push(a.join(" "));
        try {
            await pulumi.runtime.setMocks(
                {
                    newResource: (args) => ({
                        id: `${args.name}_id`,
                        state: args.inputs as Record<string, unknown>,
                    }),
                    call: (args) => args.inputs as Record<string, unknown>,
                },
                "project",
                "test",
            );
            const account = await construct();
            const token = await settle(account.token!);
            await settle(account.kubeconfig!);
            await new Promise((resolve) => setTimeout(resolve, 200));
            assert.strictEqual(token.value, "");
            assert.strictEqual(token.secret, true);
        } finally {
            process.off("unhandledRejection", onRejection);
            [console.warn, console.error, console.log] = [warn, error, log];
        }
        assert.deepStrictEqual(rejections, []);
        assert.ok(
            printed.some((p) =>
                /under unit-test mocks, which play no token controller.*kube-api-access\/testing/.test(p),
            ),
            printed.join("\n"),
        );
        assert.ok(!printed.some((p) => /the token controller did not fill it/.test(p)), printed.join("\n"));
    });

    it("with kube-api-access/testing, the token Secret is filled as the token controller fills it", async () => {
        const testing = (await published(
            "kube-api-access/testing",
        )) as typeof import("../../offline/testing");
        await testing.setApiServiceAccountMocks();
        const account = await construct();
        const token = await settle(account.token!);
        assert.deepStrictEqual(token, {
            value: testing.offlineToken(NS, "reader"),
            secret: true,
            known: true,
        });
        assert.strictEqual((await settle(account.caCert)).value, testing.OFFLINE_CA_PEM);
        assert.match(String((await settle(account.kubeconfig!)).value), new RegExp(`server: ${ENDPOINT}`));
    });

    it("with kube-api-access/testing, an unmocked invoke says to override call() in a subclass, not plan advice", async () => {
        const testing = (await published(
            "kube-api-access/testing",
        )) as typeof import("../../offline/testing");
        await testing.setApiServiceAccountMocks();
        const error = await pulumi.runtime.invoke("aws:index/getCallerIdentity:getCallerIdentity", {}).then(
            () => assert.fail("the invoke was answered"),
            (err: Error) => err,
        );
        assert.match(error.message, /aws:index\/getCallerIdentity:getCallerIdentity/);
        assert.match(error.message, /override call\(\) in a subclass of ApiServiceAccountMocks/);
        assert.doesNotMatch(error.message, /Plan the program|pulumi preview|offline run/);
    });
});
