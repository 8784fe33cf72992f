// Level 4, end to end (real kubectl and kube-apiserver on loopback): what `npm run plan` writes to
// manifests/ is what the API server takes. For each committed stack and for examples/consumer (reading the
// ci stack's plan.json through --stack-outputs), `kubectl apply --dry-run=server -f manifests/` passes:
// every object validated and admitted by the real control plane, nothing stored. The namespaces the plan
// creates are applied for real first (and removed after), as pulumi up creates them first: a server-side
// dry run stores nothing, so a namespaced object in a namespace the same dry run "creates" would be
// refused (NamespaceLifecycle admission) for a reason that is not the manifest's.
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Plan, plan } from "../../cli/plan/plan";
import { PROJECT_DIR } from "../../offline/program";
import { e2e } from "../../testenv/engine";
import { COMMITTED_STACKS } from "../helpers";
import { kubectl } from "./kube";

describe("e2e (real kubectl and API server): plan's manifests pass kubectl apply --dry-run=server", function () {
    const created: string[] = [];

    after(() => {
        for (const ns of created) {
            kubectl(["delete", "namespace", ns, "--ignore-not-found", "--wait=false"]);
        }
    });

    /** The Namespace manifests of a plan, applied for real (pulumi up creates them first). */
    function applyNamespaces(p: Plan): void {
        for (const r of p.resources.filter((x) => x.object?.kind === "Namespace" && x.file)) {
            const file = path.join(p.manifestsDir!, r.file!);
            const name = (YAML.parse(fs.readFileSync(file, "utf8")) as { metadata: { name: string } })
                .metadata.name;
            const res = kubectl(["apply", "-f", file]);
            assert.strictEqual(res.status, 0, res.stderr);
            created.push(name);
        }
    }

    function dryRun(p: Plan): void {
        assert.ok(p.manifestsDir, `${p.stack}: no manifests written`);
        applyNamespaces(p);
        const res = kubectl(["apply", "--dry-run=server", "-f", p.manifestsDir]);
        assert.strictEqual(res.status, 0, `${p.stack}: ${res.stderr}\n${res.stdout}`);
        // One line per object, each "(server dry run)": every file was sent.
        const sent = res.stdout.trim().split("\n");
        assert.strictEqual(sent.length, fs.readdirSync(p.manifestsDir).length, res.stdout);
        for (const line of sent) {
            assert.match(line, /\(server dry run\)$/, line);
        }
    }

    const planned = (stack: string, options: Partial<Parameters<typeof plan>[0]> = {}) =>
        plan({
            stack,
            outDir: path.join(e2e().root, "plans-dry-run", options.dir ? `consumer-${stack}` : stack),
            kubeconfig: e2e().stackKubeconfig,
            policy: false,
            ...options,
        });

    for (const stack of COMMITTED_STACKS) {
        it(`${stack}: every manifest passes the API server's validation and admission`, async () => {
            dryRun(await planned(stack));
        });
    }

    it("examples/consumer (the ci stack's plan.json as its StackReference): its auto-named ConfigMap too", async () => {
        const ci = await planned("ci");
        applyNamespaces(ci);
        const consumer = await planned("dev", {
            dir: path.join(PROJECT_DIR, "examples", "consumer"),
            stackOutputs: { "my-org/kube-api-access/ci": ci.planFile },
        });
        assert.ok(consumer.resources.some((r) => r.object?.kind === "ConfigMap" && r.object.autoNamed));
        dryRun(consumer);
    });
});
