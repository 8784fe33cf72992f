// What `npm run cluster` and `npm run openbao` share: the folder their servers live in between commands,
// and the parsing of `up|down|status [--dir DIR] [--toolchain DIR]`.
import * as os from "os";
import * as path from "path";
import { parseOrExplain } from "../cli/command";

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
 * Parses `COMMAND [--dir DIR] [--toolchain DIR]`. Prints `usage` and returns the exit code instead for
 * --help (0) and for arguments it cannot parse (2).
 */
export function parseServerCommand(
    argv: string[],
    usage: string,
    defaultDir: string,
): ServerCommand | number {
    const [command, ...rest] = argv;
    const values = parseOrExplain(rest, { dir: { type: "string" }, toolchain: { type: "string" } }, usage);
    if (!values || values.help || command === "--help") {
        console.log(usage);
        return values?.help || command === "--help" ? 0 : 2;
    }
    return {
        command: command ?? "",
        dir: path.resolve(values.dir ?? defaultDir),
        toolchain: values.toolchain,
    };
}
