// What an offline plan may show of a value: the one rule for secrets and credentials in everything plan
// prints and writes (the report, plan.json, manifests). docs/plan.md states the rule.
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../../offline/mocks";
import type { ExportedValue } from "../../offline/program";
import { SECRET_PLACEHOLDER, UNKNOWN_PLACEHOLDER } from "../../settings/placeholders";

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
 * Replaces every secret input with SECRET_PLACEHOLDER, so no secret reaches a file, and marks preview unknowns.
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
            return SECRET_PLACEHOLDER;
        }
        // A flag or a number under a credential's name (disableLocalCaJwt: true) is a setting, not a credential.
        if (
            credentials &&
            isCredentialKey(key) &&
            (typeof value === "string" || typeof value === "object") &&
            value !== null
        ) {
            return NOT_SHOWN;
        }
        if (value === pulumi.runtime.unknownValue) {
            return UNKNOWN_PLACEHOLDER;
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

/** What plan writes for each key of a Secret's `data`: base64 of SECRET_PLACEHOLDER, so the manifest still applies. */
export const SECRET_DATA = Buffer.from(SECRET_PLACEHOLDER).toString("base64");

/**
 * `value` with every Kubernetes Secret in it (any object of `kind: Secret`, at any depth, whatever built
 * it: v1, yaml/v2, a patch) keeping each key of its `data` and `stringData` with a placeholder value:
 * SECRET_DATA in `data` (valid base64), SECRET_PLACEHOLDER in `stringData`. A value that is not an object (a
 * preview unknown, already a marker) is replaced with the field's placeholder too.
 */
export function redactSecretObjects<T>(value: T): T {
    const walk = (v: unknown): unknown => {
        if (Array.isArray(v)) {
            return v.map(walk);
        }
        if (v === null || typeof v !== "object") {
            return v;
        }
        const o = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
        if (o.kind === "Secret") {
            for (const [field, marker] of [
                ["data", SECRET_DATA],
                ["stringData", SECRET_PLACEHOLDER],
            ] as const) {
                if (o[field] !== undefined && o[field] !== null) {
                    const given = o[field] as unknown;
                    o[field] =
                        given !== null && typeof given === "object" && !Array.isArray(given)
                            ? Object.fromEntries(Object.keys(given).map((k) => [k, marker]))
                            : marker;
                }
            }
        }
        return o;
    };
    return walk(value) as T;
}

/**
 * The values supplied for a stack's secret keys (a `secure:` setting given with --config, a key declared
 * `secret: true`), to be replaced with SECRET_PLACEHOLDER wherever plan writes or prints text: a program that reads one
 * with config.get/require gets a plain string, which its resources, exports and messages carry in clear.
 * Values shorter than MIN_SCRUBBED characters are not searched for (they would match ordinary text).
 */
export class SecretValues {
    static readonly MIN_SCRUBBED = 4;
    private readonly byValue: [value: string, key: string][];
    /** The keys whose value was found and replaced somewhere. */
    readonly found = new Set<string>();
    /** The keys whose value is too short to search for (MIN_SCRUBBED). */
    private readonly short: string[];

    constructor(values: Record<string, string>, secretKeys: string[]) {
        this.short = secretKeys.filter((key) => {
            const length = (values[key] ?? "").length;
            return length > 0 && length < SecretValues.MIN_SCRUBBED;
        });
        this.byValue = secretKeys
            // Each value as given and as it reads inside a JSON string (quotes, backslashes escaped).
            .flatMap((key): [string, string][] => {
                const value = values[key] ?? "";
                const escaped = JSON.stringify(value).slice(1, -1);
                return escaped === value
                    ? [[value, key]]
                    : [
                          [value, key],
                          [escaped, key],
                      ];
            })
            .filter(([value]) => value.length >= SecretValues.MIN_SCRUBBED)
            // Longest first: a value that holds another is replaced whole.
            .sort((a, b) => b[0].length - a[0].length);
    }

    /** `text` with every supplied secret value replaced with SECRET_PLACEHOLDER. */
    scrub(text: string): string {
        let out = text;
        for (const [value, key] of this.byValue) {
            if (out.includes(value)) {
                this.found.add(key);
                out = out.split(value).join(SECRET_PLACEHOLDER);
            }
        }
        return out;
    }

    /** Whether `value` (any JSON value) holds a supplied secret value. */
    holdsOne(value: unknown): boolean {
        const text = JSON.stringify(value) ?? "";
        return this.byValue.some(([v]) => text.includes(v));
    }

    /** One warning per key found in clear, and per key too short to search for, naming it and the fix. */
    warnings(): string[] {
        return [
            ...[...this.found]
                .sort()
                .map(
                    (key) =>
                        `the program used the secret ${key} as a plain value (config.get/require), so it reached ` +
                        `resources, outputs or messages in clear; plan showed ${SECRET_PLACEHOLDER} in its place. Read it with ` +
                        `config.getSecret/requireSecret so that pulumi up keeps it secret too`,
                ),
            ...this.short.map(
                (key) =>
                    `the value given for the secret ${key} is shorter than ${SecretValues.MIN_SCRUBBED} characters, ` +
                    `so plan cannot replace it in what it writes and prints (it would match ordinary text): a ` +
                    `program that reads it with config.get/require may show it in clear. Read it with ` +
                    `config.getSecret/requireSecret`,
            ),
        ];
    }

    /**
     * Runs `fn` with this process's stdout and stderr scrubbed (the program's console.log and errors as
     * they are written), and its error's message scrubbed.
     */
    async around<T>(fn: () => Promise<T>): Promise<T> {
        const streams = [process.stdout, process.stderr];
        const originals = streams.map((s) => s.write.bind(s));
        streams.forEach((s, i) => {
            s.write = (chunk: unknown, ...rest: unknown[]) =>
                (originals[i] as (...a: unknown[]) => boolean)(
                    typeof chunk === "string"
                        ? this.scrub(chunk)
                        : chunk instanceof Uint8Array
                          ? this.scrub(Buffer.from(chunk).toString("utf8"))
                          : chunk,
                    ...rest,
                );
        });
        try {
            return await fn();
        } catch (err) {
            if (err instanceof Error) {
                err.message = this.scrub(err.message);
                err.stack = err.stack === undefined ? undefined : this.scrub(err.stack);
            }
            throw err;
        } finally {
            streams.forEach((s, i) => (s.write = originals[i]));
        }
    }
}

/** `value` with every string in it (keys too) passed through `scrub`; undefined fields kept as they are. */
export function scrubStrings<T>(value: T, scrub: (text: string) => string): T {
    const walk = (v: unknown): unknown =>
        typeof v === "string"
            ? scrub(v)
            : Array.isArray(v)
              ? v.map(walk)
              : v !== null && typeof v === "object"
                ? Object.fromEntries(Object.entries(v).map(([k, x]) => [scrub(k), walk(x)]))
                : v;
    return walk(value) as T;
}
