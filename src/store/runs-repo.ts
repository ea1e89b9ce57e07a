import { randomUUID } from 'node:crypto';
import { type Selectable, sql } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { ArxError } from '../core/errors.js';
import { secrets } from '../core/secrets.js';
import type { RunsTable, StepsTable } from './database.js';
import { type Db, decodeCursor, encodeCursor, type Page, pageSize, toJson } from './repo-support.js';
import {
  FINISHED_RUN_STATUSES,
  RUN_STATUSES,
  type RunStatus,
  STEP_STATUSES,
  type StepStatus,
} from './statuses.js';

export interface RunRecord {
  id: string;
  workflow: string;
  status: RunStatus;
  params: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  updatedAt: Date;
}

export interface StepRecord {
  runId: string;
  key: string;
  status: StepStatus;
  output: unknown;
  error: string | null;
  attempts: number;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface BeginStepResult {
  /** True when the step finished in an earlier attempt: use `step.output`, do not run it again. */
  replay: boolean;
  step: StepRecord;
}

/**
 * Durable workflow runs and their steps. A step that is `done` is never executed again: after a crash
 * the run is resumed and each finished step replays its stored output.
 */
export class RunsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async create(input: {
    workflow: string;
    params?: Record<string, unknown>;
    id?: string;
    status?: RunStatus;
  }): Promise<RunRecord> {
    const now = this.clock.now();
    const row = await this.db
      .insertInto('runs')
      .values({
        id: input.id ?? randomUUID(),
        workflow: input.workflow,
        status: input.status ?? RUN_STATUSES.running,
        params: toJson(input.params ?? {}),
        started_at: now,
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return toRun(row);
  }

  async get(id: string): Promise<RunRecord | undefined> {
    const row = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? toRun(row) : undefined;
  }

  /** Moves a run to `status`; a finished status stamps `finished_at`, any other clears it (resume). */
  async setStatus(
    id: string,
    status: RunStatus,
    details: { summary?: Record<string, unknown>; error?: string } = {},
  ): Promise<RunRecord> {
    const now = this.clock.now();
    const row = await this.db
      .updateTable('runs')
      .set({
        status,
        updated_at: now,
        finished_at: FINISHED_RUN_STATUSES.includes(status) ? now : null,
        ...(details.summary ? { summary: toJson(details.summary) } : {}),
        ...(details.error !== undefined ? { error: secrets.scrub(details.error) } : {}),
      })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ArxError('run_not_found', `No run with id ${id}.`, { fault: 'caller' });
    return toRun(row);
  }

  /** Newest first, keyset paginated. */
  async list(
    options: {
      workflow?: string;
      status?: RunStatus | readonly RunStatus[];
      limit?: number;
      after?: string;
    } = {},
  ): Promise<Page<RunRecord>> {
    const limit = pageSize(options.limit);
    let query = this.db.selectFrom('runs').selectAll();
    if (options.workflow) query = query.where('workflow', '=', options.workflow);
    if (options.status) {
      const statuses = typeof options.status === 'string' ? [options.status] : [...options.status];
      query = query.where('status', 'in', statuses);
    }
    if (options.after) {
      const [cursorAt, id] = decodeCursor(options.after, 2) as [string, string];
      const startedAt = sql<Date>`${cursorAt}::timestamptz`;
      query = query.where((eb) =>
        eb.or([
          eb('started_at', '<', startedAt),
          eb.and([eb('started_at', '=', startedAt), eb('id', '<', id)]),
        ]),
      );
    }
    const rows = await query
      .select((eb) => eb.cast<string>('started_at', 'text').as('cursor_at'))
      .orderBy('started_at', 'desc')
      .orderBy('id', 'desc')
      .limit(limit + 1)
      .execute();
    const page = rows.slice(0, limit);
    const last = page.at(-1);
    return {
      items: page.map(toRun),
      ...(rows.length > limit && last ? { next: encodeCursor([last.cursor_at, last.id]) } : {}),
    };
  }

  /** Runs that have not finished (queued, running, waiting): what a restarted engine picks up. */
  async unfinished(): Promise<RunRecord[]> {
    const rows = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('status', 'not in', FINISHED_RUN_STATUSES)
      .orderBy('started_at')
      .orderBy('id')
      .execute();
    return rows.map(toRun);
  }

  /**
   * Starts (or restarts) a step. A step already `done` is returned with `replay: true` and left as it is;
   * otherwise it becomes `running` and its attempt count goes up.
   */
  async beginStep(runId: string, key: string): Promise<BeginStepResult> {
    const now = this.clock.now();
    const row = await this.db
      .insertInto('steps')
      .values({ run_id: runId, step_key: key, status: STEP_STATUSES.running, attempts: 1, started_at: now })
      .onConflict((oc) =>
        oc
          .columns(['run_id', 'step_key'])
          .doUpdateSet((eb) => ({
            status: STEP_STATUSES.running,
            attempts: eb('steps.attempts', '+', 1),
            error: null,
            started_at: now,
            finished_at: null,
          }))
          .where('steps.status', '<>', STEP_STATUSES.done),
      )
      .returningAll()
      .executeTakeFirst();
    if (row) return { replay: false, step: toStep(row) };
    const done = await this.step(runId, key);
    if (!done) throw new ArxError('step_vanished', `Step ${key} of run ${runId} disappeared while starting.`);
    return { replay: true, step: done };
  }

  async completeStep(runId: string, key: string, output: unknown): Promise<StepRecord> {
    return this.finishStep(runId, key, STEP_STATUSES.done, { output: toJson(output), error: null });
  }

  async failStep(runId: string, key: string, error: unknown): Promise<StepRecord> {
    const message = secrets.scrub(error instanceof Error ? error.message : String(error));
    return this.finishStep(runId, key, STEP_STATUSES.failed, { error: message });
  }

  /** Parks a step (approval pending, timer): the run is resumed later and begins the step again. */
  async waitStep(runId: string, key: string, output?: unknown): Promise<StepRecord> {
    return this.finishStep(runId, key, STEP_STATUSES.waiting, {
      error: null,
      ...(output !== undefined ? { output: toJson(output) } : {}),
    });
  }

  async step(runId: string, key: string): Promise<StepRecord | undefined> {
    const row = await this.db
      .selectFrom('steps')
      .selectAll()
      .where('run_id', '=', runId)
      .where('step_key', '=', key)
      .executeTakeFirst();
    return row ? toStep(row) : undefined;
  }

  async steps(runId: string): Promise<StepRecord[]> {
    const rows = await this.db
      .selectFrom('steps')
      .selectAll()
      .where('run_id', '=', runId)
      .orderBy('started_at')
      .orderBy('step_key')
      .execute();
    return rows.map(toStep);
  }

  private async finishStep(
    runId: string,
    key: string,
    status: StepStatus,
    fields: { output?: string; error: string | null },
  ): Promise<StepRecord> {
    const row = await this.db
      .updateTable('steps')
      .set({
        status,
        ...fields,
        finished_at: status === STEP_STATUSES.waiting ? null : this.clock.now(),
      })
      .where('run_id', '=', runId)
      .where('step_key', '=', key)
      .where('status', '=', STEP_STATUSES.running)
      .returningAll()
      .executeTakeFirst();
    if (row) return toStep(row);
    const current = await this.step(runId, key);
    throw new ArxError(
      'step_not_running',
      current
        ? `Step ${key} of run ${runId} is ${current.status}, not running: it cannot become ${status}.`
        : `Step ${key} of run ${runId} was never begun: call beginStep() first.`,
      { fault: 'arx' },
    );
  }
}

function toRun(row: Selectable<RunsTable>): RunRecord {
  return {
    id: row.id,
    workflow: row.workflow,
    status: row.status,
    params: row.params,
    summary: row.summary,
    error: row.error,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    updatedAt: row.updated_at,
  };
}

function toStep(row: Selectable<StepsTable>): StepRecord {
  return {
    runId: row.run_id,
    key: row.step_key,
    status: row.status,
    output: row.output,
    error: row.error,
    attempts: row.attempts,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
  };
}
