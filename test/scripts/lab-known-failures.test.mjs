// The network lab's known-failure list covers a failure only by its symptom: another failure of the same check in
// the same cell must still fail the run.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KNOWN_FAILURES, knownFailure } from '../lab/known-failures.mjs';

describe('lab known failures', () => {
  it('cover the relay race by its symptom, not every route failure of those cells', () => {
    const cell = 'open+eim/turn/allow';
    const race = 'side a (open): relay (host->relay), expected direct';
    assert.ok(knownFailure(cell, 'route', race), 'the listed race');
    assert.equal(knownFailure(cell, 'route', 'side b (eim): no selected candidate pair in getStats (x)'), undefined);
    assert.equal(knownFailure('eim+eim/turn/allow', 'route', race), undefined, 'a cell the entry does not name');
    assert.equal(knownFailure(cell, 'frames', race), undefined, 'another check');
  });

  it('every entry names its symptom, cells and cause', () => {
    for (const entry of KNOWN_FAILURES) {
      assert.ok(entry.detail instanceof RegExp, entry.title);
      assert.ok(entry.cells instanceof RegExp && entry.check && entry.cause.length > 40, entry.title);
    }
  });
});
