import { type Clock, systemClock } from '../../core/clock.js';
import { type AdaptiveRate, adaptRate, type RateOutcome, startAdaptiveRate } from './rate-adaptation.js';
import { pauseFromSignal, type RateSignal, readRateSignal } from './rate-headers.js';
import {
  type RateLimitOverrides,
  type RateLimitSpec,
  resolveRateLimit,
  type ToolRateLimits,
  VENDOR_RATE_LIMITS,
} from './rate-limits.js';

/** Which bucket a call draws from. `key` splits an endpoint further when its limit is per key (Slack channel). */
export interface BucketRef {
  tool: string;
  tenant: string;
  endpoint: string;
  key?: string;
}

export interface BucketState {
  id: string;
  spec: RateLimitSpec;
  /** Requests per `spec.perSeconds` now allowed: `spec.requests`, or what was learned when `spec.adaptive`. */
  rate: number;
  tokens: number;
  inFlight: number;
  pausedUntil: number;
}

/** Call when the request is finished (success or failure) to free its concurrency slot. */
export type Release = () => void;

export interface RateGovernor {
  /** Waits until the bucket has a token, is not paused and has a free concurrency slot. */
  acquire(ref: BucketRef, signal?: AbortSignal): Promise<Release>;
  /**
   * Reads Retry-After / X-RateLimit-* / Qualys ToWait-Sec and pauses the bucket; returns the pause in ms.
   * With the status, an adaptive bucket also learns from the answer (rate-adaptation.ts).
   */
  observe(ref: BucketRef, headers: Pick<Headers, 'get'>, status?: number): number;
  /** Holds every call on this bucket for `ms` (capped at `maxPauseMs`). */
  pause(ref: BucketRef, ms: number): void;
  state(ref: BucketRef): BucketState;
}

export interface RateGovernorOptions {
  clock?: Clock;
  /** arx.yaml `connectors.<tool>.rate_limits`, keyed by tool. */
  overrides?: RateLimitOverrides;
  /** Replaces the vendor table (tests, new connectors). */
  limits?: Record<string, ToolRateLimits>;
  /** A bogus header (an epoch where seconds were meant) must not stall a run for days. */
  maxPauseMs?: number;
}

/** Longest pause any header can impose; beyond this the call fails and the step's own retry takes over. */
export const MAX_PAUSE_MS = 15 * 60_000;

interface Bucket extends Omit<BucketState, 'rate'> {
  /** Present when the spec is adaptive; otherwise the rate is `spec.requests`. */
  learned?: AdaptiveRate;
  updatedAt: number;
  waiters: Array<() => void>;
}

export function createRateGovernor(options: RateGovernorOptions = {}): RateGovernor {
  const clock = options.clock ?? systemClock;
  const maxPauseMs = options.maxPauseMs ?? MAX_PAUSE_MS;
  const buckets = new Map<string, Bucket>();
  const now = () => clock.now().getTime();

  function bucketFor(ref: BucketRef): Bucket {
    const spec = resolveRateLimit(
      ref.tool,
      ref.endpoint,
      options.overrides,
      options.limits ?? VENDOR_RATE_LIMITS,
    );
    const keyPart = spec.scope === 'key' && ref.key !== undefined ? `\u0000${ref.key}` : '';
    const id = `${ref.tool}\u0000${ref.tenant}\u0000${ref.endpoint}${keyPart}`;
    let bucket = buckets.get(id);
    if (!bucket) {
      bucket = {
        id,
        spec,
        learned: spec.adaptive ? startAdaptiveRate(spec.requests, spec.adaptive.ceiling) : undefined,
        tokens: capacity(spec),
        inFlight: 0,
        pausedUntil: 0,
        updatedAt: now(),
        waiters: [],
      };
      buckets.set(id, bucket);
    }
    return bucket;
  }

  function refill(bucket: Bucket, at: number): void {
    const elapsed = Math.max(0, at - bucket.updatedAt);
    bucket.tokens = Math.min(capacity(bucket.spec), bucket.tokens + elapsed * ratePerMs(bucket));
    bucket.updatedAt = at;
  }

  function waitForSlot(bucket: Bucket, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const wake = () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      };
      const onAbort = () => {
        bucket.waiters = bucket.waiters.filter((w) => w !== wake);
        reject(signal?.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      bucket.waiters.push(wake);
    });
  }

  return {
    async acquire(ref, signal) {
      const bucket = bucketFor(ref);
      for (;;) {
        signal?.throwIfAborted();
        const at = now();
        refill(bucket, at);
        if (bucket.pausedUntil > at) {
          await clock.sleep(bucket.pausedUntil - at, signal);
          continue;
        }
        if (bucket.inFlight >= (bucket.spec.concurrency ?? Number.POSITIVE_INFINITY)) {
          await waitForSlot(bucket, signal);
          continue;
        }
        if (bucket.tokens >= 1) {
          bucket.tokens -= 1;
          bucket.inFlight += 1;
          let released = false;
          return () => {
            if (released) return;
            released = true;
            bucket.inFlight -= 1;
            bucket.waiters.shift()?.();
          };
        }
        await clock.sleep(Math.ceil((1 - bucket.tokens) / ratePerMs(bucket)), signal);
      }
    },

    observe(ref, headers, status) {
      const bucket = bucketFor(ref);
      const at = now();
      const signal: RateSignal = readRateSignal(headers, at);
      refill(bucket, at);
      if (bucket.learned && status !== undefined) {
        adaptRate(bucket.learned, outcomeOf(status, signal), {
          now: at,
          windowMs: bucket.spec.perSeconds * 1000,
          saturated: bucket.tokens < 1,
        });
      }
      if (signal.remaining !== undefined) bucket.tokens = Math.min(bucket.tokens, signal.remaining);
      const pauseMs = Math.min(pauseFromSignal(signal, at), maxPauseMs);
      if (pauseMs > 0) bucket.pausedUntil = Math.max(bucket.pausedUntil, at + pauseMs);
      return pauseMs;
    },

    pause(ref, ms) {
      const bucket = bucketFor(ref);
      bucket.pausedUntil = Math.max(bucket.pausedUntil, now() + Math.min(ms, maxPauseMs));
    },

    state(ref) {
      const bucket = bucketFor(ref);
      refill(bucket, now());
      const { id, spec, tokens, inFlight, pausedUntil } = bucket;
      return { id, spec, rate: rateOf(bucket), tokens, inFlight, pausedUntil };
    },
  };
}

function capacity(spec: RateLimitSpec): number {
  return Math.max(1, spec.burst ?? spec.requests);
}

function rateOf(bucket: Bucket): number {
  return bucket.learned?.rate ?? bucket.spec.requests;
}

function ratePerMs(bucket: Bucket): number {
  return rateOf(bucket) / (bucket.spec.perSeconds * 1000);
}

function outcomeOf(status: number, signal: RateSignal): RateOutcome {
  if (status === 429) return 'limited';
  if (status >= 400) return 'other';
  return signal.nearLimit ? 'near-limit' : 'success';
}
