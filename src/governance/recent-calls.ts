import type { Clock } from '../core/clock.js';
import { countIntentsSince } from '../store/audit-repo.js';
import type { Db } from '../store/repo-support.js';
import { RefreshingValue } from './refreshing-value.js';

/**
 * How many gate calls a principal made lately, for the risk score's session frequency and a drift manifest's
 * calls per hour. Counted from the audit trail (so calls made by other processes on a shared store count
 * too), read again at most every 250 ms per principal and window, in the background while the last count is
 * under a second old; the calls this process records meanwhile are added on top. Counting stops at `upTo`,
 * the number past which the answer no longer changes anything, so the cost stays flat however busy a
 * principal is.
 */
export interface RecentCallsOptions {
  db: Db;
  clock: Clock;
}

const FRESH_MS = 250;
const USABLE_MS = 1000;

/** The count in the store, and how many of this process's calls had been recorded when it was read. */
type StoredCount = RefreshingValue<{ count: number; recordedBefore: number }>;

export class RecentCalls {
  readonly #db: Db;
  readonly #clock: Clock;
  readonly #stored = new Map<string, StoredCount>();
  /** Calls recorded by this process, per principal, since it started. */
  readonly #recorded = new Map<string, number>();

  constructor(options: RecentCallsOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
  }

  /** Calls `actor` made within the last `windowMs`, counted up to `upTo`. */
  async count(actor: string, windowMs: number, upTo: number): Promise<number> {
    const key = `${actor}\u0000${windowMs}\u0000${upTo}`;
    let stored = this.#stored.get(key);
    if (!stored) {
      stored = new RefreshingValue({
        read: async () => {
          const recordedBefore = this.#recorded.get(actor) ?? 0;
          const since = new Date(this.#clock.now().getTime() - windowMs);
          return { count: await countIntentsSince(this.#db, actor, since, upTo), recordedBefore };
        },
        clock: this.#clock,
        freshMs: FRESH_MS,
        usableMs: USABLE_MS,
      });
      this.#stored.set(key, stored);
    }
    const { count, recordedBefore } = await stored.get();
    return Math.min(upTo, count + (this.#recorded.get(actor) ?? 0) - recordedBefore);
  }

  /** `actor` just recorded one more call (an intent in the audit trail). */
  recorded(actor: string): void {
    this.#recorded.set(actor, (this.#recorded.get(actor) ?? 0) + 1);
  }
}
