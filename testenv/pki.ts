// The keys and certificates of a throwaway control plane, made with the machine's openssl (3.0 or later):
// a serving CA and a serving certificate for 127.0.0.1, a client CA with the admin's and the controller
// manager's client certificates, and the ServiceAccount signing key. Everything is ECDSA P-256 (fast to
// generate, accepted by every Kubernetes component) and valid for 7 days.
import { execFileSync } from "child_process";
import * as path from "path";

/** Where each PEM file of the control plane's PKI lives (all in one folder). */
export interface Pki {
    /** CA that signed the API server's serving certificate: clients verify the server against it. */
    readonly caCert: string;
    readonly servingCert: string;
    readonly servingKey: string;
    /** CA the API server trusts for client certificates (`--client-ca-file`). */
    readonly clientCaCert: string;
    /** Admin client certificate: CN=kube-api-access-admin, O=system:masters. */
    readonly adminCert: string;
    readonly adminKey: string;
    /** kube-controller-manager's client certificate: CN=system:kube-controller-manager. */
    readonly controllerManagerCert: string;
    readonly controllerManagerKey: string;
    /** ServiceAccount token signing key (private, PKCS#8) and its public half. */
    readonly serviceAccountKey: string;
    readonly serviceAccountPub: string;
}

const DAYS = "7";

function openssl(args: string[]): void {
    try {
        execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
    } catch (err) {
        const e = err as NodeJS.ErrnoException & { stderr?: Buffer };
        if (e.code === "ENOENT") {
            throw new Error(
                "testenv: openssl is not installed; install it (Debian: apt-get install openssl)",
            );
        }
        throw new Error(`testenv: openssl ${args[0]} failed: ${e.stderr?.toString().trim() ?? e.message}`);
    }
}

function newKey(file: string): string {
    openssl(["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", file]);
    return file;
}

function selfSignedCa(dir: string, name: string): { cert: string; key: string } {
    const key = newKey(path.join(dir, `${name}.key`));
    const cert = path.join(dir, `${name}.crt`);
    openssl(
        ["req", "-x509", "-new", "-key", key, "-subj", `/CN=kube-api-access testenv ${name}`, "-days", DAYS]
            .concat([
                "-addext",
                "basicConstraints=critical,CA:TRUE",
                "-addext",
                "keyUsage=critical,keyCertSign",
            ])
            .concat(["-out", cert]),
    );
    return { cert, key };
}

function leaf(
    dir: string,
    name: string,
    ca: { cert: string; key: string },
    subject: string,
    extensions: string[],
): { cert: string; key: string } {
    const key = newKey(path.join(dir, `${name}.key`));
    const cert = path.join(dir, `${name}.crt`);
    const ext = ["basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", ...extensions];
    openssl(
        [
            "req",
            "-x509",
            "-new",
            "-key",
            key,
            "-CA",
            ca.cert,
            "-CAkey",
            ca.key,
            "-subj",
            subject,
            "-days",
            DAYS,
        ]
            .concat(ext.flatMap((e) => ["-addext", e]))
            .concat(["-out", cert]),
    );
    return { cert, key };
}

/** Writes a fresh PKI into `dir` (which must exist). Throws naming the openssl step that failed. */
export function createPki(dir: string): Pki {
    const ca = selfSignedCa(dir, "serving-ca");
    const serving = leaf(dir, "serving", ca, "/CN=127.0.0.1", [
        "extendedKeyUsage=serverAuth",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
    ]);
    const clientCa = selfSignedCa(dir, "client-ca");
    const client = ["extendedKeyUsage=clientAuth"];
    const admin = leaf(dir, "admin", clientCa, "/O=system:masters/CN=kube-api-access-admin", client);
    const kcm = leaf(dir, "controller-manager", clientCa, "/CN=system:kube-controller-manager", client);
    const serviceAccountKey = newKey(path.join(dir, "service-account.key"));
    const serviceAccountPub = path.join(dir, "service-account.pub");
    openssl(["pkey", "-in", serviceAccountKey, "-pubout", "-out", serviceAccountPub]);
    return {
        caCert: ca.cert,
        servingCert: serving.cert,
        servingKey: serving.key,
        clientCaCert: clientCa.cert,
        adminCert: admin.cert,
        adminKey: admin.key,
        controllerManagerCert: kcm.cert,
        controllerManagerKey: kcm.key,
        serviceAccountKey,
        serviceAccountPub,
    };
}
