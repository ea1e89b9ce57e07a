/**
 * A dry run's plan: every write the workflow would make, with the gate's verdict and the workflow's reason,
 * in the order it would make them. Denied writes are in the plan too: a plan that hides refusals misleads.
 */
export type PlanOutcome = 'would_run' | 'needs_approval' | 'denied' | 'already_done';

export interface PlanEntry {
  operation: string;
  outcome: PlanOutcome;
  idempotencyKey?: string | undefined;
  rule?: string | undefined;
  /** The gate's first reason (for denials and escalations). */
  reason?: string | undefined;
  /** The workflow's reason (`new CRITICAL finding`). */
  why?: string | undefined;
  /** What it is done for (a finding key, a team). */
  target?: string | undefined;
}

/** How a plan outcome reads in the human plan. */
export const PLAN_OUTCOME_LABELS: Readonly<Record<PlanOutcome, string>> = {
  would_run: 'would',
  needs_approval: 'would ask approval to',
  denied: 'denied:',
  already_done: 'already done:',
};
