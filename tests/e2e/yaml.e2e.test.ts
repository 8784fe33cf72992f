// Level 4, end to end (real Pulumi CLI, Kubernetes provider and control plane on loopback): the component
// from another language. examples/yaml, a Pulumi YAML program (pulumi-language-yaml from the toolchain),
// takes this repository as its package by path; the CLI runs the package as a component provider through
// the Node.js language host's RunPlugin, loads the schema from it and constructs the ApiServiceAccount.
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { Stack } from "@pulumi/pulumi/automation";
import { ACCESS_PRESETS, AccessPreset, presetRules } from "../../components";
import { SCHEMA_FILE } from "../components/schema";
import { e2e, installPlugin, pluginVersion } from "../../testenv/engine";
import { exists, getJson, kubeconfigFile, kubectl } from "./kube";
import { destroy, failure, projectCopy, stackOf, stateResources, up } from "../../testenv/engineStacks";
import { scanForSecrets } from "./secrets";

const NS = "yaml-apps";
const SA = "yaml-reader";
const ROLE = `kube-api-access:${NS}:${SA}`;
const SUBJECT = `system:serviceaccount:${NS}:${SA}`;

/** The example inside the project copy, so its `packages: ../..` is the copy with the built bin/. */
const exampleDir = () => path.join(projectCopy(), "examples", "yaml");

/**
 * Before it loads a source-based package, the CLI installs every provider plugin the package depends on
 * (pulumi/pulumi pkg/cmd/pulumi/packageinstallation: gatherPackageDependenciesStep), Vault's too, which
 * the component starts only for `vault` arguments. pulumi-resource-vault cannot be built here
 * (docs/vault.md), so its place is taken by a program that fails, naming itself, if anything starts it.
 */
function installVaultStandIn(): void {
    const file = path.join(e2e().root, "pulumi-resource-vault-stand-in");
    fs.writeFileSync(
        file,
        "#!/bin/sh\necho 'pulumi-resource-vault stand-in (tests/e2e/yaml.e2e.test.ts) was started' >&2\nexit 1\n",
        { mode: 0o755 },
    );
    installPlugin("vault", pluginVersion("vault"), file);
}

describe("e2e (real CLI, provider, control plane): examples/yaml, the component from Pulumi YAML", function () {
    let stack: Stack;
    let token = "";

    before(async () => {
        installVaultStandIn();
        stack = await stackOf("dev", {}, exampleDir());
    });

    after(async () => {
        if (stack) {
            await destroy(stack);
        }
    });

    it("pulumi package get-schema loads the committed schema (enums and descriptions included)", () => {
        // Not from the repository's folder: the CLI refuses a working folder holding both Pulumi.yaml
        // and PulumiPlugin.yaml ("detected both"), as the repository's root does.
        const printed = execFileSync("pulumi", ["package", "get-schema", projectCopy()], {
            cwd: e2e().root,
            encoding: "utf8",
            stdio: ["ignore", "pipe", "pipe"],
            timeout: 300_000,
        });
        assert.strictEqual(
            printed,
            fs.readFileSync(SCHEMA_FILE, "utf8"),
            `${SCHEMA_FILE} is not what the CLI prints: write it anew as docs/languages.md says`,
        );
        const loaded = JSON.parse(printed);
        const access = loaded.types["kube-api-access:index:AccessPreset"];
        assert.deepStrictEqual(
            access.enum.map((e: { value: string }) => e.value),
            ACCESS_PRESETS,
        );
        const inputs = loaded.resources["kube-api-access:index:ApiServiceAccount"].inputProperties;
        assert.match(inputs.access.description, /preset/);
    });

    it("an unknown access preset from config fails with the component's message, nothing created", async () => {
        await stack.setConfig("kube-api-access-yaml:access", { value: "everything" });
        try {
            const message = await up(stack).then(
                () => "",
                (err: unknown) => failure(err),
            );
            assert.match(message, /ApiServiceAccount "account" has invalid arguments; nothing was created/);
            assert.match(message, /args\.access "everything": unknown access preset\. Use one of /);
            assert.ok(!exists("namespace", NS), "nothing may be created");
            assert.deepStrictEqual(
                (await stateResources(stack)).map((r) => r.type).filter((t) => !t.startsWith("pulumi:")),
                [],
            );
        } finally {
            await stack.removeConfig("kube-api-access-yaml:access");
        }
    });

    it("an unknown access preset written in Pulumi.yaml fails Pulumi YAML's check against the schema's enum", async () => {
        const file = path.join(exampleDir(), "Pulumi.yaml");
        const program = fs.readFileSync(file, "utf8");
        assert.ok(program.includes("access: ${access}"), "the example sets access from config");
        fs.writeFileSync(file, program.replace("access: ${access}", "access: everything"));
        try {
            const message = await up(stack).then(
                () => "",
                (err: unknown) => failure(err),
            );
            assert.match(message, /on Pulumi\.yaml line \d+:/);
            assert.match(
                message,
                /access: Cannot assign type 'string' to type 'kube-api-access:index:AccessPreset'/,
            );
            const allowed = Object.entries(AccessPreset).map(([name, value]) => `${name} ("${value}")`);
            assert.ok(message.includes(`Allowed values are ${allowed.join(", ")}`), message);
            assert.ok(!exists("namespace", NS), "nothing may be created");
        } finally {
            fs.writeFileSync(file, program);
        }
    });

    it("pulumi up creates namespace, ServiceAccount, role, binding and a filled token", async () => {
        const res = await up(stack);
        assert.strictEqual(res.summary.result, "succeeded");
        assert.ok(exists("namespace", NS));
        assert.ok(exists("serviceaccount", SA, NS));
        const role = getJson<{ rules: unknown[] }>("clusterrole", ROLE);
        assert.deepStrictEqual(
            JSON.parse(JSON.stringify(role.rules)),
            JSON.parse(JSON.stringify(presetRules("read-only", "cluster"))),
        );
        const binding = getJson<{ subjects: unknown[] }>("clusterrolebinding", ROLE);
        assert.deepStrictEqual(binding.subjects, [{ kind: "ServiceAccount", name: SA, namespace: NS }]);
        const secret = getJson<{ data?: Record<string, string> }>("secret", `${SA}-token`, NS);
        assert.ok(secret.data?.token, "the token controller filled data.token before up finished");
        token = Buffer.from(secret.data.token, "base64").toString();

        assert.deepStrictEqual(
            Object.entries(res.outputs).map(([k, v]) => `${k}${v.secret ? " (secret)" : ""}`),
            ["kubeconfig (secret)", "subject"],
        );
        assert.strictEqual(res.outputs.subject.value, SUBJECT);
        const file = kubeconfigFile("yaml-exported", res.outputs.kubeconfig.value as string);
        const pods = kubectl(["get", "pods", "-n", NS], file);
        assert.strictEqual(pods.status, 0, pods.stderr);
        const whoami = kubectl(["auth", "whoami", "-o", "jsonpath={.status.userInfo.username}"], file);
        assert.strictEqual(whoami.stdout, SUBJECT, whoami.stderr);
        const secrets = kubectl(["get", "secrets", "-n", NS], file);
        assert.notStrictEqual(secrets.status, 0, "read-only must not read Secrets");
        assert.match(secrets.stderr, /forbidden/);
    });

    it("keeps the token out of the state, history, logs and CLI output; the Vault stand-in never ran", () => {
        assert.ok(token, "the up test read the token");
        assert.ok(
            !fs
                .readFileSync(e2e().transcript, "utf8")
                .includes("stand-in (tests/e2e/yaml.e2e.test.ts) was started"),
        );
        // The Kubernetes provider's own kubeconfig copies in $TMPDIR are an upstream finding (consumer test).
        const found = scanForSecrets([token]).filter((f) => !/^tmp\/kubeconfig\d+$/.test(f));
        assert.deepStrictEqual(found, []);
    });

    it("pulumi destroy leaves nothing behind", async () => {
        await destroy(stack);
        assert.deepStrictEqual(await stateResources(stack), []);
        assert.ok(!exists("namespace", NS));
        assert.ok(!exists("clusterrole", ROLE));
        assert.ok(!exists("clusterrolebinding", ROLE));
    });
});
