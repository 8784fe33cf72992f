// `npm run plan -- --stack dev`: what `pulumi up` would create, with no cluster and no Pulumi CLI. Runs
// the real program under the mock runtime with the stack's settings, writes the manifests, prints the
// access each ServiceAccount would get and the policy pack's verdict (mandatory violations fail it).
import "./requireNode";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { findProviderKubeconfig, readKubeconfigSetting } from "../components/kubeconfig";
import { RecordedResource } from "../offline/mocks";
import { Diagnostic, POLICY_DIR, PolicyPackProcess, toAnalyzed } from "../offline/policyPack";
import { PROJECT_DIR, runProgramOffline } from "../offline/program";
import { listStacks, loadStackConfig } from "../offline/stackConfig";
import { describeScope, effectiveGrants } from "../policy/lib/grants";
import { formatPermission, Permission } from "../policy/lib/rbac";
import { parseOrExplain, runAsCommand } from "./command";
import { LEGEND, permissionRow, renderMatrix, sortVerbs } from "./matrix";
import { PlanOutput } from "./planOutput";

/** The endpoint an offline plan uses when neither config nor a kubeconfig names one. */
export const PLACEHOLDER_ENDPOINT = "https://api-server.offline-plan.invalid";

const USAGE = `usage: npm run plan -- --stack <name> [--out DIR] [--kubeconfig FILE] [--dir PROGRAM_DIR] [--no-policy] [--json]

  --stack       the stack whose Pulumi.<stack>.yaml settings to plan (required)
  --out         a new or empty folder for plan.json and manifests/ (default: plan-out/<project>/<stack>;
                plan refuses a folder holding files it did not write, and removes only its own)
  --kubeconfig  kubeconfig to read the endpoint from (default: as the Kubernetes provider finds it)
  --dir         the Pulumi program's folder (default: this project)
  --no-policy   skip the policy pack
  --json        print plan.json to stdout instead of the report`;

export interface PlannedResource {
    readonly type: string;
    readonly name: string;
    readonly file?: string;
}

export interface Plan {
    readonly stack: string;
    readonly endpoint: { readonly value: string; readonly note?: string };
    readonly resources: PlannedResource[];
    readonly access: Record<
        string,
        {
            scope: string;
            via: string;
            permissions: Permission[];
            /** Named by a Role's rules but without effect in its namespace (cluster-scoped resources). */
            withoutEffect: Permission[];
            unresolved?: string;
        }[]
    >;
    readonly policy?: { readonly pack: string; readonly violations: Diagnostic[] };
    readonly outDir: string;
    /** The manifests' folder, `manifests/` in outDir: `kubectl apply -f` takes it as it is. */
    readonly manifestsDir: string;
}

export interface PlanOptions {
    readonly stack: string;
    readonly outDir?: string;
    readonly kubeconfig?: string;
    readonly dir?: string;
    readonly policy?: boolean;
}

/** Plans one stack; returns the plan and writes the manifests and plan.json. */
export async function plan(options: PlanOptions): Promise<Plan> {
    const dir = path.resolve(options.dir ?? PROJECT_DIR);
    const config = loadStackConfig(dir, options.stack);
    const outDir = path.resolve(
        options.outDir ?? path.join(process.cwd(), "plan-out", config.project, options.stack),
    );
    // Claimed first: a folder plan may not write into is refused before anything runs.
    const output = PlanOutput.claim(outDir, dir);

    // Where the endpoint comes from, as the component would find it; an offline plan may have none.
    const overrides: Record<string, unknown> = {};
    let note: string | undefined;
    const endpointKey = `${config.project}:endpoint`;
    // Only for a program with an endpoint setting (this one), when it is empty.
    if (endpointKey in config.values && !config.values[endpointKey]) {
        const source = options.kubeconfig
            ? readKubeconfigSetting(options.kubeconfig, "--kubeconfig")
            : findProviderKubeconfig(config.values["kubernetes:kubeconfig"]);
        if (!source) {
            overrides[endpointKey] = PLACEHOLDER_ENDPOINT;
            note =
                "no endpoint configured and no kubeconfig found; pulumi up reads it from the provider's kubeconfig";
        }
    }
    const run = await runProgramOffline(options.stack, {
        dir,
        preview: true,
        overrides,
        env: options.kubeconfig ? { KUBECONFIG: path.resolve(options.kubeconfig) } : {},
    });

    const resources = writeManifests(run.resources, output);
    const access = Object.fromEntries(
        [...effectiveGrants(run.resources.map(asPolicyResource)).entries()].map(([subject, grants]) => [
            subject,
            grants.map((g) => ({
                scope: describeScope(g.scope),
                via: g.via,
                permissions: g.permissions,
                withoutEffect: g.withoutEffect,
                unresolved: g.unresolved,
            })),
        ]),
    );
    const endpointOutput = run.outputs.endpoint?.value;
    const result: Plan = {
        stack: options.stack,
        endpoint: { value: typeof endpointOutput === "string" ? endpointOutput : "(not exported)", note },
        resources,
        access,
        policy: options.policy === false ? undefined : await policyVerdict(run.resources),
        outDir,
        manifestsDir: path.join(outDir, MANIFESTS),
    };
    output.write("plan.json", JSON.stringify(result, null, 2) + "\n");
    return result;
}

const KIND_ORDER = [
    "Namespace",
    "ServiceAccount",
    "Secret",
    "ClusterRole",
    "Role",
    "ClusterRoleBinding",
    "RoleBinding",
];

const MANIFESTS = "manifests";

/** Writes one manifest per Kubernetes resource, ready for `kubectl apply --dry-run=server -f <dir>`. */
function writeManifests(recorded: RecordedResource[], output: PlanOutput): PlannedResource[] {
    const kinds = (r: RecordedResource) => {
        const i = KIND_ORDER.indexOf(r.type.split(":")[2]);
        return i < 0 ? KIND_ORDER.length : i;
    };
    const ordered = recorded
        .filter((r) => r.custom)
        .sort((a, b) => kinds(a) - kinds(b) || a.name.localeCompare(b.name));
    return ordered.map((r, i) => {
        const [, groupVersion, kind] = r.type.split(":");
        if (!r.type.startsWith("kubernetes:") || !groupVersion.includes("/")) {
            return { type: r.type, name: r.name };
        }
        const [group, version] = groupVersion.split("/");
        const manifest = {
            apiVersion: group === "core" ? version : `${group}/${version}`,
            kind,
            ...redact(r.inputs, r.secretInputs),
        };
        const file = `${String(i + 1).padStart(2, "0")}-${kind.toLowerCase()}-${r.name}.yaml`;
        output.write(path.join(MANIFESTS, file), `# ${r.type} ${r.name}\n${YAML.stringify(manifest)}`);
        return { type: r.type, name: r.name, file };
    });
}

/** Replaces every secret input with a marker, so no secret reaches a file, and marks preview unknowns. */
function redact(inputs: Record<string, unknown>, secretPaths: string[]): Record<string, unknown> {
    const copy = JSON.parse(
        JSON.stringify(inputs, (_k, v: unknown) =>
            v === pulumi.runtime.unknownValue ? "(known after apply)" : v,
        ),
    ) as Record<string, unknown>;
    for (const p of secretPaths) {
        const keys = p.replace(/\[(\d+)\]/g, ".$1").split(".");
        let cur: Record<string, unknown> = copy;
        keys.slice(0, -1).forEach((k) => (cur = cur[k] as Record<string, unknown>));
        cur[keys[keys.length - 1]] = "[secret]";
    }
    return copy;
}

function asPolicyResource(r: RecordedResource) {
    return { type: r.type, name: r.name, urn: r.urn, props: r.inputs } as unknown as Parameters<
        typeof effectiveGrants
    >[0][number];
}

async function policyVerdict(resources: RecordedResource[]): Promise<Plan["policy"]> {
    const pack = await PolicyPackProcess.start(POLICY_DIR);
    try {
        const info = await pack.info();
        const violations = await pack.analyzeAll(resources.map(toAnalyzed));
        return { pack: `${info.name} ${info.version}`, violations };
    } finally {
        pack.stop();
    }
}

/** The human-readable report. */
export function renderPlan(p: Plan): string {
    const out: string[] = [];
    out.push(`Plan for stack ${p.stack} (offline: Pulumi's mock runtime; no cluster, no Pulumi CLI)`);
    out.push(`endpoint: ${p.endpoint.value}${p.endpoint.note ? `  (${p.endpoint.note})` : ""}`);
    out.push("", `Resources pulumi up would create (${p.resources.length}):`);
    const width = Math.max(...p.resources.map((r) => r.type.length));
    for (const r of p.resources) {
        out.push(`  + ${r.type.padEnd(width)}  ${r.name}${r.file ? `  -> ${r.file}` : ""}`);
    }
    out.push(
        `Manifests: ${path.relative(process.cwd(), p.manifestsDir)}/ (check them against a cluster with kubectl apply --dry-run=server -f)`,
    );
    for (const [subject, grants] of Object.entries(p.access)) {
        out.push("", `Access for ${subject}:`);
        for (const g of grants) {
            out.push(`  ${g.scope}, via ${g.via}:`);
            if (g.unresolved) {
                out.push(`    (${g.unresolved})`);
                continue;
            }
            const cells = g.permissions.map((perm) => ({ verb: perm.verb, row: permissionRow(perm) }));
            const rows = [...new Set(cells.map((c) => c.row))].sort();
            const verbs = sortVerbs(cells.map((c) => c.verb));
            out.push(
                renderMatrix(
                    rows,
                    verbs,
                    (row, verb) =>
                        cells.some((c) => c.row === row && c.verb === verb) ? "allowed" : undefined,
                    "    ",
                ),
            );
            if (g.withoutEffect.length > 0) {
                out.push(
                    `    without effect (a namespace's binding grants no cluster-scoped resource): ${g.withoutEffect.map(formatPermission).join(", ")}`,
                );
            }
        }
    }
    out.push("", `  ${LEGEND}`);
    if (p.policy) {
        const mandatory = p.policy.violations.filter((v) => v.enforcementLevel === "mandatory");
        out.push(
            "",
            `Policy pack ${p.policy.pack}: ${p.policy.violations.length === 0 ? "no violations" : `${mandatory.length} mandatory, ${p.policy.violations.length - mandatory.length} advisory`}`,
        );
        for (const v of p.policy.violations) {
            // The SDK puts the policy's description before the finding; the finding is what to read.
            const finding = v.message.includes("\n")
                ? v.message.slice(v.message.indexOf("\n") + 1)
                : v.message;
            out.push(`  [${v.enforcementLevel}] ${v.policyName}: ${finding.trim()}`);
        }
    } else {
        out.push("", "Policy pack: skipped (--no-policy)");
    }
    return out.join("\n");
}

async function main(argv: string[]): Promise<number> {
    const args = parseOrExplain(
        argv,
        {
            stack: { type: "string" },
            out: { type: "string" },
            kubeconfig: { type: "string" },
            dir: { type: "string" },
            "no-policy": { type: "boolean" },
            json: { type: "boolean" },
        },
        USAGE,
    );
    if (!args) {
        return 2;
    }
    if (args.help) {
        console.log(USAGE);
        return 0;
    }
    if (!args.stack) {
        const stacks = listStacks(path.resolve(args.dir ?? PROJECT_DIR));
        console.error(`--stack is required; stacks here: ${stacks.join(", ") || "none"}\n${USAGE}`);
        return 2;
    }
    try {
        const p = await plan({
            stack: args.stack,
            outDir: args.out,
            kubeconfig: args.kubeconfig,
            dir: args.dir,
            policy: !args["no-policy"],
        });
        console.log(args.json ? JSON.stringify(p, null, 2) : renderPlan(p));
        return p.policy?.violations.some((v) => v.enforcementLevel === "mandatory") ? 1 : 0;
    } catch (err) {
        console.error(`plan failed: ${(err as Error).message}`);
        return 2;
    }
}

runAsCommand(module, main);
