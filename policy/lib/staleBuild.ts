// Refuses to run from JavaScript older than the TypeScript it was built from: the program (bin/) and the
// pack (policy/bin/) both run prebuilt. Here so that the pack stays self-contained and the program shares it.
import * as fs from "fs";
import * as path from "path";

/**
 * Throws, naming them, when a source file in `dirs` (relative to `root`; "" is root itself) has no build
 * in `binDir` or one older than itself. A folder that is absent (a published pack ships bin/ alone) is skipped.
 */
export function refuseStaleBuild(root: string, binDir: string, dirs: string[], runAgain: string): void {
    const stale = dirs
        .flatMap((dir) =>
            fs.existsSync(path.join(root, dir))
                ? fs.readdirSync(path.join(root, dir)).map((f) => path.join(dir, f))
                : [],
        )
        .filter((src) => src.endsWith(".ts") && !src.endsWith(".d.ts"))
        .filter((src) => {
            const built = path.join(binDir, src.replace(/\.ts$/, ".js"));
            return (
                !fs.existsSync(built) ||
                fs.statSync(path.join(root, src)).mtimeMs > fs.statSync(built).mtimeMs
            );
        });
    if (stale.length > 0) {
        const shown = (file: string) => path.relative(process.cwd(), file) || file;
        throw new Error(
            `${shown(binDir)}/ is older than ${stale.map((src) => shown(path.join(root, src))).join(", ")} ` +
                `(built JavaScript runs, not the TypeScript beside it): run npm run build, then ${runAgain} again.`,
        );
    }
}

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
