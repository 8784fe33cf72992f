// What an offline plan may show of a value: the one rule for secrets and credentials in everything plan
// prints and writes (the report, plan.json, manifests). README "Offline plan" states the rule.
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../offline/mocks";
import type { ExportedValue } from "../offline/program";

/** What plan shows in place of a Pulumi secret (as `pulumi preview` does). */
export const SECRET = "[secret]";

/** What plan shows in place of a credential that is not marked secret (isCredentialKey). */
export const NOT_SHOWN = "[not shown: credential]";

/** What plan shows in place of each of a provider's settings (isProvider). */
export const PROVIDER_SETTING = "[not shown: provider setting]";

/**
 * A provider resource (`pulumi:providers:<package>`): its inputs are how the engine reaches the service
 * (a kubeconfig with a bearer token, a Vault token), so plan shows only their keys.
 */
export const isProvider = (type: string): boolean => type.startsWith("pulumi:providers:");

/**
 * A key whose value is a credential by its name, marked secret or not: a token, password, JWT, secret,
 * private or client key, kubeconfig or credentials. Settings about them (`tokenTtl`, `tokenPolicies`)
 * are not: the name must end in the credential's word.
 */
export function isCredentialKey(key: string): boolean {
    const words = key.replace(/[-_.\s]/g, "").toLowerCase();
    return /(token|password|passwd|passphrase|secret|secretid|jwt|kubeconfig|credentials?|privatekey|clientkey|clientkeydata|apikey|accesskey|secretkey)$/.test(
        words,
    );
}

/**
 * Replaces every secret input with SECRET, so no secret reaches a file, and marks preview unknowns.
 * Paths are compared whole, as recorded: keys may hold dots (annotation names). With `credentials`,
 * a value under a credential's key (isCredentialKey) is replaced with NOT_SHOWN as well.
 */
export function redact(
    inputs: Record<string, unknown>,
    secretPaths: string[],
    credentials = false,
): Record<string, unknown> {
    const secrets = new Set(secretPaths);
    const walk = (value: unknown, at: string, key: string): unknown => {
        if (secrets.has(at)) {
            return SECRET;
        }
        if (credentials && isCredentialKey(key) && value !== undefined && value !== null) {
            return NOT_SHOWN;
        }
        if (value === pulumi.runtime.unknownValue) {
            return "(known after apply)";
        }
        if (Array.isArray(value)) {
            return value.map((v, i) => walk(v, `${at}[${i}]`, key));
        }
        if (value !== null && typeof value === "object") {
            return Object.fromEntries(
                Object.entries(value).map(([k, v]) => [k, walk(v, at ? `${at}.${k}` : k, k)]),
            );
        }
        return value;
    };
    return walk(inputs, "", "") as Record<string, unknown>;
}

/**
 * The settings of a resource that is not a Kubernetes object, as plan shows them: a provider's keys only
 * (each PROVIDER_SETTING), anything else with its secrets and credentials replaced.
 */
export function shownSettings(r: RecordedResource): Record<string, unknown> {
    if (isProvider(r.type)) {
        return Object.fromEntries(
            Object.entries(r.inputs)
                .filter(([, v]) => v !== undefined)
                .map(([k]) => [k, PROVIDER_SETTING]),
        );
    }
    return redact(r.inputs, r.secretInputs, true);
}

/** A stack output as plan shows it: a secret one never with its value. */
export function shownOutput(o: ExportedValue): { secret: boolean; known: boolean; value?: unknown } {
    return o.secret ? { secret: true, known: o.known } : { secret: false, known: o.known, value: o.value };
}
