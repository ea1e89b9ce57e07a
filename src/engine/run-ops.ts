import { hashOf } from '../core/canonical.js';
import type { OperationCatalog } from '../governance/catalog.js';
import { isPermissionDenied, type PermissionDenied } from '../governance/errors.js';
import type { Gate, GateContext, GateResult } from '../governance/gate.js';
import { type Principal, principalRef } from '../governance/principal.js';
import type { ResourceContext } from '../governance/risk.js';
import type { RunsRepo } from '../store/runs-repo.js';
import { RUN_STATUSES } from '../store/statuses.js';
import type { OpOptions, PageResult, ReadOptions } from '../workflows/sdk/context.js';
import type { DryRunResult } from '../workflows/sdk/dry-run.js';
import { type EffectLedger, effectScope, provablyNotApplied } from './effect-ledger.js';
import { RunInterrupted, RunParked, RunStopped } from './errors.js';
import type { ProgressTracker } from './progress.js';
import type { EffectOutcome, RunState } from './run-state.js';

/**
 * `ctx.op` and `ctx.read`: every call goes through the gate as `workflow:<name>` with the run id attached.
 * Writes outside an explicit `ctx.effect` become effects of their own, keyed by the catalog's derivation.
 * Denials are counted (and a kill switch stops the run), escalations wait for their approval with the run
 * marked `waiting`, and in a dry run writes become plan entries.
 */
export interface RunOpsOptions {
  gate: Gate;
  catalog: OperationCatalog;
  runs: RunsRepo;
  runId: string;
  principal: Principal;
  dryRun: boolean;
  requestedBy: string | undefined;
  signal: AbortSignal | undefined;
  state: RunState;
  progress: ProgressTracker;
  ledger: EffectLedger;
  /** How often a waiting run looks at its approval again. */
  approvalPollMs?: number | undefined;
  /**
   * On escalation: `wait` blocks until an approver decides (the store is shared: PostgreSQL); `park` ends
   * this attempt as `waiting`, so the store is free for `arx approvals`, and the next run resumes.
   */
  approvals?: 'wait' | 'park' | undefined;
  workflow: string;
}

/** Outcomes under which an auto-effect's write counts for this run without `call` having counted it. */
const COUNTED_WITHOUT_CALL: ReadonlySet<EffectOutcome> = new Set(['replayed', 'reconciled']);

export class RunOps {
  private stopped: RunStopped | undefined;
  /** True while the run waits for an approval. */
  waiting = false;

  constructor(private readonly o: RunOpsOptions) {}

  /** Throws if the run must not make another call (stopped by the kill switch, or aborted). */
  checkActive(): void {
    if (this.stopped) throw this.stopped;
    const signal = this.o.signal;
    if (signal?.aborted) {
      if (signal.reason instanceof RunStopped) throw signal.reason;
      throw new RunInterrupted(reasonText(signal.reason));
    }
  }

  async op<R>(operationId: string, params: Record<string, unknown>, options: OpOptions = {}): Promise<R> {
    this.checkActive();
    const operation = this.o.catalog.get(operationId);
    if (!operation || operation.verb === 'read' || effectScope.getStore()) {
      return this.call<R>(operationId, params, options);
    }
    const parsed = operation.params.safeParse(params);
    if (!parsed.success) return this.call<R>(operationId, params, options); // the gate denies and audits it
    const key =
      options.idempotencyKey ??
      operation.idempotencyKey?.(parsed.data) ??
      `${operationId}:${principalRef(this.o.principal)}:${hashOf(parsed.data)}`;
    const { value, outcome } = await this.o.ledger.run<R>({
      key,
      operation: operationId,
      perform: () => this.call<R>(operationId, params, { ...options, idempotencyKey: key }),
      reconcile: () => this.reconcile<R>(operationId, params, key, options),
    });
    this.o.state.noteEffect(outcome);
    if (options.count && COUNTED_WITHOUT_CALL.has(outcome)) this.o.state.add(options.count);
    if (this.o.dryRun && (outcome === 'existing' || outcome === 'replayed')) {
      this.o.state.notePlan({
        operation: operationId,
        outcome: 'already_done',
        idempotencyKey: key,
        why: options.why,
        target: options.target,
      });
    }
    return value;
  }

  async *read<P extends PageResult>(
    operationId: string,
    params: Record<string, unknown>,
    options: ReadOptions = {},
  ): AsyncGenerator<P> {
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await this.op<P>(operationId, after ? { ...params, after } : params, {
        ...(options.resource ? { resource: options.resource } : {}),
      });
      pages += 1;
      yield page;
      after = typeof page?.next === 'string' && page.next !== '' ? page.next : undefined;
    } while (after && (options.maxPages === undefined || pages < options.maxPages));
  }

  /**
   * Asks the target, through the connector's reconcile registered with the gate (audited), whether a
   * pending write already happened. A connector without one makes the ledger send the write again.
   */
  private async reconcile<R>(
    operationId: string,
    params: Record<string, unknown>,
    idempotencyKey: string,
    options: OpOptions,
  ): Promise<R | undefined> {
    this.checkActive();
    try {
      const check = await this.o.gate.reconcile<R>(this.gateContext(options.resource), operationId, params, {
        idempotencyKey,
      });
      return check.found ? check.result : undefined;
    } catch (err) {
      if (isPermissionDenied(err)) this.onDenied(err, options);
      throw err;
    }
  }

  /** One gate call, with escalation, denial and dry-run handling. */
  private async call<R>(
    operationId: string,
    params: Record<string, unknown>,
    options: OpOptions,
  ): Promise<R> {
    this.checkActive();
    const write = this.o.catalog.get(operationId)?.verb !== 'read';
    const scope = write ? effectScope.getStore() : undefined;
    const context = this.gateContext(options.resource);
    const execute = { ...(options.idempotencyKey ? { idempotencyKey: options.idempotencyKey } : {}) };
    let out: GateResult<R>;
    try {
      out = await this.o.gate.execute<R>(context, operationId, params, { ...execute, wait: 'return' });
      if (out.verdict === 'escalate') this.o.state.add('escalated');
      if (out.status === 'pending') {
        out = await this.awaitApproval<R>(context, operationId, params, out.approvalId, execute);
      }
    } catch (err) {
      if (scope && !provablyNotApplied(err)) scope.mayHaveWritten += 1;
      if (isPermissionDenied(err)) this.onDenied(err, options);
      throw err;
    }
    if (out.status === 'dry_run') {
      this.o.state.notePlan({
        operation: operationId,
        outcome: out.verdict === 'escalate' ? 'needs_approval' : 'would_run',
        idempotencyKey: out.idempotencyKey,
        rule: out.rule,
        reason: out.verdict === 'escalate' ? out.reasons[0] : undefined,
        why: options.why,
        target: options.target,
      });
      if (options.count) this.o.state.add(options.count);
      const placeholder: DryRunResult = {
        dryRun: true,
        operation: operationId,
        idempotencyKey: out.idempotencyKey,
        verdict: out.verdict,
        rule: out.rule,
      };
      return placeholder as R;
    }
    if (scope) scope.mayHaveWritten += 1;
    if (write && options.count) this.o.state.add(options.count);
    return (out as Extract<GateResult<R>, { status: 'done' }>).result;
  }

  /**
   * The call escalated: the run is `waiting` until an approver decides (any process: the state is in the
   * store), then the gate is asked again, which acts on an approval or records and throws the refusal.
   */
  private async awaitApproval<R>(
    context: GateContext,
    operationId: string,
    params: Record<string, unknown>,
    approvalId: string,
    execute: { idempotencyKey?: string },
  ): Promise<GateResult<R>> {
    this.o.state.noteApproval(approvalId);
    this.o.progress.emit({ type: 'waiting', operation: operationId, approvalId });
    if (this.o.approvals === 'park') throw new RunParked(approvalId, operationId, this.o.workflow);
    await this.o.runs.setStatus(this.o.runId, RUN_STATUSES.waiting);
    this.waiting = true;
    try {
      await this.o.gate.approvals
        .waitFor(approvalId, {
          ...(this.o.approvalPollMs ? { pollMs: this.o.approvalPollMs } : {}),
          ...(this.o.signal ? { signal: this.o.signal } : {}),
        })
        .catch((err: unknown) => {
          if (!isPermissionDenied(err)) throw err; // the gate records the refusal below
        });
    } catch (err) {
      if (this.o.signal?.aborted) this.checkActive();
      throw err;
    } finally {
      this.waiting = false;
      await this.o.runs.setStatus(this.o.runId, RUN_STATUSES.running);
    }
    return this.o.gate.execute<R>(context, operationId, params, { ...execute, wait: 'block' });
  }

  private onDenied(err: PermissionDenied, options: OpOptions): void {
    const { denial } = err;
    const reason = denial.reasons[0] ?? denial.rule;
    this.o.state.noteDenial({
      operation: denial.operation,
      rule: denial.rule,
      reason,
      kind: denial.kind,
      target: options.target,
    });
    if (this.o.dryRun) {
      this.o.state.notePlan({
        operation: denial.operation,
        outcome: 'denied',
        rule: denial.rule,
        reason,
        why: options.why,
        target: options.target,
      });
      return;
    }
    if (denial.kind === 'kill_switch') {
      this.stopped = new RunStopped(`stopped at its next write (${denial.operation}): ${reason}`, {
        hint: 'lift it with `arx resume`, then run the workflow again: writes already done are not repeated',
        cause: err,
      });
      throw this.stopped;
    }
  }

  private gateContext(resource: ResourceContext | undefined): GateContext {
    return {
      principal: this.o.principal,
      runId: this.o.runId,
      dryRun: this.o.dryRun,
      ...(resource ? { resource } : {}),
      ...(this.o.requestedBy ? { requestedBy: this.o.requestedBy } : {}),
      ...(this.o.signal ? { signal: this.o.signal } : {}),
    };
  }
}

function reasonText(reason: unknown): string {
  if (reason instanceof Error) return reason.message;
  return typeof reason === 'string' && reason ? reason : 'the run was interrupted';
}
