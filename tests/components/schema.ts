// The package schema as the Pulumi CLI loads it (`pulumi package get-schema <repo>`), and where its
// committed copy lives: a change to the component's arguments or outputs shows in review as a diff of it.
import * as path from "path";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import { ApiServiceAccount } from "../../components";
import { PROJECT_DIR } from "../../offline/program";

/** The committed schema: exactly what `pulumi package get-schema <repo>` prints (tests/e2e/yaml.e2e.test.ts). */
export const SCHEMA_FILE = path.join(PROJECT_DIR, "tests", "components", "kube-api-access.schema.json");

/**
 * The schema the package's provider serves (GetSchema), made as `@pulumi/pulumi/cmd/run-plugin` makes it:
 * the SDK's ComponentProvider over this folder and its exported component class.
 */
export async function providerSchema(): Promise<Record<string, unknown>> {
    const provider = new ComponentProvider({
        name: "kube-api-access",
        dirname: PROJECT_DIR,
        components: [ApiServiceAccount],
    });
    return JSON.parse(await provider.getSchema()) as Record<string, unknown>;
}
