// The Kubernetes provider's type tokens, read and written in one place (level 1, pure functions), against
// the tokens pulumi-kubernetes generates (provider/pkg/gen/schema.go) and the provider's own components.
import * as assert from "assert";
import {
    apiVersionOf,
    kubernetesTypeOf,
    manifestKindOf,
    parseKubernetesType,
} from "../../rbac/kubernetesType";

describe("Kubernetes type tokens", () => {
    it("reads group, version, kind and variant of an API object's token", () => {
        assert.deepStrictEqual(parseKubernetesType("kubernetes:rbac.authorization.k8s.io/v1:ClusterRole"), {
            group: "rbac.authorization.k8s.io",
            version: "v1",
            kind: "ClusterRole",
            variant: "",
        });
        assert.deepStrictEqual(
            parseKubernetesType("kubernetes:rbac.authorization.k8s.io/v1:RoleBindingPatch"),
            {
                group: "rbac.authorization.k8s.io",
                version: "v1",
                kind: "RoleBinding",
                variant: "Patch",
            },
        );
        assert.deepStrictEqual(parseKubernetesType("kubernetes:core/v1:ConfigMapList"), {
            group: "core",
            version: "v1",
            kind: "ConfigMap",
            variant: "List",
        });
        // A CustomResource of crd2pulumi: a group with dots and dashes.
        assert.strictEqual(
            parseKubernetesType("kubernetes:cert-manager.io/v1:Certificate")?.kind,
            "Certificate",
        );
    });

    it("is undefined for what is not a Kubernetes API object", () => {
        for (const type of [
            "kubernetes:yaml/v2:ConfigGroup",
            "kubernetes:helm.sh/v4:Chart",
            "kubernetes:kustomize:Directory",
            "kubernetes:kustomize/v2:Directory",
            "kubernetes:yaml:decode",
            "pulumi:providers:kubernetes",
            "vault:index/mount:Mount",
            "kube-api-access:index:ApiServiceAccount",
        ]) {
            assert.strictEqual(parseKubernetesType(type), undefined, type);
        }
    });

    it("gives a manifest's apiVersion and kind, and the token of a manifest's object", () => {
        const of = (type: string) => {
            const t = parseKubernetesType(type);
            assert.ok(t, type);
            return `${apiVersionOf(t)} ${manifestKindOf(t)}`;
        };
        assert.strictEqual(of("kubernetes:core/v1:ServiceAccountPatch"), "v1 ServiceAccount");
        assert.strictEqual(of("kubernetes:core/v1:SecretList"), "v1 SecretList");
        assert.strictEqual(of("kubernetes:apps/v1:Deployment"), "apps/v1 Deployment");
        assert.strictEqual(kubernetesTypeOf("v1", "Secret"), "kubernetes:core/v1:Secret");
        assert.strictEqual(
            kubernetesTypeOf("rbac.authorization.k8s.io/v1", "Role"),
            "kubernetes:rbac.authorization.k8s.io/v1:Role",
        );
    });
});
