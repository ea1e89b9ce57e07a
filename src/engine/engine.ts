import { hashOf } from '../core/canonical.js';
import type { Clock } from '../core/clock.js';
import { ArxError, isArxError } from '../core/errors.js';
import type { IntelLookup } from '../core/intel/types.js';
import { secrets } from '../core/secrets.js';
import type { AuditTrail } from '../governance/audit/trail.js';
import type { OperationCatalog } from '../governance/catalog.js';
import type { Gate } from '../governance/gate.js';
import { type Logger, logger } from '../log/logger.js';
import { EffectsRepo } from '../store/effects-repo.js';
import { FindingsRepo } from '../store/findings-repo.js';
import type { Store } from '../store/open.js';
import { type LeaseHolder, RunLeasesRepo } from '../store/run-leases-repo.js';
import { type RunRecord, RunsRepo } from '../store/runs-repo.js';
import { SinkLinksRepo } from '../store/sink-links-repo.js';
import { RUN_STATUSES, type RunStatus } from '../store/statuses.js';
import { WatermarksRepo } from '../store/watermarks-repo.js';
import type { RunInfo, SandboxInfo } from '../workflows/sdk/context.js';
import type { Workflow } from '../workflows/sdk/define.js';
import { createWorkflowContext } from './context.js';
import { EffectLedger } from './effect-ledger.js';
import { isRunInterrupted, isRunParked, isRunStopped, RunStopped } from './errors.js';
import { createIngest } from './ingest.js';
import { HEARTBEAT_MS, newHolder, ownerGone } from './ownership.js';
import { type ProgressListener, ProgressTracker } from './progress.js';
import { RunOps } from './run-ops.js';
import { RunState } from './run-state.js';
import { DurableSteps } from './steps.js';
import { buildSummary, callsSince, type RunEnd, type RunSummary } from './summary.js';

/**
 * The engine runs workflows durably: each run is a row in the store, its steps are memoised, its writes go
 * through the effect ledger, and while it executes it holds a lease that says which process owns it.
 *
 * Resuming. `run(W)` first looks for an interrupted run of W (unfinished, owner gone) started with the same
 * options, and resumes it under its own id rather than starting a new run that re-uses the meaning keys.
 * Both would be duplicate-free (effect keys say what a write means, not when it ran), but resuming keeps
 * one run id from the first intent to the last in the audit trail, replays finished steps instead of
 * re-reading the source, and finds the run's pending approvals again. A run started with other options is
 * not resumed: it is closed as interrupted and a new one starts (the ledger still prevents repeats).
 *
 * The CLI calls `run`; a queue worker will call `enqueue` when a schedule fires and `resume(runId)` to
 * execute a queued or interrupted run by id.
 */
export interface EngineOptions {
  store: Pick<Store, 'db' | 'clock'>;
  gate: Gate;
  catalog: OperationCatalog;
  /** The HTTP seam's per-tool counters, for "API calls per tool" in the summary. */
  callStats?: { calls(): Record<string, number> } | undefined;
  log?: Logger | undefined;
  clock?: Clock | undefined;
  /** This engine's lease identity (default: host, pid and a random token). */
  holder?: LeaseHolder | undefined;
  heartbeatMs?: number | undefined;
  approvalPollMs?: number | undefined;
  /** Where the end of each run is recorded (with a signed checkpoint, so every run ends signed). */
  audit?: Pick<AuditTrail, 'append'> | undefined;
  /** `wait` for approvals in process (shared PostgreSQL store) or `park` the run (embedded store). */
  approvals?: 'wait' | 'park' | undefined;
  /** KEV/EPSS by CVE for `ctx.ingest` (default: the snapshot shipped with Arx). */
  intel?: (() => Promise<IntelLookup | undefined>) | undefined;
}

export interface RunRequest<O> {
  /** Resolved options (`resolveOptions`). */
  options: O;
  dryRun?: boolean | undefined;
  /** Set when the connectors point at the built-in sandbox. */
  sandbox?: SandboxInfo | undefined;
  /** The person starting the run: they cannot approve its escalations. */
  requestedBy?: string | undefined;
  /** Aborting leaves the run resumable. */
  signal?: AbortSignal | undefined;
  progress?: ProgressListener | undefined;
  /** Start a new run even if an interrupted one of this workflow could be resumed. */
  fresh?: boolean | undefined;
}

export interface RunOutcome {
  runId: string;
  status: RunEnd;
  resumed: boolean;
  summary: RunSummary;
}

/** What a run row keeps about how it was started. */
export interface RunParams {
  options: unknown;
  optionsHash: string;
  dryRun: boolean;
  sandbox?: SandboxInfo;
  requestedBy?: string;
}

const DB_STATUS: Record<RunEnd, RunStatus> = {
  succeeded: RUN_STATUSES.succeeded,
  failed: RUN_STATUSES.failed,
  stopped: RUN_STATUSES.cancelled,
  // left unfinished with no owner: the next run of the workflow resumes it
  interrupted: RUN_STATUSES.running,
  waiting: RUN_STATUSES.waiting,
};

export class Engine {
  private readonly runs: RunsRepo;
  private readonly leases: RunLeasesRepo;
  private readonly clock: Clock;
  private readonly log: Logger;
  readonly holder: LeaseHolder;

  constructor(private readonly o: EngineOptions) {
    this.clock = o.clock ?? o.store.clock;
    this.runs = new RunsRepo(o.store.db, this.clock);
    this.leases = new RunLeasesRepo(o.store.db, this.clock);
    this.log = o.log ?? logger();
    this.holder = o.holder ?? newHolder();
  }

  /**
   * Runs `workflow` once: resumes its interrupted run when there is one, else starts a new run.
   * @example
   * const outcome = await engine.run(workflow, { options: resolveOptions(workflow, config.workflows[workflow.name]) });
   * console.log(outcome.summary.counts.ticketsCreated);
   */
  async run<O>(workflow: Workflow, request: RunRequest<O>): Promise<RunOutcome> {
    const params = runParams(request);
    if (!params.dryRun && !request.fresh) {
      const interrupted = await this.claimInterrupted(workflow.name, params.optionsHash);
      if (interrupted) return this.execute(interrupted, workflow, request, params);
    }
    const run = await this.runs.create({ workflow: workflow.name, params: { ...params } });
    await this.leases.acquire(run.id, this.holder);
    return this.execute(run, workflow, request, params);
  }

  /** Records a run to be executed later by `resume` (a schedule firing, an API request). */
  async enqueue<O>(
    workflow: Workflow,
    request: Pick<RunRequest<O>, 'options' | 'requestedBy'>,
  ): Promise<RunRecord> {
    return this.runs.create({
      workflow: workflow.name,
      status: RUN_STATUSES.queued,
      params: { ...runParams(request) },
    });
  }

  /** Executes a queued or interrupted run by id, with the options it was started with. */
  async resume(
    runId: string,
    workflow: Workflow,
    request: Omit<RunRequest<unknown>, 'options'> = {},
  ): Promise<RunOutcome> {
    const run = await this.runs.get(runId);
    if (!run)
      throw new ArxError('run_not_found', `no run ${runId}`, {
        fault: 'caller',
        hint: 'list runs with: arx runs list',
      });
    if (run.workflow !== workflow.name) {
      throw new ArxError(
        'run_workflow_mismatch',
        `run ${runId} is a run of ${run.workflow}, not ${workflow.name}`,
        {
          fault: 'caller',
        },
      );
    }
    if (!(await this.claim(run))) {
      throw new ArxError('run_not_resumable', `run ${runId} is ${run.status} and cannot be resumed now`, {
        fault: 'caller',
        hint: 'only a queued run, or an unfinished run whose process has stopped, can be resumed',
      });
    }
    const params = run.params as unknown as RunParams;
    return this.execute(
      run,
      workflow,
      { ...request, options: params.options, sandbox: params.sandbox },
      params,
    );
  }

  /** Whether a run is executing right now (a live lease). */
  async isRunActive(runId: string): Promise<boolean> {
    return !ownerGone(await this.leases.get(runId), this.clock);
  }

  /**
   * Finds the interrupted run of `workflow` to resume and takes its lease. A run executing elsewhere makes
   * this a refusal; interrupted runs started with other options are closed.
   */
  private async claimInterrupted(workflow: string, optionsHash: string): Promise<RunRecord | undefined> {
    const unfinished = (await this.runs.unfinished()).filter(
      (run) => run.workflow === workflow && run.status !== RUN_STATUSES.queued,
    );
    let chosen: RunRecord | undefined;
    for (const run of unfinished.reverse()) {
      const lease = await this.leases.get(run.id);
      const params = run.params as unknown as Partial<RunParams>;
      if (!ownerGone(lease, this.clock)) {
        if (params.dryRun) continue;
        throw new ArxError(
          'run_in_progress',
          `${workflow} is already running (run ${run.id}, ${lease!.owner})`,
          {
            fault: 'caller',
            hint: 'wait for it to finish, or stop it (Ctrl-C in its terminal, or `arx freeze` to stop all writes)',
          },
        );
      }
      const resumable = !chosen && !params.dryRun && params.optionsHash === optionsHash;
      if (resumable && (await this.claim(run))) {
        chosen = run;
        continue;
      }
      await this.runs.setStatus(run.id, RUN_STATUSES.failed, {
        error: params.dryRun
          ? 'interrupted dry run'
          : 'interrupted; not resumed because the workflow was started again with other options',
      });
    }
    return chosen;
  }

  /** Takes the lease of an unfinished run whose owner is gone. */
  private async claim(run: RunRecord): Promise<boolean> {
    if (![RUN_STATUSES.queued, RUN_STATUSES.running, RUN_STATUSES.waiting].includes(run.status as never))
      return false;
    const lease = await this.leases.get(run.id);
    if (!ownerGone(lease, this.clock)) return false;
    return this.leases.acquire(run.id, this.holder, lease?.owner);
  }

  private async execute<O>(
    run: RunRecord,
    workflow: Workflow,
    request: RunRequest<O>,
    params: RunParams,
  ): Promise<RunOutcome> {
    const previous = run.summary as Partial<RunSummary> | null;
    const resumed = run.status !== RUN_STATUSES.queued && previous !== null;
    const attempt = (previous?.attempt ?? 0) + 1;
    const attemptStartedAt = this.clock.now();
    const callsBefore = this.o.callStats?.calls() ?? {};
    const state = new RunState();
    const progress = new ProgressTracker(state, request.progress);
    const lost = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, lost.signal]) : lost.signal;
    const info: RunInfo = {
      id: run.id,
      workflow: workflow.name,
      dryRun: params.dryRun,
      sandbox: params.sandbox,
      attempt,
      resumed,
      startedAt: run.startedAt,
    };
    const summarise = (status: RunEnd | 'running', extra: { error?: string; hint?: string } = {}) =>
      buildSummary(
        {
          runId: run.id,
          workflow: workflow.name,
          status: status as RunEnd,
          dryRun: params.dryRun,
          sandbox: params.sandbox,
          attempt,
          resumed,
          startedAt: run.startedAt,
          attemptStartedAt,
          finishedAt: this.clock.now(),
          apiCalls: callsSince(callsBefore, this.o.callStats?.calls() ?? {}),
          ...extra,
        },
        state,
      );

    await this.runs.setStatus(run.id, RUN_STATUSES.running, { summary: { ...summarise('running') } });
    progress.emit({
      type: 'run',
      runId: run.id,
      workflow: workflow.name,
      resumed,
      attempt,
      dryRun: params.dryRun,
      sandbox: params.sandbox,
    });
    const log = this.log.child({ run: run.id, workflow: workflow.name });
    const db = this.o.store.db;
    const ledger = new EffectLedger({
      effects: new EffectsRepo(db, this.clock),
      runId: run.id,
      dryRun: params.dryRun,
      isRunActive: (id) => this.isRunActive(id),
      log,
    });
    const ops = new RunOps({
      gate: this.o.gate,
      catalog: this.o.catalog,
      runs: this.runs,
      runId: run.id,
      principal: { kind: 'workflow', id: workflow.name },
      dryRun: params.dryRun,
      requestedBy: params.requestedBy,
      signal,
      state,
      progress,
      ledger,
      approvalPollMs: this.o.approvalPollMs,
      approvals: this.o.approvals,
      workflow: workflow.name,
    });
    const stopHeartbeat = this.startHeartbeat(run.id, lost, () => ({
      status: ops.waiting ? RUN_STATUSES.waiting : RUN_STATUSES.running,
      summary: summarise('running'),
    }));
    const ctx = createWorkflowContext({
      run: info,
      options: request.options,
      clock: this.clock,
      log,
      ops,
      ledger,
      steps: new DurableSteps(this.runs, run.id, state, params.dryRun),
      state,
      progress,
      findings: new FindingsRepo(db, this.clock),
      links: new SinkLinksRepo(db, this.clock),
      watermarks: new WatermarksRepo(db, this.clock),
      ingest: createIngest({
        ops,
        store: { db, clock: this.clock },
        run: info,
        state,
        progress,
        intel: this.o.intel,
      }),
    });

    let end: { status: RunEnd; error?: string; hint?: string };
    try {
      // options were resolved against this workflow's own schema
      await workflow.run(ctx as unknown as Parameters<Workflow['run']>[0]);
      end = { status: 'succeeded' };
    } catch (err) {
      end = this.classify(err, signal, log);
    } finally {
      await stopHeartbeat();
    }
    const summary = summarise(end.status, end);
    try {
      await this.runs.setStatus(run.id, DB_STATUS[end.status], {
        summary: { ...summary },
        // a resumed run that succeeds clears the error its interrupted attempt left
        error: end.error ?? '',
      });
      await this.recordRunEnd(workflow.name, summary);
    } finally {
      await this.leases.release(run.id, this.holder.owner).catch(() => {});
    }
    return { runId: run.id, status: end.status, resumed, summary };
  }

  /**
   * Every operation of the run is already in the audit trail; this entry ties them together (what the run
   * did, in its own counts) and signs a checkpoint over it. Failing to write it loses no action, so it is
   * logged rather than failing a run whose work is done.
   */
  private async recordRunEnd(workflow: string, summary: RunSummary): Promise<void> {
    if (!this.o.audit) return;
    try {
      await this.o.audit.append({
        kind: 'control',
        actor: `workflow:${workflow}`,
        action: `run.${summary.status}`,
        runId: summary.runId,
        payload: {
          workflow,
          status: summary.status,
          dry_run: summary.dryRun,
          attempt: summary.attempt,
          counts: summary.counts,
          extra: summary.extra,
          api_calls: summary.apiCalls,
          effects: summary.effects,
          ...(summary.error ? { error: summary.error } : {}),
        },
        checkpoint: true,
      });
    } catch (err) {
      this.log.error({ err, runId: summary.runId }, 'could not record the end of the run in the audit trail');
    }
  }

  private classify(
    err: unknown,
    signal: AbortSignal,
    log: Logger,
  ): { status: RunEnd; error: string; hint?: string } {
    const message = secrets.scrub(err instanceof Error ? err.message : String(err));
    const hint = isArxError(err) ? err.hint : undefined;
    if (isRunStopped(err) || isRunStopped(signal.reason)) {
      const stopped = isRunStopped(err) ? err : (signal.reason as RunStopped);
      return { status: 'stopped', error: stopped.message, ...(stopped.hint ? { hint: stopped.hint } : {}) };
    }
    if (isRunParked(err))
      return { status: 'waiting', error: err.message, ...(err.hint ? { hint: err.hint } : {}) };
    if (isRunInterrupted(err) || signal.aborted) {
      return { status: 'interrupted', error: message, hint: 'run the workflow again to resume it' };
    }
    if (!isArxError(err)) log.error({ err }, 'workflow failed');
    return { status: 'failed', error: message, ...(hint ? { hint } : {}) };
  }

  /**
   * Keeps the lease fresh and the stored summary current while the run executes. A lost lease (another
   * process took the run over after judging this one dead) stops the run at its next call.
   */
  private startHeartbeat(
    runId: string,
    lost: AbortController,
    current: () => { status: RunStatus; summary: RunSummary },
  ): () => Promise<void> {
    let stopped = false;
    let beat: Promise<void> = Promise.resolve();
    const timer = setInterval(() => {
      beat = (async () => {
        try {
          if (!(await this.leases.heartbeat(runId, this.holder.owner))) {
            lost.abort(new RunStopped(`run ${runId} was taken over by another process`));
            return;
          }
          // the run may have finished while the lease was refreshed: never write over its final status
          if (stopped) return;
          const { status, summary } = current();
          await this.runs.setStatus(runId, status, { summary: { ...summary } });
        } catch (err) {
          this.log.warn(
            { run: runId, err: err instanceof Error ? err.message : String(err) },
            'heartbeat failed',
          );
        }
      })();
    }, this.o.heartbeatMs ?? HEARTBEAT_MS);
    timer.unref();
    return async () => {
      stopped = true;
      clearInterval(timer);
      await beat;
    };
  }
}

/** The `params` of a run row (exported so a scheduler can create queued runs inside its own transaction). */
export function runParams<O>(
  request: Pick<RunRequest<O>, 'options' | 'requestedBy' | 'dryRun' | 'sandbox'>,
): RunParams {
  return {
    options: request.options,
    optionsHash: hashOf({ options: request.options ?? null }),
    dryRun: Boolean(request.dryRun),
    ...(request.sandbox ? { sandbox: request.sandbox } : {}),
    ...(request.requestedBy ? { requestedBy: request.requestedBy } : {}),
  };
}
