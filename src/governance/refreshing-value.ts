import type { Clock } from '../core/clock.js';

/**
 * A fact read from the store and kept for a while, so that a hot path does not pay a round trip per call:
 * within `freshMs` the kept value is used; until `usableMs` it is still used while a fresher read runs in
 * the background (the caller never waits for it); past that, or never read, the caller reads and waits.
 * `invalidate()` (after a change made in this process) forgets the value, and a read that was already under
 * way when it happened is not kept either.
 */
export class RefreshingValue<T> {
  readonly #read: () => Promise<T>;
  readonly #clock: Clock;
  readonly #freshMs: number;
  readonly #usableMs: number;
  #kept: { value: T; readAt: Freshness } | undefined;
  #generation = 0;
  #refreshing = false;

  constructor(options: { read: () => Promise<T>; clock: Clock; freshMs: number; usableMs: number }) {
    this.#read = options.read;
    this.#clock = options.clock;
    this.#freshMs = options.freshMs;
    this.#usableMs = options.usableMs;
  }

  async get(): Promise<T> {
    const kept = this.#kept;
    if (kept && isFresh(kept.readAt, this.#clock, this.#freshMs)) return kept.value;
    if (kept && isFresh(kept.readAt, this.#clock, this.#usableMs)) {
      this.#refreshInBackground();
      return kept.value;
    }
    return this.readNow();
  }

  /** Reads the store now (and keeps what it read). */
  async readNow(): Promise<T> {
    const generation = this.#generation;
    const readAt = freshness(this.#clock);
    const value = await this.#read();
    if (generation === this.#generation) this.#kept = { value, readAt };
    return value;
  }

  invalidate(): void {
    this.#generation += 1;
    this.#kept = undefined;
  }

  #refreshInBackground(): void {
    if (this.#refreshing) return;
    this.#refreshing = true;
    // after the caller's turn (building the query is work too); a failed background read changes nothing:
    // the kept value ages out and the next caller reads and waits
    setImmediate(() => {
      this.readNow()
        .catch(() => undefined)
        .finally(() => {
          this.#refreshing = false;
        });
    });
  }
}

/**
 * When something cached was read, on both clocks: the machine's (how long ago it really was) and the
 * injected one (what time the governance rules think it is: tests and simulations move it by hours). A
 * cached fact is fresh only while neither has moved past the allowed age.
 */
interface Freshness {
  monotonic: number;
  clock: number;
}

function freshness(clock: Clock): Freshness {
  return { monotonic: performance.now(), clock: clock.now().getTime() };
}

function isFresh(readAt: Freshness, clock: Clock, maxAgeMs: number): boolean {
  const clockAge = clock.now().getTime() - readAt.clock;
  return performance.now() - readAt.monotonic <= maxAgeMs && clockAge >= 0 && clockAge <= maxAgeMs;
}
