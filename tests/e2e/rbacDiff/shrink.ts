// Shrinking a case the evaluator and the API server disagree on, against the cluster, and printing it in
// minimal form with the command that reruns it.
import { PolicyRule } from "../../../rbac/evaluator";
import { Case, evaluate, NS, RoleSpec, SEED } from "./cases";
import { Apis, askCluster } from "./cluster";

/** Smaller variants of a case: one rule, list element, role or selector fewer. */
function* smaller(c: Case): Generator<Case> {
    const withRules = (spec: RoleSpec, rules: PolicyRule[]): RoleSpec => ({ ...spec, rules });
    const roles: { spec: RoleSpec; put: (s: RoleSpec) => Case }[] = [
        ...(c.role ? [{ spec: c.role, put: (s: RoleSpec) => ({ ...c, role: s }) }] : []),
        ...c.clusterRoles.map((spec, i) => ({
            spec,
            put: (s: RoleSpec) => ({ ...c, clusterRoles: c.clusterRoles.map((x, j) => (j === i ? s : x)) }),
        })),
    ];
    for (const [i, cr] of c.clusterRoles.entries()) {
        if (cr.name !== c.roleRef.name) {
            yield { ...c, clusterRoles: c.clusterRoles.filter((_, j) => j !== i) };
        }
    }
    for (const { spec, put } of roles) {
        if (spec.selectors && spec.selectors.length > 1) {
            for (let i = 0; i < spec.selectors.length; i++) {
                yield put({ ...spec, selectors: spec.selectors.filter((_, j) => j !== i) });
            }
        }
        for (let i = 0; i < spec.rules.length; i++) {
            if (spec.rules.length > 1) {
                yield put(
                    withRules(
                        spec,
                        spec.rules.filter((_, j) => j !== i),
                    ),
                );
            }
            for (const field of [
                "verbs",
                "apiGroups",
                "resources",
                "resourceNames",
                "nonResourceURLs",
            ] as const) {
                const values = spec.rules[i][field] ?? [];
                for (let k = 0; values.length > 1 && k < values.length; k++) {
                    const rule = { ...spec.rules[i], [field]: values.filter((_, j) => j !== k) };
                    yield put(
                        withRules(
                            spec,
                            spec.rules.map((x, j) => (j === i ? rule : x)),
                        ),
                    );
                }
            }
        }
    }
}

export async function shrink(
    apis: Apis,
    c: Case,
    real: boolean,
    run: string,
): Promise<{ small: Case; real: boolean }> {
    let current = c;
    let currentReal = real;
    for (let attempt = 0, progress = true; progress && attempt < 60;) {
        progress = false;
        for (const candidate of smaller(current)) {
            attempt++;
            const id = `${c.id}s${attempt}`;
            const renamed = rename(candidate, current.id, id);
            const [answer] = await askCluster(apis, [renamed], `${run}s${attempt}`);
            if (answer !== evaluate(renamed)) {
                current = renamed;
                currentReal = answer;
                progress = true;
                break;
            }
            if (attempt >= 60) {
                break;
            }
        }
    }
    return { small: current, real: currentReal };
}

/** The same case under another id (object names, labels and selectors follow). */
const rename = (c: Case, from: string, to: string): Case => ({
    ...(JSON.parse(JSON.stringify(c).split(from).join(to)) as Case),
    index: c.index,
});

export function minimalForm(c: Case, evaluator: boolean, real: boolean): string {
    const roles = [
        ...(c.role ? [{ kind: "Role", ...c.role }] : []),
        ...c.clusterRoles.map((cr) => ({ kind: "ClusterRole", ...cr })),
    ];
    return [
        `case ${c.index} of seed ${SEED} (rerun: RBAC_DIFF_SEED=${SEED} RBAC_DIFF_ONLY=${c.index} npx mocha --no-config -r ts-node/register/transpile-only --timeout 0 tests/e2e/rbacDifferential.e2e.test.ts)`,
        `  ${c.binding} in ${c.binding === "RoleBinding" ? NS : "the cluster"} -> ${c.roleRef.kind} ${c.roleRef.name}`,
        ...roles.map(
            (r) =>
                `  ${r.kind} ${r.name} labels=${JSON.stringify(r.labels)}${r.selectors ? ` selectors=${JSON.stringify(r.selectors)}` : ""} rules=${JSON.stringify(r.rules)}`,
        ),
        `  request ${JSON.stringify(c.request)}`,
        `  evaluator ${evaluator ? "allows" : "denies"}, API server ${real ? "allows" : "denies"}`,
    ].join("\n");
}
