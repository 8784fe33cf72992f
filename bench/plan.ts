// 6. The offline plan of the dev stack, end to end as `npm run plan -- --stack dev` runs it (a fresh
// process: the command, the program under the mock runtime, the policy pack started as the CLI starts
// it, manifests written), beside a bare one-resource program planned the same way (plan --dir).
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { performance } from "perf_hooks";
import { PROJECT_DIR } from "../offline/program";

export interface PlanRow {
    readonly program: string;
    readonly ms: number;
}

export interface PlanTiming {
    readonly bareMs: number;
    readonly oursMs: number;
    readonly ratio: number;
    /** Wall time of the dev stack's plan: the target is under 3 s. */
    readonly target: { readonly ms: number; readonly met: boolean };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One `npm run plan` as package.json's script runs it, timed from spawn to exit. */
function planOnce(args: string[]): Promise<number> {
    const script = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as {
        scripts: { plan: string };
    };
    // "ts-node --transpile-only cli/plan/plan.ts" or "node bin/cli/plan/plan.js": run its binary with node directly.
    const [bin, ...rest] = script.scripts.plan.split(" ");
    const entry = bin === "node" ? rest : [require.resolve(`${bin}/dist/bin`), ...rest];
    const start = performance.now();
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, [...entry, ...args], {
            cwd: PROJECT_DIR,
            // No kubeconfig: the plan uses its placeholder endpoint, as on a fresh machine.
            env: { ...process.env, KUBECONFIG: "/nonexistent/kubeconfig" },
            stdio: ["ignore", "ignore", "pipe"],
        });
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        child.on("exit", (code) =>
            code === 0
                ? resolve(performance.now() - start)
                : reject(new Error(`plan ${args.join(" ")}: ${err}`)),
        );
    });
}

export async function planTiming(runs: number): Promise<PlanTiming> {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "bench-plan-"));
    try {
        const ours: number[] = [];
        const bare: number[] = [];
        for (let i = 0; i < runs; i++) {
            ours.push(await planOnce(["--stack", "dev", "--out", path.join(out, `ours-${i}`)]));
            bare.push(
                await planOnce([
                    "--stack",
                    "bench",
                    "--dir",
                    path.join(__dirname, "bare"),
                    "--out",
                    path.join(out, `bare-${i}`),
                ]),
            );
        }
        const oursMs = Math.round(median(ours));
        const bareMs = Math.round(median(bare));
        return {
            bareMs,
            oursMs,
            ratio: Number((oursMs / bareMs).toFixed(2)),
            target: { ms: 3000, met: oursMs < 3000 },
        };
    } finally {
        fs.rmSync(out, { recursive: true, force: true });
    }
}
