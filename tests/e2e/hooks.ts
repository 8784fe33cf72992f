// Mocha global fixtures for the e2e tier (.mocharc.e2e.js requires this file): one environment and one
// local cluster per run, torn down after the last test, after a failure, and on Ctrl-C or SIGTERM.
import { setUp, tearDown } from "../../testenv/engine";

export async function mochaGlobalSetup(): Promise<void> {
    for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
        process.once(signal, () => {
            console.error(`\ne2e: ${signal}: stopping the local cluster and removing the run's files`);
            void tearDown().finally(() => process.exit(130));
        });
    }
    const started = Date.now();
    const env = await setUp();
    console.log(
        `e2e: toolchain ${env.toolsDir}; local cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
            `(admin kubeconfig ${env.adminKubeconfig}); backend file://${env.backendDir}`,
    );
}

export async function mochaGlobalTeardown(): Promise<void> {
    await tearDown();
}
