// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): for each access
// preset in each scope, every cell of the access matrix `npm run plan` prints (all verbs, granted or not) equals the real authorizer's
// answer, one SelfSubjectAccessReview per cell as the deployed account, and nothing leaks to other namespaces.
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { Stack } from "@pulumi/pulumi/automation";
import { ACCESS_PRESETS, SCOPES } from "../../components";
import { sortVerbs, VERB_ORDER } from "../../cli/matrix";
import { PROJECT_DIR } from "../../offline/program";
import { formatPermission, Permission } from "../../rbac/evaluator";
import { Attributes, canI } from "./kube";
import { destroy, projectCopy, stackOf, up } from "../../testenv/engineStacks";

interface PlannedGrant {
    readonly scope: string;
    readonly via: string;
    /** Structured, as the RBAC evaluator gives them (rbac/evaluator.ts). */
    readonly permissions: Permission[];
    readonly unresolved?: string;
}

/** plan.json's access for a stack of the project copy, as `npm run plan -- --json` prints it. */
function plannedAccess(stack: string, dir: string): Record<string, PlannedGrant[]> {
    const res = spawnSync(
        "npm",
        [
            "run",
            "--silent",
            "plan",
            "--",
            "--stack",
            stack,
            "--dir",
            dir,
            "--no-policy",
            "--json",
            "--out",
            path.join(dir, "plan-out", stack),
        ],
        { cwd: PROJECT_DIR, encoding: "utf8", timeout: 300_000 },
    );
    assert.strictEqual(res.status, 0, `npm run plan failed:\n${res.stdout}\n${res.stderr}`);
    return (JSON.parse(res.stdout) as { access: Record<string, PlannedGrant[]> }).access;
}

/** A matrix cell (`verb`, row `resource[.group]` or `/url`) as SelfSubjectAccessReview attributes. */
function attributes(verb: string, row: string, namespace: string): Attributes {
    if (row.startsWith("/")) {
        return { verb, path: row };
    }
    const dot = row.indexOf(".");
    const [resource, subresource] = (dot < 0 ? row : row.slice(0, dot)).split("/");
    // Requests on the namespaces collection (list, create, deletecollection) carry no namespace; only those
    // on one named namespace do (staging/src/k8s.io/apiserver/pkg/endpoints/request/requestinfo.go).
    const collection = resource === "namespaces" && ["list", "create", "deletecollection"].includes(verb);
    return {
        verb,
        group: dot < 0 ? "" : row.slice(dot + 1),
        resource,
        subresource,
        namespace: collection ? "" : namespace,
    };
}

async function allCells<T>(items: T[], fn: (t: T) => Promise<string | undefined>): Promise<string[]> {
    const out: string[] = [];
    for (let i = 0; i < items.length; i += 8) {
        out.push(...(await Promise.all(items.slice(i, i + 8).map(fn))).filter((x): x is string => !!x));
    }
    return out;
}

describe("e2e (real CLI, provider, control plane): plan's access matrix equals the real authorizer, per preset and scope", function () {
    const stacks: Stack[] = [];
    after(async () => {
        for (const s of stacks) {
            await destroy(s);
        }
    });

    for (const access of ACCESS_PRESETS) {
        for (const scope of SCOPES) {
            it(`${access} in scope ${scope}`, async () => {
                const name = `e2e-${access}-${scope}`;
                const dir = projectCopy();
                const account = `${access}-${scope}-reader`;
                fs.writeFileSync(
                    path.join(dir, `Pulumi.${name}.yaml`),
                    YAML.stringify({
                        config: {
                            "kube-api-access:namespace": name,
                            "kube-api-access:serviceAccountName": account,
                            "kube-api-access:scope": scope,
                            "kube-api-access:access": access,
                        },
                    }),
                );
                const stack = await stackOf(name);
                stacks.push(stack);
                const subject = `system:serviceaccount:${name}:${account}`;
                const grants = plannedAccess(name, dir)[subject];
                assert.ok(grants?.length, `plan shows no access for ${subject}`);
                const kubeconfig = (await up(stack)).outputs.kubeconfig.value as string;

                let cells = 0;
                const wrong: string[] = [];
                for (const g of grants) {
                    assert.strictEqual(g.unresolved, undefined, g.unresolved);
                    const granted = new Set(
                        g.permissions.map((p) =>
                            formatPermission("url" in p ? p : { ...p, names: undefined }),
                        ),
                    );
                    const rows = [...new Set([...granted].map((p) => p.slice(p.indexOf(" ") + 1)))];
                    // Every verb the matrix can show, so the cells plan leaves empty are asked too.
                    const verbs = sortVerbs([...VERB_ORDER, ...[...granted].map((p) => p.split(" ")[0])]);
                    const ns = g.scope === "cluster-wide" ? "" : g.scope.replace(/^in namespace /, "");
                    const matrix = rows.flatMap((row) => verbs.map((verb) => ({ row, verb })));
                    cells += matrix.length;
                    wrong.push(
                        ...(await allCells(matrix, async ({ row, verb }) => {
                            const planned = granted.has(`${verb} ${row}`);
                            const real = await canI(kubeconfig, attributes(verb, row, ns));
                            return planned === real
                                ? undefined
                                : `${verb} ${row} @${ns || "cluster"}: plan ${planned}, authorizer ${real}`;
                        })),
                    );
                    if (ns) {
                        // A namespaced grant reaches no other namespace.
                        wrong.push(
                            ...(await allCells(matrix, async ({ row, verb }) =>
                                (await canI(kubeconfig, attributes(verb, row, "default")))
                                    ? `${verb} ${row} allowed in namespace default`
                                    : undefined,
                            )),
                        );
                    }
                }
                assert.ok(cells > 0);
                assert.deepStrictEqual(wrong, [], `${wrong.length} of ${cells} cells differ`);
            });
        }
    }
});
