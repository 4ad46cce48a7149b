import { chai, expect, fixture, html } from '@open-wc/testing';

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

  describe('fixtures are removed after each test', () => {
    let built: HTMLDivElement | undefined;
    it('builds a fixture', async () => {
      built = await fixture<HTMLDivElement>(html`<div id="left-behind"></div>`);
      expect(built.isConnected).to.equal(true);
    });
    // A fixture left in the page keeps whatever it runs (a call, its camera) for the rest of the file.
    it('finds it gone in the next test', () => {
      expect(built, 'the first test ran').not.to.equal(undefined);
      expect(built!.isConnected).to.equal(false);
      expect(document.getElementById('left-behind')).to.equal(null);
    });
  });
});
