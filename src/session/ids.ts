/** A random id for participants and message prefixes; crypto-random so ids do not collide across tabs. */
export function randomId(bytes = 8): string {
  const values = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(values, (value) => value.toString(16).padStart(2, '0')).join('');
}
