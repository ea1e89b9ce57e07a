import { type Kysely, sql } from 'kysely';
import { FINDING_CLASSES, SEVERITIES, STATUSES } from '../../core/finding/model.js';
import { EFFECT_STATES, RUN_STATUSES, STEP_STATUSES } from '../statuses.js';
import { checkIn, namesOf, runStatements } from './helpers.js';

/**
 * Findings and their sources, quarantine, links to sinks, the idempotency ledger, durable runs and steps,
 * watermarks. Time is always a parameter (the Clock), never SQL `now()`.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`create table findings (
      finding_key text primary key,
      class text not null ${checkIn('class', namesOf(FINDING_CLASSES))},
      severity text not null ${checkIn('severity', namesOf(SEVERITIES))},
      severity_id smallint not null ${checkIn('severity_id', SEVERITIES)},
      status text not null ${checkIn('status', namesOf(STATUSES))},
      resource_uid text not null,
      resource_type text not null,
      account_uid text,
      environment text,
      title text not null,
      priority_score double precision,
      priority_label text,
      first_seen timestamptz not null,
      last_seen timestamptz not null,
      updated_at timestamptz not null,
      data jsonb not null
    )`,
    // One index per list order (see findings-repo LIST_ORDERS): keyset pages read the index in order.
    sql`create index findings_by_severity on findings (severity_id desc, finding_key)`,
    sql`create index findings_by_priority on findings ((coalesce(priority_score, -1)) desc, finding_key)`,
    sql`create index findings_by_last_seen on findings (last_seen desc, finding_key)`,
    sql`create index findings_by_resource on findings (resource_uid)`,

    sql`create table finding_sources (
      vendor text not null,
      source_uid text not null,
      finding_key text not null references findings (finding_key) on delete cascade,
      raw_hash text,
      seen_at timestamptz not null,
      primary key (vendor, source_uid)
    )`,
    sql`create index finding_sources_by_finding on finding_sources (finding_key)`,

    sql`create table quarantine (
      id bigint generated always as identity primary key,
      vendor text not null,
      run_id text,
      reason text not null,
      field_path text,
      raw jsonb not null,
      created_at timestamptz not null
    )`,
    sql`create index quarantine_by_vendor on quarantine (vendor, id)`,

    sql`create table sink_links (
      finding_key text not null,
      sink text not null,
      external_id text not null,
      url text,
      state text,
      data jsonb not null default '{}'::jsonb,
      created_at timestamptz not null,
      updated_at timestamptz not null,
      primary key (finding_key, sink)
    )`,
    // Webhooks from a sink (Jira issue updated) arrive with the external id only.
    sql`create index sink_links_by_external on sink_links (sink, external_id)`,

    sql`create table effects (
      key text primary key,
      state text not null ${checkIn('state', EFFECT_STATES)},
      run_id text,
      operation text not null,
      result jsonb,
      error text,
      attempts integer not null default 1,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`,
    sql`create index effects_pending on effects (created_at) where state = 'pending'`,
    sql`create index effects_by_run on effects (run_id)`,

    sql`create table runs (
      id text primary key,
      workflow text not null,
      status text not null ${checkIn('status', RUN_STATUSES)},
      params jsonb not null default '{}'::jsonb,
      summary jsonb,
      error text,
      started_at timestamptz not null,
      finished_at timestamptz,
      updated_at timestamptz not null
    )`,
    sql`create index runs_by_started on runs (started_at desc, id)`,
    sql`create index runs_by_workflow on runs (workflow, started_at desc)`,

    sql`create table steps (
      run_id text not null references runs (id) on delete cascade,
      step_key text not null,
      status text not null ${checkIn('status', STEP_STATUSES)},
      output jsonb,
      error text,
      attempts integer not null default 1,
      started_at timestamptz not null,
      finished_at timestamptz,
      primary key (run_id, step_key)
    )`,

    sql`create table watermarks (
      source text not null,
      scope text not null default '',
      value text not null,
      updated_at timestamptz not null,
      primary key (source, scope)
    )`,

    sql`create table kv (
      key text primary key,
      value jsonb not null,
      updated_at timestamptz not null
    )`,
  ]);
}
