// "Did you mean": the known name closest to a misspelt one, by edit distance (fastest-levenshtein).
import { distance } from "fastest-levenshtein";
import type { Fail, FieldPath } from "./problems";

/**
 * The candidate closest to `word` when it is close enough to be a typo of it: at most one edit per three
 * letters (at least one), ignoring case. Undefined when none is that close.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
    const lower = word.toLowerCase();
    let best: { name: string; d: number } | undefined;
    for (const name of candidates) {
        const d = distance(lower, name.toLowerCase());
        if (best === undefined || d < best.d) {
            best = { name, d };
        }
    }
    return best && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.name : undefined;
}

/** `"; did you mean X?"` for a misspelt name, or "" when nothing is close. */
export function suggestion(word: string, candidates: readonly string[], show = (s: string) => s): string {
    const near = didYouMean(word, candidates);
    return near === undefined ? "" : `; did you mean ${show(near)}?`;
}

/** `suggestion` for a value the user wrote, quoted as messages show values; "" for a value that is not text. */
export const valueSuggestion = (value: unknown, candidates: readonly string[]): string =>
    typeof value === "string" ? suggestion(value, candidates, (s) => JSON.stringify(s)) : "";

/**
 * Records through `fail` each key of `value` that is not in `known` (a typo the component would otherwise
 * ignore, using the default): `<field>.<key> <value>: <owner> no field "<key>"; did you mean ...`, where
 * `owner` is the subject and its verb ("an RBAC rule has", "Vault settings have").
 * `special` may claim a key first, with its own explanation; it returns true when it did.
 */
export function refuseUnknownFields(
    fail: Fail,
    field: FieldPath,
    value: object,
    known: readonly string[],
    owner: string,
    special: (key: string, value: unknown) => boolean = () => false,
): void {
    for (const [key, v] of Object.entries(value)) {
        if (known.includes(key) || special(key, v)) {
            continue;
        }
        fail(
            [...field, key],
            v,
            `${owner} no field ${JSON.stringify(key)}${suggestion(key, known)}`,
            `Use only ${known.join(", ")}`,
        );
    }
}
