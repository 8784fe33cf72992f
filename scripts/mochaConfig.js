// The one place both mocha configs (.mocharc.js, .mocharc.e2e.js) take their shape from. Mocha appends
// test files named on the command line to a config's `spec` instead of replacing it
// (mochajs/mocha#4100, #5412), so `npx mocha tests/cli/plan/plan.test.ts` would run the whole suite. Here the
// default spec (and its ignore list) applies only when the command line names no test file or folder.
const fs = require("fs");
const path = require("path");

/** True when an argument names tests: a *.test.ts/js file, a glob, or an existing path under tests/. */
function namesTests(arg) {
    if (arg.startsWith("-")) {
        return false;
    }
    if (/\.test\.[jt]s$/.test(arg) || /[*?{]/.test(arg)) {
        return true;
    }
    const tests = path.resolve(__dirname, "..", "tests");
    const full = path.resolve(arg);
    return (full === tests || full.startsWith(tests + path.sep)) && fs.existsSync(full);
}

/**
 * A mocha config: `base`, plus `spec` and `ignore` unless the command line (process.argv) names its own
 * tests, in which case exactly those run.
 */
function mochaConfig(base, { spec, ignore = [] }, argv = process.argv.slice(2)) {
    return argv.some(namesTests) ? base : { ...base, spec, ignore };
}

module.exports = { mochaConfig, namesTests };
