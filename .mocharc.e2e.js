// npm run test:e2e: the e2e tier on the real engine (level 4, docs/testing.md), with one shared
// environment (tests/e2e/hooks.ts). `npm run test:e2e -- <file>` runs only that file (scripts/mochaConfig.js).
const { mochaConfig } = require("./scripts/mochaConfig");

module.exports = mochaConfig(
    {
        require: ["ts-node/register/transpile-only", "tests/e2e/hooks.ts"],
        extension: ["ts"],
        timeout: 900000,
        slow: 60000,
        reporter: "./scripts/mocha-reporter.js",
    },
    { spec: ["tests/e2e/**/*.e2e.test.ts"] },
);
