// The configuration keys of the providers a stack of this program sets (kubernetes:, vault:), read from
// the installed provider SDKs, so that a misspelt one (kubernetes:contxt) is refused instead of ignored.
import * as fs from "fs";
import * as path from "path";
import { suggestion } from "../components/suggest";
import type { SettingProblem } from "./problems";

/**
 * Configuration variables of the Kubernetes provider that its ProviderArgs lack (schema `config.variables`
 * minus `provider.inputProperties`, provider 4.25.0). tests/e2e/providerKeys.e2e.test.ts compares the
 * whole list with `pulumi package get-schema` of the real provider binary.
 */
const KUBERNETES_CONFIG_ONLY = ["enableReplaceCRD", "strictMode"];

/**
 * The keys of `provider` ("kubernetes" or "vault") without the namespace, as the installed SDK has them;
 * undefined for another provider, or when the SDK cannot be read (then nothing is refused). Vault: the
 * getters of @pulumi/vault/config/vars. Kubernetes (no config module): the fields of ProviderArgs in
 * @pulumi/kubernetes/provider.d.ts, which are its configuration variables (the provider's schema
 * `config.variables`, pulumi/pulumi-kubernetes provider/cmd/pulumi-resource-kubernetes/schema.json).
 */
export function providerKeys(provider: string): string[] | undefined {
    try {
        if (provider === "vault") {
            // eslint-disable-next-line @typescript-eslint/no-require-imports
            return Object.keys(require("@pulumi/vault/config/vars") as object);
        }
        if (provider === "kubernetes") {
            const dts = fs.readFileSync(
                path.join(path.dirname(require.resolve("@pulumi/kubernetes/package.json")), "provider.d.ts"),
                "utf8",
            );
            const body = /export interface ProviderArgs \{([\s\S]*?)\n\}/.exec(dts)?.[1] ?? "";
            const keys = [...body.matchAll(/^ {4}(\w+)\?:/gm)].map((m) => m[1]);
            return keys.length > 0 ? [...keys, ...KUBERNETES_CONFIG_ONLY] : undefined;
        }
    } catch {
        // An SDK that cannot be read refuses nothing: the provider itself is the judge then.
    }
    return undefined;
}

/**
 * Keys in a provider's namespace that the provider does not have, one problem each, with the value
 * written and the closest real key.
 */
export function unknownProviderKeys(values: Record<string, unknown>): SettingProblem[] {
    const lists = new Map<string, string[] | undefined>();
    return Object.keys(values).flatMap((key) => {
        const provider = key.slice(0, key.indexOf(":"));
        if (!lists.has(provider)) {
            lists.set(provider, providerKeys(provider));
        }
        const known = lists.get(provider);
        const name = key.slice(provider.length + 1);
        if (!known || known.includes(name)) {
            return [];
        }
        return [
            {
                key,
                value: values[key],
                why: `the ${provider} provider has no setting ${JSON.stringify(name)}, so it would be ignored${suggestion(name, known, (n) => `${provider}:${n}`)}`,
                fix: `Correct or remove it (the provider's settings: pulumi package get-schema ${provider}, or its registry page)`,
            },
        ];
    });
}
