// The outputs another stack gives a program's StackReference in an offline run, read from a file the user
// already has: that stack's plan.json (npm run plan writes one) or `pulumi stack output --json`.
import * as fs from "fs";
import type { StackReferenceOutputs } from "./mocks";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../settings/placeholders";

/**
 * Reads a referenced stack's outputs from `file`: a plan.json (its `outputs`; a secret one, never written
 * there, reads as SECRET_PLACEHOLDER and stays secret; one unknown until apply reads as UNKNOWN_PLACEHOLDER,
 * not as an unknown value: the runtime reads a StackReference's outputs as one property, so one unknown
 * output would make every output unknown, and once that stack is deployed its outputs are all known), or
 * the JSON of `pulumi stack output --json` (names to values; a value SECRET_PLACEHOLDER, as that command
 * shows a secret without --show-secrets, stays secret). Throws naming the file when it is neither.
 */
export function readStackOutputs(file: string): StackReferenceOutputs {
    let parsed: unknown;
    try {
        parsed = JSON.parse(fs.readFileSync(file, "utf8"));
    } catch (err) {
        throw new Error(`--stack-outputs ${file}: ${(err as Error).message}`);
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
        throw new Error(
            `--stack-outputs ${file}: expected a JSON object (a plan.json or pulumi stack output --json)`,
        );
    }
    const record = parsed as Record<string, unknown>;
    const isPlan =
        typeof record.stack === "string" && typeof record.outputs === "object" && "resources" in record;
    const outputs: Record<string, unknown> = {};
    const secretOutputNames: string[] = [];
    for (const [name, given] of Object.entries(isPlan ? (record.outputs as object) : record)) {
        const o = isPlan ? (given as { secret?: boolean; known?: boolean; value?: unknown }) : undefined;
        const secret = o ? o.secret === true : given === SECRET_PLACEHOLDER;
        if (secret) {
            secretOutputNames.push(name);
        }
        outputs[name] = secret
            ? SECRET_PLACEHOLDER
            : o && o.known === false
              ? UNKNOWN_PLACEHOLDER
              : o
                ? o.value
                : given;
    }
    return { outputs, secretOutputNames };
}
