// The pack's check that it runs from a build no older than its sources (rbac/staleBuild.ts), with the
// pack's own folders and the evaluator's.
import * as fs from "fs";
import * as path from "path";
import { refuseStaleBuild } from "../../rbac/staleBuild";

/** The pack's source folders, relative to the pack's own folder ("" is the folder itself). */
export const PACK_SOURCES = ["", "lib", "policies"];

/** The shared RBAC evaluator's folder, beside the pack's (tsconfig.json: rootDir "..", "../rbac/**"). */
export const EVALUATOR_SOURCES = "rbac";

/**
 * refuseStaleBuild for the pack in `packDir`, built into its bin/ (its own sources in bin/policy/, the
 * evaluator in bin/rbac/); a pack without bin/ runs its TypeScript. The evaluator's sources are compared
 * only beside a pack that has its own (a checkout): a published pack ships bin/ alone.
 */
export function refuseStalePack(packDir: string, runAgain: string): void {
    const binDir = path.join(packDir, "bin");
    if (!fs.existsSync(binDir)) {
        return;
    }
    refuseStaleBuild(packDir, path.join(binDir, "policy"), PACK_SOURCES, runAgain);
    if (fs.existsSync(path.join(packDir, "index.ts"))) {
        refuseStaleBuild(path.dirname(packDir), binDir, [EVALUATOR_SOURCES], runAgain);
    }
}
