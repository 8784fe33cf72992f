// The package as a user gets it: `npm pack` of this checkout, installed from the tarball into an empty
// project in a temporary folder, its dependencies from the npm registry (or npm's cache) at the versions
// this project's lockfile pins, with nothing linked to the checkout.
import * as assert from "assert";
import { spawnSync, SpawnSyncReturns } from "child_process";
import * as fs from "fs";
import { isBuiltin } from "module";
import * as os from "os";
import * as path from "path";
import { PROJECT_DIR } from "../../offline/program";

export const PACKAGE_JSON = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8"));
const LOCK = JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package-lock.json"), "utf8"));

/** The version this project's lockfile installs of `name`. */
export const lockedVersion = (name: string): string => {
    const version = LOCK.packages[`node_modules/${name}`]?.version;
    assert.ok(version, `package-lock.json has no node_modules/${name}`);
    return version;
};

/** What the consumer project installs beside the tarball: the tools a user's project would have. */
const CONSUMER_TOOLS = ["typescript", "mocha", "@types/mocha", "@types/node"];

/** The environment for npm and node in the consumer: none of `npm test`'s own npm_package_* settings. */
function consumerEnv(): NodeJS.ProcessEnv {
    return Object.fromEntries(
        Object.entries(process.env).filter(
            ([k]) => !/^(npm_package_|npm_lifecycle_|npm_config_local_prefix$|INIT_CWD$)/i.test(k),
        ),
    );
}

/** Runs a command in `cwd`; throws with its output unless it exits 0. */
export function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
    const result = spawnSync(command, args, { cwd, encoding: "utf8", env: consumerEnv() });
    assert.strictEqual(
        result.status,
        0,
        `${command} ${args.join(" ")} (in ${cwd}) failed:\n${result.error ?? ""}${result.stdout}${result.stderr}`,
    );
    return result;
}

export interface Installed {
    /** The consumer project. */
    readonly dir: string;
    /** The installed package: <dir>/node_modules/kube-api-access. */
    readonly packageDir: string;
    /** The files `npm pack` put in the tarball, as npm lists them (relative, with /). */
    readonly shipped: ReadonlySet<string>;
}

/**
 * Packs the checkout as `npm pack` does (its built bin/, which `npm test` has just made) and installs the
 * tarball into a new project in `os.tmpdir()`.
 * npm installs from the tarball and the registry with a lockfile made from this project's, so every
 * dependency has the version the project's own tests ran with; `--prefer-offline` lets npm's cache answer.
 */
export function packAndInstall(): Installed {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kube-api-access-consumer-"));
    // The prepare script (tsc) is left out: npm test has just built bin/, and staleBuilds says otherwise.
    const pack = run("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], PROJECT_DIR);
    const [{ filename, files }] = JSON.parse(pack.stdout) as {
        filename: string;
        files: { path: string }[];
    }[];
    const pkg = {
        name: "consumer",
        version: "0.0.0",
        private: true,
        dependencies: { [PACKAGE_JSON.name]: `file:${filename}` },
        devDependencies: Object.fromEntries(CONSUMER_TOOLS.map((n) => [n, lockedVersion(n)])),
        // As docs/install.md advises: npm never runs a tarball's prepare, and the Kubernetes provider's
        // install script (a plugin download by the Pulumi CLI) is not wanted here.
        allowScripts: { ...PACKAGE_JSON.allowScripts, [PACKAGE_JSON.name]: false },
    };
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg, null, 2));
    // This project's lockfile with the consumer as its root: npm keeps every locked version that the
    // consumer needs and drops the rest (the checkout's own tools, the policy workspace).
    const packages: Record<string, unknown> = {
        "": {
            name: pkg.name,
            version: pkg.version,
            dependencies: pkg.dependencies,
            devDependencies: pkg.devDependencies,
        },
    };
    for (const [key, entry] of Object.entries(LOCK.packages as Record<string, { link?: boolean }>)) {
        if (key.startsWith("node_modules/") && !entry.link) {
            packages[key] = entry;
        }
    }
    fs.writeFileSync(
        path.join(dir, "package-lock.json"),
        JSON.stringify({
            name: pkg.name,
            version: pkg.version,
            lockfileVersion: 3,
            requires: true,
            packages,
        }),
    );
    run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir);
    const packageDir = path.join(dir, "node_modules", PACKAGE_JSON.name);
    return { dir, packageDir, shipped: new Set(files.map((f) => f.path)) };
}

/** Relative and bare module specifiers of a JavaScript, declaration or TypeScript file. */
function specifiers(text: string): string[] {
    const found = text.matchAll(/(?:\brequire\(|\bfrom\s+|\bimport\(|^import\s+)"([^"]+)"/gm);
    return [...found].map((m) => m[1]);
}

/**
 * Every problem with what the tarball holds: an `exports`, `main`, `types` or `typesVersions` target it
 * lacks; a relative import of a shipped file that resolves to no shipped file; a bare import of a package
 * that is neither a dependency, nor built into Node.js, nor this package (a self-reference through exports);
 * a dependency no shipped file imports (a tool's, which every consumer would install for nothing).
 * Read from the text, comments included: a false alarm is cheaper than a user's missing module.
 */
export function shippingProblems(shipped: ReadonlySet<string>): string[] {
    const problems: string[] = [];
    const has = (file: string) => shipped.has(path.posix.normalize(file));
    const targets = [
        PACKAGE_JSON.main,
        PACKAGE_JSON.types,
        ...Object.values(PACKAGE_JSON.exports as Record<string, string | Record<string, string>>).flatMap(
            (e) => (typeof e === "string" ? [e] : Object.values(e)),
        ),
        ...Object.values(PACKAGE_JSON.typesVersions?.["*"] ?? {}).flat(),
    ] as string[];
    for (const target of targets) {
        if (!has(target)) {
            problems.push(`package.json names ${target}, which the tarball lacks`);
        }
    }
    const dependencies = new Set(Object.keys(PACKAGE_JSON.dependencies ?? {}));
    const imported = new Set<string>();
    for (const file of shipped) {
        const kind = [".d.ts", ".js", ".ts"].find((ext) => file.endsWith(ext));
        if (!kind) {
            continue;
        }
        const text = fs.readFileSync(path.join(PROJECT_DIR, file), "utf8");
        for (const spec of specifiers(text)) {
            if (spec.startsWith(".")) {
                const base = path.posix.join(path.posix.dirname(file), spec);
                if (![`${base}${kind}`, `${base}/index${kind}`, base].some(has)) {
                    problems.push(`${file} imports ${spec}, which the tarball lacks (${base}${kind})`);
                }
                continue;
            }
            const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
            imported.add(name);
            if (!isBuiltin(spec) && !dependencies.has(name) && name !== PACKAGE_JSON.name) {
                problems.push(`${file} imports ${spec}, but ${name} is not in package.json dependencies`);
            }
        }
    }
    for (const name of dependencies) {
        if (!imported.has(name)) {
            problems.push(
                `package.json dependencies has ${name}, which no shipped file imports: every consumer would install it (move it to devDependencies)`,
            );
        }
    }
    return problems;
}

/**
 * Shipped builds that do not match the checkout's sources: a bin/X.js whose X.ts is missing (left over from
 * an older build, which a fresh clone would not ship) or newer than it (run npm run build).
 */
export function staleBuilds(shipped: ReadonlySet<string>): string[] {
    return [...shipped]
        .filter((file) => file.startsWith("bin/") && file.endsWith(".js"))
        .flatMap((built) => {
            const source = built.replace(/^bin\//, "").replace(/\.js$/, ".ts");
            const at = (f: string) => path.join(PROJECT_DIR, f);
            if (!fs.existsSync(at(source))) {
                return [`${built} has no source ${source} (left from an older build)`];
            }
            return fs.statSync(at(source)).mtimeMs > fs.statSync(at(built)).mtimeMs
                ? [`${built} is older than ${source}: run npm run build`]
                : [];
        });
}
