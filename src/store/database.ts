import type { ColumnType, Generated } from 'kysely';
import type { Finding } from '../core/finding/model.js';
import type { EffectState, RunStatus, StepStatus } from './statuses.js';

/**
 * The tables as Kysely sees them. Timestamps are `timestamptz` (read as Date, written as Date or ISO text);
 * JSON columns are `jsonb` (read as the parsed value, written as JSON text: node-postgres would turn a JS
 * array into a PostgreSQL array, so repositories always pass `JSON.stringify(value)`).
 * Migrations owned by other areas extend this interface through declaration merging
 * (`declare module '../store/database.js' { interface Database { audit_log: ... } }`).
 */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
export type Json<T> = ColumnType<T, string, string>;
export type NullableJson<T> = ColumnType<T | null, string | null, string | null>;

export interface FindingsTable {
  finding_key: string;
  class: Finding['class'];
  severity: Finding['severity'];
  severity_id: number;
  status: Finding['status'];
  resource_uid: string;
  resource_type: string;
  account_uid: string | null;
  environment: string | null;
  title: string;
  priority_score: number | null;
  priority_label: string | null;
  first_seen: Timestamp;
  last_seen: Timestamp;
  updated_at: Timestamp;
  data: Json<Finding>;
}

export interface FindingSourcesTable {
  vendor: string;
  source_uid: string;
  finding_key: string;
  raw_hash: string | null;
  seen_at: Timestamp;
}

export interface QuarantineTable {
  id: Generated<string>;
  vendor: string;
  run_id: string | null;
  reason: string;
  field_path: string | null;
  raw: Json<unknown>;
  created_at: Timestamp;
}

export interface SinkLinksTable {
  finding_key: string;
  sink: string;
  external_id: string;
  url: string | null;
  state: string | null;
  data: Json<Record<string, unknown>>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface EffectsTable {
  key: string;
  state: EffectState;
  run_id: string | null;
  operation: string;
  result: NullableJson<unknown>;
  error: string | null;
  attempts: number;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RunsTable {
  id: string;
  workflow: string;
  status: RunStatus;
  params: Json<Record<string, unknown>>;
  summary: NullableJson<Record<string, unknown>>;
  error: string | null;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
  updated_at: Timestamp;
}

export interface StepsTable {
  run_id: string;
  step_key: string;
  status: StepStatus;
  output: NullableJson<unknown>;
  error: string | null;
  attempts: number;
  started_at: Timestamp;
  finished_at: ColumnType<Date | null, Date | string | null, Date | string | null>;
}

export interface WatermarksTable {
  source: string;
  scope: string;
  value: string;
  updated_at: Timestamp;
}

export interface KvTable {
  key: string;
  value: Json<unknown>;
  updated_at: Timestamp;
}

export interface Database {
  findings: FindingsTable;
  finding_sources: FindingSourcesTable;
  quarantine: QuarantineTable;
  sink_links: SinkLinksTable;
  effects: EffectsTable;
  runs: RunsTable;
  steps: StepsTable;
  watermarks: WatermarksTable;
  kv: KvTable;
}
