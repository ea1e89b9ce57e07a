/**
 * What a response's headers say about rate limits, in one vendor-neutral shape. Vendors differ in names and
 * units (api-contracts §2.7 Jira, §4.2 PagerDuty, §5.4 Qualys, §6 ServiceNow), so each reading is listed here.
 */
export interface RateSignal {
  /** How long the server asks us to wait before the next call, in ms (Retry-After, Qualys ToWait-Sec). */
  waitMs?: number;
  /** Calls left in the current window, when the server says. */
  remaining?: number;
  /** When the window resets (epoch ms), when the server says. */
  resetAt?: number;
  /** The server warns that little budget is left (Jira `X-RateLimit-NearLimit: true`, §2.7). */
  nearLimit?: boolean;
}

type HeaderSource = Pick<Headers, 'get'>;

/** Values above this are epoch seconds (ServiceNow `X-RateLimit-Reset`), below it seconds-from-now (PagerDuty). */
const EPOCH_SECONDS_THRESHOLD = 1_000_000_000;

/** `Retry-After`: delay-seconds or an HTTP date (RFC 9110 §10.2.3). Returns ms from `now`, never negative. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.ceil(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** A reset header: ISO-8601 (Jira), epoch seconds (ServiceNow) or seconds from now (PagerDuty). */
export function parseReset(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    return n >= EPOCH_SECONDS_THRESHOLD ? n * 1000 : now + n * 1000;
  }
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : at;
}

function firstHeader(headers: HeaderSource, names: readonly string[]): string | null {
  for (const name of names) {
    const value = headers.get(name);
    if (value !== null) return value;
  }
  return null;
}

const REMAINING = ['x-ratelimit-remaining', 'ratelimit-remaining'] as const;
const RESET = ['x-ratelimit-reset', 'ratelimit-reset'] as const;

export function readRateSignal(headers: HeaderSource, now: number): RateSignal {
  const signal: RateSignal = {};
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  const qualysWait = headers.get('x-ratelimit-towait-sec');
  const qualysWaitMs = qualysWait !== null && /^\d+$/.test(qualysWait.trim()) ? Number(qualysWait) * 1000 : 0;
  const waitMs = Math.max(retryAfter ?? 0, qualysWaitMs);
  if (retryAfter !== undefined || qualysWaitMs > 0) signal.waitMs = waitMs;

  const remaining = firstHeader(headers, REMAINING);
  if (remaining !== null && /^\d+$/.test(remaining.trim())) signal.remaining = Number(remaining);
  const resetAt = parseReset(firstHeader(headers, RESET), now);
  if (resetAt !== undefined) signal.resetAt = resetAt;
  if (headers.get('x-ratelimit-nearlimit')?.trim().toLowerCase() === 'true') signal.nearLimit = true;
  return signal;
}

/** How long to hold the bucket after this response: the explicit wait, or until reset when nothing is left. */
export function pauseFromSignal(signal: RateSignal, now: number): number {
  if (signal.waitMs !== undefined && signal.waitMs > 0) return signal.waitMs;
  if (signal.remaining === 0 && signal.resetAt !== undefined) return Math.max(0, signal.resetAt - now);
  return 0;
}
