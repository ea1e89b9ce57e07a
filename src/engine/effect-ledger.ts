import { AsyncLocalStorage } from 'node:async_hooks';
import { ArxError } from '../core/errors.js';
import { isPermissionDenied } from '../governance/errors.js';
import type { Logger } from '../log/logger.js';
import type { EffectRecord, EffectsRepo } from '../store/effects-repo.js';
import { EFFECT_STATES } from '../store/statuses.js';
import type { EffectOutcome } from './run-state.js';

/**
 * Exactly-once external writes (ARCHITECTURE §4). Each effect has a key saying what it means; the ledger is
 * written `pending` BEFORE the write and `done` with the result AFTER it. On a later attempt:
 *   done     → the stored result is returned, nothing is sent;
 *   failed   → the write provably did not happen: it is claimed again and sent;
 *   pending  → in doubt (the process died mid-write, or the target timed out): the target is asked first
 *              through the reconciler; found → completed without writing; not found → claimed and sent.
 * A pending entry of another run that is still executing is left alone (that run is writing it now).
 * Claiming goes pending → failed → pending through compare-and-set updates, so two processes that
 * reconcile the same entry never both write.
 */

/** The effect a write belongs to, so writes inside `ctx.effect` are not ledgered twice. */
export interface EffectScope {
  key: string;
  operation: string | undefined;
  /** Writes that reached (or may have reached) a handler: a failure after one leaves the entry pending. */
  mayHaveWritten: number;
  dryRun: boolean;
}

export const effectScope = new AsyncLocalStorage<EffectScope>();

export interface EffectRequest<R> {
  key: string;
  /** Ledger label: the operation id written, or `effect`. */
  operation: string;
  perform: () => Promise<R>;
  /** Looks for the effect at the target; throws an ArxError `no_reconciler` when the target cannot tell. */
  reconcile: (() => Promise<R | undefined>) | undefined;
}

export interface EffectResult<R> {
  value: R;
  outcome: EffectOutcome;
}

export interface EffectLedgerOptions {
  effects: EffectsRepo;
  runId: string;
  dryRun: boolean;
  /** Whether another run is executing right now (its lease is live). */
  isRunActive: (runId: string) => Promise<boolean>;
  log: Logger;
}

const NOT_ASKED = Symbol('not asked');

/** Claims that lose a race are retried this often before giving up: more means something is looping. */
const MAX_CLAIMS = 5;

export class EffectLedger {
  private readonly inFlight = new Map<string, Promise<EffectResult<unknown>>>();

  constructor(private readonly options: EffectLedgerOptions) {}

  /** Performs `request` at most once across crashes and runs; see the module comment. */
  run<R>(request: EffectRequest<R>): Promise<EffectResult<R>> {
    // The same key twice at once in this run (parallel items): the second waits for the first.
    const running = this.inFlight.get(request.key);
    if (running) return running.then((done) => ({ value: done.value as R, outcome: 'replayed' as const }));
    const work = this.options.dryRun ? this.plan(request) : this.settle(request);
    this.inFlight.set(request.key, work);
    return work.finally(() => this.inFlight.delete(request.key));
  }

  private async plan<R>(request: EffectRequest<R>): Promise<EffectResult<R>> {
    const record = await this.options.effects.get(request.key);
    if (record?.state === EFFECT_STATES.done) return this.replay(record);
    return { value: await this.inScope(request, true), outcome: 'planned' };
  }

  private async settle<R>(request: EffectRequest<R>): Promise<EffectResult<R>> {
    const { effects, runId, log } = this.options;
    for (let claim = 1; claim <= MAX_CLAIMS; claim++) {
      const { created, record } = await effects.begin(request.key, request.operation, runId);
      if (created) return this.perform(request);
      if (record.state === EFFECT_STATES.done) return this.replay(record);
      if (record.state === EFFECT_STATES.failed) {
        if (await effects.retry(request.key, runId)) return this.perform(request);
        continue;
      }
      // pending: in doubt
      if (record.runId && record.runId !== runId && (await this.options.isRunActive(record.runId))) {
        throw new ArxError(
          'effect_in_flight',
          `${request.key} is being written right now by run ${record.runId}`,
          {
            fault: 'arx',
            retryable: true,
            hint: 'two runs of the same workflow overlap; this one leaves that write to the other',
          },
        );
      }
      const found = await this.lookUp(request);
      if (found !== NOT_ASKED) {
        if (found !== undefined) {
          try {
            await effects.complete(request.key, found);
          } catch (err) {
            if (isNotPending(err)) continue; // someone settled it meanwhile: look again
            throw err;
          }
          log.info(
            { key: request.key },
            'pending effect found at the target: completed without writing again',
          );
          return { value: found, outcome: 'reconciled' };
        }
      } else {
        log.warn(
          { key: request.key, operation: request.operation },
          'pending effect has no reconciler: sending it again (the operation must be safe to repeat)',
        );
      }
      if (!(await this.takeOver(request.key))) continue;
      return this.perform(request);
    }
    throw new ArxError('effect_contended', `could not claim ${request.key} after ${MAX_CLAIMS} tries`, {
      retryable: true,
    });
  }

  /** What the target says about the effect, or NOT_ASKED when no reconcile exists for it. */
  private async lookUp<R>(request: EffectRequest<R>): Promise<R | undefined | typeof NOT_ASKED> {
    if (!request.reconcile) return NOT_ASKED;
    try {
      return await request.reconcile();
    } catch (err) {
      if (err instanceof ArxError && err.code === 'no_reconciler') return NOT_ASKED;
      throw err;
    }
  }

  /** pending (in doubt, not at the target) → failed → pending for this run; false when another claimer won. */
  private async takeOver(key: string): Promise<boolean> {
    try {
      await this.options.effects.fail(key, 'interrupted before completing; not found at the target');
    } catch (err) {
      if (!isNotPending(err)) throw err;
    }
    return (await this.options.effects.retry(key, this.options.runId)) !== undefined;
  }

  private async perform<R>(request: EffectRequest<R>): Promise<EffectResult<R>> {
    const scope: EffectScope = {
      key: request.key,
      operation: request.operation,
      mayHaveWritten: 0,
      dryRun: false,
    };
    let value: R;
    try {
      value = await effectScope.run(scope, request.perform);
    } catch (err) {
      // Provably not written: mark failed so the next attempt sends it without asking the target.
      // Possibly written (timeout, crash of the tool): leave pending, so the next attempt reconciles first.
      if (scope.mayHaveWritten === 0) {
        await this.options.effects.fail(request.key, err).catch(() => {});
      }
      throw err;
    }
    await this.options.effects.complete(request.key, value ?? null);
    return { value, outcome: 'performed' };
  }

  private inScope<R>(request: EffectRequest<R>, dryRun: boolean): Promise<R> {
    return effectScope.run(
      { key: request.key, operation: request.operation, mayHaveWritten: 0, dryRun },
      request.perform,
    );
  }

  private replay<R>(record: EffectRecord): EffectResult<R> {
    return {
      value: record.result as R,
      outcome: record.runId === this.options.runId ? 'replayed' : 'existing',
    };
  }
}

/**
 * Errors after which the target provably did not act: a gate refusal, or the tool rejecting the request
 * as invalid. Anything else (timeouts, 5xx, lost connections) may have been applied.
 */
export function provablyNotApplied(err: unknown): boolean {
  if (isPermissionDenied(err)) return true;
  if (err instanceof ArxError && err.code === 'run_waiting') return true; // parked before the handler ran
  return err instanceof ArxError && err.fault === 'caller' && !err.retryable;
}

function isNotPending(err: unknown): boolean {
  return err instanceof ArxError && err.code === 'effect_not_pending';
}
