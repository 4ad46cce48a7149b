import { expect, fixture, html } from '@open-wc/testing';
import '../../src/p2p-call.js';
import type { P2PCall } from '../../src/index.js';
import de from '../../src/element/i18n/de.js';
import { en, type Strings } from '../../src/element/i18n/en.js';
import es from '../../src/element/i18n/es.js';
import fr from '../../src/element/i18n/fr.js';
import hi from '../../src/element/i18n/hi.js';
import ja from '../../src/element/i18n/ja.js';
import pt from '../../src/element/i18n/pt-br.js';
import { loadLanguage, resolveLanguage, translator, type Language } from '../../src/element/i18n/translate.js';
import zh from '../../src/element/i18n/zh.js';
import { uniqueRoom, waitFor, waitForState } from '../support/call-helpers.js';
import { callPair } from '../support/two-party.js';

// Type-level: a table missing a key, or with a key English lacks, does not compile.
// @ts-expect-error -- 'join' is missing
const missing: Strings = { ...en, join: undefined };
// @ts-expect-error -- 'joinn' is not a key
const extra: Strings = { ...en, joinn: 'x' };
void missing;
void extra;

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/gu)].map((match) => match[1]).sort();

/** Every text a person can see or hear in the element: text nodes, labels, titles, placeholders. */
function visibleTexts(call: P2PCall): string[] {
  const root = call.shadowRoot!;
  const texts: string[] = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const text = walker.currentNode.textContent!.trim();
    if (text) texts.push(text);
  }
  for (const element of root.querySelectorAll('*')) {
    for (const name of ['aria-label', 'title', 'placeholder']) {
      const value = element.getAttribute(name);
      if (value) texts.push(value);
    }
  }
  return texts;
}

/** English strings that differ from the language's own: seeing one means a key fell back to English. */
function englishLeaks(call: P2PCall, language: Strings): string[] {
  const english = new Set(
    Object.entries(en)
      .filter(([key, text]) => language[key as keyof Strings] !== text)
      .map(([, text]) => text),
  );
  return visibleTexts(call).filter((text) => english.has(text) || /\{\w+\}/u.test(text));
}

/** Every built-in table, by the `Language` that names it. */
const TABLES: Record<Language, Strings> = { en, de, zh, es, fr, pt, ja, hi };

describe('<p2p-call> languages', () => {
  for (const [code, table] of Object.entries(TABLES)) {
    it(`${code} has every key, non-empty, with the same placeholders as English`, () => {
      expect(Object.keys(table).sort()).to.deep.equal(Object.keys(en).sort());
      for (const [key, text] of Object.entries(table)) {
        expect(text.trim(), key).to.not.equal('');
        expect(placeholders(text), key).to.deep.equal(placeholders(en[key as keyof Strings]));
      }
    });
  }

  it('resolves language tags to the built-in tables', () => {
    const cases: Record<Language, Array<string | null>> = {
      de: ['de', 'de-AT', 'DE_ch'],
      zh: ['zh', 'zh-CN', 'zh-Hans-SG'],
      es: ['es', 'es-MX', 'es-419', 'es-ES'],
      fr: ['fr', 'fr-CA', 'fr-BE'],
      pt: ['pt', 'pt-BR', 'pt-PT', 'pt_br'],
      ja: ['ja', 'ja-JP'],
      hi: ['hi', 'hi-IN'],
      // Traditional Chinese, languages not built in, and names an object inherits.
      en: ['en', 'en-GB', 'zh-TW', 'zh-Hant', 'zh_HK', 'it', 'toString', 'constructor', '', null],
    };
    for (const [expected, tags] of Object.entries(cases)) {
      for (const tag of tags) expect(resolveLanguage(tag), String(tag)).to.equal(expected);
    }
  });

  it('loads the German and Chinese tables on demand; English is always there', async () => {
    expect(loadLanguage('en')).to.equal(undefined);
    await loadLanguage('zh');
    expect(loadLanguage('zh')).to.equal(undefined);
    expect(translator('zh')('join')).to.equal(zh.join);
  });

  it('fills placeholders and lets host overrides win key by key', async () => {
    await loadLanguage('de');
    const t = translator('de', { join: 'Zum Gespräch' });
    expect(t('join')).to.equal('Zum Gespräch');
    expect(t('leave')).to.equal(de.leave);
    expect(t('joinedNotice', { name: 'Ada' })).to.equal('Ada ist dem Anruf beigetreten.');
  });

  // A regional tag, as pages write them, for each table.
  const PAGE_TAGS: Record<Language, string> = {
    en: 'en',
    de: 'de',
    zh: 'zh-CN',
    es: 'es-MX',
    fr: 'fr-CA',
    pt: 'pt-BR',
    ja: 'ja-JP',
    hi: 'hi-IN',
  };
  for (const [language, code] of Object.entries(PAGE_TAGS) as Array<[Language, string]>) {
    const table = TABLES[language];
    it(`renders the lobby and a connected call in ${code} with no English fallback`, async () => {
      const lobby = await fixture<P2PCall>(
        html`<p2p-call lang=${code} room=${uniqueRoom()} signaling="broadcast"></p2p-call>`,
      );
      await waitFor(
        () => Boolean(lobby.shadowRoot!.querySelector('[part="camera-select"]')),
        15_000,
        'the lobby pickers',
      );
      expect(lobby.shadowRoot!.querySelector('[part="join-button"]')!.textContent!.trim()).to.equal(table.join);
      expect(englishLeaks(lobby, table)).to.deep.equal([]);

      const { a, b, container } = await callPair('broadcast', { autoJoin: false });
      container.lang = code; // inherited from an ancestor
      void a.join();
      void b.join();
      await waitForState(a, 'connected');
      await waitFor(
        () => a.shadowRoot!.querySelector('[part="verification"]') !== null,
        15_000,
        'the verification badge',
      );
      a.shadowRoot!.querySelector<HTMLButtonElement>('[part="settings-button"]')!.click();
      a.shadowRoot!.querySelector<HTMLButtonElement>('[part="chat-button"]')!.click();
      await a.updateComplete;
      expect(a.shadowRoot!.querySelector('[part="mic-button"]')!.getAttribute('aria-label')).to.equal(table.mute);
      expect(englishLeaks(a, table)).to.deep.equal([]);
    });
  }

  it('follows the document language and its changes, and the host strings property', async () => {
    const previous = document.documentElement.lang;
    try {
      document.documentElement.lang = 'de';
      const call = await fixture<P2PCall>(html`<p2p-call no-lobby room="r" signaling="broadcast"></p2p-call>`);
      const button = () => call.shadowRoot!.querySelector('[part="join-button"]')!.textContent!.trim();
      expect(button()).to.equal(de.join);
      document.documentElement.lang = 'zh-CN';
      await waitFor(() => button() === zh.join, 5000, 'the Chinese label');
      call.lang = 'en';
      await waitFor(() => button() === en.join, 5000, 'the element lang winning');
      call.strings = { join: 'Start interview' };
      await call.updateComplete;
      expect(button()).to.equal('Start interview');
    } finally {
      document.documentElement.lang = previous;
    }
  });
});
