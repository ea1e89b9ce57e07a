import { randomUUID } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import type { Db } from '../../store/repo-support.js';
import { inTransaction } from '../../store/repo-support.js';
import { RunsRepo } from '../../store/runs-repo.js';
import { type ScheduleRecord, SchedulesRepo } from '../../store/schedules-repo.js';
import { createQueuedRun, type PreparedRun } from './run-requests.js';
import { dueOccurrence } from './schedule-math.js';

/**
 * Fires due schedules. Each tick reads the enabled schedules whose `next_fire_at` has come and fires each
 * in one transaction: a compare-and-swap moves `next_fire_at` to the following occurrence and the queued run
 * row is created. Several schedulers sharing one PostgreSQL race on the swap and exactly one wins each
 * occurrence; the losers' transactions create nothing. The job naming the run is sent after the commit; if
 * the process dies in between, the interrupted-run sweep sends it (a queued run with no job is picked up).
 *
 * A schedule that came due while no scheduler ran fires once, for its latest occurrence, not once per
 * missed occurrence. A fire while the workflow's previous run has not finished (still running, waiting for
 * an approval, or interrupted and about to be resumed) is recorded as skipped rather than piling up a
 * second run of the same workflow.
 */
export interface SchedulerOptions {
  db: Db;
  clock: Clock;
  log: Logger;
  /** The workflow and resolved options of a registered workflow, or a thrown reason it cannot run now. */
  prepare(workflow: string): Promise<PreparedRun>;
  /** Hands a created run to the queue. */
  dispatch(run: { runId: string; workflow: string }): Promise<unknown>;
  /** Longest sleep between ticks, so schedules registered meanwhile are seen (default 5 s). */
  maxSleepMs?: number;
}

export interface Fire {
  schedule: string;
  workflow: string;
  fireAt: string;
  runId: string | null;
  error?: string;
}

const DEFAULT_MAX_SLEEP_MS = 5_000;
const MIN_SLEEP_MS = 50;

export class Scheduler {
  private readonly repo: SchedulesRepo;
  private readonly runs: RunsRepo;
  private loop: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private lastTickAt: Date | undefined;
  private lastFire: Fire | undefined;

  constructor(private readonly o: SchedulerOptions) {
    this.repo = new SchedulesRepo(o.db, o.clock);
    this.runs = new RunsRepo(o.db, o.clock);
  }

  /** Fires every schedule due now; returns the fires this scheduler won. */
  async tick(): Promise<Fire[]> {
    const now = this.o.clock.now();
    this.lastTickAt = now;
    const fires: Fire[] = [];
    for (const schedule of await this.repo.due(now)) {
      const fire = await this.fire(schedule, now);
      if (fire) fires.push(fire);
    }
    return fires;
  }

  start(): void {
    if (this.loop) return;
    const abort = new AbortController();
    this.abort = abort;
    this.loop = (async () => {
      while (!abort.signal.aborted) {
        try {
          await this.tick();
        } catch (err) {
          this.o.log.warn({ err: message(err) }, 'scheduler tick failed; trying again');
        }
        await this.o.clock.sleep(await this.sleepMs(), abort.signal).catch(() => {});
      }
    })();
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.loop;
    this.loop = undefined;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  status(): { running: boolean; lastTickAt: string | null; lastFire: Fire | null } {
    return {
      running: this.running,
      lastTickAt: this.lastTickAt?.toISOString() ?? null,
      lastFire: this.lastFire ?? null,
    };
  }

  private async fire(schedule: ScheduleRecord, now: Date): Promise<Fire | undefined> {
    const expected = schedule.nextFireAt;
    if (!expected) return undefined;
    const { fireAt, next } = dueOccurrence(schedule.cron, schedule.timezone, expected, now);
    let prepared: PreparedRun | undefined;
    let error: string | undefined;
    const unfinished = (await this.runs.unfinished()).find((run) => run.workflow === schedule.workflow);
    if (unfinished) {
      error = `skipped: run ${unfinished.id} of ${schedule.workflow} has not finished (${unfinished.status})`;
    } else {
      try {
        prepared = await this.o.prepare(schedule.workflow);
      } catch (err) {
        error = message(err);
      }
    }
    const runId = prepared ? randomUUID() : null;
    const won = await inTransaction(this.o.db, async (trx) => {
      const claimed = await new SchedulesRepo(trx, this.o.clock).claimFire(schedule.name, expected, {
        firedAt: fireAt,
        next,
        runId,
        error,
      });
      if (claimed && prepared && runId) {
        await createQueuedRun(
          trx,
          this.o.clock,
          prepared,
          { kind: 'schedule', by: schedule.name, fireAt: fireAt.toISOString() },
          runId,
        );
      }
      return claimed;
    });
    if (!won) return undefined;
    const fire: Fire = {
      schedule: schedule.name,
      workflow: schedule.workflow,
      fireAt: fireAt.toISOString(),
      runId,
      ...(error ? { error } : {}),
    };
    this.lastFire = fire;
    if (error) {
      this.o.log.warn({ schedule: schedule.name, error }, 'schedule fired without starting a run');
      return fire;
    }
    this.o.log.info({ schedule: schedule.name, run: runId, fireAt: fire.fireAt }, 'schedule fired');
    try {
      await this.o.dispatch({ runId: runId!, workflow: schedule.workflow });
    } catch (err) {
      // the run row is queued: the interrupted-run sweep will send its job
      this.o.log.warn({ run: runId, err: message(err) }, 'could not queue the fired run yet');
    }
    return fire;
  }

  private async sleepMs(): Promise<number> {
    const max = this.o.maxSleepMs ?? DEFAULT_MAX_SLEEP_MS;
    const next = await this.repo.nextDue().catch(() => undefined);
    if (!next) return max;
    return Math.max(MIN_SLEEP_MS, Math.min(max, next.getTime() - this.o.clock.now().getTime()));
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
