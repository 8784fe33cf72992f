// Removes what `npm run build` makes (bin/, policy/bin/) before it builds again, so that no file of an
// older build survives: npm pack ships bin/ as it finds it (package.json `files`), and so does the pack's.
const fs = require("fs");
const path = require("path");

for (const dir of process.argv.slice(2)) {
    fs.rmSync(path.resolve(dir), { recursive: true, force: true });
}
