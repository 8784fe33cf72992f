// What plan and verify share as commands: argument parsing with their usage on error, and running as a
// process whose exit code says the outcome (2 for a failure of the command itself).
import { parseArgs, ParseArgsConfig } from "util";

/** Parses `argv`; on a bad argument prints the message and the usage, and returns undefined. */
export function parseOrExplain<O extends NonNullable<ParseArgsConfig["options"]>>(
    argv: string[],
    options: O,
    usage: string,
) {
    try {
        return parseArgs({ args: argv, options: { ...options, help: { type: "boolean" } } }).values;
    } catch (err) {
        console.error(`${(err as Error).message}\n${usage}`);
        return undefined;
    }
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
