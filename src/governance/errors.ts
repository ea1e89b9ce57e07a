import { ArxError } from '../core/errors.js';

/** Why the gate refused: the policy verdict, a kill switch, drift, or an approval that did not come. */
export type DenialKind =
  | 'policy'
  | 'kill_switch'
  | 'drift'
  | 'approval_denied'
  | 'approval_expired'
  | 'invalid_params';

export interface DenialDetails {
  kind: DenialKind;
  operation: string;
  /** The deciding rule (a configured rule name or a built-in such as `(kill-switch)`). */
  rule: string;
  reasons: string[];
  score?: number | undefined;
  /** The intent entry that recorded the decision. */
  auditSeq?: number | undefined;
  approvalId?: string | undefined;
}

/**
 * The gate said no. Never retryable: the same call gets the same answer until policy, the kill switch or an
 * approver changes it. The message names the operation, the rule and the first reason.
 */
export class PermissionDenied extends ArxError {
  readonly denial: DenialDetails;

  constructor(denial: DenialDetails) {
    const why = denial.reasons[0] ? `: ${denial.reasons[0]}` : '';
    super('permission_denied', `${denial.operation} denied by ${denial.rule}${why}`, {
      fault: 'caller',
      retryable: false,
      details: { ...denial },
      ...(denial.kind === 'approval_expired' || denial.kind === 'approval_denied'
        ? { hint: `see: arx approvals show ${denial.approvalId ?? ''}`.trim() }
        : {}),
    });
    this.name = 'PermissionDenied';
    this.denial = denial;
  }
}

export function isPermissionDenied(err: unknown): err is PermissionDenied {
  return err instanceof PermissionDenied;
}
