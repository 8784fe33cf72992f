// Mocha's spec reporter, closed by one plain line ("N passed, N failed, N skipped") that CI systems and
// people can read without knowing mocha's wording. A run in which no test ran (a --grep or spec that
// matches nothing, or every test skipped) fails: a green run must have proved something.
const Mocha = require("mocha");

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        // Registered before mocha's own end handler, which takes runner.failures as the exit code.
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const { passes, failures, pending } = runner.stats;
            process.stdout.write(`\n${passes} passed, ${failures} failed, ${pending} skipped\n`);
            if (passes + failures === 0) {
                process.stdout.write(
                    "FAILED: no test ran. Check the spec paths and --grep; skipped tests say above why they skipped.\n",
                );
                runner.failures += 1;
            }
        });
    }
}

module.exports = SpecWithSummary;
