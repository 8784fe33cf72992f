// `npm run openbao -- up|down|status`: a throwaway OpenBao dev server (testenv/openbao.ts) that outlives the
// command, for trying the Vault modes by hand. `up` prints the address as its last line; the root token is
// written to a file with mode 0600 whose path is printed, never the token itself.
import { runAsCommand } from "../cli/command";
import { openBaoStatus, startOpenBao, stopOpenBao } from "./openbao";
import { defaultServerDir, parseServerCommand, serverCommand } from "./serverCommand";

/** Where `up` keeps the server's folder unless --dir says otherwise. */
export function defaultOpenBaoDir(): string {
    return defaultServerDir("openbao");
}

const COMMAND = serverCommand(
    "openbao",
    [
        "up: start an OpenBao dev server on 127.0.0.1 (in-memory, KV v2 at secret/) in the background; prints where the root token is (a 0600 file), then the address as the last line",
        "down: stop it and remove DIR",
        "status: say whether it runs (exit 1 when not)",
    ],
    `the server's folder (default ${defaultOpenBaoDir()})`,
    "folder of the bao binary (default $KUBE_API_ACCESS_TOOLCHAIN, else the cached build)",
);

export async function main(argv: string[]): Promise<number> {
    const parsed = parseServerCommand(argv, COMMAND, defaultOpenBaoDir());
    if (typeof parsed === "number") {
        return parsed;
    }
    const { command, dir } = parsed;
    const dirFlag = dir === defaultOpenBaoDir() ? "" : ` --dir ${dir}`;
    switch (command) {
        case "up": {
            const previous = openBaoStatus(dir);
            if (previous?.running) {
                console.error(`OpenBao is already up in ${dir}; root token in ${previous.state.tokenFile}`);
                console.log(previous.state.address);
                return 0;
            }
            if (previous) {
                console.error(`OpenBao in ${dir} is stopped; removing it and starting afresh`);
                await stopOpenBao(dir);
            }
            const bao = await startOpenBao({ dataDir: dir, toolchainDir: parsed.toolchain });
            const { tokenFile } = bao.detach();
            console.log(`OpenBao ${bao.version} (${bao.binary}) unsealed, KV v2 at secret/`);
            console.log(
                `root token (mode 0600): ${tokenFile}; stop it with: npm run openbao -- down${dirFlag}`,
            );
            console.log(`use it: export VAULT_ADDR=${bao.address} VAULT_TOKEN="$(cat ${tokenFile})"`);
            console.log(bao.address);
            return 0;
        }
        case "down":
            console.log(
                (await stopOpenBao(dir)) ? `OpenBao in ${dir} stopped and removed` : `no OpenBao in ${dir}`,
            );
            return 0;
        case "status": {
            const status = openBaoStatus(dir);
            if (!status) {
                console.log(`no OpenBao in ${dir}`);
                return 1;
            }
            console.log(`OpenBao at ${status.state.address}: ${status.running ? "running" : "NOT running"}`);
            console.log(`root token (mode 0600): ${status.state.tokenFile}`);
            return status.running ? 0 : 1;
        }
        default:
            console.error(
                `unknown command ${JSON.stringify(command ?? "")}; expected up, down or status\n${COMMAND.usage()}`,
            );
            return 2;
    }
}

runAsCommand(module, main);
