// The one format of ApiServiceAccount's argument errors: each problem names the argument, its value,
// why it is wrong and the fix; all of them are raised together, before anything is created.

/** Raised for arguments that would give a broken or unsafe account; nothing has been created. */
export class ApiServiceAccountArgsError extends Error {
    constructor(
        readonly component: string,
        readonly problems: string[],
    ) {
        super(
            `ApiServiceAccount "${component}" has invalid arguments; nothing was created:\n` +
                problems.map((p) => `  - ${p}`).join("\n"),
        );
        this.name = "ApiServiceAccountArgsError";
    }
}

/** A value as messages quote it: JSON, or `undefined`. */
export const show = (value: unknown): string => (value === undefined ? "undefined" : JSON.stringify(value));

/** Records one problem: the argument, its value, why it is wrong, and the fix. */
export type Fail = (field: string, value: unknown, why: string, fix: string) => void;

/** `text` ended as a sentence: a full stop added unless it already ends in `.`, `?` or `!`. */
export const sentence = (text: string): string => (/[.?!]$/.test(text) ? text : `${text}.`);

/** One problem in the one format: `<field> <value>: <why>. <fix>.` (no doubled stop after a `?`). */
export const problem = (field: string, value: unknown, why: string, fix: string): string =>
    `${field} ${show(value)}: ${sentence(why)} ${sentence(fix)}`;

/** A problem list and the `Fail` that fills it, in the one format every argument error uses. */
export function problemList(): { problems: string[]; fail: Fail } {
    const problems: string[] = [];
    return {
        problems,
        fail: (field, value, why, fix) => problems.push(problem(field, value, why, fix)),
    };
}
