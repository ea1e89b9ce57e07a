import type { ApprovalRecord } from '../store/approvals-repo.js';
import type { KillSwitchEntry } from '../store/governance-state-repo.js';
import type { ApprovalStatus } from '../store/governance-statuses.js';
import type { DecisionInput } from './approvals.js';
import type { Gate } from './gate.js';
import type { Principal } from './principal.js';

/**
 * What a person does with approvals and the kill switch, whoever carries it out: the gate on an open store
 * (`gateAccess`), or a running `arx serve` over HTTP (the CLI, when serve holds the embedded store). The
 * commands and the API routes both speak this, so they decide and print the same way.
 *
 * @example
 * const { approvals, killSwitch } = gateAccess(gate);
 * await approvals.approve('apr_1a2b', { as: 'carol', note: 'checked the bucket' });
 * await killSwitch.freeze({ as: 'alice', reason: 'incident 42' });
 */
export interface ApprovalsAccess {
  /** Newest first; no status: all of them. */
  list(status?: ApprovalStatus): Promise<ApprovalRecord[]>;
  get(id: string): Promise<ApprovalRecord>;
  approve(id: string, input: DecisionInput): Promise<ApprovalRecord>;
  deny(id: string, input: DecisionInput): Promise<ApprovalRecord>;
}

/** A person pulling or lifting the switch: recorded as actor `user:<as>`. */
export interface OperatorChange {
  as: string;
  reason?: string | undefined;
}

export interface KillSwitchAccess {
  status(): Promise<KillSwitchEntry[]>;
  /** Each returns false when there was nothing to change. */
  freeze(change: OperatorChange): Promise<boolean>;
  suspend(principal: Principal, change: OperatorChange): Promise<boolean>;
  resume(principal: Principal | undefined, change: OperatorChange): Promise<boolean>;
}

export interface GovernanceAccess {
  approvals: ApprovalsAccess;
  killSwitch: KillSwitchAccess;
}

/** Through the gate itself: its approvals and kill switch, audited by its own audit trail. */
export function gateAccess(gate: Pick<Gate, 'approvals' | 'killSwitch'>): GovernanceAccess {
  const { approvals, killSwitch } = gate;
  const byUser = (change: OperatorChange) => ({ actor: `user:${change.as}`, reason: change.reason });
  return {
    approvals,
    killSwitch: {
      status: () => killSwitch.status(),
      freeze: (change) => killSwitch.freeze(byUser(change)),
      suspend: (principal, change) => killSwitch.suspend(principal, byUser(change)),
      resume: (principal, change) => killSwitch.resume(principal, byUser(change)),
    },
  };
}
