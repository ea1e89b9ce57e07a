import type { Selectable } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import { ArxError } from '../core/errors.js';
import { secrets } from '../core/secrets.js';
import type { EffectsTable } from './database.js';
import type { Db } from './repo-support.js';
import { toJson } from './repo-support.js';
import { EFFECT_STATES, type EffectState } from './statuses.js';

export interface EffectRecord {
  key: string;
  state: EffectState;
  operation: string;
  runId: string | null;
  result: unknown;
  error: string | null;
  attempts: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface BeginResult {
  /** True when this call wrote the `pending` entry: the caller performs the effect. */
  created: boolean;
  /** The entry after the call: the new one, or the one that already existed under this key. */
  record: EffectRecord;
}

/**
 * The idempotency ledger. Before an external write the caller `begin`s its key (derived from what the
 * effect means, e.g. `jira:create:<finding_key>`); only the caller that created the entry performs the
 * write, then `complete`s or `fail`s it. An entry left `pending` by a crash is reconciled against the
 * target (search by label, dedup_key) before any retry, never blindly repeated.
 *
 * Transitions: (none) → pending → done | failed; failed → pending again through `retry`.
 */
export class EffectsRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  /** Claims `key` for this caller if nobody has; otherwise returns the existing entry untouched. */
  async begin(key: string, operation: string, runId?: string): Promise<BeginResult> {
    const now = this.clock.now();
    const inserted = await this.db
      .insertInto('effects')
      .values({
        key,
        state: EFFECT_STATES.pending,
        operation,
        run_id: runId ?? null,
        attempts: 1,
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.column('key').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (inserted) return { created: true, record: toRecord(inserted) };
    const existing = await this.get(key);
    if (!existing)
      throw new ArxError('effect_vanished', `Effect ${key} disappeared while it was being claimed.`);
    return { created: false, record: existing };
  }

  async get(key: string): Promise<EffectRecord | undefined> {
    const row = await this.db.selectFrom('effects').selectAll().where('key', '=', key).executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** pending → done with the target's answer (issue key, incident id): what a repeat returns instead. */
  async complete(key: string, result: unknown): Promise<EffectRecord> {
    return this.transition(key, EFFECT_STATES.done, { result: toJson(result), error: null });
  }

  /** pending → failed. The message is stored scrubbed of known secrets. */
  async fail(key: string, error: unknown): Promise<EffectRecord> {
    const message = secrets.scrub(error instanceof Error ? error.message : String(error));
    return this.transition(key, EFFECT_STATES.failed, { error: message });
  }

  /**
   * failed → pending for another attempt. Returns undefined when the entry is not `failed` (another
   * worker already retried it, or it never failed), so two retriers cannot both perform the write.
   */
  async retry(key: string, runId?: string): Promise<EffectRecord | undefined> {
    const row = await this.db
      .updateTable('effects')
      .set((eb) => ({
        state: EFFECT_STATES.pending,
        attempts: eb('attempts', '+', 1),
        error: null,
        updated_at: this.clock.now(),
        ...(runId ? { run_id: runId } : {}),
      }))
      .where('key', '=', key)
      .where('state', '=', EFFECT_STATES.failed)
      .returningAll()
      .executeTakeFirst();
    return row ? toRecord(row) : undefined;
  }

  /** Entries still pending, oldest first: after a crash these are reconciled before anything is retried. */
  async pending(options: { olderThan?: Date; runId?: string; limit?: number } = {}): Promise<EffectRecord[]> {
    let query = this.db.selectFrom('effects').selectAll().where('state', '=', EFFECT_STATES.pending);
    if (options.olderThan) query = query.where('updated_at', '<', options.olderThan);
    if (options.runId) query = query.where('run_id', '=', options.runId);
    const rows = await query
      .orderBy('created_at')
      .orderBy('key')
      .limit(options.limit ?? 1000)
      .execute();
    return rows.map(toRecord);
  }

  private async transition(
    key: string,
    state: EffectState,
    fields: { result?: string; error: string | null },
  ): Promise<EffectRecord> {
    const row = await this.db
      .updateTable('effects')
      .set({ state, ...fields, updated_at: this.clock.now() })
      .where('key', '=', key)
      .where('state', '=', EFFECT_STATES.pending)
      .returningAll()
      .executeTakeFirst();
    if (row) return toRecord(row);
    const current = await this.get(key);
    throw new ArxError(
      'effect_not_pending',
      current
        ? `Effect ${key} is ${current.state}, not pending: it cannot become ${state}.`
        : `Effect ${key} was never begun: call begin() before ${state === 'done' ? 'complete' : 'fail'}().`,
      { fault: 'arx', details: { key, state: current?.state } },
    );
  }
}

function toRecord(row: Selectable<EffectsTable>): EffectRecord {
  return {
    key: row.key,
    state: row.state,
    operation: row.operation,
    runId: row.run_id,
    result: row.result,
    error: row.error,
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
