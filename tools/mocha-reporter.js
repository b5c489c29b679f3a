// Mocha's spec reporter, then the ten slowest top-level suites (their hooks included: the firmware
// and addon builds happen in `before` hooks, which the spec reporter does not time), then one plain
// closing line "N passed, M failed" (", K skipped" if any): the summary that CI and other tools
// read, whatever the test runner.
"use strict";
const Mocha = require("mocha");
const { EVENT_RUN_END, EVENT_SUITE_BEGIN, EVENT_SUITE_END } = Mocha.Runner.constants;

class SpecWithSummary extends Mocha.reporters.Spec {
    constructor(runner, options) {
        super(runner, options);
        const started = new Map();
        const took = [];
        runner.on(EVENT_SUITE_BEGIN, (suite) => {
            if (suite.parent && suite.parent.root) started.set(suite, Date.now());
        });
        runner.on(EVENT_SUITE_END, (suite) => {
            if (started.has(suite)) took.push([suite.title, Date.now() - started.get(suite)]);
        });
        // Registered after the spec reporter's own epilogue, so it prints last.
        runner.once(EVENT_RUN_END, () => {
            const s = runner.stats;
            took.sort((a, b) => b[1] - a[1]);
            console.log("slowest suites (seconds, hooks included):");
            for (const [title, ms] of took.slice(0, 10)) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)}  ${title}`);
            console.log(`${s.passes} passed, ${s.failures} failed` + (s.pending ? `, ${s.pending} skipped` : ""));
        });
    }
}

module.exports = SpecWithSummary;
