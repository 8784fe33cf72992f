// `npm run bench`'s real-engine section: the pinned Pulumi CLI, Kubernetes provider and a loopback control
// plane (the e2e tier's environment, testenv/engine.ts), measured side by side in one run on one cluster:
// pulumi up of dev against kubectl apply of plan's manifests, up of 1, 10 and 50 accounts, preview with and
// without the policy pack, and the token controller's delay.
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { POLICY_DIR } from "../offline/policyPack";
import { PROJECT_DIR } from "../offline/program";
import { e2e, setUp, tearDown } from "../testenv/engine";
import { destroy, logged, programCopy, projectCopy, stackOf, up } from "../testenv/engineStacks";
import { table } from "./table";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const seconds = (ms: number) => Number((ms / 1000).toFixed(2));

async function timed(fn: () => unknown): Promise<number> {
    const t0 = performance.now();
    await fn();
    return performance.now() - t0;
}

function run(cmd: string, args: string[]): void {
    const res = spawnSync(cmd, args, { encoding: "utf8", cwd: PROJECT_DIR, timeout: 600_000 });
    if (res.status !== 0) {
        throw new Error(`${cmd} ${args.join(" ")} failed: ${res.stderr || res.stdout}`);
    }
}

export interface EngineResults {
    readonly upVsApply: { pulumiUpS: number; kubectlApplyS: number; ratio: number; runs: number };
    readonly scale: { accounts: number; upS: number; sPerAccount: number }[];
    readonly preview: { withoutPackS: number; withPackS: number; packCostS: number; runs: number };
    readonly tokenFillMs: { median: number; max: number; runs: number };
}

/** 1. pulumi up of dev (to a filled token) against kubectl apply of the same manifests and a wait for the token. */
async function upVsApply(runs: number): Promise<EngineResults["upVsApply"]> {
    const dev = await stackOf("dev");
    const manifests = path.join(e2e().root, "plan-out", "dev");
    run("npm", [
        "run",
        "--silent",
        "plan",
        "--",
        "--stack",
        "dev",
        "--dir",
        projectCopy(),
        "--out",
        manifests,
        "--no-policy",
    ]);
    const kubeconfig = e2e().adminKubeconfig;
    // The manifests only (plan writes them to manifests/, beside plan.json).
    const files = fs
        .readdirSync(path.join(manifests, "manifests"))
        .filter((f) => f.endsWith(".yaml"))
        .sort()
        .flatMap((f) => ["-f", path.join(manifests, "manifests", f)]);
    const ups: number[] = [];
    const applies: number[] = [];
    for (let i = 0; i < runs; i++) {
        ups.push(await timed(() => up(dev)));
        await destroy(dev);
        applies.push(
            await timed(() => {
                run("kubectl", ["--kubeconfig", kubeconfig, "apply", ...files]);
                run("kubectl", [
                    "--kubeconfig",
                    kubeconfig,
                    "wait",
                    "-n",
                    "devops-tools",
                    "--for=jsonpath={.data.token}",
                    "secret/api-service-account-token",
                    "--timeout=120s",
                ]);
            }),
        );
        run("kubectl", ["--kubeconfig", kubeconfig, "delete", ...files, "--wait"]);
        console.log(
            `  up vs apply round ${i + 1}/${runs}: up ${seconds(ups[i])} s, apply ${seconds(applies[i])} s`,
        );
    }
    const u = median(ups);
    const a = median(applies);
    return { pulumiUpS: seconds(u), kubectlApplyS: seconds(a), ratio: Number((u / a).toFixed(1)), runs };
}

/** 2. pulumi up of N accounts in one stack, each from an empty stack, then destroyed. */
async function scale(sizes: number[]): Promise<EngineResults["scale"]> {
    const dir = programCopy(path.join(__dirname, "engine-scale"), "engine-scale");
    const components = path.join(projectCopy(), "bin", "components");
    const rows: EngineResults["scale"] = [];
    for (const n of sizes) {
        const stack: Stack = await stackOf(
            `scale-${n}`,
            {
                "kube-api-access-scale:accounts": { value: String(n) },
                "kube-api-access-scale:components": { value: components },
            },
            dir,
        );
        const ms = await timed(() => up(stack));
        await destroy(stack);
        rows.push({ accounts: n, upS: seconds(ms), sPerAccount: seconds(ms / n) });
        console.log(`  up of ${n} accounts: ${seconds(ms)} s`);
    }
    return rows;
}

/** 3. pulumi preview of dev (nothing deployed) with and without the policy pack, alternating. */
async function preview(runs: number): Promise<EngineResults["preview"]> {
    const dev = await stackOf("dev");
    const without: number[] = [];
    const withPack: number[] = [];
    for (let i = 0; i < runs; i++) {
        without.push(await timed(() => dev.preview({ ...logged("bench preview") })));
        withPack.push(
            await timed(() => dev.preview({ ...logged("bench preview pack"), policyPacks: [POLICY_DIR] })),
        );
    }
    const w = median(without);
    const p = median(withPack);
    return { withoutPackS: seconds(w), withPackS: seconds(p), packCostS: seconds(p - w), runs };
}

/** 4. Creating a token Secret for an existing ServiceAccount until the token controller has filled it. */
async function tokenFill(runs: number): Promise<EngineResults["tokenFillMs"]> {
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(e2e().adminKubeconfig);
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const namespace = "bench-token";
    await core.createNamespace({ body: { metadata: { name: namespace } } });
    await core.createNamespacedServiceAccount({ namespace, body: { metadata: { name: "bench" } } });
    const samples: number[] = [];
    try {
        for (let i = 0; i < runs; i++) {
            const name = `bench-token-${i}`;
            const t0 = performance.now();
            await core.createNamespacedSecret({
                namespace,
                body: {
                    metadata: { name, annotations: { "kubernetes.io/service-account.name": "bench" } },
                    type: "kubernetes.io/service-account-token",
                },
            });
            for (;;) {
                const s = await core.readNamespacedSecret({ name, namespace });
                if (s.data?.token) {
                    break;
                }
                if (performance.now() - t0 > 60_000) {
                    throw new Error(`the token controller did not fill ${name} within 60 s`);
                }
                await new Promise((r) => setTimeout(r, 10));
            }
            samples.push(performance.now() - t0);
        }
    } finally {
        await core.deleteNamespace({ name: namespace });
    }
    return { median: Math.round(median(samples)), max: Math.round(Math.max(...samples)), runs };
}

/** Runs the section on a fresh environment and cluster (printEngine prints its tables). */
export async function engineBench(options: { runs: number; scaleSizes: number[] }): Promise<EngineResults> {
    await setUp();
    try {
        execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
        const results: EngineResults = {
            upVsApply: await upVsApply(options.runs),
            scale: await scale(options.scaleSizes),
            preview: await preview(options.runs),
            tokenFillMs: await tokenFill(Math.max(10, options.runs)),
        };
        return results;
    } finally {
        await tearDown();
    }
}

export function printEngine(r: EngineResults): void {
    console.log(
        "\n5. Real engine (pinned Pulumi CLI and Kubernetes provider, loopback control plane; wall times, medians)",
    );
    console.log(
        table(
            ["measurement", "s", "compared with", "s", "ratio"],
            [
                [
                    "pulumi up of dev, to a filled token",
                    r.upVsApply.pulumiUpS,
                    "kubectl apply of plan's manifests + wait",
                    r.upVsApply.kubectlApplyS,
                    `${r.upVsApply.ratio}x`,
                ],
                [
                    "pulumi preview --policy-pack policy (dev)",
                    r.preview.withPackS,
                    "pulumi preview (dev)",
                    r.preview.withoutPackS,
                    `${(r.preview.withPackS / r.preview.withoutPackS).toFixed(2)}x`,
                ],
            ],
        ),
    );
    console.log("");
    console.log(
        table(
            ["accounts in one stack", "pulumi up s", "s per account"],
            r.scale.map((s) => [s.accounts, s.upS, s.sPerAccount]),
        ),
    );
    console.log(
        `   token Secret created -> token filled by the token controller: median ${r.tokenFillMs.median} ms, max ${r.tokenFillMs.max} ms (${r.tokenFillMs.runs} Secrets)`,
    );
}
