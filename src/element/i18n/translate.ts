/**
 * Picks a built-in language for a BCP 47 tag and fills placeholders. Unknown languages fall back to English, and
 * so does any key a host override leaves out (the override is partial by design).
 */
import { de } from './de.js';
import { en, type StringKey, type Strings } from './en.js';
import { zh } from './zh.js';

export type { StringKey, Strings };
export const LANGUAGES = { en, de, zh } satisfies Record<string, Strings>;
export type Language = keyof typeof LANGUAGES;

/**
 * `de`, `de-AT` -> de; `zh`, `zh-CN`, `zh-SG`, `zh-Hans-*` -> zh. Traditional Chinese (`zh-TW`, `zh-HK`, `zh-Hant`)
 * is not built in: English reads better than the wrong script.
 */
export function resolveLanguage(tag: string | null | undefined): Language {
  const parts = (tag ?? '').toLowerCase().split(/[-_]/u);
  if (parts[0] === 'zh') return parts.some((part) => ['tw', 'hk', 'mo', 'hant'].includes(part)) ? 'en' : 'zh';
  return parts[0] in LANGUAGES ? (parts[0] as Language) : 'en';
}

export type Translate = (key: StringKey, values?: Record<string, string | number>) => string;

export function translator(language: Language, overrides?: Partial<Strings> | null): Translate {
  const table = LANGUAGES[language];
  return (key, values) => {
    const template = overrides?.[key] ?? table[key] ?? en[key];
    return values ? template.replace(/\{(\w+)\}/gu, (match, name: string) => String(values[name] ?? match)) : template;
  };
}
