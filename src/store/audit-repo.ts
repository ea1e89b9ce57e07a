import { type ColumnType, sql } from 'kysely';
import type { Json, Timestamp } from './database.js';
import type { AuditKind } from './governance-statuses.js';
import { type Db, recordset } from './repo-support.js';

/**
 * The audit log's storage: append under the head-row lock, read back in chain order, count a principal's
 * recent intents. Hashing, signing and verification are governance's (`governance/audit/`); this file only
 * moves rows. The table refuses UPDATE and DELETE (trigger in 0002_governance).
 */

type BigintColumn = ColumnType<string, number, never>;

export interface AuditLogTable {
  seq: BigintColumn;
  at: Timestamp;
  kind: AuditKind;
  actor: string;
  action: string;
  verdict: string | null;
  risk: number | null;
  run_id: string | null;
  payload: Json<Record<string, unknown>>;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: ColumnType<string, number, number>;
  hash: string;
  checkpoint_seq: ColumnType<string, number, number>;
  checkpoint_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface AuditCheckpointsTable {
  seq: BigintColumn;
  at: Timestamp;
  hash: string;
  key_id: string;
  signature: string;
}

declare module './database.js' {
  interface Database {
    audit_log: AuditLogTable;
    audit_head: AuditHeadTable;
    audit_checkpoints: AuditCheckpointsTable;
  }
}

/** One audit entry as stored (and as hashed: `at` is ISO text so the hash input is exact). */
export interface AuditEntry {
  seq: number;
  at: string;
  kind: AuditKind;
  actor: string;
  action: string;
  verdict: string | null;
  risk: number | null;
  run_id: string | null;
  payload: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditHead {
  seq: number;
  hash: string;
  checkpointSeq: number;
  checkpointAt: Date | null;
}

export interface AuditCheckpoint {
  seq: number;
  at: string;
  hash: string;
  key_id: string;
  signature: string;
}

/** One batch for the chain: entries in seq order, each chained onto the one before, and their checkpoints. */
export interface AuditBatch {
  entries: AuditEntry[];
  checkpoints: AuditCheckpoint[];
}

const ENTRY_COLUMNS = {
  seq: 'bigint',
  at: 'timestamptz',
  kind: 'text',
  actor: 'text',
  action: 'text',
  verdict: 'text',
  risk: 'integer',
  run_id: 'text',
  payload: 'jsonb',
  prev_hash: 'text',
  hash: 'text',
} as const;

const CHECKPOINT_COLUMNS = {
  seq: 'bigint',
  at: 'timestamptz',
  hash: 'text',
  key_id: 'text',
  signature: 'text',
} as const;

/**
 * Appends a batch in ONE statement, and only if the head is still `expected`: the head row moves from
 * `expected` to the batch's last entry, and the entries and checkpoints are inserted only when it did. A
 * writer in another process that moved the head first makes this return false (nothing written): read the
 * head again, chain the batch onto it, and try again. On PostgreSQL the UPDATE waits for a concurrent
 * writer's lock and then re-checks its WHERE, so the chain never forks; the statement is its own
 * transaction, so a batch is written whole or not at all.
 */
export async function appendAuditBatch(db: Db, expected: AuditHead, batch: AuditBatch): Promise<boolean> {
  const last = batch.entries.at(-1);
  if (!last) return true;
  const checkpoint = batch.checkpoints.at(-1);
  const result = await sql<{ moved: string }>`
    with moved as (
      update audit_head set seq = ${last.seq}, hash = ${last.hash},
        checkpoint_seq = ${checkpoint ? checkpoint.seq : sql.ref('checkpoint_seq')},
        checkpoint_at = ${checkpoint ? checkpoint.at : sql.ref('checkpoint_at')}
      where id = 1 and seq = ${expected.seq} and hash = ${expected.hash}
      returning 1
    ), entries as (
      insert into audit_log (${sql.join(Object.keys(ENTRY_COLUMNS).map((c) => sql.id(c)))})
      ${recordset(ENTRY_COLUMNS, batch.entries)} where exists (select 1 from moved)
      returning 1
    ), checkpoints as (
      insert into audit_checkpoints (${sql.join(Object.keys(CHECKPOINT_COLUMNS).map((c) => sql.id(c)))})
      ${recordset(CHECKPOINT_COLUMNS, batch.checkpoints)} where exists (select 1 from moved)
      returning 1
    )
    select (select count(*) from moved) as moved`.execute(db);
  return Number(result.rows[0]?.moved ?? 0) === 1;
}

export async function readAuditHead(db: Db): Promise<AuditHead> {
  return toHead(await db.selectFrom('audit_head').selectAll().where('id', '=', 1).executeTakeFirstOrThrow());
}

export interface AuditQuery {
  /** Only entries with seq greater than this. */
  afterSeq?: number;
  since?: Date;
  limit?: number;
  /** Newest first (for `tail`); default oldest first. */
  newestFirst?: boolean;
}

export async function readAuditEntries(db: Db, query: AuditQuery = {}): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log').selectAll();
  if (query.afterSeq !== undefined) q = q.where('seq', '>', String(query.afterSeq));
  if (query.since) q = q.where('at', '>=', query.since);
  q = q.orderBy('seq', query.newestFirst ? 'desc' : 'asc');
  if (query.limit !== undefined) q = q.limit(query.limit);
  const rows = await q.execute();
  return rows.map((row) => ({
    seq: Number(row.seq),
    at: new Date(row.at).toISOString(),
    kind: row.kind,
    actor: row.actor,
    action: row.action,
    verdict: row.verdict,
    risk: row.risk,
    run_id: row.run_id,
    payload: row.payload,
    prev_hash: row.prev_hash,
    hash: row.hash,
  }));
}

export async function readAuditCheckpoints(db: Db): Promise<AuditCheckpoint[]> {
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').execute();
  return rows.map((row) => ({ ...row, seq: Number(row.seq), at: new Date(row.at).toISOString() }));
}

/**
 * Gate calls (intents) `actor` made at or after `since`: session frequency and drift rate limits. With
 * `upTo`, counting stops there (what the caller needs to decide is whether a threshold is reached), so the
 * cost stays flat however busy the principal is.
 */
export async function countIntentsSince(db: Db, actor: string, since: Date, upTo?: number): Promise<number> {
  let recent = db
    .selectFrom('audit_log')
    .select('seq')
    .where('kind', '=', 'intent')
    .where('actor', '=', actor)
    .where('at', '>=', since);
  if (upTo !== undefined) recent = recent.limit(upTo);
  const row = await db
    .selectFrom(recent.as('recent'))
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

function toHead(row: {
  seq: string;
  hash: string;
  checkpoint_seq: string;
  checkpoint_at: Date | null;
}): AuditHead {
  return {
    seq: Number(row.seq),
    hash: row.hash,
    checkpointSeq: Number(row.checkpoint_seq),
    checkpointAt: row.checkpoint_at ? new Date(row.checkpoint_at) : null,
  };
}
