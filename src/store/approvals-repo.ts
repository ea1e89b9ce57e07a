import type { ColumnType, Selectable } from 'kysely';
import type { Json, Timestamp } from './database.js';
import { APPROVAL_STATUSES, type ApprovalDecision, type ApprovalStatus } from './governance-statuses.js';
import { type Db, inTransaction, toJson } from './repo-support.js';

/**
 * Approval requests and decisions. A request is bound to one operation and one params hash, and is unique
 * per (idempotency key, params hash): a restarted run finds its own request again, and a request for other
 * params is a different request. Eligibility and self-approval rules are governance's (`approvals.ts`).
 */

export interface ApprovalsTable {
  id: string;
  operation: string;
  params_hash: string;
  idempotency_key: string;
  principal: string;
  run_id: string | null;
  params: Json<Record<string, unknown>>;
  context: Json<Record<string, unknown>>;
  approvers: Json<ApproverSet>;
  required: number;
  status: ApprovalStatus;
  requested_at: Timestamp;
  expires_at: Timestamp;
  decided_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface ApprovalDecisionsTable {
  approval_id: string;
  approver: string;
  decision: ApprovalDecision;
  note: string | null;
  at: Timestamp;
}

declare module './database.js' {
  interface Database {
    approvals: ApprovalsTable;
    approval_decisions: ApprovalDecisionsTable;
  }
}

/** Who may decide, as configured when the request was made (snapshotted: later config edits do not widen it). */
export interface ApproverSet {
  /** As configured: group names and user ids; `*` when no approval rule matched (any person but the requester). */
  from: string[];
  /** The users those resolve to. */
  members: string[];
  anyone: boolean;
}

export interface ApprovalRecord {
  id: string;
  operation: string;
  paramsHash: string;
  idempotencyKey: string;
  principal: string;
  runId: string | null;
  params: Record<string, unknown>;
  context: Record<string, unknown>;
  approvers: ApproverSet;
  required: number;
  status: ApprovalStatus;
  requestedAt: Date;
  expiresAt: Date;
  decidedAt: Date | null;
  decisions: ApprovalDecisionRecord[];
}

export interface ApprovalDecisionRecord {
  approver: string;
  decision: ApprovalDecision;
  note: string | null;
  at: Date;
}

export type NewApproval = Omit<ApprovalRecord, 'status' | 'decidedAt' | 'decisions'>;

/** Inserts the request unless one exists for the same key and params hash; returns the stored one and whether it is new. */
export async function insertApprovalOnce(
  db: Db,
  approval: NewApproval,
): Promise<{ approval: ApprovalRecord; created: boolean }> {
  const inserted = await db
    .insertInto('approvals')
    .values({
      id: approval.id,
      operation: approval.operation,
      params_hash: approval.paramsHash,
      idempotency_key: approval.idempotencyKey,
      principal: approval.principal,
      run_id: approval.runId,
      params: toJson(approval.params),
      context: toJson(approval.context),
      approvers: toJson(approval.approvers),
      required: approval.required,
      status: APPROVAL_STATUSES.pending,
      requested_at: approval.requestedAt,
      expires_at: approval.expiresAt,
    })
    .onConflict((oc) => oc.columns(['idempotency_key', 'params_hash']).doNothing())
    .returning('id')
    .executeTakeFirst();
  const stored = await findApprovalFor(db, approval.idempotencyKey, approval.paramsHash);
  if (!stored) throw new Error(`approval ${approval.id} vanished after insert`);
  return { approval: stored, created: inserted !== undefined };
}

export async function findApprovalFor(
  db: Db,
  idempotencyKey: string,
  paramsHash: string,
): Promise<ApprovalRecord | undefined> {
  const row = await db
    .selectFrom('approvals')
    .selectAll()
    .where('idempotency_key', '=', idempotencyKey)
    .where('params_hash', '=', paramsHash)
    .executeTakeFirst();
  return row ? withDecisions(db, row) : undefined;
}

export async function getApproval(db: Db, id: string): Promise<ApprovalRecord | undefined> {
  const row = await db.selectFrom('approvals').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? withDecisions(db, row) : undefined;
}

export interface ApprovalListQuery {
  status?: ApprovalStatus | undefined;
  limit?: number | undefined;
}

export async function listApprovals(db: Db, query: ApprovalListQuery = {}): Promise<ApprovalRecord[]> {
  let q = db.selectFrom('approvals').selectAll().orderBy('requested_at', 'desc').orderBy('id');
  if (query.status) q = q.where('status', '=', query.status);
  const rows = await q.limit(query.limit ?? 100).execute();
  return Promise.all(rows.map((row) => withDecisions(db, row)));
}

/**
 * Records one person's decision and settles the request, under a row lock so two approvers deciding at
 * once cannot both be counted against a stale state. `settle` sees the request with the new decision and
 * returns its next status.
 */
export async function recordApprovalDecision(
  db: Db,
  id: string,
  decision: ApprovalDecisionRecord,
  settle: (approval: ApprovalRecord) => ApprovalStatus,
): Promise<ApprovalRecord> {
  return inTransaction(db, async (trx) => {
    await trx.selectFrom('approvals').select('id').where('id', '=', id).forUpdate().executeTakeFirstOrThrow();
    await trx
      .insertInto('approval_decisions')
      .values({
        approval_id: id,
        approver: decision.approver,
        decision: decision.decision,
        note: decision.note,
        at: decision.at,
      })
      .execute();
    const current = (await getApproval(trx, id))!;
    const status = settle(current);
    if (status !== current.status) {
      await trx
        .updateTable('approvals')
        .set({ status, decided_at: decision.at })
        .where('id', '=', id)
        .execute();
    }
    return (await getApproval(trx, id))!;
  });
}

/** Moves a still-pending request to a final status (expiry); returns false when it was already decided. */
export async function settlePendingApproval(
  db: Db,
  id: string,
  status: ApprovalStatus,
  at: Date,
): Promise<boolean> {
  const result = await db
    .updateTable('approvals')
    .set({ status, decided_at: at })
    .where('id', '=', id)
    .where('status', '=', APPROVAL_STATUSES.pending)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

async function withDecisions(db: Db, row: Selectable<ApprovalsTable>): Promise<ApprovalRecord> {
  const decisions = await db
    .selectFrom('approval_decisions')
    .selectAll()
    .where('approval_id', '=', row.id)
    .orderBy('at')
    .orderBy('approver')
    .execute();
  return {
    id: row.id,
    operation: row.operation,
    paramsHash: row.params_hash,
    idempotencyKey: row.idempotency_key,
    principal: row.principal,
    runId: row.run_id,
    params: row.params,
    context: row.context,
    approvers: row.approvers,
    required: row.required,
    status: row.status,
    requestedAt: new Date(row.requested_at),
    expiresAt: new Date(row.expires_at),
    decidedAt: row.decided_at ? new Date(row.decided_at) : null,
    decisions: decisions.map((d) => ({
      approver: d.approver,
      decision: d.decision,
      note: d.note,
      at: new Date(d.at),
    })),
  };
}
