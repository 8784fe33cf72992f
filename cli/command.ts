// What plan and verify share as commands: argument parsing with their usage on error (and a hint for the
// usual slips: npm taking the options for itself, short options, misspelt ones), and running as a
// process whose exit code says the outcome (2 for a failure of the command itself).
import * as path from "path";
import { parseArgs, ParseArgsConfig } from "util";
import { suggestion } from "../components/suggest";

/**
 * Parses `argv`; on a bad argument prints the message, a hint and the usage, and returns undefined.
 * `command` is the npm script's name, for the hints (default: the entry file's name, as in cli/plan.ts).
 */
export function parseOrExplain<O extends NonNullable<ParseArgsConfig["options"]>>(
    argv: string[],
    options: O,
    usage: string,
    command: string = path.basename(
        require.main?.filename ?? "command",
        path.extname(require.main?.filename ?? ""),
    ),
) {
    try {
        return parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } } }).values;
    } catch (err) {
        const hint = hintFor(argv, Object.keys(options), command);
        console.error(`${(err as Error).message}${hint ? `\n${hint}` : ""}\n${usage}`);
        return undefined;
    }
}

/** What the user most likely meant, from what reached the command and what npm kept for itself. */
export function hintFor(argv: string[], names: string[], command: string): string | undefined {
    // `npm run plan --stack dev` hands the command only "dev", and keeps --stack as its own setting
    // (npm_config_stack). npm's own settings (json, for one) are left out: they may be set on purpose.
    const eaten = names.filter(
        (n) => !NPM_SETTINGS.includes(n) && process.env[`npm_config_${n.replace(/-/g, "_")}`],
    );
    if (eaten.length > 0) {
        const values = [...argv];
        const redo = eaten.map((n) => {
            const kept = process.env[`npm_config_${n.replace(/-/g, "_")}`];
            return `--${n} ${kept === "true" ? (values.shift() ?? "<value>") : kept}`;
        });
        return `hint: npm took ${eaten.map((n) => `--${n}`).join(", ")} for itself: options go after --, as in npm run ${command} -- ${[...redo, ...values].join(" ")}`;
    }
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

/** npm's own settings that share a name with an option of ours. */
const NPM_SETTINGS = ["json"];

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
