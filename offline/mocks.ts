// Pulumi mock runtime for running the program and the component without a CLI or a cluster: records
// every registration as the engine would receive it, and plays the API server's part where the program
// reads what the cluster fills in (ServiceAccount UIDs, the token controller's Secret data).
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import { ANNOTATIONS } from "../components/metadata";
import { mockMonitor, rpcQueue, waitForRPCs } from "../components/sdkInternals";
import { manifestKindOf, parseKubernetesType } from "../rbac/kubernetesType";
import { isServiceAccountTokenSecret } from "../rbac/serviceAccountToken";
import { serviceAccountUser } from "../rbac/serviceAccountUser";
import { expandedChildren, kubernetesInvoke } from "./kubernetesYaml";

/** One registration as the engine receives it, with the options that shape a deployment. */
export interface RecordedResource {
    readonly type: string;
    readonly name: string;
    readonly urn: string;
    readonly parent: string;
    readonly custom: boolean;
    /** True for a component its provider constructs (a multi-language component: helm v4 Chart, yaml/v2). */
    readonly remote?: boolean;
    /** Provider reference (`urn::id`), empty for the default provider. */
    readonly provider: string;
    readonly inputs: Record<string, unknown>;
    /** Input property paths that carried a secret. */
    readonly secretInputs: string[];
    readonly dependencies: string[];
    /** For each input property, the resources its value came from. */
    readonly propertyDependencies: Record<string, string[]>;
    readonly replaceOnChanges: string[];
    readonly deleteBeforeReplace: boolean;
    /** URNs whose replacement replaces this resource too (the `replaceWith` option). */
    readonly replaceWith: string[];
    readonly customTimeouts: { create?: string; update?: string; delete?: string };
}

/** What a StackReference to another stack reads: its outputs, and which of them are secret. */
export interface StackReferenceOutputs {
    readonly outputs: Record<string, unknown>;
    readonly secretOutputNames?: string[];
}

/** The CA the offline API server hands out in token Secrets. Not a usable certificate. */
export const OFFLINE_CA_PEM =
    "-----BEGIN CERTIFICATE-----\nT0ZGTElORS1QTEFOLUNBLU5PVC1BLVJFQUwtQ0VSVElGSUNBVEU=\n-----END CERTIFICATE-----\n";

/** The token the offline token controller issues for an account: JWT-shaped, unsigned, useless to a server. */
export function offlineToken(namespace: string, serviceAccount: string): string {
    const part = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
    return [
        part({ alg: "none", typ: "JWT" }),
        part({ iss: "kube-api-access/offline", sub: serviceAccountUser(namespace, serviceAccount) }),
        "offline-not-a-real-signature",
    ].join(".");
}

/** A stable UID per object, as the API server would assign one. */
export function offlineUid(kind: string, namespace: string | undefined, name: string): string {
    const h = createHash("sha256")
        .update(`${kind}/${namespace ?? ""}/${name}`)
        .digest("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

interface Metadata {
    name?: string;
    namespace?: string;
    annotations?: Record<string, string>;
}

/** Mocks that answer as a cluster would; `resources` fills in as the program registers. */
export class OfflineCluster implements pulumi.runtime.Mocks {
    readonly resources: RecordedResource[] = [];
    /** What the provider would have failed the run with (a yaml/v2 file that does not exist); settled() throws the first. */
    readonly failures: Error[] = [];
    /**
     * The stacks the program read through a StackReference, by name. A StackReference is a read
     * (ReadResource), never a registration, so it is not among `resources`.
     */
    readonly stackReferencesRead: string[] = [];

    /**
     * In a preview, what the cluster assigns (UIDs, token data) stays unknown, as in `pulumi preview`.
     * `stackReferences` are the outputs other stacks would return to a StackReference, by stack name.
     */
    constructor(
        readonly preview = false,
        readonly stackReferences: Record<string, StackReferenceOutputs> = {},
    ) {}

    newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
        const inputs = args.inputs as Record<string, unknown> & { metadata?: Metadata; type?: string };
        if (args.type === "pulumi:pulumi:StackReference") {
            const named = (inputs as { name?: unknown }).name;
            const stackName = typeof named === "string" ? named : args.name;
            this.stackReferencesRead.push(stackName);
            const ref = this.stackReferences[stackName];
            if (!ref) {
                throw new Error(
                    `offline run: no outputs were given for the stack reference ${stackName}: npm run plan takes ` +
                        `them with --stack-outputs ${stackName}=FILE, FILE being that stack's plan.json (npm run ` +
                        "plan -- --stack <stack> writes one) or what pulumi stack output --json prints",
                );
            }
            return {
                id: stackName,
                state: {
                    name: stackName,
                    outputs: ref.outputs,
                    secretOutputNames: ref.secretOutputNames ?? [],
                },
            };
        }
        const type = parseKubernetesType(args.type);
        if (!type) {
            return { id: `${args.name}-id`, state: inputs };
        }
        // A Patch's object is the one it patches: the same kind, so the same uid.
        const kind = manifestKindOf(type);
        if (args.id) {
            // A read (`Resource.get`): the object as the API server holds it, named by its ID. The offline
            // cluster is the one a first `up` meets: it holds only the object's identity, known even in a
            // preview (a read runs in a preview), nothing written by an earlier up.
            const [namespace, name] = args.id.includes("/") ? args.id.split("/") : [undefined, args.id];
            return {
                id: args.id,
                state: { metadata: { name, namespace, uid: offlineUid(kind, namespace, name) } },
            };
        }
        const metadata: Metadata = inputs.metadata ?? {};
        const name = metadata.name ?? autoName(args.type, args.name);
        const state: Record<string, unknown> = {
            ...inputs,
            metadata: {
                ...metadata,
                name,
                uid: this.preview ? pulumi.runtime.unknownValue : offlineUid(kind, metadata.namespace, name),
            },
        };
        const isToken = isServiceAccountTokenSecret(args.type, inputs);
        if (isToken && this.preview) {
            state.data = pulumi.runtime.unknownValue;
        } else if (isToken) {
            const namespace = metadata.namespace ?? "default";
            const account = metadata.annotations?.[ANNOTATIONS.serviceAccountName] ?? "";
            const b64 = (s: string) => Buffer.from(s).toString("base64");
            state.data = {
                "ca.crt": b64(OFFLINE_CA_PEM),
                namespace: b64(namespace),
                token: b64(offlineToken(namespace, account)),
            };
        }
        return { id: metadata.namespace ? `${metadata.namespace}/${name}` : name, state };
    }

    /**
     * Resolves once every registration has been answered and no further one starts, as the program's
     * process would run until its event loop is empty. Waiting for the RPC queue once is not enough: the
     * v1 YAML components register their objects in promise callbacks that run after the `yaml:decode`
     * invoke's RPC has ended, so the queue drains before those registrations start.
     */
    async settled(): Promise<RecordedResource[]> {
        for (;;) {
            await waitForRPCs();
            const drained = rpcQueue();
            await new Promise((resolve) => setImmediate(resolve));
            if (rpcQueue() === drained) {
                if (this.failures.length > 0) {
                    throw this.failures[0];
                }
                return this.resources;
            }
        }
    }

    call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
        const answer = kubernetesInvoke(args.token, args.inputs as Record<string, unknown>);
        if (answer) {
            return answer;
        }
        throw invokeError(this.unanswered(args.token));
    }

    /** What an invoke without an answer says: the run's own fix (a subclass for unit tests gives its own). */
    protected unanswered(token: string): string {
        return (
            `offline run: the function ${token} (an invoke) has no offline answer: it needs its provider, ` +
            "which an offline run does not start. Plan the program without that call, or check it with " +
            "pulumi preview"
        );
    }
}

/**
 * The name the Kubernetes provider gives an object the program leaves unnamed (no metadata.name): the
 * Pulumi name, a dash and 8 random hex digits (pulumi-kubernetes provider/pkg/metadata/naming.go,
 * AssignNameIfAutonamable, with the SDK's resource.NewUniqueName). Offline the 8 digits come from the
 * SHA-256 of `type` and `name`, so each run gives the same made-up name; pulumi up picks its own.
 */
export function autoName(type: string, name: string): string {
    return `${name}-${createHash("sha256").update(`${type}::${name}`).digest("hex").slice(0, 8)}`;
}

/** The annotation the provider sets on an object it named (pulumi-kubernetes AnnotationAutonamed). */
export const AUTONAMED_ANNOTATION = "pulumi.com/autonamed";

/**
 * `resources` with each Kubernetes object the program leaves unnamed (no metadata.name or generateName;
 * a `*Patch` names its target) named as pulumi up names it (autoName) and annotated AUTONAMED_ANNOTATION,
 * as the provider's Check does before the engine hands the inputs to a policy pack.
 */
export function withAutoNames(resources: RecordedResource[]): RecordedResource[] {
    return resources.map((r) => {
        const metadata = (r.inputs.metadata ?? {}) as Metadata & { generateName?: unknown };
        if (
            !r.custom ||
            [undefined, "Patch"].includes(parseKubernetesType(r.type)?.variant) ||
            metadata.name !== undefined ||
            metadata.generateName !== undefined
        ) {
            return r;
        }
        const annotations = { ...metadata.annotations, [AUTONAMED_ANNOTATION]: "true" };
        return {
            ...r,
            inputs: { ...r.inputs, metadata: { ...metadata, name: autoName(r.type, r.name), annotations } },
        };
    });
}

/**
 * An error an invoke mock throws. The mock monitor passes it to the runtime as a gRPC error, and the
 * runtime reports only a gRPC error's `details` (@pulumi/pulumi runtime/invoke.ts, invokeAsync), so a plain
 * Error's message would be lost: an empty "Error" would reach the program.
 */
export function invokeError(message: string): Error {
    return Object.assign(new Error(message), { details: message });
}

/**
 * Installs the mocks and wraps the mock monitor so that every registration request is recorded with
 * its parent, dependencies and options, which MockResourceArgs does not carry.
 */
export async function installOfflineCluster(
    project: string,
    stack: string,
    preview: boolean,
    stackReferences: Record<string, StackReferenceOutputs> = {},
    /** The program's folder, where relative YAML file paths start. */
    programDir: string = process.cwd(),
): Promise<OfflineCluster> {
    const cluster = new OfflineCluster(preview, stackReferences);
    await pulumi.runtime.setMocks(cluster, project, stack, preview);
    const monitor = mockMonitor<RegisterRequest>();
    if (!monitor) {
        throw new Error("pulumi.runtime.setMocks installed no MockMonitor: the @pulumi/pulumi SDK changed");
    }
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) =>
        register(req, (err, res) => {
            if (!err && res) {
                const record = recordOf(req, res.getUrn());
                cluster.resources.push(record);
                // What the provider would register for a yaml/v2 component, it registers here; what the
                // provider would fail the run with (a missing file) fails it here, once the program settles.
                try {
                    cluster.resources.push(...expandedChildren(record, programDir));
                } catch (problem) {
                    cluster.failures.push(problem as Error);
                }
            }
            cb(err, res);
        });
    // The mock monitor keeps a component's registered outputs as a protobuf Struct, which its own read by
    // URN (getResource) cannot serve; keep them as plain values, as the engine serves them to rehydration.
    const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
    monitor.registerResourceOutputs = (req, cb) =>
        registerOutputs(req, (err) => {
            const record = monitor.resources.get(req.getUrn());
            const state = record?.state as { toJavaScript?: () => unknown } | undefined;
            if (!err && record && typeof state?.toJavaScript === "function") {
                record.state = state.toJavaScript();
            }
            cb(err);
        });
    return cluster;
}

interface RegisterRequest {
    getType(): string;
    getName(): string;
    getParent(): string;
    getCustom(): boolean;
    getRemote(): boolean;
    getProvider(): string;
    getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
    getDependenciesList(): string[];
    getPropertydependenciesMap(): {
        forEach(cb: (value: { getUrnsList(): string[] }, key: string) => void): void;
    };
    getReplaceonchangesList(): string[];
    getDeletebeforereplace(): boolean;
    getReplaceWithList(): string[];
    getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

function recordOf(req: RegisterRequest, urn: string): RecordedResource {
    const secretInputs: string[] = [];
    const inputs = unwrap(req.getObject()?.toJavaScript() ?? {}, "", secretInputs) as Record<string, unknown>;
    const timeouts = req.getCustomtimeouts();
    return {
        type: req.getType(),
        name: req.getName(),
        urn,
        parent: req.getParent(),
        custom: req.getCustom(),
        remote: req.getRemote(),
        provider: req.getProvider(),
        inputs,
        secretInputs,
        dependencies: req.getDependenciesList(),
        propertyDependencies: propertyDependenciesOf(req),
        replaceOnChanges: req.getReplaceonchangesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        replaceWith: req.getReplaceWithList(),
        customTimeouts: {
            create: timeouts?.getCreate() || undefined,
            update: timeouts?.getUpdate() || undefined,
            delete: timeouts?.getDelete() || undefined,
        },
    };
}

/** Turns the wire form back into plain values, noting where secrets were. */
function unwrap(value: unknown, path: string, secrets: string[]): unknown {
    if (Array.isArray(value)) {
        return value.map((v, i) => unwrap(v, `${path}[${i}]`, secrets));
    }
    if (value !== null && typeof value === "object") {
        const obj = value as Record<string, unknown>;
        if (obj[pulumi.runtime.specialSigKey] === pulumi.runtime.specialSecretSig) {
            secrets.push(path);
            return unwrap(obj.value, path, secrets);
        }
        return Object.fromEntries(
            Object.entries(obj).map(([k, v]) => [k, unwrap(v, path ? `${path}.${k}` : k, secrets)]),
        );
    }
    return value;
}

function propertyDependenciesOf(req: RegisterRequest): Record<string, string[]> {
    const out: Record<string, string[]> = {};
    req.getPropertydependenciesMap().forEach((deps, key) => {
        out[key] = deps.getUrnsList();
    });
    return out;
}
