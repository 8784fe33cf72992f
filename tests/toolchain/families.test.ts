// The toolchain's family scripts (toolchain/families/*.sh) under a stand-in `go` (fakeGo.js) that logs each
// call: a build uses only the module graphs recorded in the repository (never resolving a version), and
// `toolchain/build.sh --lock` resolves from exact versions only. The real builds run in `npm run toolchain`.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";

const TOOLCHAIN = path.join(PROJECT_DIR, "toolchain");
const FAMILIES = fs
    .readdirSync(path.join(TOOLCHAIN, "families"))
    .filter((f) => f.endsWith(".sh"))
    .map((f) => f.slice(0, -3));

interface GoCall {
    args: string[];
    cwd: string;
    GOFLAGS: string;
    GOTOOLCHAIN: string;
}

/** toolchain/versions.env as the family scripts see it (build.sh exports every line). */
function versionsEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const line of fs.readFileSync(path.join(TOOLCHAIN, "versions.env"), "utf8").split("\n")) {
        const m = /^([A-Z0-9_]+)=(.*)$/.exec(line);
        if (m) env[m[1]] = m[2];
    }
    return env;
}

/** Runs `family`'s script as build.sh does, with fakeGo.js as `go`; returns its exit and every go call. */
function runFamily(family: string, lock: boolean, script = path.join(TOOLCHAIN, "families", `${family}.sh`)) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `toolchain-${family}-`));
    try {
        const bin = path.join(tmp, "gobin");
        fs.mkdirSync(bin);
        fs.writeFileSync(
            path.join(bin, "go"),
            `#!/bin/sh\nexec "${process.execPath}" "${__dirname}/fakeGo.js" "$@"\n`,
            {
                mode: 0o755,
            },
        );
        const log = path.join(tmp, "go.log");
        fs.writeFileSync(log, "");
        const res = spawnSync("bash", [script, path.join(tmp, "bin"), path.join(tmp, "work")], {
            cwd: tmp,
            encoding: "utf8",
            env: {
                ...process.env,
                ...versionsEnv(),
                PATH: `${bin}:${process.env.PATH}`,
                FAKE_GO_LOG: log,
                FAKE_GO_ROOT: tmp,
                TOOLCHAIN_LOCK: lock ? "1" : "0",
                GOFLAGS: "-mod=mod",
            },
        });
        const calls = fs
            .readFileSync(log, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((l) => JSON.parse(l) as GoCall);
        return { status: res.status, output: res.stdout + res.stderr, calls };
    } finally {
        fs.rmSync(tmp, { recursive: true, force: true });
    }
}

interface ModuleVersion {
    Path: string;
    Version?: string;
}

/** A go.mod as `go mod edit -json` reads it (the go command's own parser; it reads only the file). */
function goModJson(file: string): {
    Require: ModuleVersion[];
    Replace: { Old: ModuleVersion; New: ModuleVersion }[];
} {
    const res = spawnSync("go", ["mod", "edit", "-json", file], { encoding: "utf8" });
    assert.strictEqual(res.status, 0, `go mod edit -json ${file}: ${res.stderr ?? res.error}`);
    const json = JSON.parse(res.stdout) as {
        Require?: ModuleVersion[];
        Replace?: { Old: ModuleVersion; New: ModuleVersion }[];
    };
    return { Require: json.Require ?? [], Replace: json.Replace ?? [] };
}

/** The -mod mode a go command runs with: the last -mod in GOFLAGS, or one on its command line. */
const modMode = (call: GoCall) => {
    const flags = [...call.GOFLAGS.split(/\s+/), ...call.args].filter((f) => f.startsWith("-mod="));
    return flags[flags.length - 1]?.slice("-mod=".length);
};

// An exact module version: a release, a pre-release or a pseudo-version (never latest, upgrade, a branch).
const EXACT_VERSION = /^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** Each module@version a resolving go call names, or the bare module it names for `go get` (its latest). */
function versionedArguments(call: GoCall): string[] {
    const [cmd, sub] = call.args;
    if (cmd === "get" || cmd === "install") return call.args.slice(1).filter((a) => !a.startsWith("-"));
    // A bare module here is the version the go.mod already selects, not a resolution.
    if (cmd === "mod" && sub === "download") return call.args.slice(2).filter((a) => a.includes("@"));
    if (cmd === "mod" && sub === "edit") {
        return call.args
            .filter((a) => a.startsWith("-require=") || a.startsWith("-replace="))
            .map((a) => a.slice(a.indexOf("=") + 1))
            .map((a) => (a.startsWith("-") ? a : a.slice(a.lastIndexOf("=") + 1)));
    }
    return [];
}

const unpinned = (calls: GoCall[]) =>
    calls.flatMap((call) =>
        versionedArguments(call)
            .filter((a) => !EXACT_VERSION.test(a.split("@")[1] ?? ""))
            .map((a) => `go ${call.args.join(" ")}: ${a}`),
    );

describe("toolchain families", function () {
    this.timeout(60_000);

    for (const family of FAMILIES) {
        describe(family, () => {
            it("builds from its recorded module graphs only: every go call read-only, none resolving", () => {
                const { status, output, calls } = runFamily(family, false);
                assert.strictEqual(status, 0, output);
                assert.ok(
                    calls.some((c) => c.args[0] === "build"),
                    "no go build ran",
                );
                for (const call of calls) {
                    const what = `go ${call.args.join(" ")} (in ${call.cwd})`;
                    assert.strictEqual(modMode(call), "readonly", `${what} runs with -mod=${modMode(call)}`);
                    assert.strictEqual(call.GOTOOLCHAIN, "local", `${what} may fetch another Go toolchain`);
                    const resolving =
                        ["get", "install", "work"].includes(call.args[0]) ||
                        (call.args[0] === "mod" && ["tidy", "edit", "init"].includes(call.args[1])) ||
                        versionedArguments(call).length > 0;
                    assert.ok(!resolving, `${what} resolves versions outside the record`);
                    const graph = path.basename(call.cwd);
                    const record = path.join(TOOLCHAIN, "families", family, graph, "go.mod");
                    assert.ok(fs.existsSync(record), `${what} runs outside a recorded graph (no ${record})`);
                }
            });

            it("locks from exact versions only (toolchain/build.sh --lock)", () => {
                const { status, output, calls } = runFamily(family, true);
                assert.strictEqual(status, 0, output);
                assert.deepStrictEqual(unpinned(calls), []);
            });
        });
    }

    it("records each graph a family builds with a go.mod and a go.sum that hashes every module it requires", () => {
        for (const family of FAMILIES) {
            const dir = path.join(TOOLCHAIN, "families", family);
            const graphs = fs.readdirSync(dir).filter((g) => fs.existsSync(path.join(dir, g, "go.mod")));
            assert.ok(graphs.length > 0, `${family} records no module graph in ${dir}`);
            for (const graph of graphs) {
                const mod = goModJson(path.join(dir, graph, "go.mod"));
                const sum = fs.readFileSync(path.join(dir, graph, "go.sum"), "utf8");
                assert.ok(mod.Require.length > 0, `${family}/${graph}/go.mod requires nothing`);
                const replaced = new Map(mod.Replace.map((r) => [r.Old.Path, r.New]));
                for (const required of mod.Require) {
                    const { Path, Version } = replaced.get(required.Path) ?? required;
                    const what = `${family}/${graph}: ${required.Path} (${Path} ${Version})`;
                    assert.match(Version ?? "", EXACT_VERSION, what);
                    assert.ok(sum.includes(`${Path} ${Version}/go.mod h1:`), `${what}: no hash in go.sum`);
                }
            }
        }
    });

    it("catches a module resolved without a version: go get of several modules with the version on the last", () => {
        // The bug of issue 17: "${modules[@]/#/prefix}@$VERSION" pins the last module only.
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-bug-"));
        try {
            fs.mkdirSync(path.join(tmp, "families"));
            fs.copyFileSync(path.join(TOOLCHAIN, "lib.sh"), path.join(tmp, "lib.sh"));
            const buggy = path.join(tmp, "families", "kubernetes.sh");
            const original = fs.readFileSync(path.join(TOOLCHAIN, "families", "kubernetes.sh"), "utf8");
            const broken = original
                .replace(
                    'go get "${pins[@]}"',
                    'go get "${modules[@]/#/go.etcd.io/etcd/}@$KUBERNETES_ETCD_VERSION"',
                )
                .replace("local module pins=()", "local module modules=(server/v3 api/v3) pins=()");
            assert.notStrictEqual(broken, original);
            fs.writeFileSync(buggy, broken);
            const { calls } = runFamily("kubernetes", true, buggy);
            assert.deepStrictEqual(unpinned(calls), [
                `go get go.etcd.io/etcd/server/v3 go.etcd.io/etcd/api/v3@${versionsEnv().KUBERNETES_ETCD_VERSION}: go.etcd.io/etcd/server/v3`,
            ]);
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    });

    describe("toolchain/build.sh", () => {
        const build = (args: string[], tools: string) =>
            spawnSync("bash", [path.join(TOOLCHAIN, "build.sh"), ...args], {
                encoding: "utf8",
                env: { ...process.env, KUBE_API_ACCESS_TOOLS: tools },
            });

        it("--estimate names every family a new machine lacks, and their cold minutes' sum last", () => {
            const tools = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-empty-"));
            try {
                const res = build(["--estimate"], tools);
                assert.strictEqual(res.status, 0, res.stderr);
                const named = [...res.stderr.matchAll(/toolchain: (\S+) is not built: about (\d+) min/g)];
                assert.deepStrictEqual(named.map((m) => m[1]).sort(), [...FAMILIES].sort());
                const sum = named.reduce((total, m) => total + Number(m[2]), 0);
                assert.strictEqual(res.stdout.trim(), String(sum));
                assert.deepStrictEqual(
                    fs.readdirSync(path.join(tools, "toolchain")),
                    [],
                    "--estimate built something",
                );
            } finally {
                fs.rmSync(tools, { recursive: true, force: true });
            }
        });

        it("estimates with the cold minutes the README states", () => {
            const tools = fs.mkdtempSync(path.join(os.tmpdir(), "toolchain-empty-"));
            try {
                const res = build(["--estimate"], tools);
                const estimate = Object.fromEntries(
                    [...res.stderr.matchAll(/toolchain: (\S+) is not built: about (\d+) min/g)].map((m) => [
                        m[1],
                        m[2],
                    ]),
                );
                const readme = fs
                    .readFileSync(path.join(PROJECT_DIR, "README.md"), "utf8")
                    .replace(/\s+/g, " ");
                const stated =
                    /at most (\d+) min \(the Kubernetes provider (\d+), the control plane (\d+), the Pulumi CLI (\d+), OpenBao (\d+)/.exec(
                        readme,
                    );
                assert.ok(stated, "README.md no longer states the cold build's minutes per family");
                assert.deepStrictEqual(
                    {
                        total: stated[1],
                        "kubernetes-provider": stated[2],
                        kubernetes: stated[3],
                        pulumi: stated[4],
                        openbao: stated[5],
                    },
                    { total: res.stdout.trim(), ...estimate },
                    "README.md's cold minutes differ from COLD_MINUTES in toolchain/build.sh",
                );
            } finally {
                fs.rmSync(tools, { recursive: true, force: true });
            }
        });

        it("refuses a bad --jobs and an unknown family before building anything", () => {
            for (const [args, message] of [
                [["--jobs", "0"], /--jobs '0' is not a positive whole number/],
                [["--jobs"], /--jobs '' is not a positive whole number/],
                [["nope"], /no family 'nope'/],
                [["--fast"], /unknown option '--fast'/],
            ] as const) {
                const res = build([...args], os.tmpdir());
                assert.strictEqual(res.status, 2, `${args.join(" ")}: ${res.stderr}`);
                assert.match(res.stderr, message);
            }
        });
    });
});
