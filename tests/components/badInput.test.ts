// Bad input to ApiServiceAccount (mock runtime): each case is refused before anything is registered,
// with a message that names the argument, the bad value and the fix.
import * as assert from "assert";
import { withEnv } from "../../offline/program";
import { buildError, ENDPOINT } from "../helpers";

interface Case {
    readonly title: string;
    readonly args: Record<string, unknown>;
    readonly name?: string;
    /** Substrings the message must hold: the field, the value, and words of the fix. */
    readonly expect: string[];
}

const base = { namespace: "devops-tools", endpoint: ENDPOINT };
const rule = { apiGroups: [""], resources: ["pods"], verbs: ["get"] };

const cases: Case[] = [
    {
        title: "no namespace",
        args: { endpoint: ENDPOINT },
        expect: ["args.namespace undefined", "it is required"],
    },
    {
        title: "namespace not a DNS label",
        args: { ...base, namespace: "Dev_Tools" },
        expect: ['args.namespace "Dev_Tools"', "DNS-1123 label", "lower-case"],
    },
    {
        title: "namespace too long",
        args: { ...base, namespace: "a".repeat(64) },
        expect: ["args.namespace", "DNS-1123 label", "at most 63"],
    },
    {
        title: "endpointCaCert not PEM",
        args: { ...base, endpointCaCert: "not a certificate" },
        expect: ["args.endpointCaCert", "it holds no PEM certificate", "-----BEGIN CERTIFICATE-----"],
    },
    {
        title: "endpointCaCert with endpointPubliclyTrusted",
        args: {
            ...base,
            endpointCaCert: "-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----",
            endpointPubliclyTrusted: true,
        },
        expect: ["args.endpointCaCert", "endpointPubliclyTrusted", "Keep one of the two"],
    },
    {
        title: "component name not a label value",
        name: "bad name!",
        args: base,
        expect: ['name "bad name!"', "app.kubernetes.io/instance"],
    },
    {
        title: "serviceAccountName default",
        args: { ...base, serviceAccountName: "default" },
        expect: ['args.serviceAccountName "default"', "every pod", "dedicated name"],
    },
    {
        title: "serviceAccountName not a subdomain",
        args: { ...base, serviceAccountName: "API_Reader" },
        expect: ['args.serviceAccountName "API_Reader"', "DNS-1123 subdomain"],
    },
    {
        title: "unknown scope",
        args: { ...base, scope: "global" },
        expect: ['args.scope "global"', "unknown scope", '"cluster"', '"namespace"'],
    },
    {
        title: "unknown access",
        args: { ...base, access: "admin" },
        expect: ['args.access "admin"', "unknown access preset", '"read-only", "monitoring", "full"'],
    },
    {
        title: "misspelt scope",
        args: { ...base, scope: "Namespace" },
        expect: ['args.scope "Namespace": unknown scope; did you mean "namespace"?'],
    },
    {
        title: "misspelt access",
        args: { ...base, access: "readonly" },
        expect: ['args.access "readonly": unknown access preset; did you mean "read-only"?'],
    },
    {
        title: "empty rule list",
        args: { ...base, rules: [] },
        expect: ["args.rules []", "grants nothing", "at least one rule"],
    },
    {
        title: "rule without verbs",
        args: { ...base, rules: [{ apiGroups: [""], resources: ["pods"], verbs: [] }] },
        expect: ["args.rules[0].verbs []", "no verbs", "get"],
    },
    {
        title: "rule with unknown verbs",
        args: { ...base, rules: [{ ...rule, verbs: ["get", "read", "LIST"] }] },
        expect: ['args.rules[0].verbs ["read","LIST"]', "does not know", "Use verbs from"],
    },
    {
        title: "rule with neither resources nor URLs",
        args: { ...base, rules: [{ apiGroups: [""], verbs: ["get"] }] },
        expect: ["args.rules[0]", "needs resources or nonResourceURLs"],
    },
    {
        title: "rule with resources but no apiGroups",
        args: { ...base, rules: [{ resources: ["pods"], verbs: ["get"] }] },
        expect: ["args.rules[0].apiGroups undefined", "apiGroups", '[""] for the core group'],
    },
    {
        title: "rule mixing resources and URLs",
        args: { ...base, rules: [{ ...rule, nonResourceURLs: ["/metrics"] }] },
        expect: ["args.rules[0]", "both resources and non-resource URLs", "Split"],
    },
    {
        title: "non-resource URL in namespace scope",
        args: { ...base, scope: "namespace", rules: [{ nonResourceURLs: ["/metrics"], verbs: ["get"] }] },
        expect: ['args.rules[0].nonResourceURLs ["/metrics"]', "only cluster-wide", 'scope "cluster"'],
    },
    {
        title: "non-resource URL without a slash",
        args: { ...base, rules: [{ nonResourceURLs: ["metrics"], verbs: ["get"] }] },
        expect: ['args.rules[0].nonResourceURLs "metrics"', "leading '/'"],
    },
    {
        title: "wildcard verb",
        args: { ...base, rules: [{ ...rule, verbs: ["*"] }] },
        expect: ['args.rules[0].verbs ["*"]', "grants everything", "allowWildcards: true"],
    },
    {
        title: "wildcard resource",
        args: { ...base, rules: [{ ...rule, resources: ["*"] }] },
        expect: ['args.rules[0].resources ["*"]', "allowWildcards: true"],
    },
    {
        title: "wildcard apiGroup",
        args: { ...base, rules: [{ ...rule, apiGroups: ["*"] }] },
        expect: ['args.rules[0].apiGroups ["*"]', "allowWildcards: true"],
    },
    {
        title: "wildcard subresource",
        args: { ...base, rules: [{ ...rule, resources: ["pods", "*/exec"] }] },
        expect: [
            'args.rules[0].resources ["pods","*/exec"]',
            '"*/exec" grants that subresource of every resource',
            "allowWildcards: true",
        ],
    },
    {
        title: "wildcard URL",
        args: { ...base, scope: "cluster", rules: [{ nonResourceURLs: ["*"], verbs: ["get"] }] },
        expect: ['args.rules[0].nonResourceURLs ["*"]', "allowWildcards: true"],
    },
    {
        title: "a rule with namespaces (Kubernetes would drop it and grant cluster-wide)",
        args: { ...base, rules: [{ ...rule, namespaces: ["foo"] }] },
        expect: ['args.rules[0].namespaces ["foo"]', "no namespaces", 'args.scope: "namespace"'],
    },
    {
        title: "a rule field that PolicyRule does not have",
        args: { ...base, rules: [{ ...rule, verb: ["list"] }] },
        expect: ['args.rules[0].verb ["list"]', 'no field "verb"; did you mean verbs?'],
    },
    {
        title: "a misspelt argument from JavaScript (its default would be used silently)",
        args: { ...base, allowWildcard: true, tokenTimeoutSecond: 300 },
        expect: [
            'args.allowWildcard true: ApiServiceAccountArgs has no field "allowWildcard"; did you mean allowWildcards?',
            'args.tokenTimeoutSecond 300: ApiServiceAccountArgs has no field "tokenTimeoutSecond"; did you mean tokenTimeoutSeconds?',
        ],
    },
    {
        title: "a misspelt required argument (named, not only reported missing)",
        args: { namepsace: "devops-tools", endpoint: ENDPOINT },
        expect: ['args.namepsace "devops-tools"', "did you mean namespace?", "args.namespace undefined"],
    },
    {
        title: "rule field not a list",
        args: { ...base, rules: [{ ...rule, verbs: "get" }] },
        expect: ['args.rules[0].verbs "get"', "list of strings"],
    },
    {
        title: "rules not a list",
        args: { ...base, rules: { verbs: ["get"] } },
        expect: ["args.rules {", "list of RBAC PolicyRules"],
    },
    {
        title: "tokenTimeoutSeconds zero",
        args: { ...base, tokenTimeoutSeconds: 0 },
        expect: ["args.tokenTimeoutSeconds 0", "positive whole number"],
    },
    {
        title: "tokenTimeoutSeconds fractional",
        args: { ...base, tokenTimeoutSeconds: 1.5 },
        expect: ["args.tokenTimeoutSeconds 1.5", "positive whole number"],
    },
    {
        title: "tokenTimeoutSeconds a string",
        args: { ...base, tokenTimeoutSeconds: "120" },
        expect: ['args.tokenTimeoutSeconds "120"', "positive whole number"],
    },
    {
        title: "extraNamespaces in cluster scope",
        args: { ...base, extraNamespaces: ["team-a"] },
        expect: ['args.extraNamespaces ["team-a"]', 'only apply to scope "namespace"'],
    },
    {
        title: "extraNamespaces with a bad name",
        args: { ...base, scope: "namespace", extraNamespaces: ["Team A"] },
        expect: ['args.extraNamespaces[0] "Team A"', "DNS-1123 label"],
    },
    {
        title: "extraNamespaces repeating the account's",
        args: { ...base, scope: "namespace", extraNamespaces: ["devops-tools"] },
        expect: ["args.extraNamespaces", "listed twice"],
    },
    {
        title: "createNamespace not a boolean",
        args: { ...base, createNamespace: "yes" },
        expect: ['args.createNamespace "yes"', "boolean"],
    },
    {
        title: "clusterName with spaces",
        args: { ...base, clusterName: "my cluster" },
        expect: ['args.clusterName "my cluster"', "letters, digits"],
    },
    {
        title: "endpoint at the in-cluster name of the API server",
        args: { ...base, endpoint: "https://kubernetes.default.svc:443" },
        expect: ['args.endpoint "https://kubernetes.default.svc:443"', "in-cluster address", "external URL"],
    },
    // Host names compare as DNS does: any case, with or without the root's trailing dot.
    ...[
        "https://kubernetes.default.svc.",
        "https://KUBERNETES.Default.SVC.:443",
        "https://kubernetes.default.svc.cluster.local.",
        "https://kubernetes.",
    ].map((endpoint) => ({
        title: `endpoint at the in-cluster name written ${endpoint}`,
        args: { ...base, endpoint },
        expect: [`args.endpoint ${JSON.stringify(endpoint)}`, "in-cluster address"],
    })),
    {
        title: "endpoint over http",
        args: { ...base, endpoint: "http://10.0.0.1:6443" },
        expect: ['args.endpoint "http://10.0.0.1:6443"', "not https", "in clear"],
    },
    {
        title: "endpoint without its scheme: said so, with the https URL to write",
        args: { ...base, endpoint: "api.example.com:6443" },
        expect: [
            'args.endpoint "api.example.com:6443": it has no scheme',
            'Give "https://api.example.com:6443"',
        ],
    },
    {
        title: "endpoint not a URL",
        args: { ...base, endpoint: "https://" },
        expect: ['args.endpoint "https://"', "not a URL"],
    },
    {
        title: "no args",
        args: undefined as unknown as Record<string, unknown>,
        expect: ["args undefined", "required"],
    },
];

describe("ApiServiceAccount bad input (mock runtime)", () => {
    for (const c of cases) {
        it(`refuses ${c.title}`, async () => {
            const { error, resources } = await buildError(c.args, undefined, c.name ?? "api");
            assert.strictEqual(error.name, "ApiServiceAccountArgsError", error.stack);
            for (const part of c.expect) {
                assert.ok(
                    error.message.includes(part),
                    `message lacks ${JSON.stringify(part)}:\n${error.message}`,
                );
            }
            assert.ok(error.message.includes("nothing was created"), error.message);
            assert.deepStrictEqual(resources, [], "nothing may be registered");
        });
    }

    it("reports every problem at once", async () => {
        const { error } = await buildError({ namespace: "Bad", serviceAccountName: "default", scope: "x" });
        assert.ok(error.message.includes("args.namespace"));
        assert.ok(error.message.includes("args.serviceAccountName"));
        assert.ok(error.message.includes("args.scope"));
    });

    it("names the component's name, not serviceAccountName, when the name the account took is refused", async () => {
        const { error, resources } = await buildError(base, undefined, "default");
        assert.match(error.message, /name "default": .*every pod/, error.message);
        assert.match(error.message, /args\.serviceAccountName/, error.message);
        assert.doesNotMatch(error.message, /args\.serviceAccountName "default"/, error.message);
        assert.deepStrictEqual(resources, []);
    });

    it("asks for an endpoint when no kubeconfig can be found", async () => {
        const { error, resources } = await withEnv(
            { KUBECONFIG: "/nonexistent/kubeconfig", HOME: "/nonexistent-home" },
            () => buildError({ namespace: "a" }),
        );
        assert.match(error.message, /args\.endpoint \(not set\): no kubeconfig found/);
        assert.match(error.message, /Pass args\.endpoint/);
        assert.deepStrictEqual(resources, []);
    });
});
