// What the stack's token rotation does on its next change (docs/token-rotation.md): which token Secret the
// next generation gets, which stays valid and which is revoked, from the deployed stack's outputs when given
// (--stack-outputs <this stack>=FILE), else for the stack as this plan would first create it.
import { generationOf, tokenSecretNameFor } from "../../components/tokenGenerations";

export interface RotationPlan {
    /** Where the current and previous names come from: the deployed outputs' file, or this plan. */
    readonly from: string;
    readonly current: string;
    /** "" when there is no previous token. */
    readonly previous: string;
    readonly revokePrevious: boolean;
    /** On the next change of tokenRotation: the Secret made, the one kept valid, the ones revoked. */
    readonly next: { readonly creates: string; readonly keeps: string; readonly revokes: string[] };
}

/**
 * The rotation plan for a program that exports `serviceAccountName`, `tokenSecretName` and
 * `previousTokenSecretName` (this project's); undefined for another, or in Vault dynamic mode, where the
 * long-lived token is the issuer's and not exported.
 */
export function rotationPlan(
    planned: Record<string, unknown>,
    revokePrevious: boolean,
    deployed?: { readonly file: string; readonly outputs: Record<string, unknown> },
): RotationPlan | undefined {
    const source = deployed?.outputs ?? planned;
    const account = planned.serviceAccountName;
    const current = source.tokenSecretName;
    const previous = typeof source.previousTokenSecretName === "string" ? source.previousTokenSecretName : "";
    if (typeof account !== "string" || typeof current !== "string") {
        return undefined;
    }
    const generation = generationOf(current) ?? 1;
    // The generation after the highest one the names show; the ledger never reuses a number.
    const last = Math.max(generation, generationOf(previous) ?? 0);
    const creates = tokenSecretNameFor(account, last + 1, 0);
    return {
        from: deployed ? `the deployed stack's outputs (${deployed.file})` : "this plan (a first up)",
        current,
        previous,
        revokePrevious,
        next: revokePrevious
            ? { creates, keeps: "", revokes: [current, previous].filter(Boolean) }
            : { creates, keeps: current, revokes: [previous].filter(Boolean) },
    };
}

/** The report's lines for a rotation plan. */
export function renderRotation(r: RotationPlan): string[] {
    return [
        `Token rotation (docs/token-rotation.md), from ${r.from}:`,
        `  current token Secret ${r.current}; previous ${r.previous || "none"}`,
        `  the next change of tokenRotation creates ${r.next.creates} and exports it once filled, ` +
            (r.revokePrevious
                ? "then revokes every earlier token (revokePreviousToken)"
                : `keeps ${r.next.keeps} valid until the rotation after`) +
            (r.next.revokes.length > 0 && !r.revokePrevious
                ? `, and revokes ${r.next.revokes.join(", ")}`
                : ""),
    ];
}
