import type { ApprovalRecord } from '../store/approvals-repo.js';
import type { KillSwitchEntry } from '../store/governance-state-repo.js';

/**
 * Approval requests and kill-switch entries as JSON, and back: what `arx approvals … --json` and
 * `arx killswitch --json` print and what the `arx serve` API answers, one shape for both.
 */
export type ApprovalSummaryJson = ReturnType<typeof approvalSummaryJson>;
export type ApprovalJson = ReturnType<typeof approvalJson>;
export type KillSwitchEntryJson = ReturnType<typeof killSwitchEntryJson>;

export function approvalCount(a: ApprovalRecord): number {
  return a.decisions.filter((d) => d.decision === 'approve').length;
}

/** One line's worth: `arx approvals list --json`. */
export function approvalSummaryJson(a: ApprovalRecord) {
  return {
    id: a.id,
    status: a.status,
    operation: a.operation,
    principal: a.principal,
    run_id: a.runId,
    params_hash: a.paramsHash,
    approvals: approvalCount(a),
    required: a.required,
    requested_at: a.requestedAt.toISOString(),
    expires_at: a.expiresAt.toISOString(),
  };
}

/** Everything about one request: `arx approvals show --json`, and every approval the API answers with. */
export function approvalJson(a: ApprovalRecord) {
  return {
    ...approvalSummaryJson(a),
    idempotency_key: a.idempotencyKey,
    params: a.params,
    context: a.context,
    approvers: a.approvers,
    decided_at: a.decidedAt?.toISOString() ?? null,
    decisions: a.decisions.map((d) => ({ ...d, at: d.at.toISOString() })),
  };
}

export function approvalFromJson(json: ApprovalJson): ApprovalRecord {
  return {
    id: json.id,
    operation: json.operation,
    paramsHash: json.params_hash,
    idempotencyKey: json.idempotency_key,
    principal: json.principal,
    runId: json.run_id,
    params: json.params,
    context: json.context,
    approvers: json.approvers,
    required: json.required,
    status: json.status,
    requestedAt: new Date(json.requested_at),
    expiresAt: new Date(json.expires_at),
    decidedAt: json.decided_at === null ? null : new Date(json.decided_at),
    decisions: json.decisions.map((d) => ({ ...d, at: new Date(d.at) })),
  };
}

export function killSwitchEntryJson(e: KillSwitchEntry) {
  return { ...e, at: e.at.toISOString() };
}

export function killSwitchEntryFromJson(json: KillSwitchEntryJson): KillSwitchEntry {
  return { ...json, at: new Date(json.at) };
}
