// Starts the policy pack the way the Pulumi CLI does (node @pulumi/pulumi/cmd/run-policy-pack, in the
// pack's folder) and speaks the engine's side of the Analyzer gRPC protocol to it.
import { ChildProcess, spawn } from "child_process";
import * as path from "path";
import * as grpc from "@grpc/grpc-js";
import * as pulumi from "@pulumi/pulumi";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { refuseStalePack } from "../policy/lib/staleBuild";
import type { RecordedResource } from "./mocks";

export const POLICY_DIR = path.resolve(__dirname, "..", "policy");

/** The Pulumi SDKs' own gRPC message limit (400 MiB). */
const MAX_MESSAGE_BYTES = 400 * 1024 * 1024;

export type Level = "advisory" | "mandatory" | "disabled" | "remediate";
const LEVELS: Level[] = ["advisory", "mandatory", "disabled", "remediate"];

export interface Diagnostic {
    readonly policyName: string;
    readonly policyPackName: string;
    readonly message: string;
    readonly enforcementLevel: Level;
    readonly urn: string;
}

export interface AnalyzedResource {
    readonly type: string;
    readonly name: string;
    readonly urn?: string;
    readonly parent?: string;
    readonly properties: Record<string, unknown>;
    /** Property paths (`a.b[0].c`) whose values travel as secrets. */
    readonly secretPaths?: string[];
}

/** A registration recorded by the offline runner, as the engine would send it to the pack. */
export function toAnalyzed(r: RecordedResource): AnalyzedResource {
    return {
        type: r.type,
        name: r.name,
        urn: r.urn,
        parent: r.parent,
        properties: r.inputs,
        secretPaths: r.secretInputs,
    };
}

export interface PolicyInfo {
    readonly name: string;
    readonly version: string;
    readonly supportsConfig: boolean;
    readonly policies: {
        name: string;
        enforcementLevel: Level;
        description: string;
        configSchema?: unknown;
    }[];
}

/** A running policy pack. */
export class PolicyPackProcess {
    private constructor(
        private readonly child: ChildProcess,
        private readonly client: analyzerGrpc.AnalyzerClient,
        readonly stderr: () => string,
    ) {}

    /** Starts the pack in `dir` and connects once it prints its port. */
    static async start(dir: string = POLICY_DIR, timeoutMs = 120_000): Promise<PolicyPackProcess> {
        // Here, so that a stale build is one plain message rather than the pack process's stack trace.
        refuseStalePack(dir, "the command");
        const runner = require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [dir] });
        // The CLI passes its engine's address first; the pack only logs through it.
        const child = spawn(process.execPath, [runner, "127.0.0.1:1", "."], {
            cwd: dir,
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        let err = "";
        child.stderr.on("data", (d: Buffer) => (err += d.toString()));
        const port = await new Promise<number>((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`policy pack printed no port in ${timeoutMs} ms:\n${err}`)),
                timeoutMs,
            );
            child.stdout.on("data", (d: Buffer) => {
                out += d.toString();
                const m = /^(\d+)\s*$/m.exec(out);
                if (m) {
                    clearTimeout(timer);
                    resolve(Number(m[1]));
                }
            });
            child.on("exit", (code) => {
                clearTimeout(timer);
                reject(new Error(`policy pack exited (${code}) before printing its port:\n${out}\n${err}`));
            });
        });
        // The engine sends a whole stack in one AnalyzeStack call; raise gRPC's 4 MiB default as it does.
        const client = new analyzerGrpc.AnalyzerClient(
            `127.0.0.1:${port}`,
            grpc.credentials.createInsecure(),
            {
                "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
                "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
            },
        );
        return new PolicyPackProcess(child, client, () => err);
    }

    async info(): Promise<PolicyInfo> {
        const res = await this.call<analyzerPb.AnalyzerInfo>((cb) =>
            this.client.getAnalyzerInfo(new Empty(), cb),
        );
        return {
            name: res.getName(),
            version: res.getVersion(),
            supportsConfig: res.getSupportsconfig(),
            policies: res.getPoliciesList().map((p) => ({
                name: p.getName(),
                description: p.getDescription(),
                enforcementLevel: LEVELS[p.getEnforcementlevel()],
                configSchema: p.getConfigschema()?.getProperties()?.toJavaScript(),
            })),
        };
    }

    /** Sends policy config as `--policy-pack-config` would: per policy, a level and properties. */
    async configure(
        config: Record<string, { enforcementLevel?: Level; properties?: Record<string, unknown> }>,
    ): Promise<void> {
        const req = new analyzerPb.ConfigureAnalyzerRequest();
        const map = req.getPolicyconfigMap();
        for (const [name, c] of Object.entries(config)) {
            const pc = new analyzerPb.PolicyConfig();
            pc.setEnforcementlevel(LEVELS.indexOf(c.enforcementLevel ?? "advisory"));
            pc.setProperties(Struct.fromJavaScript((c.properties ?? {}) as Record<string, never>));
            map.set(name, pc);
        }
        await this.call((cb) => this.client.configure(req, cb));
    }

    async analyze(resource: AnalyzedResource): Promise<Diagnostic[]> {
        const req = new analyzerPb.AnalyzeRequest();
        req.setType(resource.type);
        req.setName(resource.name);
        req.setUrn(resource.urn ?? urnOf(resource));
        req.setProperties(toStruct(resource));
        req.setOptions(new analyzerPb.AnalyzerResourceOptions());
        const res = await this.call<analyzerPb.AnalyzeResponse>((cb) => this.client.analyze(req, cb));
        return diagnostics(res);
    }

    /** What a preview asks: each resource on its own, then the whole stack. */
    async analyzeAll(resources: AnalyzedResource[]): Promise<Diagnostic[]> {
        const perResource = await Promise.all(resources.map((r) => this.analyze(r)));
        return [...perResource.flat(), ...(await this.analyzeStack(resources))];
    }

    async analyzeStack(resources: AnalyzedResource[]): Promise<Diagnostic[]> {
        const req = new analyzerPb.AnalyzeStackRequest();
        req.setResourcesList(
            resources.map((r) => {
                const ar = new analyzerPb.AnalyzerResource();
                ar.setType(r.type);
                ar.setName(r.name);
                ar.setUrn(r.urn ?? urnOf(r));
                ar.setParent(r.parent ?? "");
                ar.setProperties(toStruct(r));
                ar.setOptions(new analyzerPb.AnalyzerResourceOptions());
                return ar;
            }),
        );
        const res = await this.call<analyzerPb.AnalyzeResponse>((cb) => this.client.analyzeStack(req, cb));
        return diagnostics(res);
    }

    stop(): void {
        this.client.close();
        this.child.kill();
    }

    private call<T>(invoke: (cb: (err: grpc.ServiceError | null, res: T) => void) => void): Promise<T> {
        return new Promise<T>((resolve, reject) =>
            invoke((err, res) =>
                err ? reject(new Error(`${err.message}\n${this.stderr()}`)) : resolve(res),
            ),
        );
    }
}

function urnOf(r: AnalyzedResource): string {
    return `urn:pulumi:offline::kube-api-access::${r.type}::${r.name}`;
}

function diagnostics(res: analyzerPb.AnalyzeResponse): Diagnostic[] {
    return res.getDiagnosticsList().map((d) => ({
        policyName: d.getPolicyname(),
        policyPackName: d.getPolicypackname(),
        message: d.getMessage(),
        enforcementLevel: LEVELS[d.getEnforcementlevel()],
        urn: d.getUrn(),
    }));
}

/** The wire form of properties: plain JSON with secret paths wrapped as the engine wraps them. */
function toStruct(r: AnalyzedResource): Struct {
    const secrets = new Set(r.secretPaths ?? []);
    const wrap = (value: unknown, at: string): unknown => {
        let out: unknown = value;
        if (Array.isArray(value)) {
            out = value.map((v, i) => wrap(v, `${at}[${i}]`));
        } else if (value !== null && typeof value === "object") {
            out = Object.fromEntries(
                Object.entries(value)
                    .filter(([, v]) => v !== undefined)
                    .map(([k, v]) => [k, wrap(v, at ? `${at}.${k}` : k)]),
            );
        }
        return secrets.has(at)
            ? { [pulumi.runtime.specialSigKey]: pulumi.runtime.specialSecretSig, value: out }
            : out;
    };
    return Struct.fromJavaScript(wrap(r.properties, "") as Record<string, never>);
}
