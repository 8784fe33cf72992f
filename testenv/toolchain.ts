// Where the control plane's binaries come from: the pinned toolchain built by toolchain/build.sh.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

/** The binaries a control plane needs, by role. */
export const BINARIES = {
    etcd: "etcd",
    kubeApiserver: "kube-apiserver",
    kubeControllerManager: "kube-controller-manager",
} as const;

export type Binaries = { readonly [K in keyof typeof BINARIES]: string };

/** Environment variable naming the toolchain's PATH folder (the last line `npm run toolchain` prints). */
export const TOOLCHAIN_ENV = "KUBE_API_ACCESS_TOOLCHAIN";

const REPO = path.resolve(__dirname, "..");

/**
 * Finds the control plane's binaries in `dir`, else in $KUBE_API_ACCESS_TOOLCHAIN, else in the cached
 * build of the `kubernetes` family. Throws a message that says how to build them when one is missing.
 */
export function findBinaries(dir?: string): Binaries {
    return findTools("kubernetes", BINARIES, dir);
}

/**
 * Finds the `names` (role: file name) of toolchain family `family` in `dir`, else in
 * $KUBE_API_ACCESS_TOOLCHAIN, else in the family's cached build (`toolchain/build.sh --cached FAMILY`,
 * which never builds). Throws a message that says how to build them when one is missing.
 */
export function findTools<K extends string>(
    family: string,
    names: { readonly [role in K]: string },
    dir?: string,
): { readonly [role in K]: string } {
    let folder = dir ?? process.env[TOOLCHAIN_ENV];
    let source = dir !== undefined ? "the toolchainDir option" : `$${TOOLCHAIN_ENV}`;
    if (!folder) {
        const res = spawnSync(path.join(REPO, "toolchain", "build.sh"), ["--cached", family], {
            encoding: "utf8",
        });
        if (res.status !== 0) {
            const why = (res.stderr ?? res.error?.message ?? "").trim().split("\n").pop();
            throw new Error(
                `testenv: the toolchain family ${family} is not built (${why}); build it with ` +
                    `\`npm run toolchain\` (or toolchain/build.sh ${family}), or set ${TOOLCHAIN_ENV} to its folder`,
            );
        }
        folder = res.stdout.trim().split("\n").pop() ?? "";
        source = `toolchain/build.sh --cached ${family}`;
    }
    const found = {} as Record<K, string>;
    for (const [role, name] of Object.entries(names) as [K, string][]) {
        const file = path.join(folder, name);
        try {
            fs.accessSync(file, fs.constants.X_OK);
        } catch {
            throw new Error(
                `testenv: no executable ${name} in ${folder} (from ${source}); build the toolchain with ` +
                    "`npm run toolchain` and point " +
                    `${TOOLCHAIN_ENV} at the folder it prints last`,
            );
        }
        found[role] = file;
    }
    return found;
}
