// Shared test helpers: build the component under the mock runtime and read what it registered.
// Level 1 (unit, Pulumi mock runtime): nothing here talks to a cluster or the Pulumi CLI.
import * as assert from "assert";
import { spawnSync, SpawnSyncOptionsWithStringEncoding, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import Ajv2020, { ValidateFunction } from "ajv/dist/2020";
import * as YAML from "yaml";
import type { ApiServiceAccount, ApiServiceAccountArgs } from "../components";
import { RECORDED_OUTPUTS } from "../components/apiServiceAccount";
import { installOfflineCluster, RecordedResource } from "../offline/mocks";
import { PROJECT_DIR, settle } from "../offline/program";

export const FIXTURES = path.join(__dirname, "fixtures");

/**
 * The stacks the repository commits, which the suite runs. Never the stack files found in the folder: a
 * user's own Pulumi.<stack>.yaml (staging, with secrets or settings of its own) must not change the suite.
 */
export const COMMITTED_STACKS = ["ci", "dev", "prod", "vault-example"] as const;
export const ENDPOINT = "https://api.k8s.example.test:6443";

/** The rows of the first table under a heading of README.md, each split into trimmed cells. */
export function readmeTable(heading: string): string[][] {
    const readme = fs.readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8");
    const start = readme.indexOf(`\n${heading}\n`);
    assert.ok(start >= 0, `README has no heading ${heading}`);
    const table = readme
        .slice(start)
        .split("\n\n")
        .find((block) => block.startsWith("|"));
    assert.ok(table, `no table under ${heading}`);
    return table
        .split("\n")
        .slice(2)
        .map((row) =>
            row
                .split("|")
                .slice(1, -1)
                .map((cell) => cell.trim()),
        );
}

/**
 * Writes a kubeconfig at `file` whose current context reaches `server` as a token user, the cluster and
 * context named as given; returns `file`.
 */
export function writeKubeconfig(
    file: string,
    server: string,
    names: { cluster: string; context: string } = { cluster: "c", context: "c" },
): string {
    fs.writeFileSync(
        file,
        YAML.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [{ name: names.cluster, cluster: { server } }],
            users: [{ name: "u", user: { token: "x" } }],
            contexts: [{ name: names.context, context: { cluster: names.cluster, user: "u" } }],
            "current-context": names.context,
        }),
    );
    return file;
}

/** Runs `npm run plan -- ARGS` as its npm script does (ts-node, transpile-only) in a fresh process. */
export function runPlanCommand(
    args: string[],
    options: Omit<SpawnSyncOptionsWithStringEncoding, "encoding">,
): SpawnSyncReturns<string> {
    return spawnSync(
        process.execPath,
        [
            require.resolve("ts-node/dist/bin"),
            "--transpile-only",
            path.join(PROJECT_DIR, "cli", "plan", "plan.ts"),
            ...args,
        ],
        { ...options, encoding: "utf8" },
    );
}

/** Runs a command's `main` in this process, with what it prints to the console captured. */
export async function runMain(
    main: (argv: string[]) => Promise<number>,
    args: string[],
): Promise<{ code: number; output: string }> {
    const lines: string[] = [];
    const [log, error] = [console.log, console.error];
    console.log = (...a: unknown[]) => lines.push(a.join(" "));
    console.error = (...a: unknown[]) => lines.push(a.join(" "));
    try {
        return { code: await main(args), output: lines.join("\n") };
    } finally {
        console.log = log;
        console.error = error;
    }
}

/** Reads an Output's value. */
export const value = <T>(o: pulumi.Output<T>): Promise<T> => new Promise<T>((resolve) => o.apply(resolve));

export interface Built {
    readonly component: ApiServiceAccount;
    readonly resources: RecordedResource[];
    readonly outputs: Record<string, { value: unknown; secret: boolean }>;
}

/** Installs fresh mocks, constructs the component, and waits for every registration. */
export async function build(
    args: ApiServiceAccountArgs,
    opts?: pulumi.ComponentResourceOptions | (() => pulumi.ComponentResourceOptions),
    name = "api",
    config: Record<string, string> = {},
): Promise<Built> {
    const cluster = await installOfflineCluster("kube-api-access", "test", false);
    pulumi.runtime.setAllConfig(config);
    const { ApiServiceAccount } = await import("../components");
    const component = new ApiServiceAccount(name, args, typeof opts === "function" ? opts() : opts);
    const outputs: Built["outputs"] = {};
    for (const key of RECORDED_OUTPUTS) {
        const output: pulumi.Output<unknown> | undefined = component[key];
        if (output !== undefined) {
            outputs[key] = await settle(output);
        }
    }
    return { component, resources: await cluster.settled(), outputs };
}

/** Installs fresh mocks and returns the error the constructor throws, with what got registered. */
export async function buildError(
    args: unknown,
    opts?: pulumi.ComponentResourceOptions | (() => pulumi.ComponentResourceOptions),
    name = "api",
): Promise<{ error: Error; resources: RecordedResource[] }> {
    const cluster = await installOfflineCluster("kube-api-access", "test", false);
    pulumi.runtime.setAllConfig({});
    const { ApiServiceAccount } = await import("../components");
    let error: Error | undefined;
    try {
        new ApiServiceAccount(
            name,
            args as ApiServiceAccountArgs,
            typeof opts === "function" ? opts() : opts,
        );
    } catch (err) {
        error = err as Error;
    }
    assert.ok(error, `expected the constructor to throw for ${JSON.stringify(args)}`);
    return { error, resources: await cluster.settled() };
}

/** The single recorded resource of a type, or the one with this logical name. */
export function only(resources: RecordedResource[], type: string, name?: string): RecordedResource {
    const found = resources.filter((r) => r.type === type && (name === undefined || r.name === name));
    assert.strictEqual(found.length, 1, `expected one ${type} ${name ?? ""}, got ${found.length}`);
    return found[0];
}

/** Property access into recorded inputs, for brevity in assertions. */
export function at(resource: RecordedResource, dotted: string): unknown {
    return dotted
        .split(".")
        .reduce<unknown>((obj, key) => (obj as Record<string, unknown> | undefined)?.[key], resource.inputs);
}

export const TYPES = {
    component: "kube-api-access:index:ApiServiceAccount",
    namespace: "kubernetes:core/v1:Namespace",
    serviceAccount: "kubernetes:core/v1:ServiceAccount",
    secret: "kubernetes:core/v1:Secret",
    serviceAccountPatch: "kubernetes:core/v1:ServiceAccountPatch",
    stash: "pulumi:index:Stash",
    clusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    clusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    role: "kubernetes:rbac.authorization.k8s.io/v1:Role",
    roleBinding: "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
} as const;

/**
 * A validator for Pulumi.yaml files: the Pulumi CLI's own JSON Schema (pulumi/pulumi
 * sdk/go/common/workspace/project.json), provided beside the checkout rather than committed. Without it the
 * test fails instead of skipping, so a green run always means the project files were validated.
 */
export function projectSchemaValidator(): ValidateFunction {
    const schemaPath =
        process.env.PULUMI_PROJECT_SCHEMA ??
        path.resolve(PROJECT_DIR, "..", "shared", "schemas", "pulumi-project.schema.json");
    assert.ok(
        fs.existsSync(schemaPath),
        `${schemaPath} is missing: Pulumi.yaml cannot be validated. Put the Pulumi CLI's project schema ` +
            "(pulumi/pulumi sdk/go/common/workspace/project.json) there, or name it in PULUMI_PROJECT_SCHEMA.",
    );
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    return ajv.compile(JSON.parse(fs.readFileSync(schemaPath, "utf8")));
}
