// What plan, verify and bench share as commands: each is declared once, as a table of its options (type,
// value, help), from which its parsing (node's util.parseArgs), its usage text and its hints for the usual
// slips (npm taking the options for itself, short options, misspelt ones, a value without its option) all
// come; and running as a process whose exit code says the outcome (2 for a failure of the command itself).
// Node's own parseArgs is used rather than a library such as commander: it parses what the table says and
// nothing more. What npm kept for itself (options before `--`) no library sees: npmTookOptions reads it
// from npm's environment.
import * as fs from "fs";
import * as path from "path";
import { parseArgs } from "util";
import { didYouMean, suggestion } from "../components/suggest";

/** One option of a command, as its table declares it. */
export interface OptionSpec {
    /** `string` takes a value, `boolean` is a flag (parseArgs' types). */
    readonly type: "string" | "boolean";
    /** May be given more than once; the values come as a list, in order. */
    readonly multiple?: boolean;
    /** The value's placeholder in the usage text (`<name>`, `DIR`, `KEY=VALUE`); string options only. */
    readonly value?: string;
    /** What the option does and its default, one paragraph (the usage text wraps it). */
    readonly help: string;
    /** Must be given: written without brackets in the synopsis, and its absence refused. */
    readonly required?: boolean;
    /** The values it accepts, when they are a fixed list: any other is refused naming them. */
    readonly choices?: readonly string[];
    /** A whole number of at least this: anything else (`abc`, `3` for a minimum of 5) is refused. */
    readonly min?: number;
}

/** A command: the npm script that runs it, its options, and lines printed after them in the usage text. */
export interface CommandSpec<O extends Record<string, OptionSpec>> {
    /** The npm script's name (`npm run <name>`), used in the usage text and the hints. */
    readonly name: string;
    /** What comes before the options in the synopsis, such as `up|down|status` (default: nothing). */
    readonly positionals?: string;
    readonly options: O;
    /** Lines after the options' table (how options combine, how npm passes them). */
    readonly notes?: readonly string[];
}

type ValueOf<S extends OptionSpec> = S["type"] extends "boolean"
    ? boolean
    : S["multiple"] extends true
      ? string[]
      : string;

/** What a command's options parse to; absent options are undefined. */
export type Values<O extends Record<string, OptionSpec>> = { -readonly [K in keyof O]?: ValueOf<O[K]> } & {
    help?: boolean;
};

/** A parse: the values, or the problem (message, hint) to print with the usage. */
export type Parsed<O extends Record<string, OptionSpec>> =
    | { readonly ok: true; readonly values: Values<O> }
    | {
          readonly ok: false;
          readonly message: string;
          /** A required option that was not given; the values are those of the rest, parsed. */
          readonly missing?: keyof O & string;
          readonly values?: Values<O>;
      };

const WIDTH = 104;

/** Wraps `text` into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
    const lines: string[] = [];
    let line = "";
    for (const word of text.split(/\s+/).filter(Boolean)) {
        if (line && line.length + 1 + word.length > width) {
            lines.push(line);
            line = word;
        } else {
            line = line ? `${line} ${word}` : word;
        }
    }
    return line ? [...lines, line] : lines;
}

/** A command declared by its table: parse, usage and hints all read that one table. */
export class Command<O extends Record<string, OptionSpec>> {
    constructor(readonly spec: CommandSpec<O>) {}

    get name(): string {
        return this.spec.name;
    }

    /** `--name VALUE` as the usage text writes an option. */
    private written(name: string): string {
        const o = this.spec.options[name];
        return o.type === "string" ? `--${name} ${o.value ?? "VALUE"}` : `--${name}`;
    }

    /** The usage text: the synopsis, then one row per option with its help, then the notes. */
    usage(): string {
        const lead = `usage: npm run ${this.name} --${this.spec.positionals ? ` ${this.spec.positionals}` : ""}`;
        const synopsis: string[] = [];
        let line = lead;
        for (const name of Object.keys(this.spec.options)) {
            const o = this.spec.options[name];
            const part = `${o.required ? this.written(name) : `[${this.written(name)}]`}${o.multiple ? "..." : ""}`;
            if (line.length + 1 + part.length > WIDTH && line !== lead) {
                synopsis.push(line);
                line = " ".repeat(lead.length);
            }
            line = `${line} ${part}`;
        }
        synopsis.push(line, "");
        const names = Object.keys(this.spec.options);
        const column = Math.max(...names.map((n) => this.written(n).length)) + 2;
        const rows = names.flatMap((name) => {
            const help = wrap(this.spec.options[name].help, WIDTH - column - 2);
            return help.map((h, i) => `  ${(i === 0 ? this.written(name) : "").padEnd(column)}${h}`);
        });
        const notes = (this.spec.notes ?? []).flatMap((n) => wrap(n, WIDTH - 2).map((l) => `  ${l}`));
        return [...synopsis, ...rows, ...(notes.length > 0 ? ["", ...notes] : [])].join("\n");
    }

    /**
     * Parses `argv` by the table. Refuses, with the message and a hint: options npm kept for itself
     * (written before `--`; run without them, the command would do something else than asked), an
     * unknown or misspelt option, a single-value option given twice, a value not among `choices` or
     * below `min`.
     */
    parse(argv: string[], env: NodeJS.ProcessEnv = process.env): Parsed<O> {
        const eaten = npmTookOptions(argv, this.spec.options, this.name, env);
        if (eaten) {
            return { ok: false, message: eaten };
        }
        let parsed;
        try {
            parsed = parseArgs({
                args: argv,
                options: {
                    ...Object.fromEntries(
                        Object.entries(this.spec.options).map(([n, o]) => [
                            n,
                            o.multiple ? { type: o.type, multiple: true } : { type: o.type },
                        ]),
                    ),
                    help: { type: "boolean" },
                },
                tokens: true,
            });
        } catch (err) {
            const hint = this.hint(argv, env);
            return { ok: false, message: `${(err as Error).message}${hint ? `\n${hint}` : ""}` };
        }
        const values = parsed.values as Record<string, string | string[] | boolean | undefined>;
        for (const [name, option] of Object.entries(this.spec.options)) {
            // parseArgs keeps the last of a repeated single-value option; which one was meant is not known.
            const given = parsed.tokens.flatMap((t) => (t.kind === "option" && t.name === name ? [t] : []));
            if (option.type === "string" && !option.multiple && given.length > 1) {
                const shown = given.map((t) => t.value ?? "").join(", ");
                return {
                    ok: false,
                    message: `--${name} was given ${given.length === 2 ? "twice" : `${given.length} times`} (${shown}); give it once`,
                };
            }
            const problem = this.valueProblem(name, values[name]);
            if (problem) {
                return { ok: false, message: problem };
            }
        }
        const missing = Object.keys(this.spec.options).find(
            (n) => this.spec.options[n].required && values[n] === undefined,
        );
        if (missing !== undefined && !values.help) {
            const hint = this.hint(argv, env);
            return {
                ok: false,
                message: `--${missing} is required${hint ? `\n${hint}` : ""}`,
                missing,
                values: values as Values<O>,
            };
        }
        return { ok: true, values: values as Values<O> };
    }

    /** `message` and the usage text, as printed for a refused command line. */
    explain(message: string): string {
        return `${message}\n${this.usage()}`;
    }

    /** What is wrong with the value given to `--name` (not among its choices, not a number), or undefined. */
    private valueProblem(name: string, given: unknown): string | undefined {
        const o = this.spec.options[name];
        for (const value of typeof given === "string" ? [given] : Array.isArray(given) ? given : []) {
            const v = String(value);
            if (o.choices && !o.choices.includes(v)) {
                const near = didYouMean(v, o.choices);
                return `--${name} ${v}: not one of ${o.choices.join(", ")}; ${near ? `did you mean --${name} ${near}?` : "give one of them"}`;
            }
            if (o.min !== undefined && (!/^\d+$/.test(v) || Number(v) < o.min)) {
                return `--${name} ${v}: not a whole number of at least ${o.min}; give --${name} N with N >= ${o.min}`;
            }
        }
        return undefined;
    }

    /** Positional arguments: those that are neither an option nor the value of the option before them. */
    private positionals(argv: string[]): string[] {
        const out: string[] = [];
        for (let i = 0; i < argv.length; i++) {
            const arg = argv[i];
            if (arg === "--") {
                out.push(...argv.slice(i + 1));
                break;
            }
            const long = /^--([^=]+)$/.exec(arg);
            if (long && this.spec.options[long[1]]?.type === "string") {
                i++;
            } else if (!arg.startsWith("-")) {
                out.push(arg);
            }
        }
        return out;
    }

    /** What the user most likely meant, from what reached the command, or undefined. */
    hint(argv: string[], env: NodeJS.ProcessEnv = process.env): string | undefined {
        const eaten = npmTookOptions(argv, this.spec.options, this.name, env);
        if (eaten) {
            return `hint: ${eaten}`;
        }
        const names = Object.keys(this.spec.options);
        for (const arg of argv) {
            if (arg === "--") {
                break;
            }
            const short = /^-([A-Za-z])$/.exec(arg);
            if (short) {
                const long = names.find((n) => n.startsWith(short[1]));
                return `hint: ${this.name} has no short options${long ? `: write --${long} instead of ${arg}` : ""}`;
            }
            const unknown = /^--([^=]+)/.exec(arg);
            if (unknown && !names.includes(unknown[1]) && unknown[1] !== "help") {
                const near = suggestion(unknown[1], names, (n) => `--${n}`);
                return near ? `hint: --${unknown[1]} is not an option${near}` : undefined;
            }
        }
        const positional = this.positionals(argv)[0];
        if (positional !== undefined && "stack" in this.spec.options && !argv.includes("--stack")) {
            return `hint: to name the stack, write npm run ${this.name} -- --stack ${positional}`;
        }
        return undefined;
    }
}

/** Declares a command by its table of options (see Command). */
export function defineCommand<const O extends Record<string, OptionSpec>>(spec: CommandSpec<O>): Command<O> {
    return new Command(spec);
}

/**
 * The hint for options of the command that npm took for itself, or undefined. npm passes a script only
 * what follows `--` and keeps an option written before it as its own setting, left in the script's
 * environment as `npm_config_<name>` (npm docs, "npm run-script": `--` ends npm's options), which is all
 * we read: `--json` is `npm_config_json=true`, `--no-policy` is `npm_config_policy=""`, `--out /tmp/o` is
 * `npm_config_out=true` with `/tmp/o` left in argv. Only the command's own option names count, and only
 * when npm runs this very script (npm_lifecycle_event), so npm's real settings (registry, cache) and an
 * outer `npm test` are never mistaken for it.
 */
export function npmTookOptions(
    argv: string[],
    options: Record<string, Pick<OptionSpec, "type">>,
    command: string,
    env: NodeJS.ProcessEnv = process.env,
): string | undefined {
    if (env.npm_lifecycle_event !== command) {
        return undefined;
    }
    const took = Object.entries(options).flatMap(([name, { type }]): [string, string?][] => {
        const negated = type === "boolean" && name.startsWith("no-");
        const kept = env[`npm_config_${(negated ? name.slice(3) : name).replace(/-/g, "_")}`];
        if (type === "string") {
            // "true": npm took the name alone and left the value in argv.
            return kept === undefined ? [] : [[`--${name}`, kept === "true" ? undefined : kept]];
        }
        return (negated ? kept === "" || kept === "false" : kept === "true") ? [[`--${name}`]] : [];
    });
    if (took.length === 0) {
        return undefined;
    }
    // The values npm left lead argv, in no telling order: each is named only when one option lacks one.
    const lead = argv.findIndex((a) => a.startsWith("-"));
    const values = argv.slice(0, lead < 0 ? argv.length : lead);
    const lacking = took.filter(([, value]) => value === undefined).length;
    const paired = lacking === 1 && values.length === 1;
    const redo = took.flatMap(([name, value], i) =>
        took[i].length === 1 ? [name] : [name, value ?? (paired ? values[0] : "<value>")],
    );
    const names = took.map(([name]) => name);
    const they = names.length > 1;
    const unnamed =
        lacking > 0 && !paired && values.length > 0
            ? ` (npm left their values ${values.join(" ")} without names)`
            : "";
    return (
        `npm took ${names.join(", ")} for itself, as ${they ? "they" : "it"} came before --, so ${command} never saw ${they ? "them" : "it"}${unnamed}. ` +
        `Options go after --:\n  npm run ${command} -- ${[...redo, ...(lacking > 0 ? argv.slice(values.length) : argv)].join(" ")}`
    );
}

/**
 * Splits each `NAME=VALUE` at its first `=`. Throws a UsageError naming the pair and `form` (how to write
 * one, such as `--config KEY=VALUE, such as ...`) for one without a name before its `=`.
 */
export function keyValuePairs(given: string[] | undefined, form: string): Record<string, string> {
    const out: Record<string, string> = {};
    for (const pair of given ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) {
            throw new UsageError(`${pair}: give ${form}`);
        }
        out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
}

/** A problem with what was written on the command line: the command prints it with its usage and exits 2. */
export class UsageError extends Error {}

/** Whether `command` (a name looked up in PATH, or a path) names a file there is. */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
    if (command.includes(path.sep)) {
        return fs.existsSync(command);
    }
    return (env.PATH ?? "")
        .split(path.delimiter)
        .some((dir) => dir !== "" && fs.existsSync(path.join(dir, command)));
}

/** Runs `main` when `mod` is the process's entry point, exiting with its code. */
export function runAsCommand(mod: NodeModule, main: (argv: string[]) => Promise<number>): void {
    if (require.main !== mod) {
        return;
    }
    main(process.argv.slice(2)).then(
        (code) => process.exit(code),
        (err) => {
            console.error(err);
            process.exit(2);
        },
    );
}
