// PEM certificate bundles as the component takes them (endpointCaCert): checked with Node's X509 parser.
import * as crypto from "crypto";

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** Why `pem` is not a bundle of CA certificates, or undefined when it is. */
export function pemProblem(pem: string): string | undefined {
    const blocks = pem.match(PEM_BLOCK) ?? [];
    if (blocks.length === 0) {
        return "it holds no PEM certificate";
    }
    for (const [i, block] of blocks.entries()) {
        try {
            new crypto.X509Certificate(block);
        } catch (err) {
            return `certificate ${i + 1} cannot be read (${(err as Error).message})`;
        }
    }
    return undefined;
}
