/**
 * Picks a built-in language for a BCP 47 tag and fills placeholders. Unknown languages fall back to English, and
 * so does any key a host override leaves out (the override is partial by design). English is always here; the
 * other tables are chunks of their own, loaded the first time an element on the page needs one.
 */
import { en, type StringKey, type Strings } from './en.js';

export type { StringKey, Strings };
/** A built-in table, named by its language's primary subtag (the one `lang` subtag that picks it). */
export type Language = 'en' | 'de' | 'zh' | 'es' | 'fr' | 'pt' | 'ja' | 'hi';

// Each table is its chunk's default export: the entry then holds a bare import() per language.
const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<{ default: Strings }>> = {
  de: () => import('./de.js'),
  zh: () => import('./zh.js'),
  es: () => import('./es.js'),
  fr: () => import('./fr.js'),
  pt: () => import('./pt-br.js'), // Brazilian: see pt-br.ts
  ja: () => import('./ja.js'),
  hi: () => import('./hi.js'),
};
const tables: Partial<Record<Language, Strings>> = { en };
const loads: Partial<Record<Language, Promise<void>>> = {};

/**
 * A language's regions share its one table: `de-AT` -> de, `es-MX` -> es, `fr-CA` -> fr, `ja-JP` -> ja, `hi-IN` ->
 * hi, and every Portuguese tag (`pt-BR`, `pt-PT`, `pt`) -> pt, the Brazilian table, which reads better to a reader
 * in Portugal than English does. Traditional Chinese (`zh-TW`, `zh-HK`, `zh-MO`, `zh-Hant`) is not built in: English
 * reads better than the wrong script.
 */
export function resolveLanguage(tag: string | null | undefined): Language {
  const [primary = '', ...rest] = (tag ?? '').toLowerCase().split(/[-_]/u);
  if (primary === 'zh' && rest.some((part) => ['tw', 'hk', 'mo', 'hant'].includes(part))) return 'en';
  return Object.hasOwn(LOADERS, primary) ? (primary as Language) : 'en';
}

/**
 * Loads a language's table unless it is here already (then undefined). The promise settles once it is; a table
 * that fails to load (offline) is English for the rest of the page's life.
 */
export function loadLanguage(language: Language): Promise<void> | undefined {
  if (tables[language]) return undefined;
  return (loads[language] ??= LOADERS[language as keyof typeof LOADERS]().then(
    (module) => void (tables[language] = module.default),
    () => void (tables[language] = en),
  ));
}

export type Translate = (key: StringKey, values?: Record<string, string | number>) => string;

/** Translates with the language's table, or English while that table is not loaded. */
export function translator(language: Language, overrides?: Partial<Strings> | null): Translate {
  const table = tables[language] ?? en;
  return (key, values) => {
    const template = overrides?.[key] ?? table[key] ?? en[key];
    return values ? template.replace(/\{(\w+)\}/gu, (match, name: string) => String(values[name] ?? match)) : template;
  };
}
