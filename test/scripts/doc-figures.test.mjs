// scripts/doc-figures.mjs: a measured figure quoted by several pages is copied from its one source.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { figures, setFigures, setRegion } from '../../scripts/doc-figures.mjs';

const latest = {
  date: '2026-12-07T03:56:16.554Z',
  commit: 'abc1234',
  metrics: {
    bundle: {
      raw: 111800,
      gzip: 35720,
      brotli: 31593,
      chunks: [{}, {}],
      total: { raw: 135006, gzip: 45734, brotli: 40242 },
    },
  },
};

test('figures from the bench run and the budget', () => {
  const values = figures(latest);
  assert.equal(values['entry-gzip'], '34.9 KB');
  assert.equal(values['total-gzip'], '44.7 KB');
  assert.equal(values['chunk-count'], '2');
  assert.equal(values['bench-run'], '2026-12-07, commit abc1234');
  assert.equal(values.budget, '35 KB');
});

test('every inline figure is set from its source, and one without a source is refused', () => {
  const page = 'entry <!-- figure:entry-gzip -->34.8 KB<!-- /figure --> of <!-- figure:budget -->35 KB<!-- /figure -->';
  const updated = setFigures(page, figures(latest));
  assert.equal(
    updated,
    'entry <!-- figure:entry-gzip -->34.9 KB<!-- /figure --> of <!-- figure:budget -->35 KB<!-- /figure -->',
  );
  assert.equal(setFigures(updated, figures(latest)), updated);
  assert.throws(() => setFigures('<!-- figure:nope -->1<!-- /figure -->', figures(latest), 'x.md'), /x\.md.*"nope"/u);
});

test('a region holds its source between its markers', () => {
  const markers = ['<!-- a:start -->', '<!-- a:end -->'];
  const page = 'before\n<!-- a:start -->\nstale\n<!-- a:end -->\nafter';
  assert.equal(setRegion(page, markers, 'fresh'), 'before\n<!-- a:start -->\n\nfresh\n\n<!-- a:end -->\nafter');
  assert.throws(() => setRegion('no markers', markers, 'fresh', 'y.md'), /y\.md needs the markers/u);
});
