/**
 * Names the governance tables constrain with CHECK: shared by the migration and the repositories, so a value
 * the code does not know can never be stored. Frozen: renaming a value needs a migration.
 */

/** What an audit entry records: a gate decision before acting, the outcome after, and governance events. */
export const AUDIT_KINDS = Object.freeze({
  intent: 'intent',
  result: 'result',
  approval: 'approval',
  control: 'control',
  drift: 'drift',
} as const);
export type AuditKind = (typeof AUDIT_KINDS)[keyof typeof AUDIT_KINDS];

export const APPROVAL_STATUSES = Object.freeze({
  pending: 'pending',
  approved: 'approved',
  denied: 'denied',
  expired: 'expired',
} as const);
export type ApprovalStatus = (typeof APPROVAL_STATUSES)[keyof typeof APPROVAL_STATUSES];

export const APPROVAL_DECISIONS = Object.freeze({ approve: 'approve', deny: 'deny' } as const);
export type ApprovalDecision = (typeof APPROVAL_DECISIONS)[keyof typeof APPROVAL_DECISIONS];

/** Kill-switch entries: `freeze` stops every write, `suspend` stops one principal entirely. */
export const KILL_SWITCH_KINDS = Object.freeze({ freeze: 'freeze', suspend: 'suspend' } as const);
export type KillSwitchKind = (typeof KILL_SWITCH_KINDS)[keyof typeof KILL_SWITCH_KINDS];

export const DRIFT_VIOLATIONS = Object.freeze({
  system: 'system',
  operation: 'operation',
  rate: 'rate',
} as const);
export type DriftViolation = (typeof DRIFT_VIOLATIONS)[keyof typeof DRIFT_VIOLATIONS];

/** How a drift violation is answered; the same list as `DRIFT_RESPONSES` of the arx.yaml schema. */
export const DRIFT_RESPONSE_NAMES = Object.freeze({
  alert: 'alert',
  escalate: 'escalate',
  deny: 'deny',
  suspend: 'suspend',
} as const);

/** The chain's first `prev_hash`: 64 zeros, so entry 1 is hashed like any other. */
export const GENESIS_HASH = '0'.repeat(64);
