import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { P2PCallError } from '../../../src/errors.js';
import {
  checkedFileLimits,
  DEFAULT_FILE_LIMITS,
  parseByteSize,
  parseCount,
} from '../../../src/session/file-transfer/file-limits.js';

describe('parseByteSize', () => {
  const good: Array<[string | number, number]> = [
    ['0', 0],
    ['1048576', 1048576],
    [1024, 1024],
    ['10MB', 10_000_000],
    ['10 mb', 10_000_000],
    ['1.5 GiB', 1.5 * 1024 ** 3],
    ['2kib', 2048],
    ['3 kB', 3000],
    ['1TB', 1e12],
    ['  7  ', 7],
    ['12b', 12],
  ];
  for (const [text, bytes] of good) it(`reads ${JSON.stringify(text)}`, () => assert.equal(parseByteSize(text), bytes));

  const bad: Array<string | number> = [
    '',
    '10 MBs',
    '-1',
    'ten',
    'NaN',
    'Infinity',
    '1e9',
    '0x10',
    '1,000',
    '5 PB',
    -5,
    1.5,
    NaN,
    Infinity,
    '9'.repeat(30),
  ];
  for (const text of bad)
    it(`refuses ${JSON.stringify(text) ?? String(text)}`, () => assert.equal(parseByteSize(text), undefined));
});

describe('parseCount', () => {
  it('reads whole numbers from 0', () => {
    assert.equal(parseCount('0'), 0);
    assert.equal(parseCount(' 12 '), 12);
    assert.equal(parseCount(3), 3);
  });
  it('refuses anything else', () => {
    for (const value of ['', '1.5', '-1', 'four', 2.5, -1, NaN])
      assert.equal(parseCount(value), undefined, String(value));
  });
});

describe('checkedFileLimits', () => {
  it('applies what is set and keeps the rest', () => {
    assert.deepEqual(checkedFileLimits(DEFAULT_FILE_LIMITS, { maxFileSize: '10MB', maxIncomingFiles: 2 }), {
      ...DEFAULT_FILE_LIMITS,
      maxFileSize: 10_000_000,
      maxIncomingFiles: 2,
    });
  });

  it('throws a typed invalid-config error naming and quoting the bad value; no NaN ever disables a limit', () => {
    assert.throws(
      () =>
        checkedFileLimits(
          DEFAULT_FILE_LIMITS,
          { maxFileSize: NaN },
          { maxFileSize: 'max-file-size', maxIncomingFiles: 'a', maxIncomingBytes: 'b' },
        ),
      (error: unknown) =>
        error instanceof P2PCallError &&
        error.code === 'invalid-config' &&
        /^max-file-size must be/u.test(error.message),
    );
    assert.throws(
      () => checkedFileLimits(DEFAULT_FILE_LIMITS, { maxIncomingBytes: '10 parsecs' }),
      (error: unknown) => error instanceof P2PCallError && /"10 parsecs"/u.test(error.message),
    );
    assert.throws(() => checkedFileLimits(DEFAULT_FILE_LIMITS, { maxIncomingFiles: {} }), P2PCallError);
  });
});
