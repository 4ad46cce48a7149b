// Summaries for benchmark samples: nearest-rank percentiles, so every reported value is one that was measured.

export function percentile(values, p) {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export function summarize(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  if (!finite.length) return { n: 0 };
  const mean = finite.reduce((sum, value) => sum + value, 0) / finite.length;
  return {
    n: finite.length,
    median: percentile(finite, 50),
    p95: percentile(finite, 95),
    p99: percentile(finite, 99),
    min: Math.min(...finite),
    max: Math.max(...finite),
    mean,
  };
}

/** Rounds every number in a (JSON-like) value to `digits` decimals, for readable result files. */
export function rounded(value, digits = 3) {
  if (typeof value === 'number') return Number.isInteger(value) ? value : Number(value.toFixed(digits));
  if (Array.isArray(value)) return value.map((item) => rounded(item, digits));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, rounded(item, digits)]));
  }
  return value;
}
