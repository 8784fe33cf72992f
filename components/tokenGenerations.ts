// Two generations of an account's long-lived token: which generation each of two token Secret slots holds.
// The ledger is kept on the ServiceAccount, so that a rotation makes the new token in the slot that does
// not hold the current one, and the previous token stays valid until the next rotation. Free of resources.

/**
 * Which generation each slot holds, and the rotation it follows. Stored as JSON in an annotation, with the
 * account's UID beside it (`account`), which reading ignores.
 */
export interface TokenLedger {
    /**
     * ID of the rotation marker this ledger follows: a `pulumi:index:Stash` of `tokenRotation` that is
     * replaced, and so gets a new ID, whenever `tokenRotation` changes. The value itself never reaches the
     * cluster (it may be a secret).
     */
    readonly marker: string;
    /** The slot (0 or 1) holding the current generation, the one exported. */
    readonly current: 0 | 1;
    /** The generation each slot holds, counted from 1; 0 is an empty slot (no token). */
    readonly slots: readonly [number, number];
    /** The highest generation ever made for this account; the next rotation makes `last + 1`. */
    readonly last: number;
}

/**
 * The ledger after this `up`: unchanged while the marker is the same; on a new marker, the next generation
 * goes into the slot that does not hold the current one (revoking the generation before the previous one)
 * and becomes current. `revokePrevious` then empties the other slot, in this `up`. No ledger (a new
 * account, or one deployed before generations existed): generation 1 in slot 0, whose Secret keeps the
 * name `<account>-token` that single-token versions gave it, so upgrading replaces no token.
 */
export function nextLedger(
    previous: TokenLedger | undefined,
    marker: string,
    revokePrevious: boolean,
): TokenLedger {
    let ledger: TokenLedger = previous ?? { marker, current: 0, slots: [1, 0], last: 1 };
    if (ledger.marker !== marker) {
        const slot = ledger.current === 0 ? 1 : 0;
        const slots: [number, number] = [...ledger.slots];
        slots[slot] = ledger.last + 1;
        ledger = { marker, current: slot, slots, last: ledger.last + 1 };
    }
    if (revokePrevious && ledger.slots[1 - ledger.current] !== 0) {
        const slots: [number, number] = [...ledger.slots];
        slots[1 - ledger.current] = 0;
        ledger = { ...ledger, slots };
    }
    return ledger;
}

/** The ledger in an annotation's text, or undefined when there is none or it is not one (edited by hand). */
export function parseLedger(text: string | undefined): TokenLedger | undefined {
    if (!text) {
        return undefined;
    }
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return undefined;
    }
    const l = value as Partial<TokenLedger> | null;
    const generation = (n: unknown) => typeof n === "number" && Number.isInteger(n) && n >= 0;
    const valid =
        l !== null &&
        typeof l === "object" &&
        typeof l.marker === "string" &&
        (l.current === 0 || l.current === 1) &&
        Array.isArray(l.slots) &&
        l.slots.length === 2 &&
        l.slots.every(generation) &&
        generation(l.last) &&
        l.slots[l.current] > 0 &&
        l.slots.every((g) => g <= (l.last as number));
    return valid
        ? { marker: l.marker, current: l.current, slots: [l.slots[0], l.slots[1]], last: l.last! }
        : undefined;
}

/**
 * The name of the Secret holding `generation` of `account`'s token: `<account>-token` for the first (the
 * name single-token versions used), `<account>-token-<generation>` after it. An empty slot holds an Opaque
 * Secret without a token, `<account>-token-unused-<a|b>`, since a slot is one resource whether it holds a
 * token or not.
 */
export function tokenSecretNameFor(account: string, generation: number, slot: 0 | 1): string {
    if (generation === 0) {
        return `${account}-token-unused-${slot === 0 ? "a" : "b"}`;
    }
    return generation === 1 ? `${account}-token` : `${account}-token-${generation}`;
}

/** The Secret names of a ledger's current and previous generations; previous is "" when that slot is empty. */
export function generationNames(account: string, ledger: TokenLedger): { current: string; previous: string } {
    const other = ledger.current === 0 ? 1 : 0;
    return {
        current: tokenSecretNameFor(account, ledger.slots[ledger.current], ledger.current),
        previous: ledger.slots[other] === 0 ? "" : tokenSecretNameFor(account, ledger.slots[other], other),
    };
}

/** The generation a token Secret's name gives (the inverse of tokenSecretNameFor); undefined for another name. */
export function generationOf(secretName: string): number | undefined {
    const m = /-token(?:-(\d+))?$/.exec(secretName);
    return m ? (m[1] ? Number(m[1]) : 1) : undefined;
}
