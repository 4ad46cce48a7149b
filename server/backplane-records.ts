/**
 * What the processes write to Redis and to each other: seat records in the room hashes and delivery messages on
 * pub/sub. Both are parsed with schemas, never trusted: a corrupt record or a stray publish on our channel is
 * dropped and counted, it cannot throw inside the server.
 */
import * as v from 'valibot';
import type { Occupant } from './room-directory.js';

const SeatSchema = v.object({
  n: v.string(),
  node: v.pipe(v.string(), v.minLength(1)),
  c: v.pipe(v.number(), v.integer(), v.minValue(0)),
  b: v.picklist([0, 1]),
});

export function encodeSeat(occupant: Occupant): string {
  return JSON.stringify({ n: occupant.name, node: occupant.node, c: occupant.conn, b: occupant.bound ? 1 : 0 });
}

/** The participant id is the hash field, not part of the record. */
export function decodeSeat(id: string, raw: string): Occupant | undefined {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return undefined;
  }
  const result = v.safeParse(SeatSchema, json);
  if (!result.success) return undefined;
  const { n, node, c, b } = result.output;
  return { id, name: n, node, conn: c, bound: b === 1 };
}

/** To one socket of the receiving process: a serialised server frame to write, or an order to close it as replaced. */
const DeliverySchema = v.union([
  v.object({ c: v.pipe(v.number(), v.integer()), t: v.string() }),
  v.object({ c: v.pipe(v.number(), v.integer()), replace: v.literal(true) }),
]);
export type Delivery = v.InferOutput<typeof DeliverySchema>;

export function parseDelivery(message: string): Delivery | undefined {
  try {
    const result = v.safeParse(DeliverySchema, JSON.parse(message));
    return result.success ? result.output : undefined;
  } catch {
    return undefined;
  }
}
