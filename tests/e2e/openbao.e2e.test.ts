// Level: real server. The OpenBao dev server of testenv/openbao.ts and `npm run openbao -- up|down`, run for
// real from the pinned toolchain: loopback only, a working random root token that is never printed or
// logged, KV v2 at secret/, seal and unseal, and nothing left running or on disk after stop/down.
import * as assert from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";
import { api, OpenBao, startOpenBao, stopOpenBao } from "../../testenv/openbao";
import { runs } from "../../testenv/state";

const portOpen = (address: string) =>
    new Promise<boolean>((resolve) => {
        const url = new URL(address);
        const socket = net.connect(Number(url.port), url.hostname);
        socket.once("connect", () => {
            socket.destroy();
            resolve(true);
        });
        socket.once("error", () => resolve(false));
    });

describe("e2e (real server): the OpenBao dev server for tests", function () {
    describe("startOpenBao()", function () {
        let bao: OpenBao;
        before(async function () {
            bao = await startOpenBao();
        });
        after(async function () {
            await bao?.stop();
        });

        it("listens on 127.0.0.1 only, and reports the built version", function () {
            assert.match(bao.address, /^http:\/\/127\.0\.0\.1:\d+$/);
            const built = spawnSync(bao.binary, ["version"], { encoding: "utf8" }).stdout;
            assert.ok(built.includes(`OpenBao ${bao.version} `), `${bao.version} vs ${built}`);
        });

        it("has a random root token that works, and KV v2 at secret/", async function () {
            assert.match(bao.rootToken, /^s\.[A-Za-z0-9]{20,}$/);
            const self = (await api(
                bao.address,
                "GET",
                "/v1/auth/token/lookup-self",
                undefined,
                bao.rootToken,
            )) as {
                data: { policies: string[] };
            };
            assert.deepStrictEqual(self.data.policies, ["root"]);
            const mount = (await api(
                bao.address,
                "GET",
                "/v1/sys/mounts/secret",
                undefined,
                bao.rootToken,
            )) as {
                type: string;
                options: { version: string };
            };
            assert.deepStrictEqual([mount.type, mount.options.version], ["kv", "2"]);
            await assert.rejects(
                api(bao.address, "GET", "/v1/sys/mounts", undefined, "s.not-a-token"),
                /HTTP 403/,
            );
        });

        it("seals and unseals", async function () {
            await bao.seal();
            await assert.rejects(
                api(bao.address, "GET", "/v1/secret/config", undefined, bao.rootToken),
                /HTTP 503: Vault is sealed/,
            );
            await bao.unseal();
            await api(bao.address, "GET", "/v1/secret/config", undefined, bao.rootToken);
        });

        it("never writes the root token to its folder (log included)", function () {
            for (const file of fs.readdirSync(bao.dataDir)) {
                const text = fs.readFileSync(path.join(bao.dataDir, file), "utf8");
                assert.ok(!text.includes(bao.rootToken), `the root token is in ${file}`);
            }
        });

        it("stop() ends the server and removes its folder", async function () {
            const throwaway = await startOpenBao();
            assert.strictEqual(await portOpen(throwaway.address), true);
            await throwaway.stop();
            assert.strictEqual(await portOpen(throwaway.address), false);
            assert.strictEqual(fs.existsSync(throwaway.dataDir), false);
        });
    });

    it("the server ends and its folder goes when the process that started it is killed", async function () {
        const code = `require("./testenv/openbao").startOpenBao().then((b) => console.log(JSON.stringify({ address: b.address, dataDir: b.dataDir })))`;
        const child = spawn(
            process.execPath,
            ["-r", "ts-node/register/transpile-only", "-e", `${code}; setInterval(() => {}, 1000)`],
            { cwd: PROJECT_DIR, stdio: ["ignore", "pipe", "inherit"] },
        );
        let out = "";
        child.stdout.on("data", (c: Buffer) => (out += c.toString()));
        const started = Date.now();
        while (!out.includes("\n") && Date.now() - started < 120_000) {
            await new Promise((resolve) => setTimeout(resolve, 200));
        }
        const { address, dataDir } = JSON.parse(out) as { address: string; dataDir: string };
        assert.strictEqual(await portOpen(address), true);
        child.kill("SIGKILL");
        const deadline = Date.now() + 30_000;
        while ((await portOpen(address)) || fs.existsSync(dataDir)) {
            assert.ok(Date.now() < deadline, `OpenBao at ${address} or ${dataDir} outlived its starter`);
            await new Promise((resolve) => setTimeout(resolve, 250));
        }
    });

    it("npm run openbao -- up prints the address last and the token file's path, never the token; down stops it", async function () {
        const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "openbao-cli-test-")), "openbao");
        const cli = (command: string) =>
            spawnSync(
                path.join(PROJECT_DIR, "node_modules", ".bin", "ts-node"),
                ["--transpile-only", "testenv/openbaoCommand.ts", command, "--dir", dir],
                { cwd: PROJECT_DIR, encoding: "utf8", timeout: 120_000 },
            );
        try {
            const upRun = cli("up");
            assert.strictEqual(upRun.status, 0, upRun.stderr);
            const address = upRun.stdout.trim().split("\n").pop() ?? "";
            assert.match(address, /^http:\/\/127\.0\.0\.1:\d+$/);
            const tokenFile = path.join(dir, "root-token");
            assert.strictEqual(fs.statSync(tokenFile).mode & 0o777, 0o600);
            const token = fs.readFileSync(tokenFile, "utf8");
            assert.ok(upRun.stdout.includes(tokenFile));
            assert.ok(
                !upRun.stdout.includes(token) && !upRun.stderr.includes(token),
                "up printed the root token",
            );
            await api(address, "GET", "/v1/auth/token/lookup-self", undefined, token);
            const state = JSON.parse(fs.readFileSync(path.join(dir, "openbao.json"), "utf8")) as {
                processes: { pid: number; binary: string }[];
            };
            const downRun = cli("down");
            assert.strictEqual(downRun.status, 0, downRun.stderr);
            assert.strictEqual(runs(state.processes[0].pid, state.processes[0].binary), false);
            assert.strictEqual(fs.existsSync(dir), false);
            assert.strictEqual(cli("status").status, 1);
        } finally {
            // A failed assertion must not leave the detached server running.
            await stopOpenBao(dir);
            fs.rmSync(path.dirname(dir), { recursive: true, force: true });
        }
    });
});
