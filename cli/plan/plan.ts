// `npm run plan -- --stack dev`: what `pulumi up` would create, with no cluster and no Pulumi CLI. Runs
// the real program under the mock runtime with the stack's settings, writes the manifests, prints the
// access each ServiceAccount would get and the policy pack's verdict (mandatory violations fail it).
import "../requireNode";
import { createHash, X509Certificate } from "crypto";
import { DeployerRule, deployerManifest, deployerRules, DEPLOYER_FILE } from "./deployer";
import * as fs from "fs";
import * as path from "path";
import { looksLikeServiceIp } from "../../components/endpoint";
import { findProviderKubeconfig, readKubeconfigSetting } from "../../components/kubeconfig";
import { RecordedResource, withAutoNames } from "../../offline/mocks";
import { notPlannedReason } from "../../offline/kubernetesYaml";
import { parseKubernetesType } from "../../rbac/kubernetesType";
import { Diagnostic, POLICY_DIR, PolicyPackProcess, toAnalyzed } from "../../offline/policyPack";
import { PROJECT_DIR, runProgramOffline } from "../../offline/program";
import { listStacks, readProjectFile, readStackConfig, StackConfig } from "../../offline/stackConfig";
import { readStackOutputs } from "../../offline/stackReferences";
import {
    checkFileOptions,
    checkProgramDir,
    explainRunFailure,
    stackName,
    unreadStackOutputs,
} from "./checks";
import { RotationPlan, rotationPlan } from "./rotation";
import { describeScope, effectiveGrants } from "../../policy/lib/grants";
import { namesChecked, SensitiveGrant, sensitiveOf } from "./rules";
import { Permission } from "../../rbac/evaluator";
import { defineCommand, keyValuePairs, runAsCommand, UsageError } from "../command";
import { MANIFESTS, PATCHES, PlannedResource, writeManifests } from "./manifests";
import { PlanOutput } from "./output";
import { SECRET_PLACEHOLDER } from "../../settings/placeholders";
import { redactSecretObjects, scrubStrings, SecretValues, shownOutput, shownSettings } from "./redact";
import { renderPlan } from "./report";

export { renderPlan };

/** The endpoint an offline plan uses when neither config nor a kubeconfig names one. */
export const PLACEHOLDER_ENDPOINT = "https://api-server.offline-plan.invalid";

/**
 * The cluster name an offline plan uses along with PLACEHOLDER_ENDPOINT when the stack sets none: pulumi up
 * takes it from the kubeconfig's cluster, which the plan did not find. Distinct, so each place it shows
 * up (Vault mounts and roles) can be marked as made up.
 */
export const PLACEHOLDER_CLUSTER_NAME = "offline-plan-cluster";

/** The plan command, declared once: its parsing, usage text and hints come from this table. */
export const PLAN = defineCommand({
    name: "plan",
    options: {
        stack: {
            type: "string",
            value: "<name>",
            required: true,
            help:
                "the stack whose Pulumi.<stack>.yaml settings to plan; a fully qualified name " +
                "(org/project/stack, as pulumi stack select takes it) plans its last part",
        },
        out: {
            type: "string",
            value: "DIR",
            help:
                "a new or empty folder for plan.json, manifests/ and patches/ (default: plan-out/<project>/<stack>, " +
                "plan-out/<project>-<hash of its folder>/<stack> for a --dir program); or one plan wrote before: " +
                "it removes only its own files still as it wrote them, and keeps everything else",
        },
        kubeconfig: {
            type: "string",
            value: "FILE",
            help: "kubeconfig to read the endpoint from (default: as the Kubernetes provider finds it)",
        },
        dir: {
            type: "string",
            value: "PROGRAM_DIR",
            help: "the Pulumi program's folder, run from its Pulumi.yaml main (default: this project)",
        },
        config: {
            type: "string",
            value: "KEY=VALUE",
            multiple: true,
            help:
                "a setting for this run, in clear; gives a secure: value that an offline run cannot decrypt " +
                "(it stays secret in the run and is never written)",
        },
        "stack-outputs": {
            type: "string",
            value: "STACK=FILE",
            multiple: true,
            help:
                "the outputs of a stack the program reads through a StackReference, from that stack's " +
                "plan.json or pulumi stack output --json; under the planned stack's own name, its deployed " +
                "outputs: what the next token rotation creates, keeps and revokes",
        },
        "accept-unplanned": {
            type: "boolean",
            help: "exit 0 even when some resources (Helm, kustomize) could not be planned or policy-checked",
        },
        "no-policy": { type: "boolean", help: "skip the policy pack" },
        json: { type: "boolean", help: "print plan.json to stdout instead of the report" },
    },
    notes: ["npm passes options to the command only after --: npm run plan -- --stack dev"],
});

/** The plan's own record of what it found, in the output folder beside manifests/. */
export const PLAN_FILE = "plan.json";

/** Exit code when resources could not be planned (Helm, kustomize) and --accept-unplanned was not given. */
export const EXIT_UNPLANNED = 3;

export interface Plan {
    readonly stack: string;
    /** The endpoint output; SECRET_PLACEHOLDER when it is a secret (a `secure:` setting, for one). */
    readonly endpoint: { readonly value: string; readonly secret?: boolean; readonly note?: string };
    /** The ClusterRole rules the identity running pulumi up and destroy needs (deployer.ts); [] without Kubernetes objects. */
    readonly deployer: DeployerRule[];
    /** Where that ClusterRole is written as a manifest (`deployer.yaml` in outDir); undefined when there is none. */
    readonly deployerFile?: string;
    /** Which CA consumers trust for the endpoint (the endpointCaCert output), in words; undefined without that output. */
    readonly consumerCa?: string;
    readonly resources: PlannedResource[];
    readonly access: Record<
        string,
        {
            scope: string;
            via: string;
            permissions: Permission[];
            /** Named by a Role's rules but without effect in its namespace (cluster-scoped resources). */
            withoutEffect: Permission[];
            /** create or deletecollection of a resource limited by resourceNames: Kubernetes never allows them. */
            neverAllowed: Permission[];
            /** The sensitive table's rows these permissions belong to (the matrix marks them). */
            sensitive: SensitiveGrant[];
            unresolved?: string;
        }[]
    >;
    /** What the rules' names were checked against, and what could not be checked or needs the client's care. */
    readonly apiNames: { readonly source: string; readonly notes: string[] };
    /** Resources whose objects cannot be rendered offline (Helm, kustomize): neither planned nor policy-checked. */
    readonly notPlanned: { type: string; name: string; why: string }[];
    /** Resources that are not Kubernetes objects (Vault, providers), with their settings as shownSettings shows them. */
    readonly other: { type: string; name: string; settings: Record<string, unknown> }[];
    /** The stack's outputs: which are exported, which are secret (never shown), the clear values. */
    readonly outputs: Record<string, { secret: boolean; known: boolean; value?: unknown }>;
    readonly policy?: { readonly pack: string; readonly violations: Diagnostic[] };
    readonly outDir: string;
    /** Files in outDir that plan did not write and kept as they were, relative to it. */
    readonly kept: string[];
    /** plan.json, in outDir. */
    readonly planFile: string;
    /** The manifests' folder, `manifests/` in outDir: `kubectl apply -f` takes it as it is. Absent when none was written. */
    readonly manifestsDir?: string;
    /** The patches' folder, `patches/` in outDir, apart from the whole objects (`*Patch` resources). Absent when none was written. */
    readonly patchesDir?: string;
    /** Secret settings the program used as plain values (SecretValues.warnings): SECRET_PLACEHOLDER everywhere. */
    readonly warnings: string[];
    /**
     * Values plan had to make up, as there was no kubeconfig (the endpoint, the cluster name): the report
     * marks each line holding one, and each manifest holding one says so.
     */
    readonly madeUp: { readonly what: string; readonly value: string; readonly why: string }[];
    /** What the next change of tokenRotation does, for a program that exports its token Secrets' names. */
    readonly rotation?: RotationPlan;
}

export interface PlanOptions {
    readonly stack: string;
    readonly outDir?: string;
    readonly kubeconfig?: string;
    readonly dir?: string;
    readonly policy?: boolean;
    /** Settings for this run, namespaced keys with values in clear (secure: values among them). */
    readonly config?: Record<string, string>;
    /**
     * Files holding the outputs of stacks the program reads through StackReference, by stack name
     * (readStackOutputs); under the planned stack's own name (`dev`, or `<org>/<project>/dev`), its deployed
     * outputs, for what the next token rotation does.
     */
    readonly stackOutputs?: Record<string, string>;
}

/**
 * The output folder when --out is not given, under the working folder: `plan-out/<project>/<stack>` for this
 * project; for another program `plan-out/<project>-<hash>/<stack>`, the hash (8 hex digits of the SHA-256
 * of the program folder's real path) keeping programs of the same name in different folders apart.
 */
export function defaultOutDir(dir: string, project: string, stack: string): string {
    const folder = fs.realpathSync(dir);
    const name =
        folder === fs.realpathSync(PROJECT_DIR)
            ? project
            : `${project}-${createHash("sha256").update(folder).digest("hex").slice(0, 8)}`;
    return path.join(process.cwd(), "plan-out", name, stack);
}

/**
 * Which CA consumers get for the endpoint, from the endpointCaCert and caCert outputs and the setting:
 * the cluster CA, the setting, the provider kubeconfig's CA, or none (publicly trusted).
 */
export function consumerCaText(
    outputs: Record<string, { value?: unknown; known?: boolean }>,
    setting: unknown,
): string | undefined {
    const output = outputs.endpointCaCert;
    if (output === undefined) {
        return undefined;
    }
    const given = output.value;
    const clusterCa =
        "the cluster CA (the token Secret's ca.crt); set endpointCaCert when consumers reach the API through a proxy or load balancer whose certificate another CA signed";
    if (typeof given !== "string") {
        // Unknown until the token controller fills the token Secret: only the cluster CA comes that late.
        return `${clusterCa} (known after apply)`;
    }
    if (given === "") {
        return "publicly trusted CAs (endpointPubliclyTrusted): the kubeconfig names no CA, consumers use their system's roots";
    }
    if (given === outputs.caCert?.value) {
        return clusterCa;
    }
    let subject = "";
    try {
        subject = ` ${new X509Certificate(given).subject.replace(/\n/g, ", ")}`;
    } catch {
        // Not a readable certificate (an offline kubeconfig's placeholder): named by its origin only.
    }
    return setting
        ? `the endpointCaCert setting${subject}, not the cluster CA`
        : `the CA the provider kubeconfig's cluster names for the endpoint${subject}, not the cluster CA (set endpointCaCert to choose another)`;
}

/** Plans one stack; returns the plan and writes the manifests and plan.json. */
export async function plan(given: PlanOptions): Promise<Plan> {
    const dir = checkProgramDir(given.dir ?? PROJECT_DIR, given.dir);
    const options = { ...given, stack: stackName(given.stack, readProjectFile(dir).name) };
    // Problems of the settings are reported when the program runs, all of them together.
    const { config } = readStackConfig(dir, options.stack, options.config);
    const outDir = path.resolve(options.outDir ?? defaultOutDir(dir, config.project, options.stack));
    // Claimed first: a folder plan may not write into is refused before anything runs.
    checkFileOptions(options.kubeconfig, options.stackOutputs ?? {});
    const output = PlanOutput.claim(outDir, dir, options.stack, options.outDir ?? outDir);
    const secrets = new SecretValues(config.values, config.secretKeys);
    // The pack starts now, in its own process, while the program runs here.
    const pack = options.policy === false ? undefined : PolicyPackProcess.start(POLICY_DIR);
    pack?.catch(() => undefined);
    try {
        return await secrets.around(() => planWith(options, dir, config, output, outDir, pack, secrets));
    } finally {
        void pack?.then(
            (p) => p.stop(),
            () => undefined,
        );
    }
}

async function planWith(
    options: PlanOptions,
    dir: string,
    config: StackConfig,
    output: PlanOutput,
    outDir: string,
    pack: Promise<PolicyPackProcess> | undefined,
    secrets: SecretValues,
): Promise<Plan> {
    // Where the endpoint comes from, as the component would find it; an offline plan may have none.
    const overrides: Record<string, unknown> = { ...options.config };
    let note: string | undefined;
    const madeUp: Plan["madeUp"][number][] = [];
    const endpointKey = `${config.project}:endpoint`;
    // Only for a program with an endpoint setting (this one), when it is empty.
    if (endpointKey in config.values && !config.values[endpointKey]) {
        const source = options.kubeconfig
            ? readKubeconfigSetting(options.kubeconfig, "--kubeconfig")
            : findProviderKubeconfig(config.values["kubernetes:kubeconfig"]);
        if (!source) {
            overrides[endpointKey] = PLACEHOLDER_ENDPOINT;
            const why =
                "no endpoint configured and no kubeconfig found; pulumi up reads it from the provider's kubeconfig";
            madeUp.push({ what: "endpoint", value: PLACEHOLDER_ENDPOINT, why });
            const clusterKey = `${config.project}:clusterName`;
            if (clusterKey in config.values && !config.values[clusterKey] && !options.config?.[clusterKey]) {
                overrides[clusterKey] = PLACEHOLDER_CLUSTER_NAME;
                madeUp.push({
                    what: "cluster name",
                    value: PLACEHOLDER_CLUSTER_NAME,
                    why: "no clusterName configured and no kubeconfig found; pulumi up takes the kubeconfig's cluster name",
                });
            }
            // The reason is on the MADE UP line; the endpoint's own line adds only a KUBECONFIG gone wrong.
            const missing = options.kubeconfig ? [] : missingKubeconfigs(process.env.KUBECONFIG);
            if (missing.length > 0) {
                note =
                    `no endpoint configured, and KUBECONFIG names ${missing.join(", ")}, which does not exist; ` +
                    "pulumi up would find no kubeconfig there either: point KUBECONFIG at the cluster's kubeconfig";
            }
        }
    }
    // The planned stack's own deployed outputs are not a StackReference's: they tell the token rotation.
    const isThisStack = (name: string) =>
        name === options.stack || name.endsWith(`/${config.project}/${options.stack}`);
    const ownOutputs = Object.entries(options.stackOutputs ?? {}).find(([name]) => isThisStack(name));
    const stackOutputs = Object.fromEntries(
        Object.entries(options.stackOutputs ?? {}).filter(([name]) => !isThisStack(name)),
    );
    const run = await runProgramOffline(options.stack, {
        dir,
        preview: true,
        overrides,
        env: options.kubeconfig ? { KUBECONFIG: path.resolve(options.kubeconfig) } : {},
        stackReferences: Object.fromEntries(
            Object.entries(stackOutputs).map(([name, file]) => [name, readStackOutputs(file)]),
        ),
    }).catch((err: unknown) => {
        if (err instanceof Error) {
            err.message = explainRunFailure(err.message, stackOutputs);
            if (options.kubeconfig) {
                // The program sees the file as KUBECONFIG; the user wrote --kubeconfig.
                const seen = `KUBECONFIG (${path.resolve(options.kubeconfig)})`;
                err.message = err.message.split(seen).join(`--kubeconfig ${options.kubeconfig}`);
            }
        }
        throw err;
    });

    // Objects the program leaves unnamed, named as pulumi up names them: manifests, access and pack alike.
    const recorded = withAutoNames(run.resources);
    // Names no API serves, and create by name, refuse the plan before anything is written.
    const names = await namesChecked(options.kubeconfig, recorded);
    const resources = writeManifests(recorded, output, madeUp);
    const access = Object.fromEntries(
        [...effectiveGrants(recorded.map(asPolicyResource)).entries()].map(([subject, grants]) => [
            subject,
            grants.map((g) => ({
                scope: describeScope(g.scope),
                via: g.via,
                permissions: g.permissions,
                withoutEffect: g.withoutEffect,
                neverAllowed: g.neverAllowed,
                sensitive: sensitiveOf(g.permissions, g.scope),
                unresolved: g.unresolved,
            })),
        ]),
    );
    const endpointOutput = run.outputs.endpoint;
    const endpoint = typeof endpointOutput?.value === "string" ? endpointOutput.value : "(not exported)";
    if (looksLikeServiceIp(endpoint)) {
        note =
            "this looks like the cluster's in-cluster kubernetes Service IP, which a consumer outside the cluster " +
            "cannot reach; set the endpoint setting to the API server's external URL";
    }
    const custom = recorded.filter((r) => r.custom);
    // run.resources: a made-up name must not become a resourceName the deployer is granted.
    const deployer = deployerRules(run.resources);
    if (deployer.length > 0) {
        output.write(DEPLOYER_FILE, deployerManifest(options.stack, deployer));
    }
    const result: Plan = {
        stack: options.stack,
        endpoint: endpointOutput?.secret
            ? { value: SECRET_PLACEHOLDER, secret: true, note }
            : { value: endpoint, note },
        deployer,
        deployerFile: deployer.length > 0 ? path.join(outDir, DEPLOYER_FILE) : undefined,
        consumerCa: consumerCaText(run.outputs, config.values[`${config.project}:endpointCaCert`]),
        resources,
        apiNames: names,
        notPlanned: recorded.flatMap((r) => {
            const why = notPlannedReason(r);
            return why ? [{ type: r.type, name: r.name, why }] : [];
        }),
        other: custom
            .filter((r) => !parseKubernetesType(r.type) && !notPlannedReason(r))
            .map((r) => ({ type: r.type, name: r.name, settings: shownSettings(r) })),
        // A clear output holding a supplied secret value (read with config.require) is secret.
        outputs: Object.fromEntries(
            Object.entries(run.outputs).map(([name, o]) => [
                name,
                shownOutput(!o.secret && secrets.holdsOne(o.value) ? { ...o, secret: true } : o),
            ]),
        ),
        access,
        policy: pack ? await policyVerdict(await pack, recorded) : undefined,
        outDir,
        kept: output.kept,
        planFile: path.join(outDir, PLAN_FILE),
        ...(resources.some((r) => r.file && !r.patch) ? { manifestsDir: path.join(outDir, MANIFESTS) } : {}),
        ...(resources.some((r) => r.patch) ? { patchesDir: path.join(outDir, PATCHES) } : {}),
        warnings: [],
        // Only what shows somewhere: a cluster name nothing uses was made up for nothing.
        madeUp: madeUp.filter(
            (m) =>
                output.texts().some((t) => t.includes(m.value)) ||
                JSON.stringify(run.outputs).includes(m.value) ||
                JSON.stringify(recorded.map((r) => r.inputs)).includes(m.value),
        ),
        rotation: rotationPlan(
            Object.fromEntries(Object.entries(run.outputs).map(([k, o]) => [k, o.value])),
            config.values[`${config.project}:revokePreviousToken`] === "true",
            ownOutputs && { file: ownOutputs[1], outputs: readStackOutputs(ownOutputs[1]).outputs },
        ),
    };
    const scrub = (text: string) => secrets.scrub(text);
    const shown = scrubStrings(redactSecretObjects(result), scrub);
    output.texts().forEach(scrub);
    shown.warnings.push(...secrets.warnings(), ...unreadStackOutputs(stackOutputs, run.stackReferencesRead));
    output.write(PLAN_FILE, JSON.stringify(shown, null, 2) + "\n");
    output.commit(scrub);
    return shown;
}

/** The files a KUBECONFIG value names that do not exist (the provider and kubectl skip them in silence). */
function missingKubeconfigs(value: string | undefined): string[] {
    return (value ?? "").split(path.delimiter).filter((f) => f.length > 0 && !fs.existsSync(f));
}

function asPolicyResource(r: RecordedResource) {
    return { type: r.type, name: r.name, urn: r.urn, props: r.inputs } as unknown as Parameters<
        typeof effectiveGrants
    >[0][number];
}

async function policyVerdict(
    pack: PolicyPackProcess,
    resources: RecordedResource[],
): Promise<Plan["policy"]> {
    const info = await pack.info();
    const violations = await pack.analyzeAll(resources.map(toAnalyzed));
    return { pack: `${info.name} ${info.version}`, violations };
}

async function main(argv: string[]): Promise<number> {
    const parsed = PLAN.parse(argv);
    if (!parsed.ok && parsed.missing === "stack") {
        const dir = parsed.values?.dir;
        let stacks: string;
        try {
            stacks = `stacks here: ${listStacks(checkProgramDir(dir ?? PROJECT_DIR, dir)).join(", ") || "none"}`;
        } catch (err) {
            stacks = (err as Error).message;
        }
        const hint = PLAN.hint(argv);
        console.error(PLAN.explain(`--stack is required; ${stacks}${hint ? `\n${hint}` : ""}`));
        return 2;
    }
    if (!parsed.ok) {
        console.error(PLAN.explain(parsed.message));
        return 2;
    }
    const args = parsed.values;
    if (args.help) {
        console.log(PLAN.usage());
        return 0;
    }
    try {
        const config = keyValuePairs(
            args.config,
            "--config KEY=VALUE, such as --config kube-api-access:tokenRotation=2024-06",
        );
        const stackOutputs = keyValuePairs(
            args["stack-outputs"],
            "--stack-outputs STACK=FILE, such as --stack-outputs my-org/kube-api-access/ci=plan-out/kube-api-access/ci/plan.json",
        );
        const p = await plan({
            stack: args.stack!,
            outDir: args.out,
            kubeconfig: args.kubeconfig,
            dir: args.dir,
            policy: !args["no-policy"],
            config,
            stackOutputs,
        });
        console.log(args.json ? JSON.stringify(p, null, 2) : renderPlan(p));
        for (const warning of p.warnings) {
            console.error(`plan: warning: ${warning}`);
        }
        if (p.policy?.violations.some((v) => v.enforcementLevel === "mandatory")) {
            return 1;
        }
        if (p.notPlanned.length > 0 && !args["accept-unplanned"]) {
            console.error(
                `plan: ${p.notPlanned.length} resource(s) could not be planned or policy-checked offline ` +
                    `(${args.json ? "notPlanned in the JSON" : "listed above"}). ` +
                    `Check them with pulumi preview --policy-pack policy, or pass --accept-unplanned to accept that.`,
            );
            return EXIT_UNPLANNED;
        }
        return 0;
    } catch (err) {
        console.error(
            err instanceof UsageError ? PLAN.explain(err.message) : `plan failed: ${(err as Error).message}`,
        );
        return 2;
    }
}

runAsCommand(module, main);
