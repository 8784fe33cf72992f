// Level 1 (mock runtime): the URN of every child, for each shape the component takes, equals what the
// component registered before its constructor was split into steps (main at 819d7e4). A changed parent
// or logical name changes a URN, and the engine would then replace the live object: such a change needs
// an alias naming the child's past identity (`pulumi.mergeOptions(opts, { aliases })`).
import * as assert from "assert";
import type { ApiServiceAccountArgs } from "../../components";
import { build, ENDPOINT } from "../helpers";

const COMPONENT = "urn:pulumi:test::kube-api-access::kube-api-access:index:ApiServiceAccount";
const base = {
    namespace: "devops-tools",
    serviceAccountName: "reader",
    endpoint: ENDPOINT,
    clusterName: "dev",
};
const CASES = {
    cluster: base,
    namespace: { ...base, scope: "namespace", extraNamespaces: ["apps", "web"], createNamespace: false },
    kv: { ...base, vault: { mode: "kv", createKvMount: true } },
    dynamic: { ...base, vault: { mode: "dynamic" } },
} satisfies Record<string, ApiServiceAccountArgs>;

const RELEASED: Record<keyof typeof CASES, string[]> = {
    cluster: [
        `${COMPONENT}$kubernetes:core/v1:Namespace::reader-namespace`,
        `${COMPONENT}$kubernetes:core/v1:Secret::reader-token`,
        `${COMPONENT}$kubernetes:core/v1:ServiceAccount::reader-sa`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::reader-role`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::reader-binding`,
        `${COMPONENT}::reader`,
    ],
    namespace: [
        `${COMPONENT}$kubernetes:core/v1:Secret::reader-token`,
        `${COMPONENT}$kubernetes:core/v1:ServiceAccount::reader-sa`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:Role::reader-role`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:Role::reader-role-apps`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:Role::reader-role-web`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::reader-binding`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::reader-binding-apps`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::reader-binding-web`,
        `${COMPONENT}::reader`,
    ],
    kv: [
        `${COMPONENT}$kubernetes:core/v1:Namespace::reader-namespace`,
        `${COMPONENT}$kubernetes:core/v1:Secret::reader-token`,
        `${COMPONENT}$kubernetes:core/v1:ServiceAccount::reader-sa`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::reader-role`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::reader-binding`,
        `${COMPONENT}$vault:index/mount:Mount::reader-vault-kv-mount`,
        `${COMPONENT}$vault:index/policy:Policy::reader-vault-policy`,
        `${COMPONENT}$vault:kv/secretV2:SecretV2::reader-vault-secret`,
        `${COMPONENT}::reader`,
    ],
    dynamic: [
        `${COMPONENT}$kubernetes:core/v1:Namespace::reader-namespace`,
        `${COMPONENT}$kubernetes:core/v1:Secret::reader-vault-issuer-token`,
        `${COMPONENT}$kubernetes:core/v1:ServiceAccount::reader-sa`,
        `${COMPONENT}$kubernetes:core/v1:ServiceAccount::reader-vault-issuer-sa`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:ClusterRole::reader-role`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding::reader-binding`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:Role::reader-vault-issuer-role`,
        `${COMPONENT}$kubernetes:rbac.authorization.k8s.io/v1:RoleBinding::reader-vault-issuer-binding`,
        `${COMPONENT}$vault:index/policy:Policy::reader-vault-policy`,
        `${COMPONENT}$vault:kubernetes/secretBackend:SecretBackend::reader-vault-engine`,
        `${COMPONENT}$vault:kubernetes/secretBackendRole:SecretBackendRole::reader-vault-role`,
        `${COMPONENT}::reader`,
    ],
};

/**
 * Children added since: the second token slot, the ledger patch and the rotation marker of each account
 * with a long-lived token (issue 22). New URNs, so nothing live is replaced by their arrival.
 */
const tokenGenerations = (prefix: string) => [
    `${COMPONENT}$kubernetes:core/v1:Secret::${prefix}-b`,
    `${COMPONENT}$kubernetes:core/v1:ServiceAccountPatch::${prefix}-ledger`,
    `${COMPONENT}$pulumi:index:Stash::${prefix}-rotation`,
];
const ADDED: Record<keyof typeof CASES, string[]> = {
    cluster: tokenGenerations("reader-token"),
    namespace: tokenGenerations("reader-token"),
    kv: tokenGenerations("reader-token"),
    dynamic: tokenGenerations("reader-vault-issuer-token"),
};

describe("ApiServiceAccount URNs (mock runtime)", () => {
    for (const shape of Object.keys(CASES) as (keyof typeof CASES)[]) {
        it(`keeps every released URN: ${shape}`, async () => {
            const built = await build(CASES[shape], undefined, "reader");
            assert.deepStrictEqual(
                built.resources.map((r) => r.urn).sort(),
                [...RELEASED[shape], ...ADDED[shape]].sort(),
            );
        });
    }
});
