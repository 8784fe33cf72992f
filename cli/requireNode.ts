// Imported first by the commands: on a Node.js older than package.json's engines.node, say so and how to
// get a newer one, instead of failing deep inside a dependency ("reading 'bind'" on Node.js 20). The check
// itself has one home, scripts/requireNode.js, which npm test runs too.
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { requireNode } = require("../scripts/requireNode.js") as { requireNode: (command: string) => void };

// The command is the entry file's npm script (cli/plan/plan.ts is npm run plan), whoever started it.
const entry = require.main?.filename ?? "command";
requireNode(`npm run ${path.basename(entry, path.extname(entry))}`);
