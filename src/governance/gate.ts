import { hashOf } from '../core/canonical.js';
import { ArxError, UsageError } from '../core/errors.js';
import { secrets } from '../core/secrets.js';
import { type Logger, logger } from '../log/logger.js';
import type { AuditEntry } from '../store/audit-repo.js';
import { APPROVAL_STATUSES } from '../store/governance-statuses.js';
import { Approvals } from './approvals.js';
import type { Operation } from './catalog.js';
import type { Decision } from './decide.js';
import { PermissionDenied } from './errors.js';
import { gatherAndDecide, respondToDrift } from './gate-decision.js';
import type {
  Decided,
  ExecuteOptions,
  GateContext,
  GateOptions,
  GateResult,
  OperationHandler,
  ReconcileResult,
  Reconciler,
} from './gate-types.js';
import { RECONCILE_RULE } from './gate-types.js';
import { KillSwitch } from './kill-switch.js';
import { BUILTIN_RULES } from './policy.js';
import { PRINCIPAL_KINDS, type Principal, principalRef } from './principal.js';
import { RecentCalls } from './recent-calls.js';

/**
 * The gate: the only way to act on a tool. For each call —
 *   kill switch → drift → risk score → policy verdict → audit intent (no audit, no action)
 *   → deny (PermissionDenied), or wait for an approval of exactly these params, or go
 *   → credentials resolved for this call only → the connector's handler → audit result.
 * Connector handlers are registered here and nothing else holds them.
 */

export * from './gate-types.js';

export class Gate {
  readonly approvals: Approvals;
  readonly killSwitch: KillSwitch;
  readonly #handlers = new Map<string, OperationHandler>();
  readonly #reconcilers = new Map<string, Reconciler>();
  readonly #options: GateOptions;
  readonly #log: Logger;
  readonly #recentCalls: RecentCalls;

  constructor(options: GateOptions) {
    this.#options = options;
    this.#log = options.log ?? logger();
    this.approvals = new Approvals(options.db, options.governance.approvals, options.audit, options.clock);
    this.killSwitch = new KillSwitch(options.db, options.audit, options.clock);
    this.#recentCalls = new RecentCalls({ db: options.db, clock: options.clock });
  }

  /** Connectors register one handler per catalog operation; only the gate ever calls it. */
  register(operationId: string, handler: OperationHandler): void {
    if (!this.#options.catalog.has(operationId)) {
      throw new ArxError(
        'unknown_operation',
        `cannot register a handler for "${operationId}": not in the catalog`,
      );
    }
    if (this.#handlers.has(operationId)) {
      throw new ArxError('handler_registered', `a handler for "${operationId}" is already registered`);
    }
    this.#handlers.set(operationId, handler);
  }

  /** Connectors register one reconcile per write operation, next to its handler; only the gate calls it. */
  registerReconciler(operationId: string, reconciler: Reconciler): void {
    const operation = this.#options.catalog.get(operationId);
    if (!operation || operation.verb === 'read') {
      throw new ArxError(
        'unknown_operation',
        `cannot register a reconcile for "${operationId}": not a write operation in the catalog`,
      );
    }
    if (this.#reconcilers.has(operationId)) {
      throw new ArxError('handler_registered', `a reconcile for "${operationId}" is already registered`);
    }
    this.#reconcilers.set(operationId, reconciler);
  }

  /**
   * After a crash left an effect `pending`, asks the target whether that write already happened, before
   * anything retries it. Audited as an intent (rule `(reconcile)`) and a result saying whether it was
   * found; the kill switch applies as to a read. Policy is not asked again: the call only reads, and the
   * write it looks for was decided when it was attempted.
   *
   * @example
   * const check = await gate.reconcile(ctx, 'jira:issues:create', params, { idempotencyKey: effect.key });
   * if (check.found) await effects.complete(effect.key, check.result);
   */
  async reconcile<R = unknown>(
    context: GateContext,
    operationId: string,
    params: unknown,
    options: Pick<ExecuteOptions, 'idempotencyKey'> = {},
  ): Promise<ReconcileResult<R>> {
    checkContext(context);
    const operation = this.#options.catalog.get(operationId);
    const reconciler = this.#reconcilers.get(operationId);
    if (!operation || !reconciler) {
      throw new ArxError('no_reconciler', `no reconcile is registered for ${operationId}`, {
        hint: 'reconcile exists for write operations of connectors that can search for their effects',
      });
    }
    const parsed = operation.params.safeParse(params);
    if (!parsed.success) {
      const issues = parsed.error.issues.map((i) => `params.${i.path.join('.') || '(root)'}: ${i.message}`);
      throw new ArxError('invalid_params', `${operationId}: ${issues.join('; ')}`, { fault: 'caller' });
    }
    const ref = principalRef(context.principal);
    const paramsHash = hashOf(parsed.data ?? null);
    const idempotencyKey =
      options.idempotencyKey ??
      operation.idempotencyKey?.(parsed.data) ??
      `${operationId}:${ref}:${paramsHash}`;
    const block = await this.killSwitch.check(context.principal, 'read');
    const intent = await this.#options.audit.append({
      kind: 'intent',
      actor: ref,
      action: operationId,
      verdict: block ? 'deny' : 'allow',
      runId: context.runId,
      payload: {
        principal: context.principal,
        operation: operationId,
        reconcile: true,
        idempotency_key: idempotencyKey,
        inputs_hash: paramsHash,
        rule: block ? BUILTIN_RULES.killSwitch : RECONCILE_RULE,
        reasons: [
          block ? block.reason : `looks up whether the pending effect ${idempotencyKey} already happened`,
        ],
      },
    });
    this.#recentCalls.recorded(ref);
    if (block) {
      throw new PermissionDenied({
        kind: 'kill_switch',
        operation: operationId,
        rule: BUILTIN_RULES.killSwitch,
        reasons: [block.reason],
        auditSeq: intent.seq,
      });
    }
    const result = await this.run<R | undefined>(
      operation,
      parsed.data,
      context,
      idempotencyKey,
      intent.seq,
      {
        fn: reconciler,
        extra: (out) => ({ reconcile: true, found: out !== undefined }),
      },
    );
    return { found: result !== undefined, result, idempotencyKey, auditSeq: intent.seq };
  }

  /**
   * Runs one operation through the gate.
   * @example
   * const out = await gate.execute({ principal: { kind: 'workflow', id: 'wiz-distribution' }, resource: { environment: 'prod' } },
   *   'jira:issues:create', { project: 'SEC', summary: '...', findingKey }, {});
   * if (out.status === 'done') console.log(out.result);
   */
  async execute<R = unknown>(
    context: GateContext,
    operationId: string,
    params: unknown,
    options: ExecuteOptions = {},
  ): Promise<GateResult<R>> {
    checkContext(context);
    const { catalog, audit } = this.#options;
    const operation = catalog.get(operationId);
    const ref = principalRef(context.principal);

    const parsed = operation ? operation.params.safeParse(params) : undefined;
    const input = parsed?.success ? (parsed.data as Record<string, unknown>) : params;
    const paramsHash = hashOf(input ?? null);
    const idempotencyKey =
      options.idempotencyKey ??
      (parsed?.success ? operation?.idempotencyKey?.(parsed.data) : undefined) ??
      `${operationId}:${ref}:${paramsHash}`;

    const decision: Decision =
      parsed && !parsed.success
        ? {
            verdict: 'deny',
            rule: BUILTIN_RULES.invalidParams,
            reasons: parsed.error.issues.map((i) => `params.${i.path.join('.') || '(root)'}: ${i.message}`),
            score: 0,
            risk: undefined,
            drift: undefined,
          }
        : await this.decideCall(context, operationId, operation);

    const intentWrite = audit.append({
      kind: 'intent',
      actor: ref,
      action: operationId,
      verdict: decision.verdict,
      risk: decision.risk?.score,
      runId: context.runId,
      payload: {
        principal: context.principal,
        operation: operationId,
        idempotency_key: idempotencyKey,
        inputs_hash: paramsHash,
        rule: decision.rule,
        reasons: decision.reasons,
        score: decision.risk?.score,
        factors: decision.risk?.factors,
        resource: context.resource,
        dry_run: context.dryRun || undefined,
        drift: decision.drift,
        // what `arx policy simulate` needs to decide this call again under another policy
        recent_calls: decision.recentCalls,
        calls_last_hour: decision.callsLastHour,
      },
    });
    intentWrite.catch(() => {}); // awaited below; this only keeps a failure from counting as unhandled meanwhile
    this.#recentCalls.recorded(ref);
    const decidedAt = (auditSeq: number): Decided => ({
      verdict: decision.verdict,
      rule: decision.rule,
      reasons: decision.reasons,
      score: decision.score,
      auditSeq,
      idempotencyKey,
      paramsHash,
    });

    if (operation?.verb === 'read' && decision.verdict === 'allow' && !decision.drift) {
      // A read changes nothing at the tool, so it runs while its intent is being written; its answer is
      // released only once the intent is durable (`run` waits), and discarded if it cannot be.
      const result = await this.run<R>(operation, input, context, idempotencyKey, intentWrite);
      return { status: 'done', result, ...decidedAt((await intentWrite).seq) };
    }
    const intent = await intentWrite;
    const decided = decidedAt(intent.seq);
    if (decision.drift) await this.afterDrift(context.principal, operationId, decision);

    if (decision.verdict === 'deny' || !operation) {
      throw new PermissionDenied({
        kind: denialKind(decision.rule),
        operation: operationId,
        rule: decision.rule,
        reasons: decision.reasons,
        score: decision.risk?.score,
        auditSeq: intent.seq,
      });
    }

    const writes = operation.verb !== 'read';
    if (context.dryRun && (writes || decision.verdict !== 'allow')) {
      this.recordResult(intent.seq, context, operationId, { status: 'skipped', dry_run: true });
      return { status: 'dry_run', ...decided };
    }

    let approvalId: string | undefined;
    if (decision.verdict === 'escalate') {
      const approval = await this.approvals.request({
        operation: operationId,
        paramsHash,
        idempotencyKey,
        principal: ref,
        requestedBy: context.requestedBy,
        runId: context.runId,
        params: secrets.scrubValue(input as Record<string, unknown>),
        context: {
          rule: decision.rule,
          reasons: decision.reasons,
          score: decision.score,
          resource: context.resource,
          intent_seq: intent.seq,
        },
      });
      approvalId = approval.id;
      if (approval.status === APPROVAL_STATUSES.pending && options.wait === 'return') {
        return { status: 'pending', approvalId, ...decided };
      }
      try {
        if (approval.status !== APPROVAL_STATUSES.approved) {
          await this.approvals.waitFor(approval.id, { pollMs: options.pollMs, signal: context.signal });
        }
      } catch (err) {
        if (err instanceof PermissionDenied) {
          this.recordResult(intent.seq, context, operationId, {
            status: 'denied',
            approval_id: approvalId,
          });
          throw new PermissionDenied({ ...err.denial, auditSeq: intent.seq });
        }
        throw err;
      }
      // the wait may have been long: the kill switch still has the last word
      const block = await this.killSwitch.check(context.principal, operation.verb);
      if (block) {
        this.recordResult(intent.seq, context, operationId, { status: 'denied', reason: block.reason });
        throw new PermissionDenied({
          kind: 'kill_switch',
          operation: operationId,
          rule: BUILTIN_RULES.killSwitch,
          reasons: [block.reason],
          auditSeq: intent.seq,
        });
      }
    }

    const result = await this.run<R>(operation, input, context, idempotencyKey, intent.seq);
    return { status: 'done', result, ...decided, ...(approvalId ? { approvalId } : {}) };
  }

  /** Gathers the facts (kill switch, recent calls) and decides. */
  private decideCall(context: GateContext, operationId: string, operation: Operation | undefined) {
    return gatherAndDecide(
      { ...this.#options, killSwitch: this.killSwitch, recentCalls: this.#recentCalls },
      context,
      operationId,
      operation,
    );
  }

  private afterDrift(principal: Principal, operationId: string, decision: Decision): Promise<void> {
    return respondToDrift(
      { ...this.#options, killSwitch: this.killSwitch, log: this.#log },
      principal,
      operationId,
      decision,
    );
  }

  private async run<R>(
    operation: Operation,
    input: unknown,
    context: GateContext,
    idempotencyKey: string,
    /** The call's intent record: written already, or (a read) still being written while the handler runs. */
    intent: number | Promise<AuditEntry>,
    /** A reconcile runs through the same path, with its own function and result fields. */
    as?: { fn: Reconciler; extra: (result: unknown) => Record<string, unknown> },
  ): Promise<R> {
    const { clock, broker } = this.#options;
    const handler = as?.fn ?? this.#handlers.get(operation.id);
    const started = clock.now().getTime();
    const elapsed = () => clock.now().getTime() - started;
    let outcome: { ok: true; result: unknown } | { ok: false; error: unknown };
    if (!handler) {
      outcome = {
        ok: false,
        error: new ArxError('no_handler', `no connector handler is registered for ${operation.id}`, {
          hint: `is the ${operation.connector} connector installed and registered with the gate?`,
        }),
      };
    } else {
      try {
        const credentials = await broker.resolve({
          connector: operation.connector,
          operation: operation.id,
          principal: principalRef(context.principal),
        });
        const signal = context.signal ?? new AbortController().signal;
        const parentLog = this.#log;
        let log: Logger | undefined;
        const result = await handler(input, {
          credentials,
          signal,
          clock,
          operation,
          idempotencyKey,
          // made on first use: most calls never log, and a child logger per call is not free
          get log() {
            log ??= parentLog.child({ operation: operation.id, principal: principalRef(context.principal) });
            return log;
          },
        });
        outcome = { ok: true, result };
      } catch (error) {
        outcome = { ok: false, error };
      }
    }
    // no answer leaves the gate before its intent is durable; if it cannot be written, this throws
    const intentSeq = typeof intent === 'number' ? intent : (await intent).seq;
    if (!outcome.ok) {
      const err = outcome.error;
      this.recordResult(intentSeq, context, operation.id, {
        status: 'error',
        error: secrets.scrub(err instanceof Error ? err.message : String(err)),
        error_code: err instanceof ArxError ? err.code : undefined,
        duration_ms: elapsed(),
      });
      throw err;
    }
    this.recordResult(intentSeq, context, operation.id, {
      status: 'ok',
      ...as?.extra(outcome.result),
      outputs_hash: hashOf(outcome.result ?? null),
      duration_ms: elapsed(),
    });
    return outcome.result as R;
  }

  /**
   * The result record is not waited for: the intent was durable before anything ran, and results are
   * written in order with the next batch (a crash can lose the last few, never leave a hole; `audit.flush`
   * waits for them).
   */
  private recordResult(
    intentSeq: number,
    context: GateContext,
    operationId: string,
    payload: Record<string, unknown>,
  ): void {
    this.#options.audit.defer({
      kind: 'result',
      actor: principalRef(context.principal),
      action: operationId,
      runId: context.runId,
      payload: { intent_seq: intentSeq, ...payload },
    });
  }
}

function checkContext(context: GateContext): void {
  const principal = context?.principal;
  if (!principal?.id || !(PRINCIPAL_KINDS as readonly string[]).includes(principal.kind)) {
    throw new UsageError('gate.execute: context.principal needs an id and a kind (workflow, agent or user)');
  }
}

function denialKind(rule: string): PermissionDenied['denial']['kind'] {
  if (rule === BUILTIN_RULES.killSwitch) return 'kill_switch';
  if (rule === BUILTIN_RULES.drift) return 'drift';
  if (rule === BUILTIN_RULES.invalidParams) return 'invalid_params';
  return 'policy';
}
