// The committed package schema (tests/components/kube-api-access.schema.json, what the Pulumi CLI loads;
// the e2e tier keeps it byte for byte equal to `pulumi package get-schema <repo>`) against the schema the
// package's provider serves now: a change to the arguments, outputs, enums or descriptions fails here
// until the committed copy shows it, so it is seen in review.
import * as assert from "assert";
import * as fs from "fs";
import { ACCESS_PRESETS, SCOPES, VAULT_MODES } from "../../components";
import { providerSchema, SCHEMA_FILE } from "./schema";

interface Property {
    type?: string;
    $ref?: string;
    description?: string;
    items?: Property;
    additionalProperties?: Property;
}
interface TypeSpec {
    type?: string;
    description?: string;
    properties?: Record<string, Property>;
    inputProperties?: Record<string, Property>;
    enum?: { name?: string; value: unknown; description?: string }[];
}
interface Schema {
    name: string;
    resources?: Record<string, TypeSpec>;
    types?: Record<string, TypeSpec>;
}

const typeOf = (p: Property | undefined): string | undefined =>
    p && `${p.$ref ?? p.type}${p.items ? `<${typeOf(p.items)}>` : ""}`;

/**
 * What a consumer in another language sees, in a form both schemas share: the CLI re-encodes the provider's
 * JSON (field order, `optional` as `required` lists), so the two are compared through this view.
 */
function view(schema: Schema) {
    const props = (ps: Record<string, Property> | undefined) =>
        Object.fromEntries(
            Object.entries(ps ?? {}).map(([k, p]) => [k, `${typeOf(p)}: ${p.description ?? ""}`]),
        );
    const spec = (t: TypeSpec) => ({
        type: t.type,
        description: t.description,
        inputs: props(t.inputProperties),
        properties: props(t.properties),
        enum: t.enum?.map((e) => `${String(e.value)}: ${e.description ?? ""}`),
    });
    const all = (specs: Record<string, TypeSpec> | undefined) =>
        Object.fromEntries(Object.entries(specs ?? {}).map(([k, t]) => [k, spec(t)]));
    return { name: schema.name, resources: all(schema.resources), types: all(schema.types) };
}

describe("package schema", () => {
    it("the committed copy matches what the package's provider serves", async function () {
        this.timeout(120_000);
        const committed = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Schema;
        const served = (await providerSchema()) as unknown as Schema;
        assert.deepStrictEqual(
            view(committed),
            view(served),
            `${SCHEMA_FILE} is not what the package serves: write it anew with the real CLI (docs/languages.md, ` +
                '"The schema the CLI loads") and commit it with the change',
        );
    });

    it("carries the enums and a description for every input and output", () => {
        const committed = JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")) as Schema;
        const component = committed.resources?.["kube-api-access:index:ApiServiceAccount"];
        assert.ok(component, "the schema has the ApiServiceAccount resource");
        for (const [k, p] of [
            ...Object.entries(component.inputProperties ?? {}),
            ...Object.entries(component.properties ?? {}),
        ]) {
            assert.match(p.description ?? "", /\S/, `${k} has no description`);
        }
        assert.deepStrictEqual(
            Object.entries(committed.types ?? {})
                .filter(([, t]) => t.enum)
                .map(([k, t]) => `${k}: ${t.enum!.map((e) => String(e.value)).join(", ")}`),
            [
                `kube-api-access:index:AccessPreset: ${ACCESS_PRESETS.join(", ")}`,
                `kube-api-access:index:Scope: ${SCOPES.join(", ")}`,
                `kube-api-access:index:VaultMode: ${VAULT_MODES.join(", ")}`,
            ],
        );
    });
});
