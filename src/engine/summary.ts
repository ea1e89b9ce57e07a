import type { SandboxInfo } from '../workflows/sdk/context.js';
import type { Counts } from '../workflows/sdk/counters.js';
import type { PlanEntry } from './plan.js';
import type { DenialNote, EffectOutcome, FailureNote, RunState } from './run-state.js';

/**
 * How a run ended, for people and machines: the JSON `arx run --json` prints and `runs.summary` stores.
 * `interrupted` means the process was asked to stop (Ctrl-C, shutdown) and `waiting` that it parked on an
 * approval; both stay resumable by the next run of the workflow.
 */
export type RunEnd = 'succeeded' | 'failed' | 'stopped' | 'interrupted' | 'waiting';

export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunEnd;
  dryRun: boolean;
  sandbox?: SandboxInfo | undefined;
  /** 1 for a fresh run; the resumed run counts its attempts. */
  attempt: number;
  resumed: boolean;
  startedAt: string;
  finishedAt: string;
  /** This attempt's wall time. */
  durationMs: number;
  counts: Counts;
  /** The workflow's own counters. */
  extra: Record<string, number>;
  effects: Record<EffectOutcome, number>;
  /** Requests sent per tool during this attempt (retries included), from the HTTP seam's counters. */
  apiCalls: Record<string, number>;
  denials: DenialNote[];
  /** Targets of `ctx.each` that failed (not denied), with why. */
  failures: FailureNote[];
  /** Approval requests the run waited on. */
  approvals: string[];
  /** Dry runs only: what would have been written. */
  plan?: PlanEntry[] | undefined;
  /** Why the run failed or was stopped. */
  error?: string | undefined;
  hint?: string | undefined;
}

export interface SummaryFacts {
  runId: string;
  workflow: string;
  status: RunEnd;
  dryRun: boolean;
  sandbox: SandboxInfo | undefined;
  attempt: number;
  resumed: boolean;
  startedAt: Date;
  attemptStartedAt: Date;
  finishedAt: Date;
  apiCalls: Record<string, number>;
  error?: string | undefined;
  hint?: string | undefined;
}

export function buildSummary(facts: SummaryFacts, state: RunState): RunSummary {
  return {
    runId: facts.runId,
    workflow: facts.workflow,
    status: facts.status,
    dryRun: facts.dryRun,
    ...(facts.sandbox ? { sandbox: facts.sandbox } : {}),
    attempt: facts.attempt,
    resumed: facts.resumed,
    startedAt: facts.startedAt.toISOString(),
    finishedAt: facts.finishedAt.toISOString(),
    durationMs: Math.max(0, facts.finishedAt.getTime() - facts.attemptStartedAt.getTime()),
    counts: { ...state.counts },
    extra: { ...state.extra },
    effects: { ...state.effects },
    apiCalls: facts.apiCalls,
    denials: [...state.denials],
    failures: [...state.failures],
    approvals: [...state.approvals],
    ...(facts.dryRun ? { plan: [...state.plan] } : {}),
    ...(facts.error ? { error: facts.error } : {}),
    ...(facts.hint ? { hint: facts.hint } : {}),
  };
}

/** Calls made between two readings of the seam's counters. */
export function callsSince(
  before: Record<string, number>,
  after: Record<string, number>,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [tool, count] of Object.entries(after)) {
    const made = count - (before[tool] ?? 0);
    if (made > 0) out[tool] = made;
  }
  return out;
}
