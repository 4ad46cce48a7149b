import { ErrorCode, P2PCallError } from '../../errors.js';

/**
 * How much a side accepts from the other: the largest single file, how many files may arrive at once and how many
 * bytes they may add up to. Offers beyond them are refused before a byte is sent, with the reason on both sides.
 */

export interface FileLimits {
  /** Largest file sent or accepted, in bytes. */
  maxFileSize: number;
  /** Incoming transfers that may run at once. */
  maxIncomingFiles: number;
  /** Bytes that all running incoming transfers may announce together. */
  maxIncomingBytes: number;
}

export const DEFAULT_FILE_LIMITS: Readonly<FileLimits> = {
  maxFileSize: 1024 ** 3,
  maxIncomingFiles: 4,
  maxIncomingBytes: 2 * 1024 ** 3,
};

/**
 * Offers this side keeps in flight at once. Below the receiver's default `maxIncomingFiles`, so an honest sender
 * dropping a dozen files never meets the receiver's limit: the rest wait their turn here.
 */
export const MAX_OUTGOING_AT_ONCE = 2;

const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1000,
  mb: 1000 ** 2,
  gb: 1000 ** 3,
  tb: 1000 ** 4,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  tib: 1024 ** 4,
};

/**
 * A byte count as a host writes it: a whole number of bytes (`1048576`), or a number with a unit, decimal (`kB`,
 * `MB`, `GB`, `TB`: powers of 1000) or binary (`KiB`, `MiB`, `GiB`, `TiB`: powers of 1024), case-insensitive, space
 * optional (`10MB`, `1.5 GiB`). Undefined for anything else (negative, not a number, an unknown unit).
 */
export function parseByteSize(text: string | number): number | undefined {
  if (typeof text === 'number') return Number.isSafeInteger(text) && text >= 0 ? text : undefined;
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/iu.exec(text);
  const unit = match ? UNITS[match[2].toLowerCase()] : undefined;
  if (!match || unit === undefined) return undefined;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) ? bytes : undefined;
}

/** A count of files: a whole number from 0 (0 refuses every incoming file). */
export function parseCount(text: string | number): number | undefined {
  const value = typeof text === 'number' ? text : /^\s*\d+\s*$/u.test(text) ? Number(text) : NaN;
  return Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

/**
 * `base` with the limits `changes` sets, each checked: a whole number from 0 (a byte size may also be written as
 * `parseByteSize` reads it). Throws an `invalid-config` P2PCallError naming the first bad one (by `names`, e.g. the
 * attributes a host wrote) and quoting it; nothing changes then.
 */
export function checkedFileLimits(
  base: Readonly<FileLimits>,
  changes: Partial<Record<keyof FileLimits, unknown>>,
  names: Record<keyof FileLimits, string> = {
    maxFileSize: 'maxFileSize',
    maxIncomingFiles: 'maxIncomingFiles',
    maxIncomingBytes: 'maxIncomingBytes',
  },
): FileLimits {
  const next = { ...base };
  for (const key of Object.keys(DEFAULT_FILE_LIMITS) as Array<keyof FileLimits>) {
    const value = changes[key];
    if (value === undefined) continue;
    const parsed =
      typeof value === 'string' || typeof value === 'number'
        ? (key === 'maxIncomingFiles' ? parseCount : parseByteSize)(value)
        : undefined;
    if (parsed === undefined)
      throw new P2PCallError(
        ErrorCode.InvalidConfig,
        `${names[key]} must be ${EXPECTED[key]} (got ${describe(value)}).`,
      );
    next[key] = parsed;
  }
  return next;
}

const BYTES = 'a whole number of bytes from 0, or a size such as "10MB" or "1.5 GiB"';
const EXPECTED: Record<keyof FileLimits, string> = {
  maxFileSize: BYTES,
  maxIncomingBytes: BYTES,
  maxIncomingFiles: 'a whole number from 0',
};

function describe(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value.slice(0, 40)) : String(value);
}
