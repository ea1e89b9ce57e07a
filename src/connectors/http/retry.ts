import { type Clock, systemClock } from '../../core/clock.js';
import { isArxError } from '../../core/errors.js';
import { mulberry32 } from '../../core/random.js';

/**
 * Retrying a call, declared as named profiles rather than hand-written loops. Only errors marked retryable
 * are retried (429, 5xx, network errors, timeouts); a 4xx validation or auth failure fails on the first try,
 * because repeating it cannot succeed and may lock an account.
 */
export interface RetryProfile {
  name: string;
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** Backoff before the 2nd attempt; doubles each time, before jitter. */
  baseDelayMs: number;
  /** No single backoff is longer than this. */
  maxDelayMs: number;
  /**
   * A server asking us to wait longer than this (Retry-After) is not waited out inside one call: the error
   * is returned, still marked retryable, so the durable step can reschedule instead of holding a worker.
   */
  maxRetryAfterMs: number;
}

/** Interactive and workflow calls: a few quick tries ride out a blip without stalling a run for long. */
export const RETRY_DEFAULT: RetryProfile = {
  name: 'default',
  maxAttempts: 4,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

/**
 * Bulk reads (Qualys detection pages, Wiz full syncs) where losing the page costs more than waiting:
 * Qualys asks for waits of minutes when its hourly quota is spent, PagerDuty suggests backoff of minutes.
 */
export const RETRY_PATIENT: RetryProfile = {
  name: 'patient',
  maxAttempts: 8,
  baseDelayMs: 2_000,
  maxDelayMs: 60_000,
  maxRetryAfterMs: 10 * 60_000,
};

/** One attempt: for callers that retry at a higher level (and for tests). */
export const RETRY_NONE: RetryProfile = {
  name: 'none',
  maxAttempts: 1,
  baseDelayMs: 0,
  maxDelayMs: 0,
  maxRetryAfterMs: 0,
};

/** `connectors.<name>.rate_limits.max_retries` of arx.yaml applied to a profile (retries = attempts − 1). */
export function withMaxRetries(profile: RetryProfile, maxRetries: number | undefined): RetryProfile {
  if (maxRetries === undefined) return profile;
  return { ...profile, name: `${profile.name}+max_retries=${maxRetries}`, maxAttempts: maxRetries + 1 };
}

/** A source of numbers in [0, 1). Inject a seeded one in tests so backoff delays are reproducible. */
export type Random = () => number;

/** Same seed, same jitter (core/random.ts `mulberry32`). */
export function seededRandom(seed: number): Random {
  return mulberry32(seed);
}

/**
 * "Full jitter" backoff (AWS Architecture Blog, "Exponential Backoff And Jitter"): a uniform delay in
 * [0, min(cap, base·2^(n-1))], which spreads retries of many clients instead of synchronising them.
 */
export function backoffDelay(retryNumber: number, profile: RetryProfile, random: Random): number {
  const ceiling = Math.min(profile.maxDelayMs, profile.baseDelayMs * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/** Retryable inside one call. `circuit_open` is retryable for the step, but retrying it here only spins. */
export function retryableHere(err: unknown): boolean {
  return isArxError(err) && err.retryable && err.code !== 'circuit_open';
}

export interface RetryOptions {
  profile?: RetryProfile;
  clock?: Clock;
  random?: Random;
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log the retry. */
  onRetry?: (info: { attempt: number; delayMs: number; error: unknown }) => void;
}

/** Runs `attempt` until it succeeds, fails with a non-retryable error, or the profile's attempts run out. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const profile = options.profile ?? RETRY_DEFAULT;
  const clock = options.clock ?? systemClock;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      if (n >= profile.maxAttempts || !retryableHere(error) || options.signal?.aborted) throw error;
      const retryAfterMs = Number((isArxError(error) && error.details?.retryAfterMs) || 0);
      if (retryAfterMs > profile.maxRetryAfterMs) throw error;
      // The rate governor already holds the bucket for Retry-After; the jitter spreads the wake-ups.
      const delayMs = backoffDelay(n, profile, random);
      options.onRetry?.({ attempt: n, delayMs, error });
      await clock.sleep(delayMs, options.signal);
    }
  }
}
