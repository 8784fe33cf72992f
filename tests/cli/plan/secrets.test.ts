// Secrets in what `npm run plan` writes and prints (level 1: the fixture program under the mock runtime in
// this process, files as plan writes them, this process's stdout/stderr as the program writes them; the
// command is spawned where its exit code and messages are the point): every Secret's data whatever built
// it, and a secure: value the program reads as a plain string, are never in clear.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Plan, plan, renderPlan } from "../../../cli/plan/plan";
import { SECRET_DATA, SecretValues } from "../../../cli/plan/redact";
import { SECRET_PLACEHOLDER } from "../../../settings/placeholders";
import { withEnv } from "../../../offline/program";
import { FIXTURES, runPlanCommand } from "../../helpers";

const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };
const PROGRAM = path.join(FIXTURES, "leaky-program");
const PASSWORD = "SUPERSECRET_PW";
const CONFIG = { "leaky-program:dbPassword": PASSWORD };
const CLEAR = [PASSWORD, "FILE_STRINGDATA_CLEAR", "R0xPQl9EQVRBX0NMRUFS", "INLINE_CLEAR", "T0JKU19DTEVBUg=="];

/** Every file below `dir`, with its text. */
function writtenText(dir: string): string {
    return fs
        .readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => `== ${e.name}\n${fs.readFileSync(path.join(e.parentPath, e.name), "utf8")}`)
        .join("\n");
}

/** Runs `fn`, returning what it wrote to this process's stdout and stderr (still written through). */
async function captured<T>(fn: () => Promise<T>): Promise<{ result?: T; error?: Error; written: string }> {
    const chunks: string[] = [];
    const streams = [process.stdout, process.stderr];
    const originals = streams.map((s) => s.write.bind(s));
    streams.forEach((s, i) => {
        s.write = (chunk: string | Uint8Array, ...rest: unknown[]) => {
            chunks.push(String(chunk));
            return (originals[i] as (...a: unknown[]) => boolean)(chunk, ...rest);
        };
    });
    // Installed before plan's own wrapping, so this sees what plan lets through.
    try {
        return { result: await fn(), written: chunks.join("") };
    } catch (err) {
        return { error: err as Error, written: chunks.join("") };
    } finally {
        streams.forEach((s, i) => (s.write = originals[i]));
    }
}

describe("plan never shows Secret data or a supplied secret value in clear", function () {
    this.timeout(180_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-secrets-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    let p: Plan;
    let written: string;
    before(async () => {
        const run = await captured(() =>
            withEnv(NO_KUBECONFIG, () =>
                plan({
                    stack: "dev",
                    dir: PROGRAM,
                    outDir: path.join(out, "ok"),
                    policy: false,
                    config: CONFIG,
                }),
            ),
        );
        assert.ok(run.result, `plan failed: ${run.error?.message}`);
        p = run.result;
        written = run.written;
    });

    it("a Secret from yaml/v2 (file, glob, inline yaml, objs) keeps its keys with placeholder values", () => {
        const secrets = p.resources.filter((r) => r.type === "kubernetes:core/v1:Secret");
        assert.deepStrictEqual(secrets.map((r) => r.name).sort(), [
            "file:apps/from-file",
            "glob:apps/from-glob",
            "inline:apps/inline",
            "objs:apps/from-objs",
        ]);
        const manifest = (name: string) =>
            YAML.parse(
                fs.readFileSync(
                    path.join(p.manifestsDir!, secrets.find((r) => r.name === name)!.file!),
                    "utf8",
                ),
            );
        assert.deepStrictEqual(manifest("file:apps/from-file").stringData, { password: SECRET_PLACEHOLDER });
        assert.deepStrictEqual(manifest("inline:apps/inline").stringData, { key: SECRET_PLACEHOLDER });
        assert.deepStrictEqual(manifest("glob:apps/from-glob").data, { token: SECRET_DATA });
        assert.deepStrictEqual(manifest("objs:apps/from-objs").data, { token: SECRET_DATA });
        // Valid for kubectl apply: base64 of the marker.
        assert.strictEqual(Buffer.from(SECRET_DATA, "base64").toString(), SECRET_PLACEHOLDER);
    });

    it("a secure: value read with config.require is [secret] in manifests, plan.json, outputs and the program's output", () => {
        const everything = `${renderPlan(p)}\n${JSON.stringify(p)}\n${writtenText(p.outDir)}\n${written}`;
        for (const clear of CLEAR) {
            assert.ok(!everything.includes(clear), `${clear} shown in clear:\n${everything}`);
        }
        assert.match(writtenText(p.manifestsDir!), /conn: postgres:\/\/u:\[secret\]@db/);
        assert.match(written, /connecting with \[secret\]/);
        assert.deepStrictEqual(p.outputs.connection, { secret: true, known: true });
        assert.deepStrictEqual(p.warnings.length, 1);
        assert.match(p.warnings[0], /leaky-program:dbPassword.*config\.getSecret\/requireSecret/);
    });

    it("a plain (non-Output) export is a stack output, in clear", () => {
        assert.deepStrictEqual(p.outputs.plainOut, { secret: false, known: true, value: "hello" });
        assert.match(renderPlan(p), /plainOut\s+clear\s+hello/);
    });

    it("the command: an error naming the value shows [secret], and the warning names the key", () => {
        const dir = path.join(out, "cmd");
        const args = ["--stack", "dev", "--dir", PROGRAM, "--out", dir, "--no-policy"];
        const config = ["--config", `leaky-program:dbPassword=${PASSWORD}`];
        const failed = runPlanCommand([...args, ...config], {
            env: { ...process.env, ...NO_KUBECONFIG, LEAKY_FAIL: "1" },
        });
        assert.strictEqual(failed.status, 2, failed.stderr);
        assert.match(failed.stderr, /plan failed: .*boom with \[secret\]/);
        const ok = runPlanCommand([...args, ...config, "--json"], {
            env: { ...process.env, ...NO_KUBECONFIG },
        });
        assert.strictEqual(ok.status, 0, ok.stderr);
        assert.match(ok.stderr, /warning: .*leaky-program:dbPassword.*requireSecret/);
        for (const text of [failed.stdout, failed.stderr, ok.stdout, ok.stderr, writtenText(dir)]) {
            assert.ok(!text.includes(PASSWORD), text);
        }
    });

    it("a supplied secret value too short to search for is warned about, naming the key (unit)", () => {
        const values = new SecretValues({ "p:pin": "123", "p:long": "long-value" }, ["p:pin", "p:long"]);
        assert.strictEqual(values.scrub("pin 123, long-value"), `pin 123, ${SECRET_PLACEHOLDER}`);
        const warnings = values.warnings();
        assert.strictEqual(warnings.length, 2);
        assert.match(warnings[0], /secret p:long as a plain value/);
        assert.match(warnings[1], /secret p:pin is shorter than 4 characters/);
    });
});
