import type { Selectable } from 'kysely';
import { type Clock, systemClock } from '../core/clock.js';
import type { QuarantineTable } from './database.js';
import { chunks, type Db, toJson } from './repo-support.js';

export interface QuarantineInput {
  /** The source the record came from (`wiz`, `qualys`). */
  vendor: string;
  /** Why it could not be normalised, for the person who reads the quarantine. */
  reason: string;
  /** Where in the raw record the problem is (`entitySnapshot.providerId`). */
  fieldPath?: string;
  raw: unknown;
  runId?: string;
}

export interface QuarantinedRecord {
  id: string;
  vendor: string;
  reason: string;
  fieldPath: string | null;
  raw: unknown;
  runId: string | null;
  createdAt: Date;
}

const INSERT_BATCH_SIZE = 500;

/** Source records that could not be normalised: kept whole so nothing is dropped silently. */
export class QuarantineRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async add(input: QuarantineInput): Promise<string> {
    const [id] = await this.addMany([input]);
    return id!;
  }

  /** Returns the new ids in input order. */
  async addMany(inputs: readonly QuarantineInput[]): Promise<string[]> {
    const now = this.clock.now();
    const ids: string[] = [];
    for (const batch of chunks(inputs, INSERT_BATCH_SIZE)) {
      const rows = await this.db
        .insertInto('quarantine')
        .values(
          batch.map((input) => ({
            vendor: input.vendor,
            reason: input.reason,
            field_path: input.fieldPath ?? null,
            raw: toJson(input.raw),
            run_id: input.runId ?? null,
            created_at: now,
          })),
        )
        .returning('id')
        .execute();
      // A plain multi-row INSERT returns its rows in VALUES order (identity values are assigned in that order).
      ids.push(...rows.map((row) => String(row.id)));
    }
    return ids;
  }

  /** Newest first; pass the last id seen as `beforeId` for the next page. */
  async list(
    options: { vendor?: string; runId?: string; limit?: number; beforeId?: string } = {},
  ): Promise<QuarantinedRecord[]> {
    let query = this.db.selectFrom('quarantine').selectAll();
    if (options.vendor) query = query.where('vendor', '=', options.vendor);
    if (options.runId) query = query.where('run_id', '=', options.runId);
    if (options.beforeId) query = query.where('id', '<', options.beforeId);
    const rows = await query
      .orderBy('id', 'desc')
      .limit(options.limit ?? 100)
      .execute();
    return rows.map(toRecord);
  }

  async count(options: { vendor?: string; runId?: string } = {}): Promise<number> {
    let query = this.db.selectFrom('quarantine').select((eb) => eb.fn.countAll<string>().as('n'));
    if (options.vendor) query = query.where('vendor', '=', options.vendor);
    if (options.runId) query = query.where('run_id', '=', options.runId);
    return Number((await query.executeTakeFirstOrThrow()).n);
  }
}

function toRecord(row: Selectable<QuarantineTable>): QuarantinedRecord {
  return {
    id: String(row.id),
    vendor: row.vendor,
    reason: row.reason,
    fieldPath: row.field_path,
    raw: row.raw,
    runId: row.run_id,
    createdAt: row.created_at,
  };
}
