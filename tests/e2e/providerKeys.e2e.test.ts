// Level 4 (the real Kubernetes provider binary of the toolchain): the kubernetes: settings the program
// accepts are exactly the provider's configuration variables, read from its schema as the Pulumi CLI reads
// it (`pulumi package get-schema`), so a real setting is never refused as a typo, and no typo accepted.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as path from "path";
import { providerKeys } from "../../settings/providerKeys";
import { e2e } from "../../testenv/engine";

describe("e2e (real Kubernetes provider): the kubernetes: settings the program knows", function () {
    it("equal the provider schema's configuration variables, plus its provider inputs", () => {
        const { toolsDir, root, pulumiHome } = e2e();
        const res = spawnSync(
            path.join(toolsDir, "pulumi"),
            ["package", "get-schema", path.join(toolsDir, "pulumi-resource-kubernetes")],
            {
                cwd: root,
                env: { ...process.env, PULUMI_HOME: pulumiHome },
                encoding: "utf8",
                timeout: 120_000,
                maxBuffer: 256 * 1024 * 1024,
            },
        );
        assert.strictEqual(res.status, 0, res.stderr);
        const schema = JSON.parse(res.stdout) as {
            config: { variables: Record<string, unknown> };
            provider: { inputProperties: Record<string, unknown> };
        };
        const known = new Set(providerKeys("kubernetes"));
        const variables = Object.keys(schema.config.variables);
        assert.deepStrictEqual(
            variables.filter((v) => !known.has(v)),
            [],
            "configuration variables the program would refuse",
        );
        const real = new Set([...variables, ...Object.keys(schema.provider.inputProperties)]);
        assert.deepStrictEqual(
            [...known].filter((k) => !real.has(k)),
            [],
            "keys the program accepts that the provider does not have",
        );
    });
});
