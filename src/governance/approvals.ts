import { randomBytes } from 'node:crypto';
import { parseDuration } from '../config/duration.js';
import type { ApprovalsConfig } from '../config/governance.js';
import type { Clock } from '../core/clock.js';
import { ArxError, UsageError } from '../core/errors.js';
import {
  type ApprovalRecord,
  type ApproverSet,
  findApprovalFor,
  getApproval,
  insertApprovalOnce,
  listApprovals,
  recordApprovalDecision,
  settlePendingApproval,
} from '../store/approvals-repo.js';
import { APPROVAL_STATUSES, type ApprovalStatus } from '../store/governance-statuses.js';
import type { Db } from '../store/repo-support.js';
import type { AuditTrail } from './audit/trail.js';
import { PermissionDenied } from './errors.js';
import { matchesGlob } from './glob.js';

/**
 * Approvals for escalated calls. A request is bound to the exact operation and params hash; it is found
 * again by the call's idempotency key after a restart, and only an approval of THAT hash lets the call
 * proceed. Approvers are named users or groups (N of M); the principal and the person who started the run
 * can never approve their own call; a request that is not decided before it expires counts as denied.
 * Every request and decision is audited.
 */

export interface ApprovalRequest {
  operation: string;
  paramsHash: string;
  idempotencyKey: string;
  /** `kind:id` of the principal that made the call. */
  principal: string;
  /** The person who started the run, when known: they cannot approve either. */
  requestedBy?: string | undefined;
  runId?: string | undefined;
  /** Scrubbed params, so approvers see what they approve. */
  params: Record<string, unknown>;
  /** Verdict, score, reasons, resource: why the call was escalated. */
  context: Record<string, unknown>;
}

export interface DecisionInput {
  /** Who decides (`--as`); defaults to the OS user in the CLI. */
  as: string;
  note?: string | undefined;
}

/** How often a blocked caller looks at its request again: approvals arrive at human speed. */
export const DEFAULT_POLL_MS = 2_000;

export class Approvals {
  constructor(
    private readonly db: Db,
    private readonly config: ApprovalsConfig,
    private readonly audit: AuditTrail,
    private readonly clock: Clock,
  ) {}

  /**
   * Finds the request for this key and params hash, or creates it (audited).
   * @example const approval = await approvals.request({ operation, paramsHash, idempotencyKey, principal, params, context });
   */
  async request(input: ApprovalRequest): Promise<ApprovalRecord> {
    const existing = await findApprovalFor(this.db, input.idempotencyKey, input.paramsHash);
    if (existing) return this.refresh(existing);
    const rule = this.config.rules.find((r) => matchesGlob(input.operation, r.operation));
    const approvers = resolveApprovers(rule?.from, this.config.approvers.groups);
    const now = this.clock.now();
    const { approval, created } = await insertApprovalOnce(this.db, {
      id: `apr_${randomBytes(6).toString('hex')}`,
      operation: input.operation,
      paramsHash: input.paramsHash,
      idempotencyKey: input.idempotencyKey,
      principal: input.principal,
      runId: input.runId ?? null,
      params: input.params,
      context: { ...input.context, ...(input.requestedBy ? { requested_by: input.requestedBy } : {}) },
      approvers,
      required: rule?.required ?? 1,
      requestedAt: now,
      expiresAt: new Date(now.getTime() + parseDuration(this.config.expiry)),
    });
    if (created) {
      await this.audit.append({
        kind: 'approval',
        actor: input.principal,
        action: 'approval.request',
        runId: input.runId,
        payload: {
          approval_id: approval.id,
          operation: approval.operation,
          params_hash: approval.paramsHash,
          idempotency_key: approval.idempotencyKey,
          approvers: approval.approvers.from,
          required: approval.required,
          expires_at: approval.expiresAt.toISOString(),
        },
      });
    }
    return approval;
  }

  /** The request with its expiry applied (an overdue pending request becomes expired, audited once). */
  async get(id: string): Promise<ApprovalRecord> {
    const approval = await getApproval(this.db, id);
    if (!approval) {
      throw new ArxError('approval_not_found', `no approval request "${id}"`, {
        fault: 'caller',
        hint: 'list them with: arx approvals list',
      });
    }
    return this.refresh(approval);
  }

  async list(status?: ApprovalStatus): Promise<ApprovalRecord[]> {
    const all = await listApprovals(this.db, { status: status === 'expired' ? undefined : status });
    const refreshed = await Promise.all(all.map((a) => this.refresh(a)));
    return status ? refreshed.filter((a) => a.status === status) : refreshed;
  }

  approve(id: string, input: DecisionInput): Promise<ApprovalRecord> {
    return this.decide(id, 'approve', input);
  }

  deny(id: string, input: DecisionInput): Promise<ApprovalRecord> {
    return this.decide(id, 'deny', input);
  }

  /**
   * Blocks until the request is approved (returns) or denied / expired (throws PermissionDenied), looking
   * again every `pollMs`. The state is in the store, so any process's decision ends the wait.
   */
  async waitFor(
    id: string,
    options: { pollMs?: number; signal?: AbortSignal } = {},
  ): Promise<ApprovalRecord> {
    for (;;) {
      const approval = await this.get(id);
      if (approval.status === APPROVAL_STATUSES.approved) return approval;
      if (approval.status !== APPROVAL_STATUSES.pending) throw denialOf(approval);
      options.signal?.throwIfAborted();
      const untilExpiry = approval.expiresAt.getTime() - this.clock.now().getTime();
      await this.clock.sleep(
        Math.max(1, Math.min(options.pollMs ?? DEFAULT_POLL_MS, untilExpiry)),
        options.signal,
      );
    }
  }

  private async decide(
    id: string,
    decision: 'approve' | 'deny',
    input: DecisionInput,
  ): Promise<ApprovalRecord> {
    const approver = input.as.trim();
    if (!approver) throw new UsageError('--as: name who decides, e.g. --as alice@example.com');
    const approval = await this.get(id);
    if (approval.status !== APPROVAL_STATUSES.pending) {
      throw new ArxError('approval_closed', `approval ${id} is already ${approval.status}`, {
        fault: 'caller',
      });
    }
    refuseIneligible(approval, approver);
    const at = this.clock.now();
    const decided = await recordApprovalDecision(
      this.db,
      id,
      { approver, decision, note: input.note ?? null, at },
      settle,
    ).catch((err: unknown) => {
      if (/duplicate key|unique/i.test(String((err as Error)?.message))) {
        throw new ArxError('approval_already_decided', `${approver} has already decided on approval ${id}`, {
          fault: 'caller',
        });
      }
      throw err;
    });
    await this.audit.append({
      kind: 'approval',
      actor: `user:${approver}`,
      action: `approval.${decision}`,
      runId: decided.runId ?? undefined,
      payload: {
        approval_id: id,
        operation: decided.operation,
        params_hash: decided.paramsHash,
        note: input.note,
        status: decided.status,
        approvals: decided.decisions.filter((d) => d.decision === 'approve').length,
        required: decided.required,
      },
    });
    return decided;
  }

  private async refresh(approval: ApprovalRecord): Promise<ApprovalRecord> {
    if (approval.status !== APPROVAL_STATUSES.pending) return approval;
    const now = this.clock.now();
    if (now.getTime() < approval.expiresAt.getTime()) return approval;
    if (await settlePendingApproval(this.db, approval.id, APPROVAL_STATUSES.expired, now)) {
      await this.audit.append({
        kind: 'approval',
        actor: 'arx',
        action: 'approval.expire',
        runId: approval.runId ?? undefined,
        payload: {
          approval_id: approval.id,
          operation: approval.operation,
          params_hash: approval.paramsHash,
        },
      });
    }
    return (await getApproval(this.db, approval.id))!;
  }
}

/** Any deny decides; otherwise approved once `required` distinct approvers said yes. */
function settle(approval: ApprovalRecord): ApprovalStatus {
  if (approval.decisions.some((d) => d.decision === 'deny')) return APPROVAL_STATUSES.denied;
  const approvals = approval.decisions.filter((d) => d.decision === 'approve').length;
  return approvals >= approval.required ? APPROVAL_STATUSES.approved : APPROVAL_STATUSES.pending;
}

function refuseIneligible(approval: ApprovalRecord, approver: string): void {
  const principalId = approval.principal.slice(approval.principal.indexOf(':') + 1);
  const requestedBy = approval.context.requested_by;
  if (approver === approval.principal || approver === principalId || approver === requestedBy) {
    throw new ArxError(
      'self_approval',
      `${approver} cannot decide on their own call (approval ${approval.id})`,
      {
        fault: 'caller',
        hint: 'another approver must decide',
      },
    );
  }
  if (!approval.approvers.anyone && !approval.approvers.members.includes(approver)) {
    throw new ArxError('not_an_approver', `${approver} is not an approver for approval ${approval.id}`, {
      fault: 'caller',
      hint: `approvers: ${approval.approvers.from.join(', ')} (${approval.approvers.members.join(', ')})`,
    });
  }
}

function resolveApprovers(from: string[] | undefined, groups: Record<string, string[]>): ApproverSet {
  if (!from) return { from: ['*'], members: [], anyone: true };
  const members = new Set<string>();
  for (const name of from) for (const member of groups[name] ?? [name]) members.add(member);
  return { from, members: [...members].sort(), anyone: false };
}

/** The PermissionDenied an undecided-in-time or refused approval turns into. */
export function denialOf(approval: ApprovalRecord): PermissionDenied {
  const expired = approval.status === APPROVAL_STATUSES.expired;
  const deniedBy = approval.decisions.find((d) => d.decision === 'deny');
  return new PermissionDenied({
    kind: expired ? 'approval_expired' : 'approval_denied',
    operation: approval.operation,
    rule: expired ? '(approval-expired)' : '(approval-denied)',
    reasons: [
      expired
        ? `approval ${approval.id} expired at ${approval.expiresAt.toISOString()} without enough approvals`
        : `approval ${approval.id} denied by ${deniedBy?.approver ?? 'an approver'}${deniedBy?.note ? `: ${deniedBy.note}` : ''}`,
    ],
    approvalId: approval.id,
  });
}
