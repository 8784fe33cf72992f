// `npm run plan -- --dir` on programs written in the forms users write them (level 1: each program runs
// under the mock runtime in this process, as plan runs it; the command is spawned where its exit code
// and messages are the point): every YAML object listed and written whatever form it came in, globs,
// kustomize and unmocked invokes, the program's own folder as cwd, and output folders.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Plan, plan, renderPlan } from "../../../cli/plan/plan";
import { PROJECT_DIR, withEnv } from "../../../offline/program";
import { runPlanCommand } from "../../helpers";

const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };

/** A RoleBinding that gives a ClusterRole to a namespace's default ServiceAccount, as YAML text. */
const DEFAULT_BINDING = `apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: reader
  namespace: apps
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: view
subjects:
  - kind: ServiceAccount
    name: default
    namespace: apps
`;

/**
 * Writes a Pulumi program into a new folder under `root`: Pulumi.yaml named `project`, an empty dev
 * stack, `index.ts` and any other `files`. Its node_modules is this project's, as an installed program has.
 */
function writeProgram(
    root: string,
    folder: string,
    index: string,
    files: Record<string, string> = {},
    project = folder,
): string {
    const dir = path.join(root, folder);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), `name: ${project}\nruntime: nodejs\n`);
    fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config: {}\n");
    fs.writeFileSync(path.join(dir, "index.ts"), index);
    fs.symlinkSync(path.join(PROJECT_DIR, "node_modules"), path.join(dir, "node_modules"));
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    return dir;
}

const IMPORTS = 'import * as k8s from "@pulumi/kubernetes";\n';

describe("plan of programs in every form they declare objects", function () {
    this.timeout(120_000);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "plan-forms-"));
    after(() => fs.rmSync(root, { recursive: true, force: true }));
    const planOf = (dir: string, out = path.join(root, "out", path.basename(dir))) =>
        withEnv(NO_KUBECONFIG, () => plan({ stack: "dev", dir, outDir: out, policy: false }));
    const listed = (p: Plan) => p.resources.map((r) => `${r.type} ${r.name} ${r.file ?? "-"}`);

    describe("every expanded object is listed and written", () => {
        it("a v1 ConfigGroup with inline yaml as the program's only resource", async () => {
            const dir = writeProgram(
                root,
                "v1-inline",
                `${IMPORTS}new k8s.yaml.ConfigGroup("cg1", { yaml: [${JSON.stringify(DEFAULT_BINDING)}] });\n`,
            );
            const p = await planOf(dir);
            assert.deepStrictEqual(listed(p), [
                "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding apps/reader 01-rolebinding-apps-reader.yaml",
            ]);
            assert.ok(fs.existsSync(path.join(p.manifestsDir!, "01-rolebinding-apps-reader.yaml")));
            assert.match(
                renderPlan(p),
                /Resources pulumi up would create \(1\)[\s\S]*Manifests: .*manifests\//,
            );
        });

        it("a program with no Kubernetes object names no manifests folder, and writes none", async () => {
            const dir = writeProgram(
                root,
                "no-objects",
                'import * as pulumi from "@pulumi/pulumi";\nexport const greeting = pulumi.output("hello");\n',
            );
            const p = await planOf(dir);
            assert.deepStrictEqual(p.resources, []);
            assert.ok(!fs.existsSync(p.manifestsDir!));
            const text = renderPlan(p);
            assert.match(text, /Manifests: none written/);
            // No ServiceAccount, so no access matrix and no legend for one.
            assert.doesNotMatch(text, /allowed but not declared/);
            assert.ok(!text.includes(`${path.sep}manifests${path.sep}`), text);
        });
    });

    describe("yaml/v2 files: globs expanded as the provider expands them, a missing file named", () => {
        const configMap = (name: string) =>
            `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\n`;
        const files = {
            "manifests/a.yaml": configMap("a"),
            "manifests/b.yaml": configMap("b"),
            "manifests/notes.txt": "not YAML: outside the pattern",
            "more/c.yaml": configMap("c"),
        };

        it("an absolute glob and a relative one in a ConfigGroup's files", async () => {
            const dir = writeProgram(
                root,
                "globs",
                `${IMPORTS}new k8s.yaml.v2.ConfigGroup("g", { files: [__dirname + "/manifests/*.yaml", "more/?.yaml"] });\n`,
                files,
            );
            const p = await planOf(dir);
            assert.deepStrictEqual(
                p.resources.map((r) => r.name),
                ["g:apps/a", "g:apps/b", "g:apps/c"],
            );
        });

        it("a glob that matches nothing adds nothing, as for the provider", async () => {
            const dir = writeProgram(
                root,
                "glob-none",
                `${IMPORTS}new k8s.yaml.v2.ConfigGroup("g", { files: ["manifests/*.yml"] });\n`,
                files,
            );
            assert.deepStrictEqual((await planOf(dir)).resources, []);
        });

        it("a file that does not exist is named, with where it was looked for (exit 2, no stack trace)", () => {
            const dir = writeProgram(
                root,
                "missing-file",
                `${IMPORTS}new k8s.yaml.v2.ConfigGroup("g", { files: ["manifests/a.yaml", "manifests/gone.yaml"] });\n`,
                files,
            );
            const run = runPlanCommand(["--stack", "dev", "--dir", dir, "--no-policy"], {
                cwd: root,
                env: { ...process.env, ...NO_KUBECONFIG },
            });
            assert.strictEqual(run.status, 2, run.stdout + run.stderr);
            assert.strictEqual(
                run.stderr.trim(),
                `plan failed: kubernetes:yaml/v2:ConfigGroup g: the YAML file "manifests/gone.yaml" does not exist ` +
                    `(looked for ${path.join(dir, "manifests/gone.yaml")}; relative paths start at the program's ` +
                    "folder). Fix the path in the program",
            );
        });
    });

    it("runs the program in its own folder, as the Pulumi CLI does, and restores the working folder", async () => {
        const configMap = (name: string) =>
            `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: apps\n`;
        const dir = writeProgram(
            root,
            "own-folder",
            IMPORTS +
                'import * as fs from "fs";\n' +
                'new k8s.core.v1.ConfigMap("text", { metadata: { namespace: "apps" }, data: { text: fs.readFileSync("text.txt", "utf8") } });\n' +
                'new k8s.yaml.ConfigFile("other.yaml");\n' +
                'new k8s.yaml.ConfigGroup("v1-glob", { files: "group/*.yaml" });\n',
            {
                "text.txt": "read relative to the program",
                "other.yaml": configMap("other"),
                "group/one.yaml": configMap("one"),
            },
        );
        const before = process.cwd();
        const p = await planOf(dir);
        assert.strictEqual(process.cwd(), before);
        assert.deepStrictEqual(p.resources.map((r) => r.name).sort(), ["apps/one", "apps/other", "text"]);
    });

    it("two programs of the same name in different folders get different default output folders", async () => {
        const index = `${IMPORTS}new k8s.core.v1.Namespace("apps");\n`;
        const first = writeProgram(path.join(root, "team-a"), "app", index, {}, "same-name");
        const second = writeProgram(path.join(root, "team-b"), "app", index, {}, "same-name");
        const cwd = process.cwd();
        const base = fs.mkdtempSync(path.join(root, "cwd-"));
        try {
            process.chdir(base);
            const a = await withEnv(NO_KUBECONFIG, () => plan({ stack: "dev", dir: first, policy: false }));
            const b = await withEnv(NO_KUBECONFIG, () => plan({ stack: "dev", dir: second, policy: false }));
            assert.notStrictEqual(a.outDir, b.outDir);
            for (const p of [a, b]) {
                assert.match(path.relative(base, p.outDir), /^plan-out\/same-name-[0-9a-f]{8}\/dev$/);
                assert.ok(fs.existsSync(path.join(p.outDir, "plan.json")));
            }
            // Stable: planning the first again finds its own folder.
            const again = await withEnv(NO_KUBECONFIG, () =>
                plan({ stack: "dev", dir: first, policy: false }),
            );
            assert.strictEqual(again.outDir, a.outDir);
        } finally {
            process.chdir(cwd);
        }
    });

    describe("what the offline run cannot expand is listed as not planned, never silently empty", () => {
        for (const [form, ctor] of [
            ["v1 kustomize Directory (an invoke)", "k8s.kustomize.Directory"],
            ["kustomize/v2 Directory (a provider component)", "k8s.kustomize.v2.Directory"],
        ]) {
            it(form, async () => {
                const dir = writeProgram(
                    root,
                    ctor.replace(/\W+/g, "-"),
                    `${IMPORTS}new ${ctor}("kz", { directory: "./overlay" });\n`,
                    { "overlay/kustomization.yaml": "resources: []\n" },
                );
                const p = await planOf(dir);
                assert.deepStrictEqual(
                    p.notPlanned.map((r) => `${r.name}: ${r.why}`),
                    ["kz: a kustomization is built by the provider's kustomize"],
                );
                assert.match(renderPlan(p), /NOT planned, NOT policy-checked \(1\)/);
            });
        }

        it("any other component a provider constructs", async () => {
            const dir = writeProgram(
                root,
                "remote-component",
                'import * as pulumi from "@pulumi/pulumi";\n' +
                    'new pulumi.ComponentResource("acme:index:Cluster", "c", {}, {}, true);\n',
            );
            const p = await planOf(dir);
            assert.deepStrictEqual(p.notPlanned, [
                {
                    type: "acme:index:Cluster",
                    name: "c",
                    why: "a component that its provider (acme) constructs, which an offline run does not start",
                },
            ]);
        });
    });

    describe("an invoke the offline run cannot answer fails naming it, never with an empty error", () => {
        const message =
            /the function vault:generic\/getSecret:getSecret \(an invoke\) has no offline answer: it needs its provider/;
        it("in output form, read by an export", async () => {
            const dir = writeProgram(
                root,
                "invoke-output",
                'import * as vault from "@pulumi/vault";\n' +
                    'export const data = vault.generic.getSecretOutput({ path: "secret/app" }).data;\n',
            );
            await assert.rejects(planOf(dir), message);
        });

        it("in promise form, not awaited (an unhandled rejection, as the language host reports it)", async () => {
            const dir = writeProgram(
                root,
                "invoke-promise",
                'import * as vault from "@pulumi/vault";\n' +
                    'void vault.generic.getSecret({ path: "secret/app" }).then((s) => s.data);\n',
            );
            await assert.rejects(planOf(dir), (err: Error) => {
                assert.match(err.message, /the program failed with an unhandled rejection: /);
                assert.match(err.message, message);
                return true;
            });
        });
    });
});
