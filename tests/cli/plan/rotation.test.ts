// What plan says the next token rotation does (cli/plan/rotation.ts, docs/token-rotation.md): from the
// stack as this plan creates it, or from the deployed stack's outputs given under its own name.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../../cli/plan/plan";
import { renderPlan } from "../../../cli/plan/report";
import { rotationPlan } from "../../../cli/plan/rotation";
import { withEnv } from "../../../offline/program";

const SA = "api-service-account";

describe("plan: what the next token rotation does", () => {
    it("for a first up: generation 2 comes, generation 1 stays valid, nothing is revoked", () => {
        const r = rotationPlan(
            { serviceAccountName: SA, tokenSecretName: `${SA}-token`, previousTokenSecretName: "" },
            false,
        );
        assert.deepStrictEqual(r?.next, { creates: `${SA}-token-2`, keeps: `${SA}-token`, revokes: [] });
    });

    it("from deployed outputs: the next generation comes, the current stays, the previous is revoked", () => {
        const r = rotationPlan({ serviceAccountName: SA, tokenSecretName: `${SA}-token` }, false, {
            file: "deployed.json",
            outputs: { tokenSecretName: `${SA}-token-3`, previousTokenSecretName: `${SA}-token-2` },
        });
        assert.deepStrictEqual(r?.next, {
            creates: `${SA}-token-4`,
            keeps: `${SA}-token-3`,
            revokes: [`${SA}-token-2`],
        });
        assert.match(r.from, /deployed\.json/);
    });

    it("with revokePreviousToken: the next generation comes and every earlier one is revoked", () => {
        const r = rotationPlan(
            { serviceAccountName: SA, tokenSecretName: `${SA}-token-4`, previousTokenSecretName: "" },
            true,
        );
        assert.deepStrictEqual(r?.next, { creates: `${SA}-token-5`, keeps: "", revokes: [`${SA}-token-4`] });
    });

    it("says nothing for a program without the token Secrets' outputs (Vault dynamic mode, another program)", () => {
        assert.strictEqual(rotationPlan({ serviceAccountName: SA }, false), undefined);
    });

    it("plan --stack-outputs <this stack>=FILE reports it, and does not take it for a StackReference", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "plan-rotation-"));
        try {
            const deployed = path.join(dir, "deployed.json");
            fs.writeFileSync(
                deployed,
                JSON.stringify({ tokenSecretName: `${SA}-token-2`, previousTokenSecretName: `${SA}-token` }),
            );
            const p = await withEnv(
                { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" },
                () =>
                    plan({
                        stack: "dev",
                        outDir: path.join(dir, "out"),
                        policy: false,
                        stackOutputs: { dev: deployed },
                    }),
            );
            assert.deepStrictEqual(p.warnings, []);
            assert.match(
                renderPlan(p),
                /the next change of tokenRotation creates api-service-account-token-3 and exports it once filled, keeps api-service-account-token-2 valid until the rotation after, and revokes api-service-account-token$/m,
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
