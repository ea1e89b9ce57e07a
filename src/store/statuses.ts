/**
 * Status names shared by TypeScript and SQL: the migrations turn these into CHECK constraints, so a value
 * the code does not know can never be stored. Frozen: renaming a value needs a migration.
 */

/** The idempotency ledger: `pending` is written before the external call, `done`/`failed` after it. */
export const EFFECT_STATES = Object.freeze({ pending: 'pending', done: 'done', failed: 'failed' } as const);
export type EffectState = (typeof EFFECT_STATES)[keyof typeof EFFECT_STATES];

/** A workflow run; `waiting` means it is parked on an approval or a timer and will be resumed. */
export const RUN_STATUSES = Object.freeze({
  queued: 'queued',
  running: 'running',
  waiting: 'waiting',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
} as const);
export type RunStatus = (typeof RUN_STATUSES)[keyof typeof RUN_STATUSES];

/** Runs in these states will not change again. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = Object.freeze([
  RUN_STATUSES.succeeded,
  RUN_STATUSES.failed,
  RUN_STATUSES.cancelled,
]);

/** A durable step of a run: a `done` step is never executed again, its output is replayed. */
export const STEP_STATUSES = Object.freeze({
  running: 'running',
  waiting: 'waiting',
  done: 'done',
  failed: 'failed',
} as const);
export type StepStatus = (typeof STEP_STATUSES)[keyof typeof STEP_STATUSES];

/**
 * Systems a finding is linked to (one link per finding and sink). Not a CHECK constraint: a new sink
 * connector must not need a migration.
 */
export const SINKS = Object.freeze({
  jira: 'jira',
  pagerduty: 'pagerduty',
  servicenow: 'servicenow',
  slack: 'slack',
} as const);
export type KnownSink = (typeof SINKS)[keyof typeof SINKS];
