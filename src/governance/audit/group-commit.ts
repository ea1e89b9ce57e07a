/**
 * Group commit for the audit trail: appends queue up in order and are written by one writer, many per
 * statement. Entries someone waits for (`append`) start a write at once; entries nobody waits for (`defer`,
 * a call's result record) ride along with the next write, or go on their own after `deferMs`. Whatever
 * was queued in the same turn of the event loop, or while a write was in flight, goes in one write, so under
 * load one statement carries many entries, and a lone caller still pays a single write.
 *
 * Order is kept: an entry is durable only once every entry queued before it is. A failed write rejects the
 * entries waited for (their callers act on it: the gate does not act) and keeps the deferred ones at the
 * head of the queue for the next write, so nothing recorded is dropped while the process lives.
 */
export interface GroupCommitOptions<T, R> {
  /** Writes one batch whole or not at all; returns one result per item, in order. */
  write: (batch: readonly T[]) => Promise<R[]>;
  /** How long a deferred entry may wait for company before it is written alone. */
  deferMs: number;
  /** Items per write. */
  maxBatch: number;
  /** Told when deferred items could not be written (they stay queued). */
  onDeferredFailure?: (err: unknown, waiting: number) => void;
}

interface Queued<T, R> {
  item: T;
  waiter?: { resolve: (result: R) => void; reject: (err: unknown) => void };
}

export class GroupCommit<T, R> {
  readonly #options: GroupCommitOptions<T, R>;
  #queue: Queued<T, R>[] = [];
  #writing: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #soon: NodeJS.Immediate | undefined;
  #lastDeferredError: unknown;

  constructor(options: GroupCommitOptions<T, R>) {
    this.#options = options;
  }

  /** Queues `item` and resolves once it is written (with everything queued before it). */
  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, waiter: { resolve, reject } });
      this.#startSoon();
    });
  }

  /**
   * Starts the write once the current turn of the event loop is done, not inside it: the caller goes on
   * (a read's handler starts its request) before the write's own work, which on the embedded store runs on
   * this thread, and everything queued in the same turn shares the write.
   */
  #startSoon(): void {
    if (this.#soon) return;
    this.#soon = setImmediate(() => {
      this.#soon = undefined;
      this.#start();
    });
  }

  /** Queues `item` without waiting: it is written with the next batch, or after `deferMs` at the latest. */
  defer(item: T): void {
    this.#queue.push({ item });
    this.#armTimer();
  }

  /** Entries queued (written or not yet). */
  get pending(): number {
    return this.#queue.length;
  }

  /**
   * Resolves when everything queued before this call is written; rejects when deferred entries could not be
   * written (they stay queued for a later flush).
   */
  async flush(): Promise<void> {
    while (this.#queue.length > 0 || this.#writing) {
      this.#start();
      await this.#writing;
      if (this.#lastDeferredError !== undefined) throw this.#lastDeferredError;
    }
  }

  #start(): void {
    if (this.#timer) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    if (this.#writing || this.#queue.length === 0) return;
    this.#writing = this.#drain().finally(() => {
      this.#writing = undefined;
      // a waiter queued during the last write starts the next one; deferred ones wait for their timer
      if (this.#queue.some((q) => q.waiter)) this.#start();
      else if (this.#queue.length > 0 && this.#lastDeferredError === undefined) this.#armTimer();
    });
  }

  #armTimer(): void {
    if (this.#timer || this.#writing) return;
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#start();
    }, this.#options.deferMs);
  }

  async #drain(): Promise<void> {
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, this.#options.maxBatch);
      let results: R[];
      try {
        results = await this.#options.write(batch.map((q) => q.item));
      } catch (err) {
        const deferred = batch.filter((q) => !q.waiter);
        for (const q of batch) q.waiter?.reject(err);
        if (deferred.length > 0) {
          this.#queue.unshift(...deferred);
          this.#lastDeferredError = err;
          this.#options.onDeferredFailure?.(err, this.#queue.length);
        }
        return;
      }
      this.#lastDeferredError = undefined;
      for (const [i, q] of batch.entries()) q.waiter?.resolve(results[i]!);
    }
  }
}
