import { type Kysely, sql } from 'kysely';
import { runStatements } from './helpers.js';

/**
 * Registered workflows and their cron schedules (`arx register`, fired by `arx serve`). A schedule's
 * `next_fire_at` is the occurrence it fires next; a scheduler fires it by moving `next_fire_at` forward
 * with a compare-and-swap on the old value, so of several schedulers sharing one PostgreSQL exactly one
 * fires each occurrence. The queue itself (pg-boss) keeps its tables in a schema of its own.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await runStatements(db, [
    sql`create table workflow_registrations (
      name text primary key,
      source text not null,
      description text not null,
      connectors jsonb not null default '[]'::jsonb,
      options jsonb not null default '{}'::jsonb,
      config_file text,
      registered_at timestamptz not null,
      updated_at timestamptz not null
    )`,
    sql`create table schedules (
      name text primary key,
      workflow text not null references workflow_registrations (name) on delete cascade,
      cron text not null,
      timezone text not null,
      enabled boolean not null,
      next_fire_at timestamptz,
      last_fire_at timestamptz,
      last_run_id text,
      last_error text,
      created_at timestamptz not null,
      updated_at timestamptz not null
    )`,
    sql`create index schedules_due on schedules (next_fire_at) where enabled`,
  ]);
}
