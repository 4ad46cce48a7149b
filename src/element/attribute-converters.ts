import type { ComplexAttributeConverter } from 'lit';
import { parseByteSize, parseCount } from '../session/file-transfer/file-limits.js';
import { parseIceServers } from '../signaling/protocol.js';

/**
 * `ice-servers` holds a JSON array of RTCIceServer. Invalid JSON becomes `null` rather than an exception thrown
 * out of attributeChangedCallback; join() then reports it as an `invalid-config` error.
 */
export const iceServersConverter: ComplexAttributeConverter<RTCIceServer[] | null> = {
  fromAttribute(value: string | null): RTCIceServer[] | null {
    if (value === null || value.trim() === '') return [];
    try {
      return parseIceServers(JSON.parse(value)) ?? null;
    } catch {
      return null;
    }
  },
  toAttribute(value: RTCIceServer[] | null): string {
    return JSON.stringify(value ?? []);
  },
};

/**
 * A byte size such as `max-file-size="10MB"` (see parseByteSize for the forms). What it cannot read becomes NaN, not
 * an exception: join() reports it as `invalid-config`, quoting the attribute.
 */
export const byteSizeConverter: ComplexAttributeConverter<number> = {
  fromAttribute: (value: string | null) => (value === null ? NaN : (parseByteSize(value) ?? NaN)),
  toAttribute: (value: number) => String(value),
};

/** A count of things (`max-incoming-files="4"`); NaN for anything else, reported like byteSizeConverter's. */
export const countConverter: ComplexAttributeConverter<number> = {
  fromAttribute: (value: string | null) => (value === null ? NaN : (parseCount(value) ?? NaN)),
  toAttribute: (value: number) => String(value),
};
