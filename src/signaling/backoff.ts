/** Jittered exponential backoff ("full jitter"): spreads reconnecting clients so a restarted server is not stampeded. */
export interface BackoffPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { initialDelayMs: 250, maxDelayMs: 5000 };

export function backoffDelay(attempt: number, policy: BackoffPolicy = DEFAULT_BACKOFF, random = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** attempt);
  return Math.round(policy.initialDelayMs / 2 + random() * (ceiling - policy.initialDelayMs / 2));
}
