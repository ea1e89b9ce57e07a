import { type Counts, isSummaryCounter, type SummaryCounter, zeroCounts } from '../workflows/sdk/counters.js';
import type { PlanEntry } from './plan.js';

/** How each effect of a run ended. */
export const EFFECT_OUTCOMES = ['performed', 'reconciled', 'replayed', 'existing', 'planned'] as const;
export type EffectOutcome = (typeof EFFECT_OUTCOMES)[number];

export interface DenialNote {
  operation: string;
  rule: string;
  reason: string;
  /** `policy`, `kill_switch`, `approval_denied`, ... */
  kind: string;
  target?: string | undefined;
}

export interface FailureNote {
  item: string;
  reason: string;
}

/** More denials (or failures) than this are counted but not listed one by one: a summary stays readable. */
export const MAX_LISTED_DENIALS = 50;

/**
 * The live tallies of one run execution: summary counters, effect outcomes, denials, the dry-run plan and
 * the approvals waited on. Steps capture the counter changes made inside them, so a step replayed on resume
 * adds its counts again without running.
 */
export class RunState {
  readonly counts: Counts = zeroCounts();
  readonly extra: Record<string, number> = {};
  readonly effects: Record<EffectOutcome, number> = {
    performed: 0,
    reconciled: 0,
    replayed: 0,
    existing: 0,
    planned: 0,
  };
  readonly denials: DenialNote[] = [];
  readonly failures: FailureNote[] = [];
  readonly plan: PlanEntry[] = [];
  readonly approvals: string[] = [];
  private readonly captures: Array<Record<string, number>> = [];

  add(counter: SummaryCounter | (string & {}), count = 1): void {
    if (!Number.isFinite(count) || count === 0) return;
    if (isSummaryCounter(counter)) this.counts[counter] += count;
    else this.extra[counter] = (this.extra[counter] ?? 0) + count;
    for (const capture of this.captures) capture[counter] = (capture[counter] ?? 0) + count;
  }

  get(counter: SummaryCounter | (string & {})): number {
    return isSummaryCounter(counter) ? this.counts[counter] : (this.extra[counter] ?? 0);
  }

  /** Replays counts recorded by a finished step. */
  addAll(deltas: Record<string, number>): void {
    for (const [counter, count] of Object.entries(deltas)) this.add(counter, count);
  }

  /** Runs `work` while recording the counter changes it makes. */
  async capture<R>(work: () => Promise<R>): Promise<{ value: R; deltas: Record<string, number> }> {
    const deltas: Record<string, number> = {};
    this.captures.push(deltas);
    try {
      return { value: await work(), deltas };
    } finally {
      this.captures.splice(this.captures.indexOf(deltas), 1);
    }
  }

  noteEffect(outcome: EffectOutcome): void {
    this.effects[outcome] += 1;
  }

  noteDenial(denial: DenialNote): void {
    this.add('denied');
    if (this.denials.length < MAX_LISTED_DENIALS) this.denials.push(denial);
  }

  /** A target of `ctx.each` that failed for another reason than a denial. */
  noteFailure(failure: FailureNote): void {
    this.add('errors');
    if (this.failures.length < MAX_LISTED_DENIALS) this.failures.push(failure);
  }

  notePlan(entry: PlanEntry): void {
    this.plan.push(entry);
  }

  noteApproval(approvalId: string): void {
    if (!this.approvals.includes(approvalId)) this.approvals.push(approvalId);
  }
}
