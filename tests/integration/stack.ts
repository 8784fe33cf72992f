// A throw-away stack of this project for the integration tests: a local file backend in a temp folder,
// and a cleanup that destroys what it made and leaves no Pulumi.<stack>.yaml behind.
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigMap, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import { PROJECT_DIR } from "../../offline/program";

export interface TemporaryStack {
    readonly stack: Stack;
    dispose(): Promise<void>;
}

export async function temporaryStack(stackName: string, config: ConfigMap): Promise<TemporaryStack> {
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-it-state-"));
    const stack = await LocalWorkspace.createOrSelectStack(
        { stackName, workDir: PROJECT_DIR },
        {
            envVars: {
                PULUMI_BACKEND_URL: `file://${backend}`,
                PULUMI_CONFIG_PASSPHRASE: "kube-api-access-it",
            },
        },
    );
    await stack.setAllConfig(config);
    return {
        stack,
        dispose: async () => {
            await stack
                .destroy({ onOutput: () => undefined })
                .catch((err: Error) => console.log(`      destroy failed: ${err.message}`));
            await stack.workspace.removeStack(stackName).catch(() => undefined);
            fs.rmSync(path.join(PROJECT_DIR, `Pulumi.${stackName}.yaml`), { force: true });
            fs.rmSync(backend, { recursive: true, force: true });
        },
    };
}
