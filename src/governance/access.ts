import type { CredentialCheck } from '../connectors/kit/credentials.js';
import { assertConnector, credentialsTestId } from '../connectors/registry.js';
import { isArxError } from '../core/errors.js';
import type { ApprovalRecord } from '../store/approvals-repo.js';
import type { KillSwitchEntry } from '../store/governance-state-repo.js';
import type { ApprovalStatus } from '../store/governance-statuses.js';
import type { DecisionInput } from './approvals.js';
import { PermissionDenied } from './errors.js';
import type { Gate } from './gate.js';
import type { Principal } from './principal.js';

/**
 * What a person does with approvals, the kill switch and connector checks, whoever carries it out: the gate on an open store
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

export interface ConnectorsAccess {
  /**
   * `<tool>:credentials:test` through the gate as `user:<as>`: decided by policy, audited, with the broker's
   * credentials. A refusal (a policy rule, the kill switch, an approval to wait for) or a disabled connector
   * comes back as a failed check naming why; an unknown connector throws `unknown_connector`.
   */
  test(connector: string, as: string): Promise<CredentialCheck>;
}

export interface GovernanceAccess {
  approvals: ApprovalsAccess;
  killSwitch: KillSwitchAccess;
  connectors: ConnectorsAccess;
}

/**
 * Through the gate itself: its approvals and kill switch, audited by its own audit trail, and the credential
 * checks of the connectors registered with it (`registerConnector`).
 */
export function gateAccess(gate: Pick<Gate, 'approvals' | 'killSwitch' | 'execute'>): GovernanceAccess {
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
    connectors: { test: (connector, as) => testThroughGate(gate, connector, as) },
  };
}

async function testThroughGate(
  gate: Pick<Gate, 'execute'>,
  connector: string,
  as: string,
): Promise<CredentialCheck> {
  assertConnector(connector);
  const refused = (message: string, details: Record<string, unknown>): CredentialCheck => ({
    connector,
    ok: false,
    problem: 'denied',
    message,
    details,
  });
  try {
    const out = await gate.execute<CredentialCheck>(
      { principal: { kind: 'user', id: as } },
      credentialsTestId(connector),
      {},
      { wait: 'return' },
    );
    if (out.status !== 'pending') return out.result as CredentialCheck; // never a dry run: none is asked
    // a rule escalates the check: it waits for an approver rather than holding the terminal
    return refused(
      `held for approval by ${out.rule}: arx approvals approve ${out.approvalId}, then test again`,
      {
        rule: out.rule,
        reasons: out.reasons,
        audit_seq: out.auditSeq,
        approval_id: out.approvalId,
      },
    );
  } catch (err) {
    if (err instanceof PermissionDenied) {
      const { rule, reasons, auditSeq, kind } = err.denial;
      return refused(`denied by ${rule}${reasons[0] ? `: ${reasons[0]}` : ''}`, {
        kind,
        rule,
        reasons,
        audit_seq: auditSeq,
      });
    }
    // the broker refuses a connector arx.yaml disables: a setting for the caller to change
    if (isArxError(err) && err.code === 'connector_disabled') {
      return {
        connector,
        ok: false,
        problem: 'missing_config',
        message: `${err.message}${err.hint ? `: ${err.hint}` : ''}`,
      };
    }
    throw err;
  }
}
