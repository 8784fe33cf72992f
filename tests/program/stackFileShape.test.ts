// The shape of a stack file as the user wrote it (level 1, mock runtime; plan's offline loader and the
// program under pulumi up): unknown top-level keys, a config that is not a mapping, one setting written
// twice, and typo'd keys named with the value written.
import * as assert from "assert";
import { userStacks } from "./userStack";

describe("stack file shape (mock runtime)", function () {
    this.timeout(60_000);
    const { refused, refusedUnderCli } = userStacks("stack-shape");

    it("a misspelt top-level key (confg:) is refused with did-you-mean and its line", async () => {
        const { stack, message } = await refused("confg:\n  kube-api-access:namespace: m\n");
        assert.match(
            message,
            new RegExp(`Pulumi\\.${stack}\\.yaml:1: confg: not a key of a stack file`),
            message,
        );
        assert.match(message, /did you mean config\?/);
        assert.match(message, /secretsprovider/);
    });

    it("settings without config: are told to go under config:, each with its line", async () => {
        const { stack, message } = await refused(
            "kube-api-access:namespace: m\nkube-api-access:access: read-only\n",
        );
        for (const [line, key] of [
            [1, "kube-api-access:namespace"],
            [2, "kube-api-access:access"],
        ] as const) {
            assert.match(
                message,
                new RegExp(
                    `Pulumi\\.${stack}\\.yaml:${line}: ${key}: a setting written at the top level, where Pulumi does not read settings\\. Put it under config:`,
                ),
                message,
            );
        }
        assert.doesNotMatch(message, /not a key of a stack file/);
    });

    it("config as a list says config must be a mapping, with the line", async () => {
        const { stack, message } = await refused("config: [a, b]\n");
        assert.match(
            message,
            new RegExp(`Pulumi\\.${stack}\\.yaml:1: config \\["a","b"\\]: it must be a mapping`),
            message,
        );
        assert.doesNotMatch(message, /kube-api-access:0 is not a setting/);
    });

    const twice =
        "config:\n  kube-api-access:namespace: m\n  kube-api-access:endpoint: https://api.example.test\n" +
        "  kube-api-access:access: read-only\n  access: full\n";

    it("the same setting written qualified and bare is refused with both lines, in plan", async () => {
        const { stack, message } = await refused(twice);
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:5: access "full": the same setting as kube-api-access:access "read-only" at line 4`,
            ),
            message,
        );
    });

    it("the same under pulumi up, nothing registered", async () => {
        const { stack, message, resources } = await refusedUnderCli(twice, {
            "kube-api-access:namespace": "m",
            "kube-api-access:endpoint": "https://api.example.test",
            "kube-api-access:access": "full",
        });
        assert.match(
            message,
            new RegExp(`Pulumi\\.${stack}\\.yaml:5: access "full": the same setting`),
            message,
        );
        assert.deepStrictEqual(resources, []);
    });

    it("a shape problem that leaves the settings readable is reported with the settings' own, in one run", async () => {
        const { stack, message } = await refused(
            "confg: {}\nconfig:\n  kube-api-access:namespace: Bad_NS\n  kube-api-access:acess: full\n" +
                "  kube-api-access:access: read-only\n  access: monitoring\n",
        );
        // All four, in the order of their lines.
        assert.match(
            message,
            new RegExp(
                [
                    `Pulumi\\.${stack}\\.yaml:1: confg`,
                    `Pulumi\\.${stack}\\.yaml:3: kube-api-access:namespace "Bad_NS"`,
                    `Pulumi\\.${stack}\\.yaml:4: kube-api-access:acess "full": not a setting`,
                    `Pulumi\\.${stack}\\.yaml:6: access "monitoring": the same setting as kube-api-access:access`,
                ].join("[^]*"),
            ),
            message,
        );
    });

    it("a misspelt key names the value written, and did-you-mean ends its sentence once", async () => {
        const { stack, message } = await refused(
            "config:\n  kube-api-access:namespace: m\n  kube-api-access:acess: full\n",
        );
        assert.match(
            message,
            new RegExp(
                `Pulumi\\.${stack}\\.yaml:3: kube-api-access:acess "full": not a setting of kube-api-access; did you mean kube-api-access:access\\? Correct`,
            ),
            message,
        );
        assert.doesNotMatch(message, /\?\./);
    });
});
