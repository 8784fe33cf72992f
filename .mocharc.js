// npm test and npm run test:unit: every test outside the e2e tier (levels 1-3, docs/testing.md).
// `npx mocha <file or folder>` runs only what it names (scripts/mochaConfig.js).
const { mochaConfig } = require("./scripts/mochaConfig");

module.exports = mochaConfig(
    {
        require: ["ts-node/register/transpile-only"],
        extension: ["ts"],
        timeout: 60000,
        recursive: true,
        reporter: "./scripts/mocha-reporter.js",
    },
    { spec: ["tests/**/*.test.ts"], ignore: ["tests/e2e/**"] },
);
