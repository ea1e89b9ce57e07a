import type { Progress, SandboxInfo } from '../workflows/sdk/context.js';
import type { Counts } from '../workflows/sdk/counters.js';
import type { RunState } from './run-state.js';

/**
 * What a run reports while it works. The CLI renders it (a bar on a terminal, periodic lines otherwise); a
 * queue worker can log it. Listeners are called synchronously and must not throw.
 */
export type ProgressEvent =
  | {
      type: 'run';
      runId: string;
      workflow: string;
      resumed: boolean;
      attempt: number;
      dryRun: boolean;
      sandbox: SandboxInfo | undefined;
    }
  | { type: 'phase'; phase: string; total: number | undefined }
  | { type: 'tick'; phase: string | undefined; done: number; total: number | undefined }
  | { type: 'waiting'; operation: string; approvalId: string }
  | { type: 'note'; message: string };

export interface ProgressSnapshot {
  phase: string | undefined;
  done: number;
  total: number | undefined;
  counts: Counts;
}

export type ProgressListener = (event: ProgressEvent, snapshot: ProgressSnapshot) => void;

/** `ctx.progress`: the current phase and its count, forwarded to the listener with the live counters. */
export class ProgressTracker implements Progress {
  private current: string | undefined;
  private done = 0;
  private size: number | undefined;

  constructor(
    private readonly state: RunState,
    private readonly listener: ProgressListener | undefined,
  ) {}

  phase(name: string, total?: number): void {
    this.current = name;
    this.done = 0;
    this.size = validTotal(total);
    this.emit({ type: 'phase', phase: name, total: this.size });
  }

  total(total: number): void {
    this.size = validTotal(total);
    this.emit({ type: 'tick', phase: this.current, done: this.done, total: this.size });
  }

  tick(count = 1): void {
    this.done += count;
    this.emit({ type: 'tick', phase: this.current, done: this.done, total: this.size });
  }

  emit(event: ProgressEvent): void {
    if (!this.listener) return;
    try {
      this.listener(event, this.snapshot());
    } catch {
      // a broken renderer must not break the run
    }
  }

  snapshot(): ProgressSnapshot {
    return { phase: this.current, done: this.done, total: this.size, counts: { ...this.state.counts } };
  }
}

function validTotal(total: number | undefined): number | undefined {
  return total !== undefined && Number.isFinite(total) && total >= 0 ? total : undefined;
}
