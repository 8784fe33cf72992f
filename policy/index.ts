// The kube-api-access policy pack: the mandatory default-account rules, and RBAC hygiene advisories.
// Each policy's level can be changed (mandatory, advisory, disabled) with --policy-pack-config.
// The CLI runs it from the JavaScript that npm run build (or npm pack) makes in bin/ (package.json main).
import * as fs from "fs";
import * as path from "path";
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

// Never judge with a build older than the policies' sources (a published pack ships bin/ alone).
if (path.basename(__dirname) === "bin") {
    const root = path.dirname(__dirname);
    const stale = ["", "lib", "policies"]
        .flatMap((dir) =>
            fs.existsSync(path.join(root, dir))
                ? fs.readdirSync(path.join(root, dir)).map((f) => path.join(dir, f))
                : [],
        )
        .filter((src) => src.endsWith(".ts") && !src.endsWith(".d.ts"))
        .filter((src) => {
            const built = path.join(__dirname, src.replace(/\.ts$/, ".js"));
            return (
                !fs.existsSync(built) ||
                fs.statSync(path.join(root, src)).mtimeMs > fs.statSync(built).mtimeMs
            );
        });
    if (stale.length > 0) {
        throw new Error(
            `policy/bin/ is older than ${stale.join(", ")}: run npm run build, then run the pack again.`,
        );
    }
}

new PolicyPack("kube-api-access-policies", { policies });
