import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_DISPLAY_NAME_LENGTH,
  MAX_FILE_NAME_LENGTH,
  safeDisplayName,
  safeFileName,
} from '../../../src/session/safe-text.js';

describe('safeFileName', () => {
  const cases: Array<[string, string, string]> = [
    ['keeps an ordinary name', 'Report 2026.pdf', 'Report 2026.pdf'],
    ['keeps non-Latin letters and emoji', '履歴書 📄.docx', '履歴書 📄.docx'],
    ['turns path separators into underscores', '../../etc/passwd', '_.._etc_passwd'],
    ['and Windows ones', '..\\..\\boot.ini', '_.._boot.ini'],
    ['removes a right-to-left override', 'invoice\u202Efdp.exe', 'invoicefdp.exe'],
    ['removes bidi isolates and marks', 'a\u2066b\u2069c\u200Fd\u061Ce', 'abcde'],
    ['removes control characters and DEL', 'a\u0000b\u001Fc\u007Fd\u0085e', 'abcde'],
    ['removes zero-width characters', 'pay\u200Bpal.html', 'paypal.html'],
    ['trims leading dots (no hidden files) and trailing dots and spaces', '..hidden. ', 'hidden'],
    ['names an empty result', '\u202E/', '_'],
    ['names a name of nothing', '', 'file'],
  ];
  for (const [rule, input, expected] of cases) it(rule, () => assert.equal(safeFileName(input), expected));

  it(`caps the length at ${MAX_FILE_NAME_LENGTH} characters and keeps the extension`, () => {
    const name = safeFileName(`${'x'.repeat(500)}.pdf`);
    assert.equal(name.length, MAX_FILE_NAME_LENGTH);
    assert.ok(name.endsWith('.pdf'));
  });

  it('never splits a surrogate pair when it caps', () => {
    const name = safeFileName('😀'.repeat(300));
    assert.equal([...name].length, MAX_FILE_NAME_LENGTH);
    assert.ok(!/[\uD800-\uDBFF]$/u.test(name.replace(/[\uD800-\uDBFF][\uDC00-\uDFFF]/gu, '')));
  });
});

describe('safeDisplayName', () => {
  it('removes disguising characters and collapses spaces', () => {
    assert.equal(safeDisplayName('  Ada\u202E \n Lovelace\u0007 '), 'Ada Lovelace');
  });
  it(`caps at ${MAX_DISPLAY_NAME_LENGTH} characters`, () => {
    assert.equal(safeDisplayName('n'.repeat(1000)).length, MAX_DISPLAY_NAME_LENGTH);
  });
});
