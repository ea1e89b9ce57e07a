import type { Generated } from 'kysely';
import type { Timestamp } from './database.js';
import type { DriftViolation } from './governance-statuses.js';
import type { Db } from './repo-support.js';

/** Drift events: a principal did something its declared manifest does not cover. */
export interface DriftEventsTable {
  id: Generated<string>;
  at: Timestamp;
  principal: string;
  operation: string;
  violation: DriftViolation;
  detail: string;
  response: string;
}

declare module './database.js' {
  interface Database {
    drift_events: DriftEventsTable;
  }
}

export interface DriftEvent {
  at: Date;
  principal: string;
  operation: string;
  violation: DriftViolation;
  detail: string;
  response: string;
}

export async function recordDriftEvents(db: Db, events: readonly DriftEvent[]): Promise<void> {
  if (events.length === 0) return;
  await db
    .insertInto('drift_events')
    .values(events.map((e) => ({ ...e })))
    .execute();
}

export interface DriftQuery {
  /** `kind:id`, as the gate records it (`workflow:wiz-distribution`). */
  principal?: string;
  /** Only events at or after this time. */
  since?: Date;
  /** At most this many, newest first (default 100). */
  limit?: number;
}

/** Drift events, newest first, in one query. */
export async function listDriftEvents(
  db: Db,
  query: DriftQuery = {},
): Promise<(DriftEvent & { id: number })[]> {
  let q = db.selectFrom('drift_events').selectAll().orderBy('id', 'desc');
  if (query.principal) q = q.where('principal', '=', query.principal);
  if (query.since) q = q.where('at', '>=', query.since);
  const rows = await q.limit(query.limit ?? 100).execute();
  return rows.map((row) => ({ ...row, id: Number(row.id), at: new Date(row.at) }));
}
