// The e2e tier's secrets scan: no token may appear, raw or base64-encoded, in any file of the run's folder
// (the CLI's transcript, the file backend's state, history and backups, the Pulumi home's logs, the program
// copies and their stack files), except the kubeconfigs the tests wrote on purpose (kube.ts, handed-out/).
import * as fs from "fs";
import * as path from "path";
import { e2e } from "../../testenv/engine";

export const HANDED_OUT = "handed-out";

/** Files under the run's folder that contain any of `tokens`, as paths relative to it. */
export function scanForSecrets(tokens: string[]): string[] {
    const needles = tokens.filter(Boolean).flatMap((t) => [t, Buffer.from(t).toString("base64")]);
    if (needles.length === 0) {
        throw new Error("no tokens to look for: the scan would prove nothing");
    }
    const root = e2e().root;
    const found: string[] = [];
    const walk = (dir: string) => {
        for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
            const full = path.join(dir, entry.name);
            if (entry.isSymbolicLink() || full === path.join(root, HANDED_OUT)) {
                continue;
            }
            if (entry.isDirectory()) {
                walk(full);
            } else if (entry.isFile()) {
                const text = fs.readFileSync(full, "latin1");
                if (needles.some((n) => text.includes(n))) {
                    found.push(path.relative(root, full));
                }
            }
        }
    };
    walk(root);
    return found;
}
