// `npm run generate:builtin [-- --toolchain DIR]`: starts the pinned kube-apiserver on loopback
// (testenv/cluster.ts), writes its discovery and bootstrap ClusterRoles to rbac/builtin/, stops it.
// Run it after changing KUBERNETES_VERSION in toolchain/versions.env, and commit the result.
import * as fs from "fs";
import * as path from "path";
import { defineCommand, runAsCommand } from "../cli/command";
import { BUILTIN_DIR, builtinFiles } from "./builtinApi";
import { startCluster } from "./cluster";

export const GENERATE_COMMAND = defineCommand({
    name: "generate:builtin",
    options: {
        toolchain: {
            type: "string",
            value: "DIR",
            help: "folder of the binaries (default $KUBE_API_ACCESS_TOOLCHAIN, else the cached build)",
        },
    },
    notes: ["Writes rbac/builtin/ from the pinned kube-apiserver's discovery and bootstrap ClusterRoles."],
});

export async function main(argv: string[]): Promise<number> {
    const parsed = GENERATE_COMMAND.parse(argv);
    if (!parsed.ok) {
        console.error(GENERATE_COMMAND.explain(parsed.message));
        return 2;
    }
    if (parsed.values.help) {
        console.log(GENERATE_COMMAND.usage());
        return 0;
    }
    const cluster = await startCluster({ toolchainDir: parsed.values.toolchain });
    try {
        const k8s = await import("@kubernetes/client-node");
        const kc = new k8s.KubeConfig();
        kc.loadFromFile(cluster.kubeconfig);
        for (const [name, text] of Object.entries(await builtinFiles(kc, cluster.version))) {
            fs.writeFileSync(path.join(BUILTIN_DIR, name), text);
            console.log(
                `wrote ${path.relative(process.cwd(), path.join(BUILTIN_DIR, name))} (Kubernetes ${cluster.version})`,
            );
        }
        return 0;
    } finally {
        await cluster.stop();
    }
}

runAsCommand(module, main);
