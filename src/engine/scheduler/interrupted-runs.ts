import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import type { Db } from '../../store/repo-support.js';
import { RunLeasesRepo } from '../../store/run-leases-repo.js';
import { RunsRepo } from '../../store/runs-repo.js';
import { ownerGone } from '../ownership.js';
import type { RunJob } from './queue.js';
import type { WorkflowResolver } from './workflow-source.js';

/**
 * Finds runs that should be executing and are not: unfinished runs (queued, running, waiting) whose owner is
 * gone (its process died, or its lease went stale on another machine), and queued runs whose job was never
 * sent. Each gets a queue job; the queue refuses a second job for a run that already has one, and the
 * engine's lease refuses a second executor, so sweeping often and from several processes is safe.
 *
 * A run touched in the last GRACE_MS is left alone: `arx run` creates its row a moment before taking the
 * lease, and a scheduler sends the job right after creating the row.
 */
export const SWEEP_INTERVAL_MS = 15_000;
export const GRACE_MS = 5_000;

export interface InterruptedRunsOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  workflows: WorkflowResolver;
  send(job: RunJob): Promise<boolean>;
  /** Default GRACE_MS. */
  graceMs?: number | undefined;
}

export class InterruptedRuns {
  private readonly runs: RunsRepo;
  private readonly leases: RunLeasesRepo;
  /** Workflows this process cannot load, reported once each. */
  private readonly unknown = new Set<string>();
  private lastSweep: { at: string; resumed: string[] } | undefined;

  constructor(private readonly o: InterruptedRunsOptions) {
    this.runs = new RunsRepo(o.db, o.clock);
    this.leases = new RunLeasesRepo(o.db, o.clock);
  }

  /** Sends a job for each run found; returns their ids. */
  async sweep(): Promise<string[]> {
    const now = this.o.clock.now().getTime();
    const sent: string[] = [];
    for (const run of await this.runs.unfinished()) {
      if (now - run.updatedAt.getTime() < (this.o.graceMs ?? GRACE_MS)) continue;
      if (!ownerGone(await this.leases.get(run.id), this.o.clock)) continue;
      const workflow = await this.o.workflows.resolve(run.workflow).catch(() => undefined);
      if (!workflow) {
        if (!this.unknown.has(run.workflow)) {
          this.unknown.add(run.workflow);
          this.o.log.warn(
            { run: run.id, workflow: run.workflow },
            'an interrupted run cannot be resumed here: its workflow is not registered (arx register) nor built in',
          );
        }
        continue;
      }
      if (await this.o.send({ runId: run.id, workflow: run.workflow })) {
        sent.push(run.id);
        this.o.log.info({ run: run.id, workflow: run.workflow, status: run.status }, 'resuming run');
      }
    }
    this.lastSweep = { at: new Date(now).toISOString(), resumed: sent };
    return sent;
  }

  status(): { lastSweepAt: string | null; lastResumed: string[] } {
    return { lastSweepAt: this.lastSweep?.at ?? null, lastResumed: this.lastSweep?.resumed ?? [] };
  }
}
