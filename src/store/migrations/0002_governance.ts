import { type Kysely, sql } from 'kysely';
import {
  APPROVAL_DECISIONS,
  APPROVAL_STATUSES,
  AUDIT_KINDS,
  DRIFT_RESPONSE_NAMES,
  DRIFT_VIOLATIONS,
  GENESIS_HASH,
  KILL_SWITCH_KINDS,
} from '../governance-statuses.js';
import { checkIn, runStatements } from './helpers.js';

/**
 * The governance kernel's tables: the hash-chained audit log with its head row and signed checkpoints,
 * approvals and their decisions, the kill switch, drift events. The audit tables refuse UPDATE, DELETE and
 * TRUNCATE through triggers (on PostgreSQL and PGlite alike); the head row is the one thing that moves, and
 * appends lock it (`SELECT ... FOR UPDATE`) so the chain never forks across processes.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`create table audit_log (
      seq bigint primary key,
      at timestamptz not null,
      kind text not null ${checkIn('kind', AUDIT_KINDS)},
      actor text not null,
      action text not null,
      verdict text,
      risk integer,
      run_id text,
      payload jsonb not null,
      prev_hash text not null,
      hash text not null unique
    )`,
    // session frequency and drift rates count a principal's recent intents
    sql`create index audit_intents_by_actor on audit_log (actor, at) where kind = 'intent'`,
    sql`create index audit_by_at on audit_log (at)`,

    sql`create table audit_head (
      id smallint primary key check (id = 1),
      seq bigint not null,
      hash text not null,
      checkpoint_seq bigint not null,
      checkpoint_at timestamptz
    )`,
    sql`insert into audit_head (id, seq, hash, checkpoint_seq) values (1, 0, ${sql.lit(GENESIS_HASH)}, 0)`,

    sql`create table audit_checkpoints (
      seq bigint primary key,
      at timestamptz not null,
      hash text not null,
      key_id text not null,
      signature text not null
    )`,

    sql`create function arx_refuse_audit_change() returns trigger language plpgsql as $$
      begin
        raise exception 'the audit trail is append-only: % on % refused', tg_op, tg_table_name
          using errcode = 'insufficient_privilege';
      end
    $$`,
    sql`create trigger audit_log_append_only before update or delete on audit_log
      for each row execute function arx_refuse_audit_change()`,
    sql`create trigger audit_log_no_truncate before truncate on audit_log
      for each statement execute function arx_refuse_audit_change()`,
    sql`create trigger audit_checkpoints_append_only before update or delete on audit_checkpoints
      for each row execute function arx_refuse_audit_change()`,
    sql`create trigger audit_checkpoints_no_truncate before truncate on audit_checkpoints
      for each statement execute function arx_refuse_audit_change()`,

    sql`create table approvals (
      id text primary key,
      operation text not null,
      params_hash text not null,
      idempotency_key text not null,
      principal text not null,
      run_id text,
      params jsonb not null,
      context jsonb not null,
      approvers jsonb not null,
      required integer not null check (required >= 1),
      status text not null ${checkIn('status', APPROVAL_STATUSES)},
      requested_at timestamptz not null,
      expires_at timestamptz not null,
      decided_at timestamptz,
      unique (idempotency_key, params_hash)
    )`,
    sql`create index approvals_pending on approvals (expires_at) where status = 'pending'`,
    sql`create index approvals_by_requested on approvals (requested_at desc, id)`,

    sql`create table approval_decisions (
      approval_id text not null references approvals (id),
      approver text not null,
      decision text not null ${checkIn('decision', APPROVAL_DECISIONS)},
      note text,
      at timestamptz not null,
      primary key (approval_id, approver)
    )`,

    sql`create table kill_switch (
      kind text not null ${checkIn('kind', KILL_SWITCH_KINDS)},
      principal text not null default '',
      reason text,
      actor text not null,
      at timestamptz not null,
      primary key (kind, principal)
    )`,

    sql`create table drift_events (
      id bigint generated always as identity primary key,
      at timestamptz not null,
      principal text not null,
      operation text not null,
      violation text not null ${checkIn('violation', DRIFT_VIOLATIONS)},
      detail text not null,
      response text not null ${checkIn('response', DRIFT_RESPONSE_NAMES)}
    )`,
    sql`create index drift_events_by_principal on drift_events (principal, at)`,
  ]);
}
