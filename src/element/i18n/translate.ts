/**
 * Picks a built-in language for a BCP 47 tag and fills placeholders. Unknown languages fall back to English, and
 * so does any key a host override leaves out (the override is partial by design). English is always here; the
 * other tables are chunks of their own, loaded the first time an element on the page needs one.
 */
import { en, type StringKey, type Strings } from './en.js';

export type { StringKey, Strings };
export type Language = 'en' | 'de' | 'zh';

const LOADERS: Record<Exclude<Language, 'en'>, () => Promise<Strings>> = {
  de: () => import('./de.js').then((module) => module.de),
  zh: () => import('./zh.js').then((module) => module.zh),
};
const tables: Partial<Record<Language, Strings>> = { en };
const loads: Partial<Record<Language, Promise<void>>> = {};

/**
 * `de`, `de-AT` -> de; `zh`, `zh-CN`, `zh-SG`, `zh-Hans-*` -> zh. Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`)
 * is not built in: English reads better than the wrong script.
 */
export function resolveLanguage(tag: string | null | undefined): Language {
  const parts = (tag ?? '').toLowerCase().split(/[-_]/u);
  if (parts[0] === 'zh') return parts.some((part) => ['tw', 'hk', 'mo', 'hant'].includes(part)) ? 'en' : 'zh';
  return parts[0] === 'de' ? 'de' : 'en';
}

/**
 * Loads a language's table unless it is here already (then undefined). The promise settles once it is; a table
 * that fails to load (offline) is English for the rest of the page's life.
 */
export function loadLanguage(language: Language): Promise<void> | undefined {
  if (tables[language]) return undefined;
  return (loads[language] ??= LOADERS[language as keyof typeof LOADERS]().then(
    (table) => void (tables[language] = table),
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
