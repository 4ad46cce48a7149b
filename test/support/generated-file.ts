// Test files with known content, made in the page.

export const MiB = 1024 * 1024;

/** Deterministic pseudo-random bytes (xorshift), so a corrupted or reordered chunk cannot go unnoticed. */
export function generatedFile(size: number, name = 'generated.bin'): File {
  const bytes = new Uint8Array(size);
  let x = 0x9e3779b9;
  const words = new Uint32Array(bytes.buffer, 0, Math.floor(size / 4));
  for (let i = 0; i < words.length; i += 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    words[i] = x >>> 0;
  }
  return new File([bytes], name, { type: 'application/octet-stream' });
}
