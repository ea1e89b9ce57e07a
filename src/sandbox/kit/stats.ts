import type { EmulatorStats } from './types.js';

/** `operation -> status -> count`. Status is the HTTP status, or `timeout` for requests never answered. */
export class StatsCounter {
  private readonly counts: Record<string, Record<string, number>> = {};
  private total = 0;

  count(operation: string, status: number | 'timeout'): void {
    const byStatus = this.counts[operation] ?? {};
    byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
    this.counts[operation] = byStatus;
    this.total += 1;
  }

  snapshot(): EmulatorStats {
    const requests: EmulatorStats['requests'] = {};
    for (const [operation, byStatus] of Object.entries(this.counts)) requests[operation] = { ...byStatus };
    return { requests, total: this.total };
  }

  reset(): void {
    for (const key of Object.keys(this.counts)) delete this.counts[key];
    this.total = 0;
  }
}
