import type { RateLimit } from './types.js';

/** What a caller learns from one attempt: whether it may go on, and the numbers services put in headers. */
export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  windowSeconds: number;
  /** Whole seconds until one more request fits (0 when allowed). */
  retryAfterSeconds: number;
}

/**
 * Token bucket per key: `requests` tokens, refilled evenly over `windowMs`. A full bucket allows a burst
 * of `requests`, which is how the real services behave (Slack lets a short burst through, then 429s).
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  take(key: string): RateDecision {
    const { requests, windowMs } = this.limit;
    const refillPerMs = requests / windowMs;
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: requests, at: now };
    bucket.tokens = Math.min(requests, bucket.tokens + (now - bucket.at) * refillPerMs);
    bucket.at = now;
    this.buckets.set(key, bucket);
    const windowSeconds = Math.max(1, Math.round(windowMs / 1000));
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return {
        allowed: true,
        limit: requests,
        remaining: Math.floor(bucket.tokens),
        windowSeconds,
        retryAfterSeconds: 0,
      };
    }
    const retryAfterSeconds = Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerMs / 1000 - 1e-9));
    return { allowed: false, limit: requests, remaining: 0, windowSeconds, retryAfterSeconds };
  }
}
