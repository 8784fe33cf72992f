// Level 4 (the e2e tier's real kube-apiserver): `npm run plan --kubeconfig` checks every role's rule
// names against that cluster's discovery, a custom resource's group included: the cluster serves no
// monitoring.coreos.com, so the fixture's Role is refused there, while offline it is only noted.
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { plan } from "../../cli/plan/plan";
import { withEnv } from "../../offline/program";
import { e2e } from "../../testenv/engine";
import { FIXTURES } from "../helpers";

const PROGRAM = path.join(FIXTURES, "rules-program");

describe("e2e (real control plane): plan --kubeconfig checks names against the cluster's discovery", function () {
    this.timeout(300_000);
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "plan-discovery-"));
    after(() => fs.rmSync(out, { recursive: true, force: true }));

    it("refuses a group the cluster does not serve, naming the kubeconfig's cluster", async () => {
        const error = await withEnv({ HOME: "/nonexistent-home" }, () =>
            plan({
                stack: "dev",
                dir: PROGRAM,
                outDir: path.join(out, "live"),
                policy: false,
                kubeconfig: e2e().adminKubeconfig,
            }),
        ).then(
            () => undefined,
            (err: Error) => err,
        );
        assert.ok(error, "the plan was not refused");
        assert.match(
            error.message,
            /Role "apps\/reader" rule 1 apiGroups "monitoring.coreos.com": the discovery of --kubeconfig .*'s cluster serves no API group "monitoring.coreos.com"/,
        );
    });
});
