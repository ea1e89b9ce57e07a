/** Time is injected so approvals, expiry, audit timestamps and schedules are testable without waiting. */
export interface Clock {
  now(): Date;
  /** Resolves after `ms`; rejects with the signal's reason if it aborts first (implementations may ignore it). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(signal.reason);
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

/** A clock that only moves when told to; `sleep` advances it instantly. */
export class TestClock implements Clock {
  private current: number;
  constructor(start: Date | string = '2026-01-01T00:00:00Z') {
    this.current = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  tick(ms: number): void {
    this.current += ms;
  }
  setTime(at: Date | string): void {
    this.current = new Date(at).getTime();
  }
  async sleep(ms: number): Promise<void> {
    this.current += ms;
  }
}
