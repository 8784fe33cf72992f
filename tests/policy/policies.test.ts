// The pack's list of policies (policy/policies/index.ts) is the one list: every policy has its file, its
// test file and its README row, and nothing else claims to be a policy (level 1, files and functions).
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ResourceValidationPolicy } from "@pulumi/policy";
import { presetRules } from "../../components/rbac";
import { policies } from "../../policy/policies";
import { RBAC, role, violations } from "./harness";

const ROOT = path.join(__dirname, "..", "..");
const names = policies.map((p) => p.name);
const resourcePolicies = policies.filter((p): p is ResourceValidationPolicy => "validateResource" in p);

describe("the list of policies", () => {
    it("has one file per policy in policy/policies, named after it, and no other", () => {
        const files = fs
            .readdirSync(path.join(ROOT, "policy", "policies"))
            .filter((f) => f.endsWith(".ts") && f !== "index.ts")
            .map((f) => f.slice(0, -3));
        assert.deepStrictEqual([...files].sort(), [...names].sort());
    });

    for (const name of names) {
        it(`${name} has its test file tests/policy/${name}.test.ts`, () =>
            assert.ok(
                fs.existsSync(path.join(__dirname, `${name}.test.ts`)),
                `tests/policy/${name}.test.ts is missing`,
            ));
    }

    it("has exactly one README row per policy in the policies table", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (mandatory|advisory)/gm)].map((m) => m[1]);
        assert.deepStrictEqual([...rows].sort(), [...names].sort());
    });

    it("the README row states each policy's default level", () => {
        const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
        for (const p of policies) {
            assert.match(readme, new RegExp(`^\\| \`${p.name}\` \\| ${p.enforcementLevel}`, "m"), p.name);
        }
    });
});

describe("the component's presets through every resource policy", () => {
    const CR = `${RBAC}/v1:ClusterRole`;
    for (const preset of ["read-only", "monitoring"] as const) {
        it(`${preset} passes every one`, async () => {
            for (const p of resourcePolicies) {
                const props = role("ClusterRole", presetRules(preset, "cluster"));
                assert.deepStrictEqual(await violations(p, { type: CR, props }), [], p.name);
            }
        });
    }
    it("full draws exactly the Secret-read, pod-exec, workload and PersistentVolume advisories", async () => {
        const props = role("ClusterRole", presetRules("full", "cluster"));
        const fired: string[] = [];
        for (const p of resourcePolicies) {
            if ((await violations(p, { type: CR, props })).length > 0) {
                fired.push(p.name);
            }
        }
        assert.deepStrictEqual(fired.sort(), [
            "no-cluster-wide-secret-read",
            "no-escalation-paths",
            "no-pod-exec-attach",
            "no-workload-creation",
        ]);
    });
});
