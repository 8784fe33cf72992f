// The one format of ApiServiceAccount's argument errors: each problem is data (the field's path, its
// value, why it is wrong and the fix), formatted here, in the caller's terms: `args.rules[0].verbs` for
// a program that passes the arguments, the stack key for the program that reads them from its settings.

/**
 * Where a problem sits: `["args", "rules", 0, "verbs"]` for an argument, `["name"]` for the component's
 * name, `["args"]` for the arguments as a whole.
 */
export type FieldPath = readonly (string | number)[];

/** Names a field in the reader's terms: `args.rules[0]`, or `kube-api-access:rules[0]` in a stack. */
export type Terms = (path: FieldPath) => string;

/** Words of a problem; a function when they name another field, so that it is named in the reader's terms. */
export type Words = string | ((term: Terms) => string);

/** One problem of the arguments, as data. */
export interface Problem {
    readonly path: FieldPath;
    /** The value at `path`: what the caller wrote, or, with `origin`, what was found in its place. */
    readonly value: unknown;
    /** Where `value` came from when the field is not set (`the server of KUBECONFIG (...)`). */
    readonly origin?: string;
    /** True when the field is not set and no value stands in for it: the message shows `(not set)`. */
    readonly unset?: boolean;
    readonly why: Words;
    readonly fix: Words;
}

/** Raised for arguments that would give a broken or unsafe account; nothing has been created. */
export class ApiServiceAccountArgsError extends Error {
    /** Each problem in the one format, in the arguments' terms (`args.scope "x": unknown scope. Use ...`). */
    readonly problems: string[];

    constructor(
        readonly component: string,
        /** The same problems as data, to be shown in other terms (the stack's keys, files and lines). */
        readonly details: readonly Problem[],
    ) {
        const problems = details.map((p) => formatProblem(p));
        super(
            `ApiServiceAccount "${component}" has invalid arguments; nothing was created:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.problems = problems;
        this.name = "ApiServiceAccountArgsError";
    }
}

/** A value as messages quote it: JSON, or `undefined`. */
export const show = (value: unknown): string => (value === undefined ? "undefined" : JSON.stringify(value));

/** Records one problem: the field's path, its value, why it is wrong, and the fix. */
export type Fail = (path: FieldPath, value: unknown, why: Words, fix: Words) => void;

/** `text` ended as a sentence: a full stop added unless it already ends in `.`, `?` or `!`. */
export const sentence = (text: string): string => (/[.?!]$/.test(text) ? text : `${text}.`);

/** The arguments' own terms: `args.rules[0].verbs`, `name`. */
export const argsTerms: Terms = (path) =>
    path.map((step, i) => (typeof step === "number" ? `[${step}]` : i === 0 ? step : `.${step}`)).join("");

/** Words in the reader's terms. */
export const wordsIn = (words: Words, term: Terms): string =>
    typeof words === "string" ? words : words(term);

/** One problem in the one format: `<field> <value>: <why>. <fix>.` (no doubled stop after a `?`). */
export const problem = (field: string, value: unknown, why: string, fix: string): string =>
    `${field} ${show(value)}: ${sentence(why)} ${sentence(fix)}`;

/**
 * A problem in the one format, its field and the fields its words name in `term`'s terms:
 * `<field> <value>: <why>. <fix>.`; `<field> (not set): <value>, <origin>: ...` for a value found in the
 * field's place; `<field> (not set): ...` when there is none.
 */
export function formatProblem(p: Problem, term: Terms = argsTerms): string {
    const field = term(p.path);
    const why = wordsIn(p.why, term);
    const fix = wordsIn(p.fix, term);
    if (p.origin !== undefined) {
        return `${field} (not set): ${show(p.value)}, ${p.origin}: ${sentence(why)} ${sentence(fix)}`;
    }
    return p.unset
        ? `${field} (not set): ${sentence(why)} ${sentence(fix)}`
        : problem(field, p.value, why, fix);
}

/** A problem list and the `Fail` that fills it. */
export function problemList(): { problems: Problem[]; fail: Fail } {
    const problems: Problem[] = [];
    return {
        problems,
        fail: (path, value, why, fix) => problems.push({ path, value, why, fix }),
    };
}
