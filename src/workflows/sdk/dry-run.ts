/**
 * What a write resolves to in a dry run: the gate evaluated and audited it, nothing was sent. Workflows that
 * use a write's result (an issue key for a Slack message) check `isDryRun` and carry on with a placeholder.
 */
export interface DryRunResult {
  readonly dryRun: true;
  readonly operation: string;
  readonly idempotencyKey: string;
  /** The verdict the gate would act on: `allow`, or `escalate` (would wait for an approval). */
  readonly verdict: string;
  readonly rule: string;
}

/**
 * @example
 * const issue = await ctx.op<{ key: string }>('jira:issues:create', params);
 * const key = isDryRun(issue) ? '(new ticket)' : issue.key;
 */
export function isDryRun(value: unknown): value is DryRunResult {
  return typeof value === 'object' && value !== null && (value as { dryRun?: unknown }).dryRun === true;
}
