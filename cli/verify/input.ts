// Where verify's input comes from: the kubeconfig and declared access from a deployed stack's outputs
// (Automation API), or the declared access computed offline from the stack's settings.
import * as fs from "fs";
import * as path from "path";
import type { PolicyRule } from "../../components/rbac";
import { PROJECT_DIR, runProgramOffline } from "../../offline/program";
import { readProjectFile, readStackFile, SettingsError, settingsHeading } from "../../settings/stackSettings";
import type { Expectation } from "./access";
import { onPath } from "../command";
import type { GenerationNames } from "./generation";
import { loadKubeconfig } from "./kubeconfig";
import type { VerifyInput } from "./verify";

/**
 * The kubeconfig in `file` (as the user wrote it after --kubeconfig), with the declared access of
 * `stack` computed offline when given. Throws naming the file and the fix when it cannot be read.
 */
export async function fromKubeconfigFile(
    file: string,
    stack?: string,
    config: Record<string, string> = {},
): Promise<VerifyInput> {
    const name = `--kubeconfig ${file}`;
    const write = `pulumi stack output kubeconfig --show-secrets > ${file}`;
    let text: string;
    try {
        text = fs.readFileSync(path.resolve(file), "utf8");
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(
            code === "ENOENT"
                ? `${name}: no such file. Write the account's kubeconfig there first: ${write}`
                : code === "EISDIR"
                  ? `${name}: a folder, not a file. Name the kubeconfig file itself, such as --kubeconfig ${path.join(file, "kubeconfig")} (written by pulumi stack output kubeconfig --show-secrets > ${path.join(file, "kubeconfig")})`
                  : code === "EACCES"
                    ? `${name}: not readable (permission denied). Check the file's permissions (ls -l ${file})`
                    : `${name}: cannot be read: ${(err as Error).message}`,
        );
    }
    const source = { text, name, dir: path.dirname(path.resolve(file)) };
    const server = stack ? ((await loadKubeconfig(source)).getCurrentCluster()?.server ?? "") : "";
    if (stack && server === "") {
        throw new Error(
            `${name}: its current context names no cluster with a server (current-context, contexts, clusters); ` +
                `write it again from the stack: ${write}`,
        );
    }
    return {
        kubeconfig: text,
        source: name,
        dir: source.dir,
        expectation: stack ? await offlineExpectation(stack, server, config) : undefined,
        generations: stack ? await deployedGenerations(stack) : undefined,
    };
}

/** The token Secret names a stack's outputs give, or undefined when there are none. */
function generationsIn(outputs: Record<string, { value: unknown }>): GenerationNames | undefined {
    const current = outputs.tokenSecretName?.value;
    const previous = outputs.previousTokenSecretName?.value;
    return typeof current === "string" && current !== ""
        ? { current, previous: typeof previous === "string" ? previous : "" }
        : undefined;
}

/**
 * The deployed stack's current and previous token Secrets, read with the Pulumi CLI when it is on PATH and
 * the stack is deployed; undefined otherwise (verify then says the token is accepted, not which one it is).
 */
async function deployedGenerations(stackName: string): Promise<GenerationNames | undefined> {
    if (!onPath("pulumi")) {
        return undefined;
    }
    try {
        const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
        const stack = await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR });
        return generationsIn(await stack.outputs());
    } catch {
        return undefined;
    }
}

/** Settings that do not shape the declared access; verify runs without their secure: values. */
const UNUSED_BY_VERIFY = ["tokenRotation"];

/**
 * The declared access computed offline from a stack's settings, for a kubeconfig given as a file;
 * `config` gives settings in clear (namespaced keys), as plan's --config does.
 */
export async function offlineExpectation(
    stack: string,
    endpoint: string,
    config: Record<string, string> = {},
): Promise<Expectation> {
    const project = readProjectFile(PROJECT_DIR);
    const settings = ((readStackFile(PROJECT_DIR, project, stack)?.value ?? {}) as { config?: unknown })
        .config;
    const unused = Object.fromEntries(
        UNUSED_BY_VERIFY.map((k) => `${project.name}:${k}`)
            .filter((k) => {
                const v = (settings as Record<string, unknown> | undefined)?.[k];
                return typeof v === "object" && v !== null && "secure" in v;
            })
            .map((k) => [k, "(not read by verify)"]),
    );
    const run = await runProgramOffline(stack, {
        overrides: { ...unused, ...config, [`${project.name}:endpoint`]: endpoint },
        overrideSources: { [`${project.name}:endpoint`]: "the server of the account's kubeconfig" },
    }).catch((err: unknown) => {
        // verify creates nothing: its heading says what the bad settings stop instead, over the same problems.
        if (err instanceof SettingsError && err.heading === settingsHeading(stack)) {
            throw new SettingsError(
                `stack ${stack} has invalid settings, so verify cannot tell what the account was granted:`,
                err.problems,
            );
        }
        throw err;
    });
    return {
        scope: run.outputs.scope.value as Expectation["scope"],
        namespace: run.outputs.namespace.value as string,
        roleNamespaces: run.outputs.roleNamespaces.value as string[],
        rules: run.outputs.rules.value as PolicyRule[],
    };
}

/** Reads the kubeconfig and the declared access from a deployed stack through the Automation API. */
export async function fromStack(stackName: string): Promise<VerifyInput> {
    if (!onPath("pulumi")) {
        throw new Error(
            `--stack ${stackName} reads the stack's outputs with the Pulumi CLI, and pulumi is not on PATH. ` +
                `Build it with npm run toolchain and put the folder it prints first on PATH (docs/toolchain.md), ` +
                `or pass --kubeconfig FILE (from: pulumi stack output kubeconfig --show-secrets)`,
        );
    }
    const { LocalWorkspace } = await import("@pulumi/pulumi/automation");
    let outputs;
    try {
        const stack = await LocalWorkspace.selectStack({ stackName, workDir: PROJECT_DIR });
        outputs = await stack.outputs();
    } catch (err) {
        throw new Error(
            `could not read stack ${stackName}'s outputs (${(err as Error).message.split("\n")[0]}). This needs the Pulumi CLI ` +
                `and a deployed stack; or pass --kubeconfig FILE (from: pulumi stack output kubeconfig --show-secrets)`,
        );
    }
    if (!("kubeconfig" in outputs) && outputs.vaultMode?.value === "dynamic") {
        throw new Error(
            `stack ${stackName} uses Vault dynamic mode, so it exports no long-lived kubeconfig. Get a token with ` +
                `${String(outputs.vaultCredentialsCommand?.value)}, put it in a kubeconfig with the endpoint and caCert ` +
                `outputs, and pass it with --kubeconfig FILE --stack ${stackName}`,
        );
    }
    if (!("kubeconfig" in outputs)) {
        throw new Error(
            `stack ${stackName} does not export its kubeconfig (exportToken, or Vault kv mode). Read it from where it ` +
                `is kept (for example ${String(outputs.vaultReadCommand?.value ?? "vault kv get")} -field=kubeconfig) and pass --kubeconfig FILE --stack ${stackName}`,
        );
    }
    const need = (key: string) => {
        if (!(key in outputs)) {
            throw new Error(`stack ${stackName} has no output ${key}; run pulumi up with this version first`);
        }
        return outputs[key].value as unknown;
    };
    return {
        kubeconfig: need("kubeconfig") as string,
        source: `stack ${stackName}'s output kubeconfig`,
        generations: generationsIn(outputs),
        expectation: {
            scope: need("scope") as Expectation["scope"],
            namespace: need("namespace") as string,
            roleNamespaces: need("roleNamespaces") as string[],
            rules: need("rules") as PolicyRule[],
        },
    };
}
