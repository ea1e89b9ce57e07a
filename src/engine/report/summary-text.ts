import { COUNTER_LABELS, SUMMARY_COUNTERS } from '../../workflows/sdk/counters.js';
import { PLAN_OUTCOME_LABELS, type PlanEntry } from '../plan.js';
import type { RunEnd, RunSummary } from '../summary.js';

/**
 * A run summary for people: what the run did, in the words the README uses, then what it was refused,
 * then (dry run) what it would have written. `arx run` prints it at the end, `arx runs show` for any run.
 */
const HEADLINE: Record<RunEnd | 'running', string> = {
  succeeded: '✔ {w} finished',
  failed: '✖ {w} failed',
  stopped: '■ {w} was stopped',
  interrupted: '‖ {w} was interrupted',
  waiting: '⏸ {w} is waiting for an approval',
  running: '… {w} is running',
};

const ERROR_MARK: Partial<Record<RunEnd | 'running', string>> = {
  failed: '✖',
  waiting: '⏸',
  interrupted: '‖',
};

/** Plan lines shown one by one; the rest are counted (all of them are in --json). */
export const PLAN_LINES = 20;
const DENIAL_LINES = 10;
const LABEL_WIDTH = 26;

export function summaryLines(summary: RunSummary, options: { planLines?: number } = {}): string[] {
  const lines: string[] = [];
  const status = summary.status as RunEnd | 'running';
  lines.push(
    `${HEADLINE[status].replace('{w}', summary.workflow)} in ${seconds(summary.durationMs)}` +
      `${summary.dryRun ? ' (dry run: nothing was written)' : ''}`,
  );
  lines.push(`  run ${summary.runId}${summary.resumed ? ` (resumed, attempt ${summary.attempt})` : ''}`);
  if (summary.sandbox) {
    lines.push(
      `  against the built-in sandbox (${summary.sandbox.findings} findings, seed ${summary.sandbox.seed})`,
    );
  }
  lines.push('');
  for (const counter of SUMMARY_COUNTERS) {
    const value = summary.counts[counter] ?? 0;
    if (counter === 'errors' && value === 0) continue;
    const label =
      summary.dryRun && counter.startsWith('tickets')
        ? `${COUNTER_LABELS[counter]} (would be)`
        : COUNTER_LABELS[counter];
    lines.push(row(label, String(value)));
  }
  for (const [name, value] of Object.entries(summary.extra)) lines.push(row(humanise(name), String(value)));
  lines.push(row('API calls', apiCalls(summary.apiCalls)));
  lines.push(row('writes', writes(summary)));
  if (summary.approvals.length > 0) lines.push(row('approvals waited on', summary.approvals.join(', ')));

  if (summary.denials.length > 0) {
    lines.push('', `Denied (${summary.counts.denied}):`);
    for (const denial of summary.denials.slice(0, DENIAL_LINES)) {
      lines.push(
        `  ${denial.operation}${denial.target ? ` [${denial.target}]` : ''} by ${denial.rule}: ${denial.reason}`,
      );
    }
    const more = summary.counts.denied - Math.min(summary.denials.length, DENIAL_LINES);
    if (more > 0) lines.push(`  … and ${more} more (arx audit tail, or --json)`);
  }
  if (summary.failures?.length) {
    lines.push('', `Failed (${summary.counts.errors}):`);
    for (const failure of summary.failures.slice(0, DENIAL_LINES))
      lines.push(`  ${failure.item}: ${failure.reason}`);
    const more = summary.counts.errors - Math.min(summary.failures.length, DENIAL_LINES);
    if (more > 0) lines.push(`  … and ${more} more (--json lists ${summary.failures.length})`);
  }
  if (summary.plan) lines.push('', ...planLines(summary.plan, options.planLines ?? PLAN_LINES));
  if (summary.error) {
    lines.push('', `${ERROR_MARK[status] ?? '■'} ${summary.error}`);
    if (summary.hint) lines.push(`  ${summary.hint}`);
  }
  return lines;
}

/** The dry-run plan: a count per operation and outcome, then the first entries one by one. */
export function planLines(plan: readonly PlanEntry[], limit: number): string[] {
  if (plan.length === 0) return ['Plan: no writes.'];
  const lines = [`Plan (${plan.length} write${plan.length === 1 ? '' : 's'}):`];
  const groups = new Map<string, number>();
  for (const entry of plan) {
    const group = `${PLAN_OUTCOME_LABELS[entry.outcome]} ${entry.operation}`;
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  for (const [group, count] of groups) lines.push(`  ${group} ×${count}`);
  lines.push('');
  for (const entry of plan.slice(0, limit)) {
    const detail = [entry.target, entry.why ?? entry.reason].filter(Boolean).join(': ');
    const rule = entry.outcome === 'denied' || entry.outcome === 'needs_approval' ? ` (${entry.rule})` : '';
    lines.push(
      `  ${PLAN_OUTCOME_LABELS[entry.outcome]} ${entry.operation}${detail ? ` ${detail}` : ''}${rule}`,
    );
  }
  if (plan.length > limit) lines.push(`  … and ${plan.length - limit} more (the whole plan is in --json)`);
  return lines;
}

/** A workflow's own counter name as people read it: `ticketsLinked` → `tickets linked`. */
function humanise(counter: string): string {
  return counter.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function row(label: string, value: string): string {
  return `  ${label.padEnd(LABEL_WIDTH)} ${value}`;
}

function apiCalls(calls: Record<string, number>): string {
  const entries = Object.entries(calls).sort(([a], [b]) => a.localeCompare(b));
  return entries.length ? entries.map(([tool, count]) => `${tool} ${count}`).join(', ') : 'none';
}

function writes(summary: RunSummary): string {
  const { performed, reconciled, replayed, existing, planned } = summary.effects;
  const parts = summary.dryRun
    ? [`${planned} planned`]
    : [`${performed} sent`, ...(reconciled ? [`${reconciled} found after an interruption`] : [])];
  if (replayed) parts.push(`${replayed} done before the interruption`);
  if (existing) parts.push(`${existing} already done by earlier runs`);
  return parts.join(', ');
}

function seconds(ms: number): string {
  return ms < 60_000
    ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}
