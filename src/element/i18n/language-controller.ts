/**
 * Keeps the host's language current: its own `lang`, else the closest `[lang]` ancestor's, else the document's.
 * `lang` is inherited in HTML, so a page that switches language only at <html> must still re-render the element:
 * both the host's and the document's `lang` attributes are watched.
 */
import type { ReactiveController, ReactiveElement } from 'lit';
import { resolveLanguage, translator, type Language, type Strings, type Translate } from './translate.js';

export class LanguageController implements ReactiveController {
  #observer?: MutationObserver;
  #language: Language = 'en';
  #overrides?: Partial<Strings> | null;
  #translate: Translate = translator('en');

  constructor(private readonly host: ReactiveElement) {
    host.addController(this);
  }

  get language(): Language {
    return this.#language;
  }

  /** The translate function for the current language and overrides. */
  get t(): Translate {
    return this.#translate;
  }

  /** Re-reads the language (call from the host's willUpdate: cheap, no DOM writes). */
  refresh(overrides: Partial<Strings> | null | undefined): void {
    const tag = this.host.closest('[lang]')?.getAttribute('lang') || document.documentElement.lang;
    const language = resolveLanguage(tag);
    if (language === this.#language && overrides === this.#overrides) return;
    this.#language = language;
    this.#overrides = overrides;
    this.#translate = translator(language, overrides);
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
