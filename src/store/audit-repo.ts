import type { ColumnType } from 'kysely';
import type { Json, Timestamp } from './database.js';
import type { AuditKind } from './governance-statuses.js';
import { type Db, inTransaction, toJson } from './repo-support.js';

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

/** What a caller appends: the entry (with seq, prev_hash and hash filled in) and maybe a checkpoint. */
export interface AuditAppend {
  entry: AuditEntry;
  checkpoint?: AuditCheckpoint;
}

/**
 * Appends one entry. Inside one transaction: lock the head row (`FOR UPDATE`, so concurrent writers on
 * PostgreSQL queue up and the chain never forks), let `build` chain the entry onto the head, insert it (and
 * its checkpoint), move the head. If anything fails nothing is written.
 */
export async function appendAuditEntry(db: Db, build: (head: AuditHead) => AuditAppend): Promise<AuditEntry> {
  return inTransaction(db, async (trx) => {
    const headRow = await trx
      .selectFrom('audit_head')
      .selectAll()
      .where('id', '=', 1)
      .forUpdate()
      .executeTakeFirstOrThrow();
    const { entry, checkpoint } = build(toHead(headRow));
    await trx
      .insertInto('audit_log')
      .values({ ...entry, payload: toJson(entry.payload) })
      .execute();
    if (checkpoint) await trx.insertInto('audit_checkpoints').values(checkpoint).execute();
    await trx
      .updateTable('audit_head')
      .set({
        seq: entry.seq,
        hash: entry.hash,
        ...(checkpoint ? { checkpoint_seq: checkpoint.seq, checkpoint_at: checkpoint.at } : {}),
      })
      .where('id', '=', 1)
      .execute();
    return entry;
  });
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

/** Gate calls (intents) `actor` made at or after `since`: session frequency and drift rate limits. */
export async function countIntentsSince(db: Db, actor: string, since: Date): Promise<number> {
  const row = await db
    .selectFrom('audit_log')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('kind', '=', 'intent')
    .where('actor', '=', actor)
    .where('at', '>=', since)
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
