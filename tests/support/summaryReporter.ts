import * as Mocha from "mocha";

/**
 * Mocha's spec reporter followed by one closing line, `N passed, N failed, N skipped`, the form that CI
 * output readers recognise in any language.
 */
class SummaryReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
      const stats = runner.stats;
      if (stats) {
        console.log(`${stats.passes} passed, ${stats.failures} failed, ${stats.pending} skipped`);
      }
    });
  }
}

export = SummaryReporter;
