import type { ConnectorsConfig } from '../config/connectors.js';
import type { GovernanceConfig } from '../config/governance.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import type { Db } from '../store/repo-support.js';
import type { AuditTrail } from './audit/trail.js';
import type { Operation, OperationCatalog } from './catalog.js';
import type { CredentialBroker } from './credentials.js';
import type { PolicyVerdict } from './policy.js';
import type { Principal } from './principal.js';
import type { ResourceContext } from './risk.js';

/** The gate's vocabulary: what callers pass in, what they get back, and what connector handlers receive. */

export interface GateContext {
  principal: Principal;
  runId?: string | undefined;
  /** The resource acted on: environment and tags feed the risk score and policy matching. */
  resource?: ResourceContext | undefined;
  /** Evaluate and audit, but do not call write handlers (reads still run). */
  dryRun?: boolean | undefined;
  /** The person who started the run, when known: they cannot approve its escalations. */
  requestedBy?: string | undefined;
  signal?: AbortSignal | undefined;
}

export interface ExecuteOptions {
  /** What the effect means (`jira:create:<finding_key>`); default: the operation's own derivation, else the params hash. */
  idempotencyKey?: string | undefined;
  /** On escalation: `block` polls until decided (default), `return` hands back a pending result at once. */
  wait?: 'block' | 'return' | undefined;
  pollMs?: number | undefined;
}

export interface Decided {
  verdict: PolicyVerdict['verdict'];
  rule: string;
  reasons: string[];
  score: number;
  auditSeq: number;
  idempotencyKey: string;
  paramsHash: string;
}

export type GateResult<R = unknown> =
  | ({ status: 'done'; result: R; approvalId?: string } & Decided)
  | ({ status: 'pending'; approvalId: string } & Decided)
  | ({ status: 'dry_run'; result?: R } & Decided);

/** What a handler receives: credentials resolved for this call, and the call's signal, clock and logger. */
export interface HandlerContext<C = unknown> {
  credentials: C;
  signal: AbortSignal;
  clock: Clock;
  log: Logger;
  operation: Operation;
  idempotencyKey: string;
}

// biome-ignore lint/suspicious/noExplicitAny: params are validated by the operation's zod schema before the call
export type OperationHandler<C = any> = (params: any, context: HandlerContext<C>) => Promise<unknown>;

/**
 * A write operation's reconcile: given the write's params, asks the target whether that write already
 * happened (Jira issue by its finding label, PagerDuty incident by incident_key, ServiceNow incident by
 * correlation_id, Slack message by metadata) and returns what the write would have returned, or undefined.
 */
// biome-ignore lint/suspicious/noExplicitAny: params are validated by the operation's zod schema before the call
export type Reconciler<C = any> = (params: any, context: HandlerContext<C>) => Promise<unknown>;

export interface ReconcileResult<R = unknown> {
  /** True when the target already has the effect; `result` is then what the write would have returned. */
  found: boolean;
  result?: R | undefined;
  idempotencyKey: string;
  auditSeq: number;
}

/** The rule named in the audit for a reconcile: it reads, and its write was decided when first attempted. */
export const RECONCILE_RULE = '(reconcile)';

export interface GateOptions {
  db: Db;
  clock: Clock;
  catalog: OperationCatalog;
  governance: GovernanceConfig;
  audit: AuditTrail;
  broker: CredentialBroker;
  /** `connectors` of arx.yaml: per-connector `enabled` and `operations` limits. */
  connectors?: ConnectorsConfig | undefined;
  log?: Logger | undefined;
}
