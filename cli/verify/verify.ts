// `npm run verify -- --stack dev` (or `--kubeconfig FILE`): proves against the live cluster that the
// account's own kubeconfig works over verified TLS, can do what it was granted and cannot do the
// sensitive things it was not. Exits 1 on any mismatch, 2 when the API server cannot be asked.
import "../requireNode";
import type { AuthorizationV1Api, KubeConfig } from "@kubernetes/client-node";
import { beyondDeclared, Check, checksFor, Expectation, missingRule } from "./access";
import { diagnose, Diagnosis, NOT_KUBERNETES, notKubernetes, tokenFacts } from "./diagnose";
import { defineCommand, keyValuePairs, runAsCommand, UsageError } from "../command";
import { credentialOf, loadKubeconfig } from "./kubeconfig";
import { makeApiClient } from "./apiClient";
import { describeGeneration, GenerationNames, TokenGeneration, tokenGeneration } from "./generation";
import { fromKubeconfigFile, fromStack } from "./input";
import { CellState, LEGEND, renderMatrix, sortVerbs } from "../matrix";
import { HeldSensitive, heldSensitive, namesAgainstDiscovery, renderHeld } from "./sensitive";

export interface CheckResult extends Check {
    readonly allowed: boolean;
    readonly state: CellState;
}

export interface VerifyReport {
    readonly endpoint: string;
    readonly subject?: string;
    readonly namespace: string;
    readonly checks: CheckResult[];
    /** What SelfSubjectRulesReview shows beyond the declared rules, in the account's namespace. */
    readonly beyondDeclared: string[];
    /** The sensitive table's rows the account holds (SelfSubjectAccessReview), declared or not. */
    readonly sensitiveHeld?: HeldSensitive[];
    /** Declared names the cluster's discovery does not serve (mismatches), and what was not checked. */
    readonly names?: { readonly problems: string[]; readonly notes: string[] };
    readonly mismatches: number;
    readonly diagnosis?: Diagnosis;
    /** Which generation of the long-lived token the kubeconfig holds, when its token names its Secret. */
    readonly token?: TokenGeneration;
}

export interface VerifyInput {
    /** The account's kubeconfig document. */
    readonly kubeconfig: string;
    /** What the account was granted; without it only the sensitive actions are checked. */
    readonly expectation?: Expectation;
    /** Where the kubeconfig came from, named in errors (default: "the kubeconfig"). */
    readonly source?: string;
    /** The folder its relative file names are taken from (default: the working directory). */
    readonly dir?: string;
    /** The deployed stack's current and previous token Secrets, to tell the token's generation. */
    readonly generations?: GenerationNames;
}

// @kubernetes/client-node is an ES module; Node 22 loads it through require, tests and CLI alike.
async function client() {
    return await import("@kubernetes/client-node");
}

/** Runs every check against the API server the kubeconfig names, and tells the token's generation. */
export async function verify(input: VerifyInput): Promise<VerifyReport> {
    let secretName: string | undefined;
    const report = await checkAll(input, (name) => (secretName = name));
    const token = tokenGeneration(secretName, input.generations, report.diagnosis?.kind === "unauthorized");
    return token ? { ...report, token } : report;
}

async function checkAll(input: VerifyInput, sawSecret: (name?: string) => void): Promise<VerifyReport> {
    const k8s = await client();
    const source = { text: input.kubeconfig, name: input.source ?? "the kubeconfig", dir: input.dir };
    const kc: KubeConfig = await loadKubeconfig(source);
    const cluster = kc.getCurrentCluster();
    if (!cluster) {
        throw new Error(`${source.name}: the current context names no cluster (current-context, contexts)`);
    }
    if (!cluster.server.startsWith("https://")) {
        throw new Error(
            `${source.name}: the server ${cluster.server} is plain http; verify only sends the credential over https, ` +
                "as the token would travel in clear. Use the API server's https URL (the server in an admin's kubeconfig, or pulumi stack output endpoint)",
        );
    }
    if (cluster.skipTLSVerify) {
        throw new Error(
            `${source.name} sets insecure-skip-tls-verify; verify only runs with TLS verified against the cluster CA`,
        );
    }
    const namespace =
        kc.getContextObject(kc.getCurrentContext())?.namespace ?? input.expectation?.namespace ?? "default";
    const failed = (diagnosis: Diagnosis, subject?: string): VerifyReport => ({
        endpoint: cluster.server,
        subject,
        namespace,
        checks: [],
        beyondDeclared: [],
        mismatches: 0,
        diagnosis,
    });
    // What the kubeconfig itself shows is wrong is reported before the token is sent anywhere.
    const credential = credentialOf(kc, source);
    if ("kind" in credential) {
        return failed(credential);
    }
    const token = credential.token;
    if (token !== undefined && token !== kc.getCurrentUser()?.token) {
        // From tokenFile: sent as kubectl sends it, as the bearer token.
        kc.loadFromOptions({
            clusters: kc.getClusters(),
            contexts: kc.getContexts(),
            currentContext: kc.getCurrentContext(),
            users: kc.getUsers().map((u) => (u.name === kc.getCurrentUser()?.name ? { ...u, token } : u)),
        });
    }
    const facts = tokenFacts(token);
    sawSecret(facts.secretName);
    const subject = credential.subject ?? facts.subject;
    const api: AuthorizationV1Api = await makeApiClient(kc, k8s.AuthorizationV1Api);
    const ctx = { endpoint: cluster.server, token, subject };

    // A Kubernetes API server says what it is at /version; a web page answers 200 to anything.
    try {
        const version = (await (await makeApiClient(kc, k8s.VersionApi)).getCode()) as {
            gitVersion?: unknown;
        };
        if (typeof version?.gitVersion !== "string") {
            return failed(
                notKubernetes(cluster.server, "GET /version with something other than a version document"),
                subject,
            );
        }
    } catch (err) {
        // Some clusters keep /version from anyone; the reviews below still tell.
        if ((err as { code?: unknown }).code !== 403) {
            return failed(diagnose(err, ctx), subject);
        }
    }

    const checks = checksFor(input.expectation, namespace);
    const results: CheckResult[] = [];
    try {
        // A few at a time: enough to be quick, few enough not to trip API priority and fairness.
        for (let i = 0; i < checks.length; i += 8) {
            const batch = await Promise.all(checks.slice(i, i + 8).map((c) => ask(api, c)));
            results.push(...batch);
        }
        const review = await api.createSelfSubjectRulesReview({
            body: {
                apiVersion: "authorization.k8s.io/v1",
                kind: "SelfSubjectRulesReview",
                spec: { namespace },
            },
        });
        const beyond = beyondDeclared(
            {
                resourceRules: review.status?.resourceRules ?? [],
                nonResourceRules: review.status?.nonResourceRules ?? [],
            },
            input.expectation,
            namespace,
        );
        const names = await namesAgainstDiscovery(kc, input.expectation, source.name);
        const mismatches =
            results.filter((r) => r.state === "missing" || r.state === "unexpected").length +
            beyond.length +
            names.problems.length;
        return {
            endpoint: cluster.server,
            subject,
            namespace,
            checks: results,
            beyondDeclared: beyond,
            sensitiveHeld: heldSensitive(results),
            names,
            mismatches,
        };
    } catch (err) {
        return {
            endpoint: cluster.server,
            subject,
            namespace,
            checks: results,
            beyondDeclared: [],
            mismatches: 0,
            diagnosis: diagnose(err, ctx),
        };
    }
}

/** One SelfSubjectAccessReview for a resource or URL check: is the caller allowed? */
export async function accessReview(
    api: AuthorizationV1Api,
    c: Pick<Check, "verb" | "group" | "resource" | "subresource" | "name" | "namespace" | "path">,
): Promise<boolean> {
    const spec = c.path
        ? { nonResourceAttributes: { path: c.path, verb: c.verb } }
        : {
              resourceAttributes: {
                  verb: c.verb,
                  group: c.group,
                  resource: c.resource,
                  subresource: c.subresource,
                  name: c.name,
                  namespace: c.namespace,
              },
          };
    const res = await api.createSelfSubjectAccessReview({
        body: { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec },
    });
    if (res.status === undefined) {
        throw Object.assign(new Error("a SelfSubjectAccessReview without a status"), {
            code: NOT_KUBERNETES,
        });
    }
    return res.status.allowed === true;
}

async function ask(api: AuthorizationV1Api, c: Check): Promise<CheckResult> {
    const allowed = await accessReview(api, c);
    const state: CellState = c.expected
        ? allowed
            ? "allowed"
            : "missing"
        : allowed
          ? "unexpected"
          : "denied";
    return { ...c, allowed, state };
}

/** Why a role or binding pulumi up should have made may be missing, and where the fix is. */
const DEPLOYER_HINT =
    'If pulumi up stopped with "attempting to grant RBAC permissions not currently held", the identity running it ' +
    "lacks escalate and bind on the role: npm run plan prints the ClusterRole it needs (docs/deployer.md).";

/** The access matrix and findings, for a person. */
export function renderReport(r: VerifyReport): string {
    const out: string[] = [];
    out.push(
        `Verifying ${r.subject ?? "the account"} against ${r.endpoint} (TLS verified against the kubeconfig's CA)`,
    );
    if (r.token) {
        out.push(describeGeneration(r.token));
    }
    if (r.diagnosis) {
        out.push("", `FAILED: ${r.diagnosis.summary}`, ...r.diagnosis.hints.map((h) => `  - ${h}`));
        return out.join("\n");
    }
    const rows = [...new Set(r.checks.map((c) => c.row))];
    const verbs = sortVerbs(r.checks.map((c) => c.verb));
    out.push(
        "",
        renderMatrix(rows, verbs, (row, verb) => {
            const c = r.checks.find((x) => x.row === row && x.verb === verb);
            return c?.state === "allowed" && c.sensitive ? "sensitive" : c?.state;
        }),
        "",
        `  ${LEGEND}`,
    );
    const missing = r.checks.filter((x) => x.state === "missing");
    for (const c of missing) {
        out.push(
            `  ✗ declared but denied: ${c.verb} ${c.row}. The role or binding is missing or differs; it needs ${missingRule(c)}.`,
        );
    }
    if (missing.length > 0) {
        out.push(`  ${DEPLOYER_HINT}`);
    }
    for (const c of r.checks.filter((x) => x.state === "unexpected")) {
        out.push(
            `  ! allowed but not declared: ${c.verb} ${c.row}. Something else grants it (another binding, an aggregated ClusterRole, or a group).`,
        );
    }
    if (r.beyondDeclared.length > 0) {
        out.push(
            `  ! SelfSubjectRulesReview in namespace ${r.namespace} shows more than declared: ${r.beyondDeclared.join("; ")}`,
        );
    }
    for (const p of r.names?.problems ?? []) {
        out.push(`  ✗ ${p}`);
    }
    for (const n of r.names?.notes ?? []) {
        out.push(`  note: ${n}`);
    }
    if ((r.sensitiveHeld ?? []).length > 0) {
        out.push(
            "",
            "Sensitive permissions the account holds (docs/sensitive-permissions.md):",
            ...renderHeld(r.sensitiveHeld!),
        );
    }
    out.push(
        "",
        r.mismatches === 0
            ? "OK: the account can do what it was granted and nothing sensitive beyond it."
            : `MISMATCH: ${r.mismatches} finding(s) above.`,
    );
    return out.join("\n");
}

/** The verify command, declared once: its parsing, usage text and hints come from this table. */
export const VERIFY = defineCommand({
    name: "verify",
    options: {
        stack: {
            type: "string",
            value: "<name>",
            help:
                "read the kubeconfig and the declared access from the stack's outputs (Pulumi CLI, via the " +
                "Automation API); with --kubeconfig, the declared access comes from Pulumi.<name>.yaml offline",
        },
        kubeconfig: {
            type: "string",
            value: "FILE",
            help: "the account's kubeconfig (pulumi stack output kubeconfig --show-secrets > FILE)",
        },
        config: {
            type: "string",
            value: "KEY=VALUE",
            multiple: true,
            help:
                "with --kubeconfig and --stack: a secure: setting the declared access depends on (access, " +
                "rules), in clear for this run, as plan takes it",
        },
        json: {
            type: "boolean",
            help: 'machine-readable report; every failure, a wrong option included, is JSON too ({"error": ...})',
        },
    },
    notes: [
        "Give --stack, --kubeconfig, or both.",
        "npm passes options to the command only after --: npm run verify -- --stack dev",
    ],
});

/**
 * Prints a failure of the command itself (exit 2): as `{"error": message}` on stdout with --json, so a
 * machine reading it always gets JSON; else the message on stderr, with the usage when `usage`.
 */
function failure(message: string, json: boolean, usage: boolean): number {
    if (json) {
        console.log(JSON.stringify({ error: message }, null, 2));
    } else {
        console.error(usage ? VERIFY.explain(message) : `verify failed: ${message}`);
    }
    return 2;
}

export async function main(argv: string[]): Promise<number> {
    // Whether --json was asked for is read before parsing, so that a refused command line answers in JSON too.
    const json = argv.slice(0, argv.includes("--") ? argv.indexOf("--") : argv.length).includes("--json");
    const parsed = VERIFY.parse(argv);
    if (!parsed.ok) {
        return failure(parsed.message, json, true);
    }
    const args = parsed.values;
    if (args.help) {
        console.log(VERIFY.usage());
        return 0;
    }
    try {
        if (!args.stack && !args.kubeconfig) {
            throw new UsageError("give --stack NAME, --kubeconfig FILE, or both");
        }
        const config = keyValuePairs(
            args.config,
            "--config KEY=VALUE, such as --config kube-api-access:access=read-only",
        );
        if (args.config && !(args.kubeconfig && args.stack)) {
            throw new UsageError(
                "--config gives settings for the declared access computed offline, with --kubeconfig FILE --stack NAME; " +
                    "with --stack alone the deployed stack's outputs are read",
            );
        }
        const input = args.kubeconfig
            ? await fromKubeconfigFile(args.kubeconfig, args.stack, config)
            : await fromStack(args.stack!);
        const report = await verify(input);
        console.log(json ? JSON.stringify(report, null, 2) : renderReport(report));
        return report.diagnosis ? 2 : report.mismatches > 0 ? 1 : 0;
    } catch (err) {
        return failure((err as Error).message, json, err instanceof UsageError);
    }
}

runAsCommand(module, main);
