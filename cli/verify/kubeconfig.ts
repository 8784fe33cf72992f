// Reads an account's kubeconfig for verify as kubectl would: YAML errors with the file and line, the
// files it names taken from its own folder, and the user's credential (token, tokenFile, client
// certificate, exec plugin, auth-provider), or a plain word on a form verify cannot use.
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import type { KubeConfig, User } from "@kubernetes/client-node";
import { yamlErrorText } from "../../settings/yamlFile";
import { onPath } from "../command";
import { credentialProblem, Diagnosis } from "./diagnose";

/** A kubeconfig's text and where it came from, to name in errors. */
export interface KubeconfigText {
    readonly text: string;
    /** What the user wrote, as in `--kubeconfig ./api.kubeconfig` or `stack dev's output kubeconfig`. */
    readonly name: string;
    /** The folder relative file names in it are taken from (kubectl: the kubeconfig's own folder). */
    readonly dir?: string;
}

const REWRITE = "write it again from the stack: pulumi stack output kubeconfig --show-secrets > FILE";

/** The parsed kubeconfig; throws an Error naming the source, the line and the fix. */
export async function loadKubeconfig(src: KubeconfigText): Promise<KubeConfig> {
    const doc = YAML.parseDocument(src.text);
    const bad = doc.errors[0];
    if (bad) {
        const at = bad.linePos?.[0];
        throw new Error(
            `${src.name}${at ? `, line ${at.line} column ${at.col}` : ""}: not valid YAML (${yamlErrorText(bad)}). Fix it there, or ${REWRITE}`,
        );
    }
    const shape = doc.toJS() as unknown;
    const isMap = typeof shape === "object" && shape !== null && !Array.isArray(shape);
    if (!isMap || !["clusters", "contexts", "users"].some((k) => k in shape)) {
        throw new Error(
            `${src.name}: not a kubeconfig (a YAML mapping with clusters, users and contexts); ${REWRITE}`,
        );
    }
    const k8s = await import("@kubernetes/client-node");
    const kc = new k8s.KubeConfig();
    try {
        kc.loadFromString(src.text);
    } catch (err) {
        throw new Error(`${src.name}: not a usable kubeconfig: ${(err as Error).message}; ${REWRITE}`);
    }
    if (src.dir) {
        kc.makePathsAbsolute(src.dir);
    }
    return kc;
}

/** How the account proves who it is, as verify will send it. */
export interface Credential {
    /** The bearer token (inline or from tokenFile), for the checks that need it; never printed. */
    readonly token?: string;
    /** Who the credential says the account is, where it says so without a request (a certificate's subject). */
    readonly subject?: string;
}

/**
 * The current user's credential, with tokenFile read (client-node reads only the non-standard
 * `token-file`; kubectl reads `tokenFile`, trimmed, and prefers it to `token`: client-go
 * rest.Config.BearerTokenFile). A Diagnosis when the credential is one verify cannot use or is wrong
 * on its face; throws naming the kubeconfig when a file it names cannot be read.
 */
export function credentialOf(kc: KubeConfig, src: KubeconfigText): Credential | Diagnosis {
    const user = kc.getCurrentUser();
    const raw = rawUser(src.text, user?.name);
    const who = `user ${user?.name ?? "(none)"}`;
    const file = (field: string, name: string) => readNamed(src, `${who}'s ${field}`, name);
    const cluster = kc.getCurrentCluster();
    if (cluster?.caFile) {
        readNamed(src, `cluster ${cluster.name}'s certificate-authority`, cluster.caFile);
    }
    const tokenFile = typeof raw.tokenFile === "string" && raw.tokenFile !== "" ? raw.tokenFile : undefined;
    if (tokenFile) {
        const token = file("tokenFile", tokenFile).toString("utf8").trim();
        return credentialProblem(token, false, `tokenFile ${tokenFile}`) ?? { token };
    }
    if (user?.certData || user?.certFile || user?.keyData || user?.keyFile) {
        return clientCertificate(user, who, file);
    }
    if (user?.exec) {
        return execPlugin(user, who);
    }
    if (user?.authProvider) {
        return authProvider(user, who);
    }
    if (user?.username || user?.password) {
        return unsupported(
            `the kubeconfig's ${who} signs in with username and password (basic authentication), which Kubernetes API servers no longer accept (removed in 1.19), so verify does not send it.`,
        );
    }
    if (raw.token === undefined && !user) {
        return unsupported(
            "the kubeconfig's current context names no user, so nothing proves who the account is.",
        );
    }
    return credentialProblem(user?.token, false, "token") ?? { token: user?.token };
}

/** The user entry as written, for fields client-node does not keep (tokenFile). */
function rawUser(text: string, name: string | undefined): Record<string, unknown> {
    const users = ((YAML.parse(text) as { users?: unknown })?.users ?? []) as {
        name?: string;
        user?: Record<string, unknown>;
    }[];
    return (Array.isArray(users) ? users.find((u) => u?.name === name)?.user : undefined) ?? {};
}

function readNamed(src: KubeconfigText, what: string, name: string): Buffer {
    const file = src.dir ? path.resolve(src.dir, name) : path.resolve(name);
    try {
        return fs.readFileSync(file);
    } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        const why =
            code === "ENOENT"
                ? "no such file"
                : code === "EISDIR"
                  ? "a folder, not a file"
                  : code === "EACCES"
                    ? "not readable (permission denied)"
                    : (err as Error).message;
        throw new Error(
            `${src.name}: ${what} ${name}${file !== name ? ` (${file})` : ""}: ${why}. Put the file there, or change the kubeconfig to name the right one (relative names are taken from the kubeconfig's folder).`,
        );
    }
}

function clientCertificate(user: User, who: string, file: (field: string, name: string) => Buffer) {
    const cert = user.certFile ? file("client-certificate", user.certFile) : undefined;
    if (user.keyFile) {
        file("client-key", user.keyFile);
    }
    if (!(user.certData || user.certFile) || !(user.keyData || user.keyFile)) {
        return unsupported(
            `the kubeconfig's ${who} has a client certificate without its key, or a key without its certificate: give both (client-certificate-data and client-key-data, or the -file forms).`,
        );
    }
    try {
        const x509 = new crypto.X509Certificate(cert ?? Buffer.from(user.certData ?? "", "base64"));
        const cn = /^CN=(.*)$/m.exec(x509.subject)?.[1];
        return { subject: cn ? `${cn} (client certificate)` : undefined };
    } catch {
        return unsupported(
            `the kubeconfig's ${who} client certificate is not a PEM certificate (client-certificate-data holds the PEM file base64-encoded).`,
        );
    }
}

function execPlugin(user: User, who: string): Credential | Diagnosis {
    const command = (user.exec as { command?: string } | undefined)?.command ?? "";
    const found = onPath(command);
    if (!found) {
        return unsupported(
            `the kubeconfig's ${who} gets its credential from the exec plugin "${command}", which is not on PATH here. Install it (kubectl would need it too), or verify with the account's own kubeconfig (pulumi stack output kubeconfig).`,
        );
    }
    // @kubernetes/client-node runs the plugin and sends what it returns (token or client certificate).
    return {};
}

/** Auth providers @kubernetes/client-node implements (src/oidc_auth.ts, gcp_auth.ts, azure_auth.ts, file_auth.ts). */
const AUTH_PROVIDERS = ["oidc", "gcp", "azure"];

function authProvider(user: User, who: string): Credential | Diagnosis {
    const provider = user.authProvider as { name?: string; config?: { tokenFile?: string } } | undefined;
    const name = provider?.name;
    if (AUTH_PROVIDERS.includes(name ?? "") || provider?.config?.tokenFile) {
        return {};
    }
    return unsupported(
        `the kubeconfig's ${who} uses auth-provider "${name ?? ""}", which verify does not support (only ${AUTH_PROVIDERS.join(", ")}; kubectl itself dropped the gcp and azure providers in 1.26 for exec plugins). Use an exec plugin, or the account's own kubeconfig (pulumi stack output kubeconfig).`,
    );
}

function unsupported(summary: string): Diagnosis {
    return {
        kind: "credential",
        summary: `${summary[0].toUpperCase()}${summary.slice(1)}`,
        hints: [
            "verify sends what kubectl would: a token (token or tokenFile), a client certificate, an exec plugin's credential, or an oidc, gcp or azure auth-provider's token.",
        ],
    };
}
