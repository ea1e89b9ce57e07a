import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import type { Store } from '../../store/open.js';
import type { RunRecord } from '../../store/runs-repo.js';
import { SchedulesRepo } from '../../store/schedules-repo.js';
import type { Engine } from '../engine.js';
import { InterruptedRuns, SWEEP_INTERVAL_MS } from './interrupted-runs.js';
import type { RunQueue } from './queue.js';
import { RunExecutor } from './run-executor.js';
import { createQueuedRun, prepareRegisteredRun } from './run-requests.js';
import { Scheduler } from './scheduler.js';
import { WorkflowResolver } from './workflow-source.js';

/**
 * What `arx serve` and `arx worker` run: queue workers executing runs through the engine, the sweep that
 * resumes interrupted runs, and (serve only) the scheduler firing due schedules. The parts are handed in
 * opened, so tests compose them on a test store and a test engine.
 */
export type ServiceRole = 'serve' | 'worker';

export interface RunServiceOptions {
  role: ServiceRole;
  store: Pick<Store, 'db' | 'clock' | 'driver' | 'location'>;
  engine: Engine;
  queue: RunQueue;
  /** Environment for workflow options' fallbacks (`fromEnv`). */
  env: NodeJS.ProcessEnv;
  log: Logger;
  clock?: Clock | undefined;
  /** Runs executed at once by this process. */
  concurrency: number;
  sweepIntervalMs?: number | undefined;
  /** How old an unfinished run must be before the sweep touches it (default 5 s). */
  sweepGraceMs?: number | undefined;
  schedulerMaxSleepMs?: number | undefined;
}

export interface Health {
  ok: boolean;
  role: ServiceRole;
  pid: number;
  startedAt: string;
  store: { ok: boolean; driver: string; location: string; error?: string };
  queue: { ok: boolean; schema: string; queued?: number; active?: number; error?: string };
  scheduler:
    | (ReturnType<Scheduler['status']> & {
        schedules: Array<{
          name: string;
          workflow: string;
          cron: string;
          timezone: string;
          enabled: boolean;
          lastFireAt: string | null;
          nextFireAt: string | null;
          lastRunId: string | null;
          lastError: string | null;
        }>;
      })
    | null;
  workers: ReturnType<RunExecutor['status']> & { concurrency: number };
  resume: ReturnType<InterruptedRuns['status']>;
}

export class RunService {
  readonly workflows: WorkflowResolver;
  readonly executor: RunExecutor;
  readonly interrupted: InterruptedRuns;
  readonly scheduler: Scheduler | undefined;
  private readonly clock: Clock;
  private sweepTimer: NodeJS.Timeout | undefined;
  private startedAt: Date | undefined;
  private stopping: Promise<void> | undefined;

  constructor(private readonly o: RunServiceOptions) {
    this.clock = o.clock ?? o.store.clock;
    const db = o.store.db;
    this.workflows = new WorkflowResolver(db);
    this.executor = new RunExecutor({
      engine: o.engine,
      workflows: this.workflows,
      log: o.log,
      clock: this.clock,
    });
    this.interrupted = new InterruptedRuns({
      db,
      clock: this.clock,
      log: o.log,
      workflows: this.workflows,
      send: (job) => o.queue.send(job),
      graceMs: o.sweepGraceMs,
    });
    this.scheduler =
      o.role === 'serve'
        ? new Scheduler({
            db,
            clock: this.clock,
            log: o.log,
            prepare: (workflow) => prepareRegisteredRun(db, this.workflows, workflow, o.env),
            dispatch: (run) => o.queue.send(run),
            maxSleepMs: o.schedulerMaxSleepMs,
          })
        : undefined;
  }

  async start(): Promise<void> {
    this.startedAt = this.clock.now();
    await this.o.queue.work(this.o.concurrency, (job, signal) => this.executor.execute(job, signal));
    await this.sweepSafely();
    this.sweepTimer = setInterval(() => void this.sweepSafely(), this.o.sweepIntervalMs ?? SWEEP_INTERVAL_MS);
    this.sweepTimer.unref();
    this.scheduler?.start();
  }

  /**
   * Stops firing, aborts the runs in flight (they stop at their next call and stay resumable) and stops the
   * queue. Safe to call twice.
   */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      if (this.sweepTimer) clearInterval(this.sweepTimer);
      await this.scheduler?.stop();
      this.executor.stop();
      await this.o.queue.stop();
    })();
    return this.stopping;
  }

  /** A manual run of a registered workflow: a queued run and its job. */
  async requestRun(workflow: string, requestedBy: string): Promise<RunRecord> {
    const db = this.o.store.db;
    const prepared = await prepareRegisteredRun(db, this.workflows, workflow, this.o.env);
    const run = await createQueuedRun(db, this.clock, prepared, { kind: 'manual', by: requestedBy });
    await this.o.queue.send({ runId: run.id, workflow });
    return run;
  }

  async health(): Promise<Health> {
    const { store, queue } = this.o;
    const health: Health = {
      ok: false,
      role: this.o.role,
      pid: process.pid,
      startedAt: (this.startedAt ?? this.clock.now()).toISOString(),
      store: { ok: false, driver: store.driver, location: store.location },
      queue: { ok: false, schema: queue.schema },
      scheduler: null,
      workers: { ...this.executor.status(), concurrency: this.o.concurrency },
      resume: this.interrupted.status(),
    };
    try {
      const schedules = await new SchedulesRepo(store.db, this.clock).schedules();
      health.store.ok = true;
      if (this.scheduler) {
        health.scheduler = {
          ...this.scheduler.status(),
          schedules: schedules.map((s) => ({
            name: s.name,
            workflow: s.workflow,
            cron: s.cron,
            timezone: s.timezone,
            enabled: s.enabled,
            lastFireAt: s.lastFireAt?.toISOString() ?? null,
            nextFireAt: s.nextFireAt?.toISOString() ?? null,
            lastRunId: s.lastRunId,
            lastError: s.lastError,
          })),
        };
      }
    } catch (err) {
      health.store.error = message(err);
    }
    try {
      Object.assign(health.queue, await queue.counts(), { ok: !this.stopping });
      if (this.stopping) health.queue.error = 'stopping';
    } catch (err) {
      health.queue.error = message(err);
    }
    const schedulerOk = !this.scheduler || (this.scheduler.running && !this.stopping);
    health.ok = health.store.ok && health.queue.ok && schedulerOk;
    return health;
  }

  private async sweepSafely(): Promise<void> {
    if (this.stopping) return;
    try {
      await this.interrupted.sweep();
    } catch (err) {
      this.o.log.warn({ err: message(err) }, 'could not look for interrupted runs; trying again later');
    }
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
