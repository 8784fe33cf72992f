// Level 4, end to end (real Pulumi CLI, provider, control plane): a deployer identity holding exactly the
// ClusterRole `npm run plan` writes (deployer.yaml) runs `pulumi up` and `pulumi destroy`; with the rule
// that lets it grant the stack's role taken away, `up` fails with Kubernetes' "not currently held", the
// error docs/deployer.md explains.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { PROJECT_DIR } from "../../offline/program";
import { e2e } from "../../testenv/engine";
import { destroy, failure, projectCopy, stackOf, up } from "../../testenv/engineStacks";
import { kubeconfigFile, kubectl } from "./kube";

const STACK = "e2e-deployer";
const IDENTITY_NS = "e2e-deployer-identity";

interface ClusterRole {
    metadata: { name: string };
    rules: { verbs: string[]; resourceNames?: string[] }[];
}

/** plan's deployer.yaml for a stack of the project copy. */
function plannedDeployer(dir: string): ClusterRole {
    const out = path.join(dir, "plan-out", STACK);
    const res = spawnSync(
        "npm",
        ["run", "--silent", "plan", "--", "--stack", STACK, "--dir", dir, "--no-policy", "--out", out],
        { cwd: PROJECT_DIR, encoding: "utf8", timeout: 300_000 },
    );
    assert.strictEqual(res.status, 0, `npm run plan failed:\n${res.stdout}\n${res.stderr}`);
    return YAML.parse(fs.readFileSync(path.join(out, "deployer.yaml"), "utf8")) as ClusterRole;
}

const run = (args: string[], input?: string) => {
    const res = kubectl(args, undefined, input);
    assert.strictEqual(res.status, 0, `kubectl ${args.join(" ")}: ${res.stderr}`);
    return res.stdout;
};

/** A kubeconfig for the ServiceAccount `deployer`: the admin's cluster entry, a fresh token. */
function deployerKubeconfig(): string {
    const admin = YAML.parse(fs.readFileSync(e2e().adminKubeconfig, "utf8"));
    const token = run(["create", "token", "deployer", "-n", IDENTITY_NS, "--duration", "2h"]).trim();
    const cluster = admin.clusters[0];
    return kubeconfigFile(
        "deployer",
        YAML.stringify({
            apiVersion: "v1",
            kind: "Config",
            clusters: [cluster],
            users: [{ name: "deployer", user: { token } }],
            contexts: [{ name: "deployer", context: { cluster: cluster.name, user: "deployer" } }],
            "current-context": "deployer",
        }),
    );
}

describe("e2e (real CLI, provider, control plane): the deployer's RBAC that plan prints", function () {
    let role: ClusterRole;
    let kubeconfig: string;

    before(() => {
        const dir = projectCopy();
        fs.writeFileSync(
            path.join(dir, `Pulumi.${STACK}.yaml`),
            YAML.stringify({
                config: { "kube-api-access:namespace": STACK, "kube-api-access:access": "full" },
            }),
        );
        role = plannedDeployer(dir);
        run(["create", "namespace", IDENTITY_NS]);
        run(["create", "serviceaccount", "deployer", "-n", IDENTITY_NS]);
        run(["apply", "-f", "-"], JSON.stringify(role));
        run([
            "create",
            "clusterrolebinding",
            role.metadata.name,
            "--clusterrole",
            role.metadata.name,
            `--serviceaccount=${IDENTITY_NS}:deployer`,
        ]);
        kubeconfig = deployerKubeconfig();
    });
    after(() => {
        kubectl(["delete", "clusterrolebinding", role.metadata.name]);
        kubectl(["delete", "clusterrole", role.metadata.name]);
        kubectl(["delete", "namespace", IDENTITY_NS, "--wait=false"]);
    });

    it("holding exactly that ClusterRole, the deployer runs pulumi up and pulumi destroy", async () => {
        const stack = await stackOf(STACK, { "kubernetes:kubeconfig": { value: kubeconfig } });
        const res = await up(stack);
        assert.strictEqual(res.summary.result, "succeeded");
        await destroy(stack);
        assert.strictEqual(
            kubectl(["get", "namespace", STACK, "--ignore-not-found", "-o", "name"]).stdout,
            "",
        );
    });

    it("with the escalate and bind rule taken away, up fails with 'not currently held'", async () => {
        const less = { ...role, rules: role.rules.filter((r) => !r.verbs.includes("escalate")) };
        assert.strictEqual(less.rules.length, role.rules.length - 1);
        run(["apply", "-f", "-"], JSON.stringify(less));
        const stack = await stackOf(STACK, { "kubernetes:kubeconfig": { value: kubeconfig } });
        try {
            let error = "";
            try {
                await up(stack);
            } catch (err) {
                error = failure(err);
            }
            assert.match(error, /attempting to grant RBAC permissions not currently held/);
        } finally {
            run(["apply", "-f", "-"], JSON.stringify(role));
            await destroy(stack);
        }
    });
});
