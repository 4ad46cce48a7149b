import type { ComplexAttributeConverter } from 'lit';
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
