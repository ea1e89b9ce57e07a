import type { Clock } from '../../core/clock.js';
import { isArxError } from '../../core/errors.js';
import type { Logger } from '../../log/logger.js';
import type { Engine } from '../engine.js';
import type { RunEnd } from '../summary.js';
import type { RunJob } from './queue.js';
import type { WorkflowResolver } from './workflow-source.js';

/**
 * Executes queue jobs through the engine: `engine.resume(runId)` runs a queued run from its start and an
 * interrupted one from where it stopped (finished steps replay, the effect ledger reconciles pending writes).
 * A job for a run that finished, or that another process is executing, is done at once: the lease decides
 * who executes. Stopping aborts the runs in flight, which leaves them resumable by the next process.
 */
export const SHUTDOWN_REASON = 'the Arx process executing it is shutting down';

export interface RunExecutorOptions {
  engine: Engine;
  workflows: WorkflowResolver;
  log: Logger;
  clock: Clock;
}

export interface ExecutedRun {
  runId: string;
  workflow: string;
  status: RunEnd | 'skipped';
  at: string;
  reason?: string;
}

export class RunExecutor {
  private readonly shutdown = new AbortController();
  private readonly active = new Map<string, string>();
  private last: ExecutedRun | undefined;

  constructor(private readonly o: RunExecutorOptions) {}

  /** The queue's handler. Throws only for failures a retry can fix (the queue retries with backoff). */
  async execute(job: RunJob, jobSignal?: AbortSignal): Promise<void> {
    if (this.shutdown.signal.aborted) throw new Error(SHUTDOWN_REASON);
    const workflow = await this.o.workflows.resolve(job.workflow);
    if (!workflow) {
      this.finish(job, 'skipped', `the workflow ${job.workflow} is neither registered nor built in`);
      return;
    }
    const signal = jobSignal ? AbortSignal.any([this.shutdown.signal, jobSignal]) : this.shutdown.signal;
    this.active.set(job.runId, job.workflow);
    try {
      const outcome = await this.o.engine.resume(job.runId, workflow, { signal });
      this.finish(job, outcome.status, outcome.summary.error);
    } catch (err) {
      if (isArxError(err) && NOT_OURS.has(err.code)) {
        this.finish(job, 'skipped', err.message);
        return;
      }
      throw err;
    } finally {
      this.active.delete(job.runId);
    }
  }

  /** Aborts the runs in flight; they stop at their next call and stay resumable. */
  stop(): void {
    this.shutdown.abort(SHUTDOWN_REASON);
  }

  status(): { active: Array<{ runId: string; workflow: string }>; lastFinished: ExecutedRun | null } {
    return {
      active: [...this.active].map(([runId, workflow]) => ({ runId, workflow })),
      lastFinished: this.last ?? null,
    };
  }

  private finish(job: RunJob, status: ExecutedRun['status'], reason?: string): void {
    this.last = {
      runId: job.runId,
      workflow: job.workflow,
      status,
      at: this.o.clock.now().toISOString(),
      ...(reason ? { reason } : {}),
    };
    const log = status === 'failed' ? this.o.log.warn.bind(this.o.log) : this.o.log.info.bind(this.o.log);
    log({ run: job.runId, workflow: job.workflow, status, ...(reason ? { reason } : {}) }, 'run job done');
  }
}

/** The run finished, vanished or is executing elsewhere: nothing for this job to do. */
const NOT_OURS = new Set(['run_not_resumable', 'run_not_found', 'run_workflow_mismatch']);
