// The kube-api-access policy pack: the mandatory default-account rules, and RBAC hygiene advisories.
// Each policy's level can be changed (mandatory, advisory, disabled) with --policy-pack-config.
// The CLI runs it from the JavaScript that npm run build (or npm pack) makes in bin/policy/ (package.json
// main), beside the shared RBAC evaluator built into bin/rbac/ (tsconfig.json rootDir is the project).
import * as path from "path";
import { PolicyPack } from "@pulumi/policy";
import { refuseStalePack } from "./lib/staleBuild";
import { policies } from "./policies";

// Never judge with a build older than the policies' sources (a published pack ships bin/ alone).
if (path.basename(path.dirname(__dirname)) === "bin") {
    refuseStalePack(path.resolve(__dirname, "..", ".."), "the pack");
}

new PolicyPack("kube-api-access-policies", { policies });
