// What plan and verify share as commands: argument parsing with their usage on error (and a hint for the
// usual slips: npm taking the options for itself, short options, misspelt ones), and running as a
// process whose exit code says the outcome (2 for a failure of the command itself).
import * as fs from "fs";
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { suggestion } from "../components/suggest";

type Options = NonNullable<ParseArgsConfig["options"]>;

/**
 * Parses `argv`; on a bad argument prints the message, a hint and the usage, and returns undefined.
 * `command` is the npm script's name, for the hints (default: the entry file's name, as in cli/plan.ts).
 * Options that npm kept for itself (written before `--`) stop the command too: run without them, it
 * would do something else than asked (print text for --json, run the pack despite --no-policy).
 */
export function parseOrExplain<O extends Options>(
    argv: string[],
    options: O,
    usage: string,
    command: string = path.basename(
        require.main?.filename ?? "command",
        path.extname(require.main?.filename ?? ""),
    ),
) {
    const eaten = npmTookOptions(argv, options, command);
    if (eaten) {
        console.error(`${eaten}\n${usage}`);
        return undefined;
    }
    try {
        const parsed = parseArgs({
            args: argv,
            options: { ...options, help: { type: "boolean" } },
            tokens: true,
        });
        // parseArgs keeps the last of a repeated single-value option; which one was meant is not known.
        for (const [name, option] of Object.entries(options)) {
            const given = parsed.tokens.filter((t) => t.kind === "option" && t.name === name);
            if (option.type === "string" && !option.multiple && given.length > 1) {
                const values = given.map((t) => (t.kind === "option" ? t.value : ""));
                console.error(
                    `--${name} was given ${given.length === 2 ? "twice" : `${given.length} times`} (${values.join(", ")}); give it once\n${usage}`,
                );
                return undefined;
            }
        }
        return parsed.values;
    } catch (err) {
        const hint = hintFor(argv, options, command);
        console.error(`${(err as Error).message}${hint ? `\n${hint}` : ""}\n${usage}`);
        return undefined;
    }
}

/**
 * The hint for options of the command that npm took for itself, or undefined. `npm run plan
 * --accept-unplanned -- --stack dev` gives the command only `--stack dev` and keeps the option as its own
 * setting, in the environment as npm_config_accept_unplanned=true (a value option's value is left in
 * argv; `--no-policy` becomes npm_config_policy=""). Only the command's own option names are looked at,
 * and only when npm runs this very script (npm_lifecycle_event), so npm's real settings (registry, cache)
 * and an outer `npm test` are never mistaken for it. `options` given as names are value options.
 */
export function npmTookOptions(
    argv: string[],
    options: Options | string[],
    command: string,
    env: NodeJS.ProcessEnv = process.env,
): string | undefined {
    if (env.npm_lifecycle_event !== command) {
        return undefined;
    }
    const table: Options = Array.isArray(options)
        ? Object.fromEntries(options.map((n) => [n, { type: "string" as const }]))
        : options;
    const values = [...argv];
    const redo: string[] = [];
    // npm keeps no order: values left behind pair with their options only when there is one of each.
    const valueless = Object.entries(table).filter(
        ([n, o]) => o.type === "string" && env[`npm_config_${n.replace(/-/g, "_")}`] === "true",
    ).length;
    const leading = argv.findIndex((a) => a.startsWith("-"));
    const left = leading < 0 ? argv.length : leading;
    for (const [name, option] of Object.entries(table)) {
        const negated = name.startsWith("no-") && option.type === "boolean";
        const kept = env[`npm_config_${(negated ? name.slice(3) : name).replace(/-/g, "_")}`];
        if (kept === undefined) {
            continue;
        }
        if (negated) {
            if (kept === "" || kept === "false") {
                redo.push(`--${name}`);
            }
        } else if (option.type === "boolean") {
            if (kept === "true") {
                redo.push(`--${name}`);
            }
        } else {
            const value = valueless === 1 && left === 1 ? values.shift() : "<value>";
            redo.push(`--${name}`, kept === "true" ? (value ?? "<value>") : kept);
        }
    }
    if (redo.length === 0) {
        return undefined;
    }
    const names = redo.filter((a) => a.startsWith("--"));
    const unpaired =
        redo.includes("<value>") && left > 0
            ? ` (npm left their values ${argv.slice(0, left).join(" ")} without names)`
            : "";
    return (
        `npm took ${names.join(", ")} for itself, as ${names.length > 1 ? "they" : "it"} came before --, so ${command} never saw ${names.length > 1 ? "them" : "it"}${unpaired}. ` +
        `Options go after --:\n  npm run ${command} -- ${[...redo, ...(unpaired ? values.slice(left) : values)].join(" ")}`
    );
}

/** What the user most likely meant, from what reached the command. `options` given as names are value options. */
export function hintFor(argv: string[], options: Options | string[], command: string): string | undefined {
    const eaten = npmTookOptions(argv, options, command);
    if (eaten) {
        return `hint: ${eaten}`;
    }
    const names = Array.isArray(options) ? options : Object.keys(options);
    for (const arg of argv) {
        const short = /^-([A-Za-z])$/.exec(arg);
        if (short) {
            const long = names.find((n) => n.startsWith(short[1]));
            return `hint: ${command} has no short options${long ? `: write --${long} instead of ${arg}` : ""}`;
        }
        const unknown = /^--([^=]+)/.exec(arg);
        if (unknown && !names.includes(unknown[1]) && unknown[1] !== "help") {
            const near = suggestion(unknown[1], names, (n) => `--${n}`);
            return near ? `hint: --${unknown[1]} is not an option${near}` : undefined;
        }
    }
    const positional = argv.find((a) => !a.startsWith("-"));
    if (positional !== undefined && names.includes("stack") && !argv.includes("--stack")) {
        return `hint: to name the stack, write npm run ${command} -- --stack ${positional}`;
    }
    return undefined;
}

/** Splits each `NAME=VALUE` at its first `=`; undefined, after saying how to write one, for one without. */
export function keyValuePairs(
    given: string[] | undefined,
    usage: string,
): Record<string, string> | undefined {
    const out: Record<string, string> = {};
    for (const pair of given ?? []) {
        const eq = pair.indexOf("=");
        if (eq <= 0) {
            console.error(`${pair}: give ${usage}`);
            return undefined;
        }
        out[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return out;
}

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
