import { type Clock, systemClock } from '../core/clock.js';
import type { Db } from './repo-support.js';

export interface Watermark {
  source: string;
  scope: string;
  value: string;
  updatedAt: Date;
}

/**
 * How far incremental ingestion got per source and scope (`wiz` / `project:prod`): a timestamp or an
 * opaque cursor, stored as text. Moved only after the data up to it is safely stored.
 */
export class WatermarksRepo {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock = systemClock,
  ) {}

  async get(source: string, scope = ''): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('watermarks')
      .select('value')
      .where('source', '=', source)
      .where('scope', '=', scope)
      .executeTakeFirst();
    return row?.value;
  }

  async set(source: string, value: string, scope = ''): Promise<void> {
    const now = this.clock.now();
    await this.db
      .insertInto('watermarks')
      .values({ source, scope, value, updated_at: now })
      .onConflict((oc) => oc.columns(['source', 'scope']).doUpdateSet({ value, updated_at: now }))
      .execute();
  }

  /** Forgets a watermark: the next run ingests from the beginning. */
  async reset(source: string, scope = ''): Promise<boolean> {
    const result = await this.db
      .deleteFrom('watermarks')
      .where('source', '=', source)
      .where('scope', '=', scope)
      .executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async list(source?: string): Promise<Watermark[]> {
    let query = this.db.selectFrom('watermarks').selectAll();
    if (source) query = query.where('source', '=', source);
    const rows = await query.orderBy('source').orderBy('scope').execute();
    return rows.map((row) => ({
      source: row.source,
      scope: row.scope,
      value: row.value,
      updatedAt: row.updated_at,
    }));
  }
}
