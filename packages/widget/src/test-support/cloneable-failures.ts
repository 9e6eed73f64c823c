/**
 * web-test-runner sends a failed assertion's `actual` and `expected` from the
 * page to Node through structuredClone. A DOM node (or a function) there makes
 * that send throw, and the whole test file then hangs until the run's timeout
 * without naming the failing test (modernweb-dev/web#2967). This swaps such
 * values for chai's printed form. The test runner page loads it before the
 * test framework (see `testRunnerHtml` in web-test-runner.config.mjs).
 */
import * as testing from '@open-wc/testing/pure';

// The side-effect-free entry exports chai at run time but its types leave it
// out. The main entry would register fixture cleanup only if mocha's globals
// already exist, which they do not yet when this runs.
const { chai } = testing as unknown as { chai: Chai.ChaiStatic };

function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return chai.util.inspect(value);
  }
}

const assert = chai.Assertion.prototype.assert;
chai.Assertion.prototype.assert = function (this: Chai.AssertionStatic, ...args: Parameters<typeof assert>) {
  try {
    assert.apply(this, args);
  } catch (error) {
    if (error instanceof chai.AssertionError) {
      const failure = error as Chai.AssertionError & { actual?: unknown; expected?: unknown };
      failure.actual = cloneable(failure.actual);
      failure.expected = cloneable(failure.expected);
    }
    throw error;
  }
};
