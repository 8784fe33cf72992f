// Pulumi's YAML files read as the CLI reads them (merge keys `<<` included), with positions: every problem,
// a syntax error, an alias without its anchor or a construct whose meaning is ambiguous, names the file,
// line and column and reads whole, the parser's pointer at the spot included.
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";

/** A problem in the user's settings, already in words: `Pulumi.dev.yaml:5: kube-api-access:acess ...`. */
export class SettingsError extends Error {
    /** The problems in reading order (inReadingOrder). */
    readonly problems: string[];

    constructor(
        readonly heading: string,
        problems: readonly string[],
    ) {
        const ordered = inReadingOrder(problems);
        super(`${heading}\n${ordered.map((p) => `  - ${p.replace(/\n/g, "\n    ")}`).join("\n")}`);
        this.problems = ordered;
        this.name = "SettingsError";
    }
}

/**
 * Problems as a reader goes through the files they name (`Pulumi.dev.yaml:7: ...`): grouped by file, in the
 * order each file is first named, then by line; a problem without a line (`--config: ...`) keeps its place
 * after its file's lines.
 */
function inReadingOrder(problems: readonly string[]): string[] {
    const located = problems.map((text, index) => {
        const at = /^(.+?):(\d+)(?::\d+)?: /.exec(text);
        return { text, index, file: at?.[1] ?? "", line: at ? Number(at[2]) : Number.MAX_SAFE_INTEGER };
    });
    const files = [...new Set(located.map((p) => p.file))];
    return located
        .sort((a, b) => files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.index - b.index)
        .map((p) => p.text);
}

export type YamlPath = (string | number)[];

/**
 * Parser warnings the CLI's YAML reader (Go yaml.v3) takes the same way: an unknown tag (`!foo x`) keeps
 * its plain value there and here. Every other warning (an ambiguous alias, flow indentation) may read
 * differently, so it is refused.
 */
const SAME_MEANING = new Set(["TAG_RESOLVE_FAILED"]);

/** A YAML file parsed with positions, so that every problem can name its file and line. */
export class YamlFile {
    private constructor(
        readonly file: string,
        private readonly doc: YAML.Document.Parsed,
        private readonly lines: YAML.LineCounter,
        readonly value: unknown,
    ) {}

    /** Parses `file`; a YAML problem throws a SettingsError with the file, line and column of each. */
    static read(file: string): YamlFile {
        const lines = new YAML.LineCounter();
        // Merge keys, as the CLI (yaml.v3) resolves them; this library's YAML 1.2 default would keep `<<` a key.
        const text = fs.readFileSync(file, "utf8");
        const doc = YAML.parseDocument(text, { lineCounter: lines, merge: true });
        const errors = [...doc.errors, ...doc.warnings.filter((w) => !SAME_MEANING.has(w.code))];
        // Named as YamlFile.where names it: the file's own name, not the path it was read from.
        const name = path.basename(file);
        const indented = overIndented(name, text, errors);
        const problems = indented ? [indented] : errors.map((e) => yamlProblem(name, e));
        let value: unknown;
        if (problems.length === 0) {
            try {
                value = doc.toJS();
            } catch (err) {
                problems.push(...unresolvedAliases(name, doc, lines, err as Error));
            }
        }
        if (problems.length > 0) {
            throw new SettingsError(
                `${path.basename(file)} is not valid YAML; nothing was created:`,
                problems,
            );
        }
        return new YamlFile(file, doc, lines, value);
    }

    /** Whether the top-level key `key` holds an anchored value (`base: &b`), kept there to be merged elsewhere. */
    anchored(key: string): boolean {
        const node = this.doc.contents;
        const pair = YAML.isMap(node)
            ? node.items.find((p) => YAML.isScalar(p.key) && p.key.value === key)
            : undefined;
        return YAML.isNode(pair?.value) && pair.value.anchor !== undefined;
    }

    /**
     * `file:line: ` of the deepest node of `at` that exists, or "" when fewer than `least` of its steps
     * do (a stack key the file does not hold has no line, not the line of `config:`).
     */
    where(at: YamlPath, least = 1): string {
        const line = this.line(at, least);
        return line === undefined ? "" : `${path.basename(this.file)}:${line}: `;
    }

    /** The line `where` names, or undefined where it names none. */
    line(at: YamlPath, least = 1): number | undefined {
        let node: unknown = this.doc.contents;
        let offset: number | undefined;
        let found = 0;
        for (const key of at) {
            if (YAML.isMap(node)) {
                const pair = node.items.find((p) => YAML.isScalar(p.key) && p.key.value === key);
                if (!pair) {
                    break;
                }
                offset = (pair.key as YAML.Scalar).range?.[0];
                node = pair.value;
            } else if (YAML.isSeq(node) && typeof key === "number" && node.items[key] !== undefined) {
                node = node.items[key];
                offset = (node as YAML.Node).range?.[0];
            } else {
                break;
            }
            found++;
        }
        return offset === undefined || found < least ? undefined : this.lines.linePos(offset).line;
    }
}

/** The first line of a YAML library error without the position it appends (` at line L, column C:`). */
export const yamlErrorText = (e: YAML.YAMLError): string =>
    e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "");

/**
 * `file:line:col: <message>` and, below it, the parser's excerpt with its pointer. The library ends its
 * message with ` at line L, column C:` and the excerpt (yaml src/errors.ts prettifyError).
 */
function yamlProblem(file: string, e: YAML.YAMLError): string {
    const at = e.linePos?.[0];
    const [, ...excerpt] = e.message.split("\n");
    const text = yamlErrorText(e);
    const shown = excerpt.filter((l) => l.trim() !== "");
    return `${file}:${at ? `${at.line}:${at.col}` : "?"}: ${text}${shown.length > 0 ? `\n${shown.join("\n")}` : ""}`;
}

/**
 * The problem of a line indented deeper than the key above it (`    kube-api-access:scope: x` under
 * `  kube-api-access:access: read-only`), which the library reports at the line above, where the value it
 * then reads as continuing starts (BLOCK_AS_IMPLICIT_KEY, MULTILINE_IMPLICIT_KEY): named at its own line,
 * with the fix. Undefined for any other error.
 */
function overIndented(file: string, text: string, errors: YAML.YAMLError[]): string | undefined {
    const first = errors[0];
    if (!first || !["BLOCK_AS_IMPLICIT_KEY", "MULTILINE_IMPLICIT_KEY"].includes(first.code)) {
        return undefined;
    }
    const lines = text.split("\n");
    const above = (first.linePos?.[0].line ?? 0) - 1;
    const indent = (l: string) => l.length - l.trimStart().length;
    const next = lines.findIndex((l, i) => i > above && l.trim() !== "" && !l.trim().startsWith("#"));
    if (above < 0 || next < 0 || indent(lines[next]) <= indent(lines[above])) {
        return undefined;
    }
    return (
        `${file}:${next + 1}:${indent(lines[next]) + 1}: indented deeper (${indent(lines[next])} spaces) than the key on line ` +
        `${above + 1} (${indent(lines[above])}), so it would read as part of that line's value. Indent it as line ` +
        `${above + 1}, with ${indent(lines[above])} spaces\n${lines[next]}`
    );
}

/** Each alias (`*b`) used before or without its anchor (`&b`), at its line and column. */
function unresolvedAliases(
    file: string,
    doc: YAML.Document.Parsed,
    lines: YAML.LineCounter,
    err: Error,
): string[] {
    const anchors = new Set<string>();
    const problems: string[] = [];
    YAML.visit(doc, {
        Node(_, node) {
            if (YAML.isAlias(node)) {
                if (!anchors.has(node.source)) {
                    const at = lines.linePos(node.range?.[0] ?? 0);
                    problems.push(
                        `${file}:${at.line}:${at.col}: the alias *${node.source} has no anchor &${node.source} ` +
                            `before it. Define &${node.source} on a value earlier in the file, or write the value here`,
                    );
                }
            } else if (node.anchor) {
                anchors.add(node.anchor);
            }
        },
    });
    // Anything else toJS refuses (too many aliases, for one): the library's own words, with the file.
    return problems.length > 0 ? problems : [`${file}: ${err.message}`];
}
