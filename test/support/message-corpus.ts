/**
 * Good and bad messages made from a few good samples: each sample, each with one field removed, with one field
 * replaced by each of many odd values (wrong types, empty and overlong strings at every limit, out-of-range numbers,
 * nested junk), and with extra fields. Every value has been through JSON, as it is on the wire.
 */
const h64 = (char: string) => char.repeat(64);
const lengths = [16, 32, 63, 64, 65, 128, 129, 255, 256, 2000, 2001, 4096, 4097];
const ODD: unknown[] = [
  null, 0, -1, 1, 1.5, 2 ** 32 - 1, 2 ** 32, 1e300, '', 'a', 'a b', 'A-z_0.9:x', 'é', '<script>', h64('0'), h64('f'), h64('F'), h64('g'),
  ...lengths.map((length) => 'a'.repeat(length)),
  true, false, [], ['x'], ['x', 1], {}, { id: 'p', name: 'n' }, { id: 'p' }, { id: '' }, { id: 'p', name: 5 }, { urls: 'x' },
  { urls: ['x'], username: 'u', credential: 'c' }, { urls: 1 }, { urls: 'x', username: 1 }, [{ id: 'p', name: 'n' }], [{ id: 'p x' }],
  [{ urls: 'a' }], [{ urls: ['a', 'b'], extra: 1 }], [{ urls: [1] }], { type: 'offer', sdp: 'x', constructor: 1, prototype: 2 }, { type: 5 },
  ...['join', 'signal', 'leave', 'joined', 'peer-joined', 'peer-left', 'error', 'hello', 'here', 'full', 'bye', 'refused', 'too-large'],
  ...['offer', 'media', 'share', 'data', 'chat', 'verify-commit', 'verify-reveal', 'verified', 'accept', 'reject', 'cancel', 'end', 'done', 'corrupt'],
];
/** Fields a sample may lack that a message of another kind has. */
const FOREIGN = ['v', 'type', 't', 'name', 'token', 'iceServers', 'data', 'to', 'id', 'payload', 'reason', 'digest', 'peer', 'room', 'from'];

export function* messageCorpus(samples: Record<string, unknown>[]): Generator<unknown> {
  const wire = (value: unknown): unknown => JSON.parse(JSON.stringify(value));
  for (const value of ODD) yield wire(value);
  for (const sample of samples) {
    yield wire(sample);
    yield wire({ ...sample, extra: 1, __proto__x: 1 });
    for (const key of Object.keys(sample)) {
      const rest = { ...sample };
      delete rest[key];
      yield wire(rest);
    }
    for (const key of new Set([...Object.keys(sample), ...FOREIGN])) {
      for (const value of ODD) yield wire({ ...sample, [key]: value });
    }
  }
}
