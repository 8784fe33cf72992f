// examples/yaml, the component from a Pulumi YAML program, checked without the engine (the e2e tier runs it
// for real, tests/e2e/yaml.e2e.test.ts): a valid project file whose package is this repository and whose
// resource type, properties and outputs are the ones the committed package schema declares.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { ACCESS_PRESETS } from "../../components";
import { API_SERVICE_ACCOUNT_TYPE } from "../../components/apiServiceAccount";
import { PROJECT_DIR } from "../../offline/program";
import { SCHEMA_FILE } from "../components/schema";
import { projectSchemaValidator } from "../helpers";

const EXAMPLE = path.join(PROJECT_DIR, "examples", "yaml");

interface YamlProgram {
    runtime: string;
    packages: Record<string, string>;
    config: Record<string, { type: string; default?: unknown }>;
    resources: Record<string, { type: string; properties: Record<string, unknown> }>;
    outputs: Record<string, string>;
}

describe("examples/yaml (Pulumi YAML program)", () => {
    const program = YAML.parse(fs.readFileSync(path.join(EXAMPLE, "Pulumi.yaml"), "utf8")) as YamlProgram;
    const schema = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as {
        resources: Record<
            string,
            { inputProperties: Record<string, unknown>; properties: Record<string, unknown> }
        >;
    };
    const component = schema.resources[API_SERVICE_ACCOUNT_TYPE];

    it("is a valid Pulumi.yaml of runtime yaml", () => {
        const validate = projectSchemaValidator();
        assert.ok(validate(program), JSON.stringify(validate.errors, null, 2));
        assert.ok(!validate({ ...program, runtime: 5 }), "the schema must be able to fail");
        assert.strictEqual(program.runtime, "yaml");
    });

    it("takes this repository, the component package, by path", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
            name: string;
        };
        assert.deepStrictEqual(Object.keys(program.packages), [pkg.name]);
        const dir = path.resolve(EXAMPLE, program.packages[pkg.name]);
        assert.strictEqual(dir, PROJECT_DIR);
        assert.ok(fs.existsSync(path.join(dir, "PulumiPlugin.yaml")));
    });

    it("creates one ApiServiceAccount with properties the schema declares, and exports two of its outputs", () => {
        const resources = Object.values(program.resources);
        assert.deepStrictEqual(
            resources.map((r) => r.type),
            [API_SERVICE_ACCOUNT_TYPE],
        );
        for (const key of Object.keys(resources[0].properties)) {
            assert.ok(key in component.inputProperties, `${key} is not an input of the schema`);
        }
        const [name] = Object.keys(program.resources);
        assert.deepStrictEqual(program.outputs, {
            subject: `\${${name}.subject}`,
            kubeconfig: `\${${name}.kubeconfig}`,
        });
        for (const output of ["subject", "kubeconfig"]) {
            assert.ok(output in component.properties, `${output} is not an output of the schema`);
        }
    });

    it("defaults access, from config, to a preset the component accepts", () => {
        assert.strictEqual(Object.values(program.resources)[0].properties.access, "${access}");
        assert.ok(ACCESS_PRESETS.includes(program.config.access.default as (typeof ACCESS_PRESETS)[number]));
    });
});
