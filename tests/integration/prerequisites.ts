// What the integration tests need, and why they skip without it. They deploy for real, so they only
// use a cluster that is plainly a test cluster: a kind context, or one named in KUBE_API_ACCESS_IT_CONTEXT.
import { spawnSync } from "child_process";

export interface Found {
    readonly ok: boolean;
    readonly why?: string;
}

export interface ClusterFound extends Found {
    readonly context?: string;
}

const run = (cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env) =>
    spawnSync(cmd, args, { encoding: "utf8", timeout: 20_000, env });

export function pulumiCli(): Found {
    const res = run("pulumi", ["version"]);
    return res.status === 0
        ? { ok: true }
        : { ok: false, why: "the Pulumi CLI is not installed (pulumi version failed)" };
}

export function testCluster(): ClusterFound {
    const current = run("kubectl", ["config", "current-context"]);
    if (current.error) {
        return { ok: false, why: "kubectl is not installed" };
    }
    const context = process.env.KUBE_API_ACCESS_IT_CONTEXT ?? current.stdout.trim();
    if (!context) {
        return { ok: false, why: "no kube context is set (create one with kind create cluster)" };
    }
    if (!process.env.KUBE_API_ACCESS_IT_CONTEXT && !context.startsWith("kind-")) {
        return {
            ok: false,
            why: `the current kube context "${context}" is not a kind cluster; set KUBE_API_ACCESS_IT_CONTEXT to a test cluster's context to use it`,
        };
    }
    const version = run("kubectl", ["--context", context, "get", "--raw", "/version"]);
    return version.status === 0
        ? { ok: true, context }
        : {
              ok: false,
              why: `the cluster of context "${context}" does not answer: ${(version.stderr || "").trim().split("\n")[0]}`,
          };
}

export function vaultServer(): Found {
    if (!process.env.VAULT_ADDR || !process.env.VAULT_TOKEN) {
        return {
            ok: false,
            why: "VAULT_ADDR and VAULT_TOKEN are not set (start one with vault server -dev)",
        };
    }
    const status = run("vault", ["status", "-format=json"]);
    if (status.error) {
        return { ok: false, why: "the vault CLI is not installed" };
    }
    return status.status === 0
        ? { ok: true }
        : { ok: false, why: `vault status failed: ${(status.stderr || "").trim()}` };
}

/** Skips the suite with the reasons, printed, when anything is missing. */
export function requireAll(ctx: Mocha.Context, found: Found[]): void {
    const missing = found.filter((f) => !f.ok).map((f) => f.why);
    if (missing.length > 0) {
        console.log(`      skipped: ${missing.join("; ")}`);
        ctx.skip();
    }
}
