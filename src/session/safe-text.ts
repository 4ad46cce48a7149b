/**
 * Names that come from the other side (file names, display names) are shown to a person and, for files, offered to
 * their file system. Characters that can disguise what a name says are removed: control characters, and the
 * bidirectional overrides and isolates that make "invoice‮fdp.exe" read as "invoiceexe.pdf"; for file names also path
 * separators, so a name is never a path. Lengths are capped so a name cannot push the rest of the view away.
 */

/** C0 and C1 controls, DEL, bidi embeddings/overrides/isolates and marks, and the other invisible format characters. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const DISGUISING = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;

export const MAX_FILE_NAME_LENGTH = 200;
export const MAX_DISPLAY_NAME_LENGTH = 64;

/** Cuts at a code point boundary, so a surrogate pair is never split in half. */
function capped(text: string, max: number): string {
  return [...text].slice(0, max).join('');
}

/**
 * A file name safe to show and to save under: no disguising characters, no path (`a/b\\c` -> `a_b_c`), no leading
 * or trailing dots and spaces (hidden files, Windows' trimming), at most MAX_FILE_NAME_LENGTH characters with the
 * extension kept. Empty names become `file`.
 */
export function safeFileName(name: string): string {
  const cleaned = name
    .replace(DISGUISING, '')
    .replace(/[/\\]/gu, '_')
    .replace(/^[.\s]+|[.\s]+$/gu, '');
  if (!cleaned) return 'file';
  if ([...cleaned].length <= MAX_FILE_NAME_LENGTH) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 16 ? cleaned.slice(dot) : '';
  return (
    capped(cleaned.slice(0, cleaned.length - extension.length), MAX_FILE_NAME_LENGTH - extension.length) + extension
  );
}

/** A display name safe to show: no disguising characters, spaces collapsed, at most MAX_DISPLAY_NAME_LENGTH. */
export function safeDisplayName(name: string): string {
  return capped(name.replace(DISGUISING, '').replace(/\s+/gu, ' ').trim(), MAX_DISPLAY_NAME_LENGTH);
}
