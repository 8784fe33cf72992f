// One source for each list (level 1, mock runtime and the repository's text): the component's outputs,
// access presets and scopes are defined once in components/; the program's exports, Pulumi.yaml and the
// README's tables are compared with them here, so that adding or renaming one fails until all follow.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { ACCESS_PRESETS, ApiServiceAccountArgs, SCOPES, VAULT_MODES, VaultArgs } from "../../components";
import { ARGS_FIELDS } from "../../components/args";
import { POLICY_RULE_FIELDS } from "../../components/ruleChecks";
import type { PolicyRule } from "../../components/args";
import { VAULT_FIELDS } from "../../components/vaultSettings";
import { RECORDED_OUTPUTS } from "../../components/apiServiceAccount";
import { PROJECT_DIR } from "../../offline/program";
import { readProjectFile } from "../../offline/stackConfig";
import { build, ENDPOINT, readmeTable } from "../helpers";

const ALL_OUTPUTS = [...RECORDED_OUTPUTS, "rules"].sort();
const README = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");

/** The first column of the first table under a README heading, split on commas, backticks removed. */
function tableKeys(heading: string): string[] {
    return readmeTable(heading)
        .flatMap((row) => row[0].split(","))
        .map((cell) => cell.replace(/`/g, "").trim())
        .sort();
}

/** Compiles only when `L` names every key of `T`: a field added to an interface but not to its run-time list. */
type Complete<T, L extends readonly (keyof T)[]> = [Exclude<keyof T, L[number]>] extends [never]
    ? true
    : never;

describe("lists kept once", () => {
    it("the run-time field lists name every field of their interfaces (checked by the type check), once", () => {
        const complete: [
            Complete<ApiServiceAccountArgs, typeof ARGS_FIELDS>,
            Complete<VaultArgs, typeof VAULT_FIELDS>,
            Complete<PolicyRule, typeof POLICY_RULE_FIELDS>,
        ] = [true, true, true];
        assert.deepStrictEqual(complete, [true, true, true]);
        for (const list of [ARGS_FIELDS, VAULT_FIELDS, POLICY_RULE_FIELDS]) {
            assert.strictEqual(new Set(list).size, list.length, list.join(", "));
        }
    });

    it("the class's outputs (every Vault mode) are the recorded outputs plus rules", async () => {
        const base = {
            namespace: "apps",
            serviceAccountName: "reader",
            endpoint: ENDPOINT,
            clusterName: "c",
        };
        const found = new Set<string>();
        for (const vault of [undefined, { mode: "kv" as const }, { mode: "dynamic" as const }]) {
            const { component } = await build({ ...base, vault });
            for (const [key, v] of Object.entries(component)) {
                if (pulumi.Output.isInstance(v) && key !== "urn") {
                    found.add(key);
                }
            }
        }
        assert.deepStrictEqual([...found].sort(), ALL_OUTPUTS);
    });

    it("the program exports each output under its own name", () => {
        const program = fs.readFileSync(path.join(PROJECT_DIR, "index.ts"), "utf8");
        const exported = [...program.matchAll(/^export const (\w+) = .*\baccount\.(\w+)\b/gm)];
        assert.deepStrictEqual(
            exported.map((m) => m[1]),
            exported.map((m) => m[2]),
        );
        assert.deepStrictEqual(exported.map((m) => m[1]).sort(), ALL_OUTPUTS);
    });

    it("the README's outputs table lists every output once", () => {
        assert.deepStrictEqual(tableKeys("## Outputs"), ALL_OUTPUTS);
    });

    it("the README's presets table and Pulumi.yaml name every access preset and scope", () => {
        assert.deepStrictEqual(tableKeys("### Access presets"), [...ACCESS_PRESETS].sort());
        const config = readProjectFile(PROJECT_DIR).config ?? {};
        const quoted = (key: string) =>
            [...String((config[key] as { description?: string }).description).matchAll(/"([a-z-]+)"/g)]
                .map((m) => m[1])
                .sort();
        assert.deepStrictEqual(quoted("access"), [...ACCESS_PRESETS].sort());
        assert.deepStrictEqual(quoted("scope"), [...SCOPES].sort());
        assert.match(
            README,
            new RegExp(
                `\\| \`mode\` \\| both \\| required \\| ${VAULT_MODES.map((m) => `\`${m}\``).join(" or ")}\\. \\|`,
            ),
        );
    });
});
