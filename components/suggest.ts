// "Did you mean": the known name closest to a misspelt one, by edit distance (fastest-levenshtein).
import { distance } from "fastest-levenshtein";

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
