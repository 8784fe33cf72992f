// The one check that the running Node.js satisfies package.json's engines.node (a `>=X.Y.Z` range, full
// version compared: undici needs 22.19.0, not any 22), used by the commands (cli/requireNode.ts), by
// `npm test` and `npm run test:unit` before anything else runs, and by scripts/ensure-node.sh.
// `node scripts/requireNode.js` exits 2 with the message when it does not; `--quiet` says nothing.
const fs = require("fs");
const path = require("path");

const MANIFEST = path.join(__dirname, "..", "package.json");

/** The `>=X.Y.Z` range of package.json's engines.node, as [X, Y, Z] and as written. */
function wantedNode(manifest = JSON.parse(fs.readFileSync(MANIFEST, "utf8"))) {
    const range = manifest.engines.node;
    const m = /^>=\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(range.trim());
    if (!m) {
        throw new Error(`package.json engines.node "${range}": write it as >=X.Y.Z`);
    }
    return { version: [m[1], m[2] ?? "0", m[3] ?? "0"].map(Number), range };
}

/** Whether `running` ("22.18.0", process.versions.node) is at least `wanted` ([22, 19, 0]). */
function satisfies(running, wanted) {
    const have = running.split(".").map(Number);
    for (let i = 0; i < 3; i++) {
        if ((have[i] ?? 0) !== wanted[i]) {
            return (have[i] ?? 0) > wanted[i];
        }
    }
    return true;
}

/**
 * The message for a Node.js too old for `command` (what the user ran: `npm test`, `npm run plan`), or
 * undefined when `running` satisfies engines.node.
 */
function nodeProblem(command, running = process.versions.node, wanted = wantedNode()) {
    if (satisfies(running, wanted.version)) {
        return undefined;
    }
    const version = wanted.version.join(".");
    return (
        `${command} needs Node.js ${version} or newer (package.json engines.node "${wanted.range}"); ` +
        `this is Node.js v${running} (${process.execPath}).\n` +
        `Put Node.js ${version} or newer first on PATH and run it again:\n` +
        `  export PATH="$(scripts/ensure-node.sh):$PATH"   # the machine's, or installs it from the npm registry`
    );
}

/** What the user ran, from npm's environment: `npm test`, `npm run plan`, else `fallback`. */
function commandRun(fallback, env = process.env) {
    const event = env.npm_lifecycle_event;
    if (!event) {
        return fallback;
    }
    return ["test", "start", "stop", "restart"].includes(event) ? `npm ${event}` : `npm run ${event}`;
}

/** Exits 2, saying why (naming `command`, what the user ran), when this Node.js is older than engines.node. */
function requireNode(command) {
    const problem = nodeProblem(command);
    if (problem) {
        console.error(problem);
        process.exit(2);
    }
}

module.exports = { wantedNode, satisfies, nodeProblem, commandRun, requireNode };

if (require.main === module) {
    if (process.argv.includes("--quiet")) {
        process.exit(satisfies(process.versions.node, wantedNode().version) ? 0 : 2);
    }
    requireNode(commandRun("this command"));
}
