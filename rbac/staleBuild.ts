// Refuses to run from JavaScript older than the TypeScript it was built from: the program (bin/) and the
// pack (policy/bin/) both run prebuilt. In the shared folder because the pack (a product, which imports
// only itself and rbac/) and the program both ask it.
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
