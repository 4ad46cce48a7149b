import type { ComplexAttributeConverter } from 'lit';
import * as v from 'valibot';

const IceServersSchema = v.array(
  v.object({
    urls: v.union([v.string(), v.array(v.string())]),
    username: v.optional(v.string()),
    credential: v.optional(v.string()),
  }),
);

/**
 * `ice-servers` holds a JSON array of RTCIceServer. Invalid JSON becomes `null` rather than an exception thrown
 * out of attributeChangedCallback; join() then reports it as an `invalid-config` error.
 */
export const iceServersConverter: ComplexAttributeConverter<RTCIceServer[] | null> = {
  fromAttribute(value: string | null): RTCIceServer[] | null {
    if (value === null || value.trim() === '') return [];
    try {
      const result = v.safeParse(IceServersSchema, JSON.parse(value));
      return result.success ? result.output : null;
    } catch {
      return null;
    }
  },
  toAttribute(value: RTCIceServer[] | null): string {
    return JSON.stringify(value ?? []);
  },
};
