#!/usr/bin/env node
// A stand-in for the `go` command, for tests/toolchain/families.test.ts: it appends each call (arguments,
// folder, GOFLAGS, GOTOOLCHAIN) as a JSON line to $FAKE_GO_LOG and does just enough of what the family
// scripts read back (go.mod edits, module folders, binaries that answer --version) for them to run to the
// end. It resolves nothing: versions it reports come from the go.mod in the folder it runs in.
"use strict";
const fs = require("fs");
const path = require("path");

const args = process.argv.slice(2);
const root = process.env.FAKE_GO_ROOT;
fs.appendFileSync(
    process.env.FAKE_GO_LOG,
    JSON.stringify({
        args,
        cwd: process.cwd(),
        GOFLAGS: process.env.GOFLAGS ?? "",
        GOTOOLCHAIN: process.env.GOTOOLCHAIN ?? "",
    }) + "\n",
);

const goMod = () => (fs.existsSync("go.mod") ? fs.readFileSync("go.mod", "utf8") : "");
const require_ = (spec) => {
    const [mod, version] = spec.split("@");
    fs.appendFileSync("go.mod", `require ${mod} ${version ?? "v0.0.0-unpinned"}\n`);
};
/** A module's folder in the fake module cache, with the files the family scripts copy or read. */
const moduleDir = (mod) => {
    const dir = path.join(root, "mod", mod.replace(/@.*/, ""));
    const cmd = path.join(dir, "cmd", "pulumi-resource-kubernetes");
    fs.mkdirSync(cmd, { recursive: true });
    for (const f of ["main.go", "schema.json", "terraform-mapping.json"])
        fs.writeFileSync(path.join(cmd, f), "{}");
    // An upstream go.mod with staging replaces, as k8s.io/kubernetes has them.
    const staging = Array.from({ length: 25 }, (_, i) => `k8s.io/staging${i}`);
    fs.writeFileSync(
        path.join(dir, "go.mod"),
        `module ${mod}\n\nrequire (\n${staging.map((m) => `\t${m} v0.0.0\n`).join("")})\n\n` +
            `replace (\n${staging.map((m) => `\t${m} => ./staging/src/${m}\n`).join("")})\n`,
    );
    fs.writeFileSync(path.join(dir, "go.sum"), "");
    return dir;
};
const stub = (file) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, "#!/bin/sh\nexit 0\n", { mode: 0o755 });
};

const [cmd, sub] = args;
const flagValue = (name) => {
    const i = args.indexOf(name);
    return i < 0 ? undefined : args[i + 1];
};
const positional = args.filter(
    (a, i) => !a.startsWith("-") && !(i > 0 && ["-o", "-ldflags", "-f", "-p"].includes(args[i - 1])),
);

if (cmd === "mod" && sub === "init") fs.writeFileSync("go.mod", `module ${args[2]}\n\ngo 1.26\n`);
else if (cmd === "mod" && sub === "edit") {
    for (const a of args) if (a.startsWith("-require=")) require_(a.slice("-require=".length));
} else if (cmd === "mod" && sub === "download") {
    const mods = positional.slice(2);
    if (args.includes("-json"))
        console.log(
            JSON.stringify({ GoMod: path.join(moduleDir(mods[0]), "go.mod"), GoModSum: "h1:" }, null, "\t"),
        );
    for (const m of mods) fs.mkdirSync(path.join(root, "mod", m), { recursive: true });
    for (const m of mods) if (m.includes("@")) fs.writeFileSync(path.join(root, "mod", m, "go.sum"), "");
} else if (cmd === "get") for (const spec of positional.slice(1)) require_(spec);
else if (cmd === "env" && sub === "GOMODCACHE") console.log(path.join(root, "mod"));
else if (cmd === "list") {
    const format = flagValue("-f");
    const mod = positional[positional.length - 1];
    if (format === "{{.Dir}}") console.log(moduleDir(mod));
    else if (format === "{{.Version}}") {
        const m = goMod().match(new RegExp(`^(?:require\\s+)?\\s*${mod.replace(/[.]/g, "\\.")} (\\S+)`, "m"));
        console.log(m ? m[1] : "(none)");
    } else console.log("2026-01-01T00:00:00Z");
} else if (cmd === "build") {
    const out = flagValue("-o");
    const pkgs = positional.slice(1);
    if (out.endsWith("/")) for (const p of pkgs) stub(path.join(out, path.basename(p)));
    else stub(out);
}
// go mod tidy, go run and anything else: nothing to do.
