// One table of defaults (level 1, the repository's text): components/defaults.ts is what the component
// settles its arguments from; args.ts's JSDoc, Pulumi.yaml's `default:` values and the README's tables
// must say the same, and the README's presets table must list what presetRules grants.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ACCESS_PRESETS, presetRules } from "../../components/rbac";
import { ARGS_DEFAULTS, PROGRAM_DEFAULTS, VAULT_DEFAULTS } from "../../components/defaults";
import { PROJECT_DIR } from "../../offline/program";
import { readProjectFile } from "../../offline/stackConfig";
import { readmeTable } from "../helpers";

const ARGS_TS = fs.readFileSync(path.join(PROJECT_DIR, "components", "args.ts"), "utf8");
const declared = (readProjectFile(PROJECT_DIR).config ?? {}) as Record<string, { default?: unknown }>;

/** A value as the README's default column writes it. */
const inReadme = (value: unknown) =>
    `\`${typeof value === "string" && value !== "" ? value : JSON.stringify(value)}\``;

/** The `Default:` sentence of a field's JSDoc in args.ts, backticks and quotes removed. */
function jsdocDefault(field: string): string | undefined {
    for (const m of ARGS_TS.matchAll(/\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*readonly (\w+)\??:/g)) {
        if (m[2] === field) {
            const doc = m[1].replace(/\s*\n\s*\*\s*/g, " ");
            return /Default: (.*?)\.(\s|$)/.exec(doc)?.[1].replace(/[`"]/g, "");
        }
    }
    return undefined;
}
const inJsdoc = (value: unknown) => (Array.isArray(value) && value.length === 0 ? "none" : String(value));

describe("one table of defaults", () => {
    it("args.ts's JSDoc states each default of the table", () => {
        for (const [field, value] of Object.entries({ ...ARGS_DEFAULTS, ...VAULT_DEFAULTS })) {
            assert.strictEqual(jsdocDefault(field), inJsdoc(value), field);
        }
    });

    it("Pulumi.yaml declares each default of the table, and no other but unset", () => {
        const table: Record<string, unknown> = { ...ARGS_DEFAULTS, ...PROGRAM_DEFAULTS };
        for (const [key, value] of Object.entries(table)) {
            assert.deepStrictEqual(declared[key]?.default, value, key);
        }
        for (const [key, decl] of Object.entries(declared)) {
            if (decl.default !== undefined && !(key in table)) {
                assert.strictEqual(
                    decl.default,
                    "",
                    `${key}: "" (unset) is the only default the program may add`,
                );
            }
        }
    });

    it("the README's configuration table states Pulumi.yaml's defaults", () => {
        const rows = readmeTable("## Configuration").filter((row) => !row[0].includes(":"));
        assert.deepStrictEqual(
            rows.map((row) => row[0].replace(/`/g, "")).sort(),
            [...Object.keys(declared), "rules", "vault"].sort(),
        );
        for (const [cell, , dflt] of rows) {
            const key = cell.replace(/`/g, "");
            const value = declared[key]?.default;
            const expected = key in declared ? (value === undefined ? "required" : inReadme(value)) : "unset";
            assert.strictEqual(dflt, expected, key);
        }
    });

    it("the README's Vault settings table states the Vault defaults", () => {
        const cells = new Map<string, string>();
        for (const [fields, , dflt] of readmeTable("### Vault settings")) {
            const names = fields
                .replace(/`/g, "")
                .split(",")
                .map((f) => f.trim());
            const values = dflt.split(",").map((v) => v.trim());
            names.forEach((name, i) => cells.set(name, values.length === names.length ? values[i] : dflt));
        }
        for (const [field, value] of Object.entries(VAULT_DEFAULTS)) {
            assert.strictEqual(cells.get(field), inReadme(value), field);
        }
    });

    it("the README's presets table lists the verbs and resources presetRules grants (cluster scope)", () => {
        const rows = readmeTable("### Access presets");
        assert.deepStrictEqual(
            rows.map((row) => row[0].replace(/`/g, "")).sort(),
            [...ACCESS_PRESETS].sort(),
        );
        const list = (cell: string) => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]).sort();
        for (const [preset, verbs, resources] of rows) {
            const rules = presetRules(preset.replace(/`/g, "") as (typeof ACCESS_PRESETS)[number], "cluster");
            const granted = new Set<string>();
            const named = new Set<string>();
            for (const rule of rules) {
                rule.verbs.forEach((v) => granted.add(v));
                for (const resource of rule.resources ?? []) {
                    for (const group of rule.apiGroups ?? []) {
                        named.add(
                            group === ""
                                ? resource
                                : `${resource.replace(/\/.*/, "")}.${group}${resource.includes("/") ? resource.slice(resource.indexOf("/")) : ""}`,
                        );
                    }
                }
                (rule.nonResourceURLs ?? []).forEach((u) => named.add(u));
            }
            assert.deepStrictEqual(list(verbs), [...granted].sort(), `${preset} verbs`);
            assert.deepStrictEqual(list(resources), [...named].sort(), `${preset} resources`);
        }
    });
});
