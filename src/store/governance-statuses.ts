/**
 * Names the governance tables constrain with CHECK: shared by the migration and the repositories, so a value
 * the code does not know can never be stored. Frozen: renaming a value needs a migration.
 */
import { type NameOf, nameSet } from './name-set.js';

/** What an audit entry records: a gate decision before acting, the outcome after, and governance events. */
export const AUDIT_KINDS = nameSet('intent', 'result', 'approval', 'control', 'drift');
export type AuditKind = NameOf<typeof AUDIT_KINDS>;

export const APPROVAL_STATUSES = nameSet('pending', 'approved', 'denied', 'expired');
export type ApprovalStatus = NameOf<typeof APPROVAL_STATUSES>;

export const APPROVAL_DECISIONS = nameSet('approve', 'deny');
export type ApprovalDecision = NameOf<typeof APPROVAL_DECISIONS>;

/** Kill-switch entries: `freeze` stops every write, `suspend` stops one principal entirely. */
export const KILL_SWITCH_KINDS = nameSet('freeze', 'suspend');
export type KillSwitchKind = NameOf<typeof KILL_SWITCH_KINDS>;

export const DRIFT_VIOLATIONS = nameSet('system', 'operation', 'rate');
export type DriftViolation = NameOf<typeof DRIFT_VIOLATIONS>;

/** How a drift violation is answered; the same list as `DRIFT_RESPONSES` of the arx.yaml schema. */
export const DRIFT_RESPONSE_NAMES = nameSet('alert', 'escalate', 'deny', 'suspend');

/** The chain's first `prev_hash`: 64 zeros, so entry 1 is hashed like any other. */
export const GENESIS_HASH = '0'.repeat(64);
