// Stack files of the user's own, written into the project folder as `pulumi config set` would leave them,
// for the settings tests; each is removed after its suite.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { installOfflineCluster } from "../../offline/mocks";
import { PROJECT_DIR, runProgramOffline } from "../../offline/program";
import { FIXTURES } from "../helpers";

export const KUBECONFIG = path.join(FIXTURES, "kubeconfig.yaml");

/** Registers an `after` hook that removes the files; returns the writer and the refusal check. */
export function userStacks(prefix: string) {
    const written: string[] = [];
    let n = 0;
    after(() => written.forEach((f) => fs.rmSync(f, { force: true })));

    /** A stack file holding `yaml`; returns the stack's name. */
    const stackWith = (yaml: string): string => {
        const stack = `${prefix}-${process.pid}-${++n}`;
        const file = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(file, yaml);
        written.push(file);
        return stack;
    };

    /** Runs the program offline with the stack and returns the error that refused it. */
    const refused = async (yaml: string): Promise<{ stack: string; message: string }> => {
        const stack = stackWith(yaml);
        const error = await runProgramOffline(stack, { env: { KUBECONFIG } }).then(
            () => assert.fail("the settings were accepted"),
            (err: Error) => err,
        );
        return { stack, message: error.message };
    };
    /**
     * Runs the program as `pulumi up` does, with `config` as the CLI hands it over (every value a string,
     * objects as JSON; no offline loader), the stack file holding `yaml` beside it for positions. Returns
     * the error the program raised (a pulumi.RunError, which the CLI prints without a stack trace) and
     * the resources it registered.
     */
    const refusedUnderCli = async (yaml: string, config: Record<string, string>) => {
        const stack = stackWith(yaml);
        const cluster = await installOfflineCluster("kube-api-access", stack, true);
        pulumi.runtime.setAllConfig(config);
        for (const key of Object.keys(require.cache).filter((k) =>
            k.startsWith(path.join(PROJECT_DIR, "index")),
        )) {
            delete require.cache[key];
        }
        const error = await import(path.join(PROJECT_DIR, "index.ts")).then(
            () => assert.fail("the settings were accepted"),
            (err: Error) => err,
        );
        assert.ok(error instanceof pulumi.RunError, error.stack);
        return { stack, message: error.message, resources: await cluster.settled() };
    };
    return { stackWith, refused, refusedUnderCli };
}
