// What `npm run plan` prints and writes may not leak or mislead (level 1: the program under the mock
// runtime, the report and files as plan writes them; no pack): secure: values and credentials never in
// clear, patches apart from whole objects, Vault policy text as written.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { Plan, plan, renderPlan } from "../../../cli/plan/plan";
import { PROJECT_DIR, withEnv } from "../../../offline/program";
import { FIXTURES } from "../../helpers";

const NO_KUBECONFIG = { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" };

/** Every file plan wrote below `dir`, with its text. */
function writtenText(dir: string): string {
    const walk = (d: string): string[] =>
        fs
            .readdirSync(d, { withFileTypes: true })
            .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
    return walk(dir)
        .map((f) => `== ${f}\n${fs.readFileSync(f, "utf8")}`)
        .join("\n");
}

describe("plan shows no secret and no credential, and shows patches and policies as they are", function () {
    this.timeout(180_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-safety-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("a value given for a secure: key is [secret] in the header, plan.json, outputs and manifests", async () => {
        const stack = `plan-safety-${process.pid}`;
        const stackFile = path.join(PROJECT_DIR, `Pulumi.${stack}.yaml`);
        fs.writeFileSync(
            stackFile,
            "config:\n  kube-api-access:namespace: staging\n" +
                "  kube-api-access:endpoint:\n    secure: v1:AAAABBBBCCCC\n" +
                "  kube-api-access:tokenRotation:\n    secure: v1:DDDDEEEEFFFF\n",
        );
        try {
            const p = await withEnv(NO_KUBECONFIG, () =>
                plan({
                    stack,
                    outDir: path.join(out, "secure"),
                    policy: false,
                    config: {
                        "kube-api-access:endpoint": "https://api.secret.example:6443",
                        "kube-api-access:tokenRotation": "rotation-r1-in-clear",
                    },
                }),
            );
            const report = renderPlan(p);
            assert.match(report, /^endpoint: \[secret\]$/m);
            assert.deepStrictEqual(p.endpoint, { value: "[secret]", secret: true, note: undefined });
            assert.deepStrictEqual(p.outputs.endpoint, { secret: true, known: true });
            const everything = `${report}\n${JSON.stringify(p)}\n${writtenText(p.outDir)}`;
            for (const clear of ["api.secret.example", "rotation-r1-in-clear"]) {
                assert.ok(!everything.includes(clear), `${clear} shown in clear:\n${everything}`);
            }
        } finally {
            fs.rmSync(stackFile, { force: true });
        }
    });

    describe("a program with providers, secret inputs, a patch and a Vault policy", () => {
        let p: Plan;
        let report: string;
        before(async () => {
            p = await withEnv(NO_KUBECONFIG, () =>
                plan({
                    stack: "dev",
                    dir: path.join(FIXTURES, "credentials-program"),
                    outDir: path.join(out, "credentials"),
                    policy: false,
                }),
            );
            report = renderPlan(p);
        });

        it("shows only the keys of a provider's settings, and no secret or credential of any resource", () => {
            const settings = (type: string) => p.other.find((r) => r.type === type)?.settings;
            assert.deepStrictEqual(
                settings("pulumi:providers:kubernetes")?.kubeconfig,
                "[not shown: provider setting]",
            );
            assert.deepStrictEqual(
                settings("pulumi:providers:vault")?.address,
                "[not shown: provider setting]",
            );
            assert.strictEqual(settings("vault:generic/secret:Secret")?.dataJson, "[secret]");
            assert.strictEqual(
                settings("vault:kubernetes/authBackendConfig:AuthBackendConfig")?.tokenReviewerJwt,
                "[secret]",
            );
            const webhook = settings("example:index:Webhook");
            assert.strictEqual(webhook?.authToken, "[not shown: credential]");
            assert.strictEqual(webhook?.tokenTtl, "1h", "a setting about a token is no credential");
            assert.strictEqual(webhook?.url, "https://hooks.example.test/plan");
            const everything = `${report}\n${JSON.stringify(p)}\n${writtenText(p.outDir)}`;
            for (const clear of [
                "offline-bearer-abc123",
                "offline-vault-root-xyz",
                "offline-reviewer-jwt-456",
                "offline-kv-789",
                "offline-webhook-token-000",
            ]) {
                assert.ok(!everything.includes(clear), `${clear} shown in clear`);
            }
        });

        it("lists a *Patch resource as a patch and writes it apart from the whole objects, with a note", () => {
            assert.deepStrictEqual(
                fs.readdirSync(p.manifestsDir!),
                ["01-namespace-apps.yaml"],
                "no partial object among the whole ones",
            );
            const patch = p.resources.find((r) => r.patch);
            assert.deepStrictEqual(patch, {
                type: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBindingPatch",
                name: "view-extra",
                object: { kind: "ClusterRoleBinding", name: "view" },
                file: "01-clusterrolebinding-view-extra.yaml",
                patch: true,
            });
            const text = fs.readFileSync(path.join(p.patchesDir!, patch.file), "utf8");
            assert.match(
                text,
                /# A PATCH, not a whole object: pulumi up applies these fields .* server-side/,
            );
            const doc = YAML.parse(text);
            assert.strictEqual(doc.kind, "ClusterRoleBinding");
            assert.strictEqual(doc.roleRef, undefined);
            assert.match(report, /Resources pulumi up would create \(7\):\n {2}\+ Namespace /);
            assert.match(
                report,
                /Patches pulumi up would apply to existing objects \(1; server-side apply of a partial object.*\n {2}~ ClusterRoleBinding +view +\(Pulumi name view-extra\) +-> .*patches\/01-clusterrolebinding-view-extra\.yaml/,
            );
            assert.ok(!/\+ ClusterRoleBinding +view /.test(report));
        });

        it("shows a Vault policy's HCL as a literal block, line for line as written", () => {
            assert.ok(
                report.includes(
                    [
                        "      policy: |",
                        '        path "secret/data/apps/an-application-with-a-rather-long-name/settings" { capabilities = ["read"] }',
                        '        path "secret/data/app" {',
                        '          capabilities = ["read", "list"]',
                        "        }",
                        "",
                    ].join("\n"),
                ),
                report,
            );
        });
    });
});
