// Rule names checked against the built-in API of the pinned release (rbac/builtin, generated from a
// real kube-apiserver), and resourceNames as Kubernetes reads them (mock runtime and pure checks): a typo
// is refused with "did you mean" before anything is registered; real names, RBAC-only names and a
// custom resource's group pass.
import * as assert from "assert";
import { argsProblems } from "../../components/validation";
import { buildError, ENDPOINT } from "../helpers";

const base = { namespace: "devops-tools", endpoint: ENDPOINT };
const rules = (...r: Record<string, unknown>[]) => ({ ...base, rules: r });

const refused: { title: string; rule: Record<string, unknown>; expect: string[] }[] = [
    {
        title: "a singular resource",
        rule: { apiGroups: [""], resources: ["pod"], verbs: ["get"] },
        expect: [
            'args.rules[0].resources "pod"',
            'has no resource "pod" in group "" (core); did you mean "pods"?',
        ],
    },
    {
        title: "a capitalised resource",
        rule: { apiGroups: ["apps"], resources: ["Deployments"], verbs: ["get"] },
        expect: ['args.rules[0].resources "Deployments"', 'did you mean "deployments"?'],
    },
    {
        title: "a Kind for a resource",
        rule: { apiGroups: ["apps"], resources: ["StatefulSet"], verbs: ["get"] },
        expect: ['did you mean "statefulsets"?'],
    },
    {
        title: "a short name for a resource",
        rule: { apiGroups: [""], resources: ["cm"], verbs: ["get"] },
        expect: ['did you mean "configmaps"?'],
    },
    {
        title: "a misspelt group",
        rule: { apiGroups: ["app"], resources: ["deployments"], verbs: ["get"] },
        expect: [
            'args.rules[0].apiGroups "app"',
            'has no API group "app" (a custom resource\'s group always has a dot); did you mean "apps"?',
        ],
    },
    {
        title: "a dotted group one letter off a built-in one",
        rule: { apiGroups: ["networking.k8s.oi"], resources: ["ingresses"], verbs: ["get"] },
        expect: ['args.rules[0].apiGroups "networking.k8s.oi"', 'did you mean "networking.k8s.io"?'],
    },
    {
        title: "a resource of another group",
        rule: { apiGroups: [""], resources: ["deployments"], verbs: ["get"] },
        expect: ['args.rules[0].resources "deployments"', 'it is in group "apps"', 'apiGroups ["apps"]'],
    },
    {
        title: "a misspelt subresource",
        rule: { apiGroups: [""], resources: ["pods/exex"], verbs: ["get"] },
        expect: ['args.rules[0].resources "pods/exex"', 'did you mean "pods/exec"?'],
    },
    {
        title: "create and deletecollection limited by resourceNames",
        rule: {
            apiGroups: [""],
            resources: ["configmaps"],
            resourceNames: ["app-config"],
            verbs: ["get", "create", "deletecollection"],
        },
        expect: [
            'args.rules[0].verbs ["create","deletecollection"]',
            "carries no object name, so a rule limited by resourceNames never allows it",
            "in a rule without resourceNames",
        ],
    },
];

describe("rule names checked against Kubernetes' built-in API, and resourceNames", () => {
    for (const c of refused) {
        it(`refuses ${c.title}`, async () => {
            const { error, resources } = await buildError(rules(c.rule));
            assert.strictEqual(error.name, "ApiServiceAccountArgsError", error.stack);
            for (const part of c.expect) {
                assert.ok(
                    error.message.includes(part),
                    `message lacks ${JSON.stringify(part)}:\n${error.message}`,
                );
            }
            assert.deepStrictEqual(resources, [], "nothing may be registered");
        });
    }

    for (const [title, rule] of [
        [
            "every preset-like name",
            { apiGroups: ["", "apps"], resources: ["pods", "pods/log", "deployments"], verbs: ["get"] },
        ],
        [
            "a custom resource's group",
            { apiGroups: ["monitoring.coreos.com"], resources: ["prometheuses"], verbs: ["get"] },
        ],
        [
            "a custom resource's group beside a built-in one",
            { apiGroups: ["", "example.com"], resources: ["widgets"], verbs: ["get"] },
        ],
        [
            "the kubelet's node subresources",
            { apiGroups: [""], resources: ["nodes/metrics", "nodes/stats"], verbs: ["get"] },
        ],
        [
            "identities for impersonation",
            { apiGroups: [""], resources: ["users", "groups"], verbs: ["impersonate"] },
        ],
        [
            "a user extra",
            {
                apiGroups: ["authentication.k8s.io"],
                resources: ["userextras/scopes", "uids"],
                verbs: ["impersonate"],
            },
        ],
        [
            "certificate signers",
            {
                apiGroups: ["certificates.k8s.io"],
                resources: ["signers"],
                resourceNames: ["example.com/x"],
                verbs: ["approve"],
            },
        ],
        [
            "create of a subresource by name (the request names its object: serviceaccounts/<name>/token)",
            {
                apiGroups: [""],
                resources: ["serviceaccounts/token"],
                resourceNames: ["reporter"],
                verbs: ["create"],
            },
        ],
        [
            "list and watch by name",
            {
                apiGroups: [""],
                resources: ["configmaps"],
                resourceNames: ["a"],
                verbs: ["get", "list", "watch"],
            },
        ],
    ] as const) {
        it(`accepts ${title}`, () => {
            assert.deepStrictEqual(
                argsProblems("api", rules(rule) as unknown as Parameters<typeof argsProblems>[1]),
                [],
            );
        });
    }
});
