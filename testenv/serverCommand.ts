// What `npm run cluster` and `npm run openbao` share: the folder their servers live in between commands,
// and the parsing of `up|down|status [--dir DIR] [--toolchain DIR]`.
import * as os from "os";
import * as path from "path";
import { Command, defineCommand } from "../cli/command";

/** `${KUBE_API_ACCESS_TOOLS:-~/.cache/kube-api-access}/<name>`: where `up` keeps `name`'s servers by default. */
export function defaultServerDir(name: string): string {
    const tools = process.env.KUBE_API_ACCESS_TOOLS ?? path.join(os.homedir(), ".cache", "kube-api-access");
    return path.join(tools, name);
}

export interface ServerCommand {
    /** `up`, `down`, `status`, or whatever else was given (the caller refuses it). */
    readonly command: string;
    /** The servers' folder, absolute. */
    readonly dir: string;
    readonly toolchain?: string;
}

/**
 * The command `npm run <name> -- up|down|status [--dir DIR] [--toolchain DIR]`, declared once:
 * `commands` describes up, down and status, `dirHelp` and `toolchainHelp` the two options.
 */
export function serverCommand(name: string, commands: string[], dirHelp: string, toolchainHelp: string) {
    return defineCommand({
        name,
        positionals: "up|down|status",
        options: {
            dir: { type: "string", value: "DIR", help: dirHelp },
            toolchain: { type: "string", value: "DIR", help: toolchainHelp },
        },
        notes: commands,
    });
}

/**
 * Parses `COMMAND [--dir DIR] [--toolchain DIR]`. Prints the usage and returns the exit code instead for
 * --help (0) and for arguments it cannot parse (2).
 */
export function parseServerCommand(
    argv: string[],
    command: Command<ReturnType<typeof serverCommand>["spec"]["options"]>,
    defaultDir: string,
): ServerCommand | number {
    const [name, ...rest] = argv;
    if (name === "--help") {
        console.log(command.usage());
        return 0;
    }
    const parsed = command.parse(rest);
    if (!parsed.ok) {
        console.error(command.explain(parsed.message));
        return 2;
    }
    if (parsed.values.help) {
        console.log(command.usage());
        return 0;
    }
    return {
        command: name ?? "",
        dir: path.resolve(parsed.values.dir ?? defaultDir),
        toolchain: parsed.values.toolchain,
    };
}
