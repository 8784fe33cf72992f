// `npm run bench`: start-up, scale, policy-pack cost and the deployment critical path, measured side by
// side within one run (ratios, medians of at least 5 runs), printed as a table and written to
// bench/results.json. Timings never appear in tests; this is where they live.
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defineCommand, runAsCommand } from "../cli/command";
import { AnalyzedResource, POLICY_DIR, PolicyPackProcess, toAnalyzed } from "../offline/policyPack";
import { installOfflineCluster } from "../offline/mocks";
import { PROJECT_DIR, runProgramOffline } from "../offline/program";
import { loadStackConfig } from "../offline/stackConfig";
import { criticalPath } from "./criticalPath";
import { engineBench, EngineResults, printEngine } from "./engine";
import { table } from "./table";
import { PlanTiming, planTiming } from "./plan";

const BENCH = __dirname;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const round = (x: number, digits = 1) => Number(x.toFixed(digits));

function node(args: string[], env: NodeJS.ProcessEnv = {}): Promise<Record<string, number>> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd: PROJECT_DIR, env: { ...process.env, ...env } });
        let out = "";
        let err = "";
        child.stdout.on("data", (d: Buffer) => (out += d.toString()));
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) =>
            code === 0
                ? resolve(JSON.parse(out.trim().split("\n").pop()!) as Record<string, number>)
                : reject(new Error(`${args.join(" ")}: ${err}`)),
        );
    });
}

function build(): void {
    const tsc = require.resolve("typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], {
        cwd: PROJECT_DIR,
        stdio: "inherit",
    });
    execFileSync(process.execPath, [tsc, "-p", path.join(BENCH, "tsconfig.json")], {
        cwd: PROJECT_DIR,
        stdio: "inherit",
    });
}

interface StartupRow {
    mode: string;
    bareMs: number;
    oursMs: number;
    ratio: number;
    oursRssMiB: number;
}

/** 1. Start-up, ours and a bare one-resource program alternating, in each way Pulumi can load a program. */
async function startup(runs: number): Promise<StartupRow[]> {
    const config = JSON.stringify({
        ...loadStackConfig(PROJECT_DIR, "dev").values,
        "kube-api-access:endpoint": "https://api.bench.test:6443",
    });
    const modes: { mode: string; ours: string; bare: string }[] = [
        { mode: "typecheck", ours: "index.ts", bare: "bench/bare/index.ts" },
        { mode: "transpile", ours: "index.ts", bare: "bench/bare/index.ts" },
        { mode: "js", ours: "bin/index.js", bare: "bench/.build/bare/index.js" },
    ];
    const rows: StartupRow[] = [];
    for (const m of modes) {
        const ours: number[] = [];
        const bare: number[] = [];
        const rss: number[] = [];
        for (let i = 0; i < runs; i++) {
            const o = await node(
                [path.join(BENCH, "startup.js"), m.mode, m.ours, PROJECT_DIR, "kube-api-access"],
                { PULUMI_CONFIG: config },
            );
            const b = await node([path.join(BENCH, "startup.js"), m.mode, m.bare, PROJECT_DIR, "bench"], {
                PULUMI_CONFIG: "{}",
            });
            ours.push(o.ms);
            rss.push(o.rssMiB);
            bare.push(b.ms);
        }
        rows.push({
            mode: m.mode,
            bareMs: round(median(bare), 0),
            oursMs: round(median(ours), 0),
            ratio: round(median(ours) / median(bare), 2),
            oursRssMiB: round(median(rss), 0),
        });
        console.log(
            `  start-up ${m.mode}: ours ${rows[rows.length - 1].oursMs} ms, bare ${rows[rows.length - 1].bareMs} ms`,
        );
    }
    return rows;
}

interface ScaleRow {
    accounts: number;
    resources: number;
    ms: number;
    msPerAccount: number;
    heapMiB: number;
    rssMiB: number;
}

/**
 * 2. Scale: N ApiServiceAccounts in one stack, each size in a fresh process. The sizes alternate within
 * each round, so that the machine's noise falls on all of them alike and the ratios hold.
 */
async function scale(sizes: number[], runs: number): Promise<ScaleRow[]> {
    const results = new Map<number, Record<string, number>[]>(sizes.map((n) => [n, []]));
    for (let i = 0; i < runs; i++) {
        for (const n of sizes) {
            results.get(n)!.push(await node(["--expose-gc", path.join(BENCH, "scale.js"), String(n)]));
        }
        console.log(`  scale round ${i + 1}/${runs} done`);
    }
    return sizes.map((n) => {
        const rs = results.get(n)!;
        const ms = median(rs.map((r) => r.ms));
        return {
            accounts: n,
            resources: rs[0].registered,
            ms: round(ms, 0),
            msPerAccount: round(ms / n, 2),
            heapMiB: round(median(rs.map((r) => r.heapMiB)), 0),
            rssMiB: round(median(rs.map((r) => r.rssMiB)), 0),
        };
    });
}

/** The resources of N accounts, as the engine would send them to the policy pack. */
async function resourcesOf(n: number): Promise<AnalyzedResource[]> {
    const cluster = await installOfflineCluster("kube-api-access", "bench", false);
    const { ApiServiceAccount } = await import("../components");
    for (let i = 0; i < n; i++) {
        new ApiServiceAccount(`consumer-${i}`, {
            namespace: `team-${i}`,
            endpoint: "https://api.bench.test:6443",
        });
    }
    return (await cluster.settled()).map(toAnalyzed);
}

interface PolicyRow {
    accounts: number;
    resources: number;
    analyzeMs: { ours: number; empty: number };
    analyzeStackMs: { ours: number; empty: number };
    perResourceUs: { ours: number; empty: number; ratio: number };
}

/** 3. The policy pack over gRPC against an empty pack, per-resource Analyze and AnalyzeStack. */
async function policy(sizes: number[], runs: number): Promise<PolicyRow[]> {
    const ours = await PolicyPackProcess.start(POLICY_DIR);
    const empty = await PolicyPackProcess.start(path.join(BENCH, "empty-pack"));
    const rows: PolicyRow[] = [];
    try {
        for (const n of sizes) {
            const resources = await resourcesOf(n);
            const time = async (pack: PolicyPackProcess, stack: boolean) => {
                const t0 = performance.now();
                if (stack) {
                    await pack.analyzeStack(resources);
                } else {
                    for (const r of resources) {
                        await pack.analyze(r);
                    }
                }
                return performance.now() - t0;
            };
            const samples = {
                ours: [] as number[],
                empty: [] as number[],
                oursStack: [] as number[],
                emptyStack: [] as number[],
            };
            for (let i = 0; i < runs; i++) {
                samples.ours.push(await time(ours, false));
                samples.empty.push(await time(empty, false));
                samples.oursStack.push(await time(ours, true));
                samples.emptyStack.push(await time(empty, true));
            }
            const perOurs = ((median(samples.ours) + median(samples.oursStack)) / resources.length) * 1000;
            const perEmpty = ((median(samples.empty) + median(samples.emptyStack)) / resources.length) * 1000;
            rows.push({
                accounts: n,
                resources: resources.length,
                analyzeMs: { ours: round(median(samples.ours), 0), empty: round(median(samples.empty), 0) },
                analyzeStackMs: {
                    ours: round(median(samples.oursStack), 0),
                    empty: round(median(samples.emptyStack), 0),
                },
                perResourceUs: {
                    ours: round(perOurs, 0),
                    empty: round(perEmpty, 0),
                    ratio: round(perOurs / perEmpty, 2),
                },
            });
            console.log(`  policy ${n}: ${JSON.stringify(rows[rows.length - 1].perResourceUs)}`);
        }
    } finally {
        ours.stop();
        empty.stop();
    }
    return rows;
}

/** The bench command, declared once: its parsing, usage text and hints come from this table. */
export const BENCH_COMMAND = defineCommand({
    name: "bench",
    options: {
        runs: {
            type: "string",
            value: "N",
            min: 5,
            help: "runs per measurement, whose median is reported (default 5, also the fewest taken)",
        },
        quick: { type: "boolean", help: "a short run: leaves out the 1,000-account sizes" },
        "no-engine": { type: "boolean", help: "leave out section 5, the real engine" },
        "engine-runs": {
            type: "string",
            value: "N",
            min: 1,
            help: "runs of each real-engine measurement (default 3)",
        },
        only: {
            type: "string",
            value: "SECTION",
            choices: ["plan"],
            help: "run one section alone: plan (section 6, the quick check after a change to plan or the pack)",
        },
    },
    notes: [
        "Exit 0 when every stated target is met; 1 when one is missed or could not be measured; 2 for wrong options.",
    ],
});

/** Runs the benchmarks; exit 0 when every stated target is met, 1 when one is missed, 2 for wrong options. */
export async function main(argv: string[]): Promise<number> {
    const parsed = BENCH_COMMAND.parse(argv);
    if (!parsed.ok) {
        console.error(BENCH_COMMAND.explain(parsed.message));
        return 2;
    }
    const values = parsed.values;
    if (values.help) {
        console.log(BENCH_COMMAND.usage());
        return 0;
    }
    const runs = Number(values.runs ?? 5);
    const scaleSizes = values.quick ? [1, 10, 100] : [1, 10, 100, 1000];
    const policySizes = values.quick ? [1, 100] : [1, 100, 1000];
    const machine = {
        cpu: os.cpus()[0]?.model ?? "unknown",
        cores: os.cpus().length,
        memoryGiB: round(os.totalmem() / 2 ** 30, 0),
        node: process.version,
        date: new Date().toISOString(),
        runs,
    };
    console.log(
        `kube-api-access benchmarks on ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}; medians of ${runs} runs`,
    );
    build();
    if (values.only === "plan") {
        const plan = await planTiming(runs);
        printPlan(plan);
        writeResults({ machine, only: "plan", plan, targets: { plan: plan.target } });
        return verdict({ plan: plan.target });
    }

    const startupRows = await startup(runs);
    const scaleRows = await scale(scaleSizes, runs);
    const policyRows = await policy(policySizes, runs);
    const dev = await runProgramOffline("dev", {
        overrides: { "kube-api-access:endpoint": "https://api.bench.test:6443" },
    });
    const path_ = criticalPath(dev.resources);
    let engine: EngineResults | { notMeasured: string } | undefined;
    if (!values["no-engine"]) {
        try {
            engine = await engineBench({
                runs: Number(values["engine-runs"] ?? 3),
                scaleSizes: [1, 10, 50],
            });
        } catch (err) {
            engine = { notMeasured: (err as Error).message };
        }
    }
    const plan = await planTiming(runs);

    const at = (n: number) => scaleRows.find((r) => r.accounts === n);
    const shipped = startupRows.find((r) => r.mode === "js")!;
    const targets = {
        startup: { ratio: shipped.ratio, target: 1.3, met: shipped.ratio <= 1.3 },
        scale: at(1000)
            ? {
                  ratio: round(at(1000)!.ms / at(100)!.ms, 2),
                  target: 11,
                  met: at(1000)!.ms / at(100)!.ms <= 11,
              }
            : { ratio: round(at(100)!.ms / at(10)!.ms, 2), target: 11, met: at(100)!.ms / at(10)!.ms <= 11 },
        policy: {
            ratio: Math.max(...policyRows.map((r) => r.perResourceUs.ratio)),
            target: 2,
            met: policyRows.every((r) => r.perResourceUs.ratio <= 2),
            linear: round(
                policyRows[policyRows.length - 1].perResourceUs.ours / policyRows[1].perResourceUs.ours,
                2,
            ),
        },
        criticalPath: {
            roundTrips: path_.roundTrips,
            needless: path_.needless,
            met: path_.needless.length === 0,
        },
    };

    console.log("\n1. Start-up (dev stack, process start to last registration, mock runtime)");
    console.log(
        table(
            ["mode", "bare ms", "ours ms", "ours/bare", "ours RSS MiB"],
            startupRows.map((r) => [r.mode, r.bareMs, r.oursMs, r.ratio, r.oursRssMiB]),
        ),
    );
    console.log(
        `   shipped (prebuilt JS): ${shipped.ratio}x the bare program (target <= 1.3x): ${targets.startup.met ? "met" : "NOT met"}`,
    );
    console.log("\n2. Scale (ApiServiceAccounts in one stack, construction to last registration)");
    console.log(
        table(
            ["accounts", "resources", "ms", "ms/account", "heap MiB", "RSS MiB"],
            scaleRows.map((r) => [r.accounts, r.resources, r.ms, r.msPerAccount, r.heapMiB, r.rssMiB]),
        ),
    );
    console.log(
        `   time at the largest size / time at a tenth of it: ${targets.scale.ratio}x (target <= 11x): ${targets.scale.met ? "met" : "NOT met"}`,
    );
    console.log(
        "\n3. Policy pack over gRPC (sequential Analyze per resource, then AnalyzeStack), against an empty pack",
    );
    console.log(
        table(
            [
                "accounts",
                "resources",
                "Analyze ms",
                "empty",
                "AnalyzeStack ms",
                "empty",
                "us/resource",
                "empty",
                "ratio",
            ],
            policyRows.map((r) => [
                r.accounts,
                r.resources,
                r.analyzeMs.ours,
                r.analyzeMs.empty,
                r.analyzeStackMs.ours,
                r.analyzeStackMs.empty,
                r.perResourceUs.ours,
                r.perResourceUs.empty,
                r.perResourceUs.ratio,
            ]),
        ),
    );
    console.log(
        `   per-resource cost vs the empty pack: at most ${targets.policy.ratio}x (target <= 2x): ${targets.policy.met ? "met" : "NOT met"}; per-resource cost at the largest size / at 100 accounts: ${targets.policy.linear}x`,
    );
    console.log("\n4. Deployment critical path (dev stack)");
    console.log(
        `   ${path_.chain.join(" -> ")}  (${path_.roundTrips} API round trips: the token Secret counts twice, create and the wait for its token)`,
    );
    console.log(
        `   dependencies no input explains (needless dependsOn): ${path_.needless.length === 0 ? "none" : path_.needless.join(", ")}`,
    );
    printPlan(plan);

    if (engine && !("notMeasured" in engine)) {
        printEngine(engine);
    } else if (engine) {
        console.log(`\n5. Real engine: NOT MEASURED: ${engine.notMeasured}`);
    } else if (!engine) {
        console.log("\n5. Real engine: skipped (--no-engine)");
    }

    const all = { ...targets, plan: plan.target };
    writeResults({
        machine,
        engine,
        startup: startupRows,
        scale: scaleRows,
        policy: policyRows,
        criticalPath: path_,
        plan,
        targets: all,
    });
    if (engine && "notMeasured" in engine) {
        console.error("bench: the real engine (section 5) could not be measured (above)");
        return Math.max(1, verdict(all));
    }
    return verdict(all);
}

/** Writes `results` to bench/results.json, where the README says they are. */
function writeResults(results: object): void {
    const file = path.join(BENCH, "results.json");
    fs.writeFileSync(file, JSON.stringify(results, null, 2) + "\n");
    console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
}

/** 0 when every target is met; else 1, after naming each missed one on stderr. */
export function verdict(targets: Record<string, { met: boolean }>): number {
    const missed = Object.entries(targets).filter(([, t]) => !t.met);
    for (const [name, t] of missed) {
        console.error(`bench: target NOT met: ${name} ${JSON.stringify(t)}`);
    }
    return missed.length > 0 ? 1 : 0;
}

function printPlan(p: PlanTiming): void {
    console.log("\n6. Offline plan, end to end (npm run plan, fresh process, policy pack included)");
    console.log(
        table(
            ["program", "ms"],
            [
                ["bare (one resource)", p.bareMs],
                ["ours, dev stack", p.oursMs],
            ],
        ),
    );
    console.log(
        `   dev stack: ${p.oursMs} ms (target < ${p.target.ms} ms): ${p.target.met ? "met" : "NOT met"}; ${p.ratio}x the bare program`,
    );
}

runAsCommand(module, main);
