// Plan's file options checked before anything runs, each problem naming the option, the value and the fix,
// rather than the raw EISDIR/ENOENT of a read deep inside the run.
import * as fs from "fs";
import * as path from "path";
import { isKubeconfigContent, kubeconfigPath } from "../../components/kubeconfig";

/** How to get a --stack-outputs file, for the messages. */
const STACK_OUTPUTS_FIX =
    "give that stack's plan.json (npm run plan -- --stack <stack> writes one) or a file holding what " +
    "pulumi stack output --json prints";

/** Throws, naming the option, the value and the fix, when `file` given to `option` is not a readable file. */
function requireFile(option: string, given: string, file: string, fix: string): void {
    let stat: fs.Stats;
    try {
        stat = fs.statSync(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new Error(
            `${option} ${given}: ${code === "ENOENT" || code === "ENOTDIR" ? "no such file" : `cannot be read (${code})`}; ${fix}`,
        );
    }
    if (!stat.isFile()) {
        throw new Error(`${option} ${given}: ${file} is a folder, not a file; ${fix}`);
    }
}

/**
 * Checks --kubeconfig (a file, when it is not the document itself) and each --stack-outputs file (STACK
 * names the stack, FILE must exist and be a file); throws on the first problem.
 */
export function checkFileOptions(kubeconfig: string | undefined, stackOutputs: Record<string, string>): void {
    if (kubeconfig !== undefined && !isKubeconfigContent(kubeconfig)) {
        requireFile(
            "--kubeconfig",
            kubeconfig,
            kubeconfigPath(kubeconfig),
            "give the kubeconfig file itself, such as ~/.kube/config",
        );
    }
    for (const [stack, file] of Object.entries(stackOutputs)) {
        requireFile("--stack-outputs", `${stack}=${file}`, file, STACK_OUTPUTS_FIX);
    }
}

/**
 * The message of a failed offline run with the runtime's chain before it cut ("error serializing property
 * ...: failed to read resource ...: offline run: ..." reads from "offline run:"), and, when a stack
 * reference had no outputs, the --stack-outputs names that were given, which the program did not read.
 */
export function explainRunFailure(message: string, stackOutputs: Record<string, string>): string {
    const at = message.indexOf("offline run: ");
    const text =
        at > 0 && message.slice(0, at).includes("error serializing property") ? message.slice(at) : message;
    const given = Object.keys(stackOutputs);
    if (!text.includes("no outputs were given for the stack reference") || given.length === 0) {
        return text;
    }
    return (
        `${text}. --stack-outputs named ${given.join(", ")}, which the program did not read before it failed: ` +
        "give each stack by the exact name the program passes to StackReference"
    );
}

/** A warning for each --stack-outputs stack that the program read through no StackReference (`read`, by name). */
export function unreadStackOutputs(stackOutputs: Record<string, string>, read: string[]): string[] {
    return Object.entries(stackOutputs)
        .filter(([name]) => !read.includes(name))
        .map(
            ([name, file]) =>
                `--stack-outputs ${name}=${file}: the program reads no StackReference named ${name} ` +
                `(it reads ${[...new Set(read)].join(", ") || "none"}); give the name it passes to StackReference, or drop the option`,
        );
}

/**
 * The program folder `dir` (absolute), checked: throws, naming what the user wrote as --dir (`given`;
 * undefined for this project) and the fix, when it is missing, not a folder, or holds no Pulumi.yaml.
 */
export function checkProgramDir(dir: string, given: string | undefined): string {
    const full = path.resolve(dir);
    const name = given === undefined ? full : `--dir ${given}`;
    const fix = "give the folder of a Pulumi program, the one holding its Pulumi.yaml";
    let stat: fs.Stats | undefined;
    try {
        stat = fs.statSync(full);
    } catch {
        throw new Error(`${name}: no such folder; ${fix}`);
    }
    if (!stat.isDirectory()) {
        throw new Error(`${name}: a file, not a folder; ${fix}`);
    }
    if (!["Pulumi.yaml", "Pulumi.yml"].some((f) => fs.existsSync(path.join(full, f)))) {
        throw new Error(`${name}: no Pulumi.yaml in ${full}; ${fix}`);
    }
    return full;
}

/**
 * The stack's own name in `given`: a fully qualified name (`org/project/stack`, or `org/stack`, as
 * pulumi stack select takes it; pulumi/pulumi sdk/go/common/tokens) names the stack by its last part.
 * Throws when its project part is not `project`, the program's Pulumi.yaml name.
 */
export function stackName(given: string, project: string): string {
    const parts = given.split("/");
    if (parts.length > 3 || parts.some((p) => p === "")) {
        throw new Error(
            `--stack ${given}: not a stack name; give the stack's name (dev) or its fully qualified name (org/${project}/dev)`,
        );
    }
    if (parts.length === 3 && parts[1] !== project) {
        throw new Error(
            `--stack ${given}: names a stack of project ${parts[1]}, but this program is ${project} (Pulumi.yaml name); ` +
                `give ${parts[0]}/${project}/${parts[2]}, or plan that project with --dir`,
        );
    }
    return parts[parts.length - 1];
}
