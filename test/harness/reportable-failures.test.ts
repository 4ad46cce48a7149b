import { chai, expect } from '@open-wc/testing';

// The runner clones every result to send it out of the page; a failure it cannot clone is lost and the file looks
// hung (test/support/reportable-failures.ts).
describe('test harness', () => {
  it('a failed assertion about a MediaStream can be sent to the runner', () => {
    let failure: unknown;
    try {
      expect(new MediaStream()).to.equal(undefined);
    } catch (error) {
      failure = error;
    }
    expect(failure).to.be.instanceOf(chai.AssertionError);
    const { actual, expected } = failure as { actual: unknown; expected: unknown };
    expect(() => structuredClone({ actual, expected })).not.to.throw();
    expect(actual).to.be.a('string');
  });
});
