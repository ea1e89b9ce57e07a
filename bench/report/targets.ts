import { round } from '../lib/progress.js';
import type { BenchResult } from './result.js';

/**
 * The targets of issue 7, checked against the figures: for the report, never a pass/fail of the bench. A
 * figure measured at a smaller size than the target names is extrapolated linearly and says so.
 */
export interface TargetCheck {
  target: string;
  goal: string;
  measured: string;
  met: boolean;
  /** How far off, as a factor of the goal (1 = on target; >1 worse). */
  gap: number;
}

const INGEST_GOAL = { findings: 1_000_000, seconds: 60, rssMb: 300 };

export function checkTargets(result: Omit<BenchResult, 'targets'>): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const plain = result.runs.filter((run) => run.scenario === 'distribution');
  if (plain.length > 0) {
    const worst = plain
      .flatMap((run) =>
        (['wiz', 'jira', 'slack'] as const).map((tool) => ({ run, tool, ratio: run.ratio[tool] })),
      )
      .sort((a, b) => b.ratio - a.ratio)[0]!;
    checks.push({
      target: 'API calls vs lower bound',
      goal: '≤ 1.05× per tool',
      measured: `worst ${worst.ratio}× (${worst.tool}, ${worst.run.findings.toLocaleString('en')} findings)`,
      met: worst.ratio <= 1.05,
      gap: round(worst.ratio / 1.05, 2),
    });
  }
  const limited = result.runs.filter(
    (run) => run.scenario === 'distribution-rate-limited' && run.governor === 'default',
  );
  if (limited.length > 0) {
    const largest = limited.at(-1)!;
    const ratio = largest.bound_s > 0 ? largest.wall_s / largest.bound_s : Number.POSITIVE_INFINITY;
    checks.push({
      target: 'Rate-limited wall time vs bound',
      goal: '≤ 1.2× bound',
      measured: `${largest.wall_s} s vs ${largest.bound_s} s bound = ${round(ratio, 2)}× (${largest.findings.toLocaleString('en')} findings)`,
      met: ratio <= 1.2,
      gap: round(ratio / 1.2, 2),
    });
  }
  for (const ingest of [result.ingest, result.postgres?.ingest]) {
    if (!ingest || !('findings_per_s' in ingest)) continue;
    const projected = INGEST_GOAL.findings / ingest.findings_per_s;
    const scaled = ingest.findings < INGEST_GOAL.findings ? ' (extrapolated from the measured rate)' : '';
    checks.push({
      target: `Ingest 1M findings (${ingest.store})`,
      goal: `< ${INGEST_GOAL.seconds} s`,
      measured: `${Math.round(projected)} s at ${ingest.findings_per_s.toLocaleString('en')}/s${scaled}`,
      met: projected < INGEST_GOAL.seconds,
      gap: round(projected / INGEST_GOAL.seconds, 2),
    });
    checks.push({
      target: `Ingest peak RSS (${ingest.store})`,
      goal: `< ${INGEST_GOAL.rssMb} MB`,
      measured: `${ingest.peak_rss_mb} MB at ${ingest.findings.toLocaleString('en')} findings`,
      met: ingest.peak_rss_mb < INGEST_GOAL.rssMb,
      gap: round(ingest.peak_rss_mb / INGEST_GOAL.rssMb, 2),
    });
  }
  const postgresGate =
    result.postgres?.gate && 'gate' in result.postgres.gate ? result.postgres.gate : undefined;
  const gates = [
    result.gate && result.audit
      ? { store: result.gate.store, gate: result.gate, audit: result.audit }
      : undefined,
    postgresGate,
  ];
  for (const figures of gates) {
    if (!figures) continue;
    checks.push({
      target: `Gate overhead p99 (${figures.store})`,
      goal: '< 200 µs',
      measured: `p50 ${figures.gate.p50_us} µs, p99 ${figures.gate.p99_us} µs`,
      met: figures.gate.p99_us < 200,
      gap: round(figures.gate.p99_us / 200, 2),
    });
    checks.push({
      target: `Audit appends (${figures.store})`,
      goal: '≥ 10,000/s',
      measured: `${figures.audit.appends_per_s.toLocaleString('en')}/s`,
      met: figures.audit.appends_per_s >= 10_000,
      gap: round(10_000 / figures.audit.appends_per_s, 2),
    });
  }
  if (result.rerun) {
    const reads = Math.max(0, ...Object.values(result.rerun.paged_reads));
    checks.push({
      target: 'Re-run with no change',
      goal: '≤ 1 paged read per source, 0 writes',
      measured: `${reads} paged read(s) per source, ${result.rerun.writes} writes, ${result.rerun.calls} calls`,
      met: reads <= 1 && result.rerun.writes === 0,
      gap: round(Math.max(reads, 1) + result.rerun.writes, 2),
    });
  }
  return checks;
}
