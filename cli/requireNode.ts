// Imported first by the commands: on a Node.js older than package.json's engines.node, say so and how to
// get a newer one, instead of failing deep inside a dependency ("reading 'bind'" on Node.js 20).
import * as fs from "fs";
import * as path from "path";

const manifest = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")) as {
    engines: { node: string };
};
const wanted = Number(/\d+/.exec(manifest.engines.node)?.[0] ?? 0);
const running = Number(process.versions.node.split(".")[0]);
if (running < wanted) {
    const command = path.basename(
        require.main?.filename ?? "command",
        path.extname(require.main?.filename ?? ""),
    );
    console.error(
        `npm run ${command} needs Node.js ${wanted} or newer (package.json engines.node "${manifest.engines.node}"); ` +
            `this is Node.js ${process.version} (${process.execPath}).\n` +
            `Put Node.js ${wanted} first on PATH and run it again:\n` +
            `  export PATH="$(scripts/ensure-node.sh):$PATH"   # the machine's, or installs it from the npm registry`,
    );
    process.exit(2);
}
