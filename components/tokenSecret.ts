// The long-lived token Secrets of a ServiceAccount, in two generations, filled by Kubernetes' token
// controller, with the provider's wait made real and the current token and CA read back out of them.
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ANNOTATIONS, FIXED_NAME_OPTIONS } from "./metadata";
import type { Ownership } from "./ownership";
import { SERVICE_ACCOUNT_TOKEN_TYPE } from "../rbac/serviceAccountToken";
import { mockMonitor } from "./sdkInternals";
import {
    generationNames,
    nextLedger,
    parseLedger,
    TokenLedger,
    tokenSecretNameFor,
} from "./tokenGenerations";

export interface TokenSecretArgs {
    /** The account's name and namespace as settled from the arguments: the Secrets are named after it. */
    readonly accountName: string;
    readonly namespace: string;
    readonly serviceAccount: k8s.core.v1.ServiceAccount;
    readonly labels: Record<string, string>;
    readonly timeoutSeconds: number;
    /** Any value; a change makes the next generation. Default: none (generation 1 stays). */
    readonly rotation?: pulumi.Input<string>;
    /** Empty the previous generation's slot in this `up`, revoking its token. Default: false. */
    readonly revokePrevious?: boolean;
    /** The ownership check (ownership.ts): each slot's Secret is checked under the name its generation gives. */
    readonly ownership: Ownership;
}

export interface TokenSecret {
    /** Name of the Secret holding the current token. */
    readonly name: pulumi.Output<string>;
    /** Name of the Secret holding the previous token, still valid until the next rotation; "" when none. */
    readonly previousName: pulumi.Output<string>;
    /** The decoded current token, always a secret. */
    readonly token: pulumi.Output<string>;
    /** The cluster CA (PEM), public and exported in clear. */
    readonly caCert: pulumi.Output<string>;
}

/**
 * The account's long-lived token in two generations (tokenGenerations.ts): a rotation marker, the ledger
 * read live from the ServiceAccount and written back to it, and two token Secret slots, children of
 * `parent`. The first slot keeps `logicalName`, the URN single-token versions gave their one Secret.
 */
export function tokenSecret(
    parent: pulumi.Resource,
    logicalName: string,
    args: TokenSecretArgs,
): TokenSecret {
    const account = args.serviceAccount;
    // Replaced, and so given a new ID, whenever the rotation value changes: the ledger compares IDs, so the
    // value (possibly a secret) never reaches the cluster.
    const marker = new pulumi.Stash(
        `${logicalName}-rotation`,
        { input: args.rotation ?? "" },
        { parent, replaceOnChanges: ["input"] },
    );
    // Read live, before this up writes it: the engine keeps no earlier state a program can read, and the
    // ServiceAccount's own outputs are those of its last update, older than the last ledger written.
    // The account's own ID, which a preview of a new account leaves unknown: the engine then skips the read
    // rather than failing on an account that does not exist yet (name and namespace are known from inputs).
    const live = k8s.core.v1.ServiceAccount.get(`${logicalName}-ledger-read`, account.id, { parent });
    // The names a first up gives the two slots are checked with the other children, before anything is
    // created; the name a rotation gives a slot is checked once the ledger is known (slotSecret).
    args.ownership.claim(secretObject(args, tokenSecretNameFor(args.accountName, 1, 0)));
    args.ownership.claim(secretObject(args, tokenSecretNameFor(args.accountName, 0, 1)));
    // The account's own id beside the read: when the account fails (the ownership check refused it), its id
    // fails, and the SDK then never settles the read's outputs (readResource in @pulumi/pulumi
    // runtime/resource.ts fails a read's outputs only when its preparation fails, not its id), so an
    // Automation API inline program, which waits for every RPC, hung. `all` fails at the first failure.
    const ledger = pulumi
        .all([account.id, live.metadata, marker.id])
        .apply(([, metadata, id]) =>
            nextLedger(
                parseLedger(metadata?.annotations?.[ANNOTATIONS.tokenGenerations]),
                id,
                args.revokePrevious === true,
            ),
        );
    // Named with plain values, so that a replaced account updates the patch rather than replacing it (the
    // old patch's deletion would take the annotation off the new account); the account's UID in the value
    // makes a new account get its ledger written even when the ledger itself is unchanged.
    const slots = ([0, 1] as const).map((slot) =>
        slotSecret(parent, slot === 0 ? logicalName : `${logicalName}-b`, slot, ledger, args),
    );
    new k8s.core.v1.ServiceAccountPatch(
        `${logicalName}-ledger`,
        {
            metadata: {
                name: args.accountName,
                namespace: args.namespace,
                annotations: {
                    // Written only once both slots' names passed the ownership check: a refused name
                    // leaves the ledger, and so the generations, as they were.
                    [ANNOTATIONS.tokenGenerations]: pulumi
                        .all([ledger, account.metadata.uid, slots[0].owner, slots[1].owner])
                        .apply(([l, uid]) => JSON.stringify({ ...l, account: uid })),
                },
            },
        },
        { parent },
    );
    const names = ledger.apply((l) => generationNames(args.accountName, l));
    const current = pulumi
        .all([ledger, slots[0].secret.data, slots[1].secret.data, names])
        .apply(([l, a, b, n]) => ({ data: l.current === 0 ? a : b, name: n.current }));
    // Kubernetes returns Secret data base64-encoded; the provider marks it secret in a real run but the
    // mock runtime does not, so the token is wrapped explicitly.
    const token = pulumi.secret(current.apply((c) => decodeField(c.data, "token", c.name)));
    // The CA is public; it is read out of the secret data and deliberately exported in clear.
    const caCert = pulumi.unsecret(current.apply((c) => decodeField(c.data, "ca.crt", c.name)));
    // The names are public (the outputs table says so), even when a secret tokenRotation made the marker,
    // and so the ledger they come from, secret.
    return {
        name: pulumi.unsecret(names.apply((n) => n.current)),
        previousName: pulumi.unsecret(names.apply((n) => n.previous)),
        token,
        caCert,
    };
}

/**
 * One slot: the token Secret of the generation the ledger gives it, or an Opaque Secret without a token when
 * the slot is empty (the token controller fills only the token type). A new generation renames the Secret, which replaces it: the old one is deleted first
 * (it is the generation before the previous one, or the empty slot), then the new one waits for its token.
 */
function slotSecret(
    parent: pulumi.Resource,
    logicalName: string,
    slot: 0 | 1,
    ledger: pulumi.Output<TokenLedger>,
    args: TokenSecretArgs,
): { secret: k8s.core.v1.Secret; owner: pulumi.Output<string> } {
    const account = args.serviceAccount;
    const generation = ledger.apply((l) => l.slots[slot]);
    const owner = args.ownership.checkNamed(
        generation.apply((g) => secretObject(args, tokenSecretNameFor(args.accountName, g, slot))),
        "its token Secrets",
    );
    const holdsToken = (value: string) => generation.apply((g) => (g === 0 ? undefined : value));
    // One Output per key, an undefined one leaving its key out: the account's name stays known in a preview
    // that cannot know the generation yet, so the policy pack sees whose token this would be.
    const annotations: Record<string, pulumi.Input<string | undefined>> = {
        [ANNOTATIONS.serviceAccountName]: account.metadata.name,
        [ANNOTATIONS.waitFor]: holdsToken("jsonpath={.data.token}"),
        // A replaced ServiceAccount has a new UID and its old tokens stop working (401), so the token
        // Secret follows it; see replaceOnChanges below.
        [ANNOTATIONS.serviceAccountUid]: account.metadata.uid,
        [ANNOTATIONS.tokenSlot]: generation.apply((g) => (g === 0 ? "unused" : undefined)),
        [ANNOTATIONS.owner]: owner,
    };
    const timeout = `${args.timeoutSeconds}s`;
    const secret = new k8s.core.v1.Secret(
        logicalName,
        {
            metadata: {
                name: generation.apply((g) => tokenSecretNameFor(args.accountName, g, slot)),
                namespace: account.metadata.namespace,
                labels: args.labels,
                annotations: annotations as Record<string, pulumi.Input<string>>,
            },
            type: generation.apply((g) => (g === 0 ? "Opaque" : SERVICE_ACCOUNT_TOKEN_TYPE)),
        },
        {
            parent,
            // With pulumi.com/waitFor set, the provider honours customTimeouts for the wait.
            customTimeouts: { create: timeout, update: timeout },
            // Keys with dots and slashes are quoted, as Pulumi's property paths allow
            // (sdk/go/common/resource/properties_path.go).
            replaceOnChanges: [`metadata.annotations["${ANNOTATIONS.serviceAccountUid}"]`, "type"],
            ...FIXED_NAME_OPTIONS,
            // A replaced ServiceAccount's token controller deletes this Secret (its UID no longer matches), and
            // `pulumi up --replace` of the account alone plans no diff for the Secret: the engine replaces it with
            // the account (resource option replaceWith, pulumi/pulumi sdk/nodejs/resource.ts).
            replaceWith: [account],
        },
    );
    return { secret, owner };
}

/** A token Secret of the account as the ownership check names it. */
function secretObject(args: TokenSecretArgs, name: string) {
    return { apiVersion: "v1", kind: "Secret", name, namespace: args.namespace };
}

/** Decodes one field of a token Secret's data, with an error that says what went wrong (never the value). */
function decodeField(data: Record<string, string> | undefined, field: string, secretName: string): string {
    const encoded = data?.[field];
    if (!encoded && underMocks()) {
        // Unit-test mocks that return a resource's inputs as its state play no token controller: say so
        // once, and go on with an empty value rather than failing every output with a rejection no test awaits.
        if (!warnedUnderMocks) {
            warnedUnderMocks = true;
            void pulumi.log.warn(
                `token Secret ${JSON.stringify(secretName)} has no data.${field} under unit-test mocks, which play no ` +
                    `token controller: token, caCert and kubeconfig are empty. Use the mocks of kube-api-access/testing ` +
                    `(ApiServiceAccountMocks), which fill the Secret as the token controller does`,
            );
        }
        return "";
    }
    if (!encoded) {
        throw new Error(
            `token Secret ${JSON.stringify(secretName)} has no data.${field}: the token controller did not fill it. ` +
                `Check that the ServiceAccount exists and the kube-controller-manager runs, or raise tokenTimeoutSeconds`,
        );
    }
    return Buffer.from(encoded, "base64").toString("utf8");
}

let warnedUnderMocks = false;

/** True under pulumi.runtime.setMocks. */
export function underMocks(): boolean {
    return mockMonitor() !== undefined;
}
