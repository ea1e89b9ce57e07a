import type { Clock } from '../../core/clock.js';
import { isArxError } from '../../core/errors.js';
import type { Logger } from '../../log/logger.js';
import { backoffDelay, type Random, RETRY_DEFAULT, type RetryProfile, retryableHere } from '../http/index.js';

/**
 * A create that the target cannot deduplicate (Jira issue, ServiceNow incident, Slack message) must never
 * be repeated blindly: a timeout or a 5xx may have come after the target acted. So the HTTP call itself
 * is made without retries, and after a failure that might have applied, the target is asked first
 * (`reconcile`: search by label, correlation_id, message metadata); only when it has nothing is the create
 * sent again. A refusal that provably did not apply (429) is retried at once; the governor holds the
 * bucket for Retry-After.
 */

/** Errors after which the target may or may not have acted. */
const AMBIGUOUS = new Set(['timeout', 'network_error', 'tool_unavailable', 'malformed_response']);

export function mayHaveApplied(err: unknown): boolean {
  return isArxError(err) && AMBIGUOUS.has(err.code);
}

export interface WriteOnceOptions<T> {
  /** One attempt at the write; its HTTP call must not retry by itself (RETRY_NONE). */
  attempt: () => Promise<T>;
  /**
   * Finds the effect of an earlier attempt, or undefined when there is none. Without it (nothing to search
   * by), a failure that may have applied is not retried: a duplicate is worse than a failed step.
   */
  reconcile?: () => Promise<T | undefined>;
  clock: Clock;
  log: Logger;
  what: string;
  profile?: RetryProfile;
  random?: Random;
}

export interface WriteOnceResult<T> {
  value: T;
  /** True when the value was found by reconciliation rather than returned by the write. */
  reconciled: boolean;
  attempts: number;
}

export async function writeOnce<T>(options: WriteOnceOptions<T>): Promise<WriteOnceResult<T>> {
  const profile = options.profile ?? RETRY_DEFAULT;
  const random = options.random ?? Math.random;
  for (let n = 1; ; n++) {
    try {
      return { value: await options.attempt(), reconciled: false, attempts: n };
    } catch (err) {
      if (mayHaveApplied(err)) {
        if (!options.reconcile) throw err;
        const found = await options.reconcile().catch((reconcileError: unknown) => {
          // The target cannot tell us now: the original failure stands and the effect stays pending.
          options.log.warn(
            { what: options.what, code: isArxError(reconcileError) ? reconcileError.code : undefined },
            'reconcile after an ambiguous failure failed',
          );
          throw err;
        });
        if (found !== undefined) {
          options.log.info(
            { what: options.what, attempts: n },
            'write had applied: using what the target has',
          );
          return { value: found, reconciled: true, attempts: n };
        }
      }
      if (n >= profile.maxAttempts || !retryableHere(err)) throw err;
      const retryAfterMs = Number((isArxError(err) && err.details?.retryAfterMs) || 0);
      if (retryAfterMs > profile.maxRetryAfterMs) throw err;
      const delayMs = backoffDelay(n, profile, random);
      options.log.warn(
        { what: options.what, attempt: n, delayMs, code: isArxError(err) ? err.code : undefined },
        'retrying write',
      );
      await options.clock.sleep(delayMs);
    }
  }
}
