/**
 * Status names shared by TypeScript and SQL: the migrations turn these into CHECK constraints, so a value
 * the code does not know can never be stored. Frozen: renaming a value needs a migration.
 */
import { type NameOf, nameSet } from './name-set.js';

/** The idempotency ledger: `pending` is written before the external call, `done`/`failed` after it. */
export const EFFECT_STATES = nameSet('pending', 'done', 'failed');
export type EffectState = NameOf<typeof EFFECT_STATES>;

/** A workflow run; `waiting` means it is parked on an approval or a timer and will be resumed. */
export const RUN_STATUSES = nameSet('queued', 'running', 'waiting', 'succeeded', 'failed', 'cancelled');
export type RunStatus = NameOf<typeof RUN_STATUSES>;

/** Runs in these states will not change again. */
export const FINISHED_RUN_STATUSES: readonly RunStatus[] = Object.freeze([
  RUN_STATUSES.succeeded,
  RUN_STATUSES.failed,
  RUN_STATUSES.cancelled,
]);

/** A durable step of a run: a `done` step is never executed again, its output is replayed. */
export const STEP_STATUSES = nameSet('running', 'waiting', 'done', 'failed');
export type StepStatus = NameOf<typeof STEP_STATUSES>;

/**
 * Systems a finding is linked to (one link per finding and sink). Not a CHECK constraint: a new sink
 * connector must not need a migration.
 */
export const SINKS = nameSet('jira', 'pagerduty', 'servicenow', 'slack');
export type KnownSink = NameOf<typeof SINKS>;
