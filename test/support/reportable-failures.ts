// Loaded into every test page before the test framework (web-test-runner.config.mjs, testRunnerHtml).
//
// The test runner sends a page's results to Node through structuredClone, and a chai failure carries the values it
// compared as `actual` and `expected`. When one of them cannot be cloned (a MediaStream, an element, an
// RTCPeerConnection), the clone throws inside the runner, the results are never sent, and a failing test looks like
// a page that hung: "Browser tests did not finish within ...", no test passed or failed, no message. So a failure
// keeps such a value as chai's text for it, which is also what the failure message shows.
//
// It imports chai itself (the instance @open-wc/testing re-exports), never @open-wc/testing: that entry registers the
// fixtures' cleanup with mocha's `afterEach` when it is first evaluated, and here, before the framework, there is no
// `afterEach` yet. Evaluated here, it would register nothing, and every element a test builds with `fixture()` would
// stay in the page, its call still running, for the rest of the file.
import * as chai from '@esm-bundle/chai';

function cloneable(value: unknown): boolean {
  try {
    structuredClone(value);
    return true;
  } catch {
    return false;
  }
}

chai.use(({ Assertion, AssertionError }: Chai.ChaiStatic, { inspect }: Chai.ChaiUtils) => {
  const assert = Assertion.prototype.assert;
  Assertion.prototype.assert = function (this: Chai.AssertionPrototype, ...args: Chai.AssertionArgs) {
    try {
      assert.apply(this, args);
    } catch (error) {
      if (error instanceof AssertionError) {
        const failure = error as Chai.AssertionError & { actual?: unknown; expected?: unknown };
        if (!cloneable(failure.actual)) failure.actual = inspect(failure.actual);
        if (!cloneable(failure.expected)) failure.expected = inspect(failure.expected);
      }
      throw error;
    }
  };
});
