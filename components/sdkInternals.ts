// The Pulumi SDK's internals this project reaches, in one module: they are not its public API, so an SDK
// upgrade that moves or changes one breaks here, typed once. It sits in components/ because the component
// (tokenSecret.ts) needs one and a product imports only itself; the tools import it from here. Checked
// against @pulumi/pulumi's sources (sdk/nodejs/runtime/config.ts, settings.ts, state.ts, runtime/mocks.ts,
// runtime/rpc.ts).
/* eslint-disable @typescript-eslint/no-require-imports */
import * as pulumi from "@pulumi/pulumi";

const config = require("@pulumi/pulumi/runtime/config") as { isConfigSecret(key: string): boolean };
const settings = require("@pulumi/pulumi/runtime/settings") as { waitForRPCs(): Promise<void> };
const state = require("@pulumi/pulumi/runtime/state") as {
    getStore(): { settings: { rpcDone: Promise<void> } };
};

/** The SDK's own test of a namespaced key's secretness (`isConfigSecret`, marked internal). */
export const isConfigSecret = (key: string): boolean => config.isConfigSecret(key);

/** The runtime's wait for outstanding RPCs, which `pulumi up` relies on before the program exits. */
export const waitForRPCs = (): Promise<void> => settings.waitForRPCs();

/** The promise the runtime's RPC queue is waiting on: a new one each time an RPC starts. */
export const rpcQueue = (): Promise<void> => state.getStore().settings.rpcDone;

/**
 * The SDK's MockMonitor (runtime/mocks.ts, not exported), as `pulumi.runtime.setMocks` installs it:
 * callback-style registration methods taking the protobuf request (`Request`), and the registered
 * resources by URN.
 */
export interface MockMonitor<Request> {
    registerResource(req: Request, cb: (err: unknown, res?: { getUrn(): string }) => void): unknown;
    registerResourceOutputs(req: { getUrn(): string }, cb: (err: unknown) => void): unknown;
    resources: Map<string, { state: unknown }>;
}

/** The monitor `pulumi.runtime.setMocks` installed, or undefined when the program runs under an engine. */
export function mockMonitor<Request>(): MockMonitor<Request> | undefined {
    const monitor = pulumi.runtime.getMonitor();
    return monitor?.constructor?.name === "MockMonitor"
        ? (monitor as unknown as MockMonitor<Request>)
        : undefined;
}

/**
 * The Output the SDK put on a custom resource for an input it registered (`transferProperties` in
 * runtime/rpc.ts gives the resource one per input key, resolved with the engine's state), which a
 * generated class may not declare: `@pulumi/kubernetes`' Provider declares none of its settings. For a
 * provider the engine's state is its settings, in previews too (pulumi pkg/resource/deploy/providers/
 * registry.go, Create returns the inputs). Undefined when the resource registered no such input.
 */
export function registeredInput(
    resource: pulumi.CustomResource,
    key: string,
): pulumi.Output<string | undefined> | undefined {
    const value = (resource as unknown as Record<string, unknown>)[key];
    return pulumi.Output.isInstance(value) ? (value as pulumi.Output<string | undefined>) : undefined;
}
