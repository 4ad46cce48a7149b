/**
 * Keeps the host's language current: its own `lang`, else the closest `[lang]` ancestor's, else the document's.
 * `lang` is inherited in HTML, so a page that switches language only at <html> must still re-render the element:
 * both the host's and the document's `lang` attributes are watched.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import { loadLanguage, resolveLanguage, translator, type Strings, type Translate } from './translate.js';

export class LanguageController implements ReactiveController {
  #observer?: MutationObserver;
  #key?: string;
  #overrides?: Partial<Strings> | null;
  #translate: Translate = translator('en');

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
  }

  /** The translate function for the current language and overrides. */
  get t(): Translate {
    return this.#translate;
  }

  /**
   * While the language's table is still loading, the promise of it; the host waits for it before rendering (from
   * its scheduleUpdate), so no English shows first. Undefined once the table is here.
   */
  get loading(): Promise<void> | undefined {
    return loadLanguage(this.#language());
  }

  /** Re-reads the language (call from the host's willUpdate: cheap, no DOM writes). */
  refresh(overrides: Partial<Strings> | null | undefined): void {
    const language = this.#language();
    // English stands in while the table loads (only when `lang` changed during the host's wait); its arrival
    // changes what the same language means, so it is part of the key.
    const loading = loadLanguage(language);
    void loading?.then(() => this.host.requestUpdate());
    const key = `${language}${!loading}`;
    if (key === this.#key && overrides === this.#overrides) return;
    this.#key = key;
    this.#overrides = overrides;
    this.#translate = translator(language, overrides);
  }

  #language() {
    return resolveLanguage(this.host.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang);
  }

  hostConnected(): void {
    this.#observer = new MutationObserver(() => this.host.requestUpdate());
    this.#observer.observe(this.host, { attributes: true, attributeFilter: ['lang'] });
    this.#observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  }

  hostDisconnected(): void {
    this.#observer?.disconnect();
  }
}
