/**
 * `npm run bench [-- --quick] [-- --json]`: Arx's API-call efficiency against the lower bound (with a naive
 * baseline beside it), wall time under realistic rate limits, ingest throughput and memory, gate overhead,
 * audit appends and the cost of a re-run with nothing changed. Method and formulas: bench/README.md.
 * Progress goes to stderr; stdout gets the tables, or with --json the one JSON object.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { UsageError } from '../src/core/errors.js';
import { describeMachine } from './lib/machine.js';
import { type BenchPlan, readPlan, USAGE } from './lib/plan.js';
import { note, secondsSince } from './lib/progress.js';
import type { BenchResult } from './report/result.js';
import { renderTables } from './report/table.js';
import { checkTargets } from './report/targets.js';
import { type DistributionRun, type Rerun, runDistribution } from './scenarios/distribution.js';
import { runGate } from './scenarios/gate.js';
import { runIngest } from './scenarios/ingest.js';

export async function runBench(plan: BenchPlan): Promise<BenchResult> {
  const started = performance.now();
  const machine = describeMachine();
  note(`bench (${plan.mode}) on ${machine.cpus} CPUs, load ${machine.load.join(' ')}`);
  const runs: DistributionRun[] = [];
  const partial: Omit<BenchResult, 'targets'> = {
    mode: plan.mode,
    date: new Date().toISOString(),
    machine,
    runs,
  };

  if (plan.scenarios.includes('distribution')) {
    let rerun: Rerun | undefined;
    for (const findings of plan.sizes) {
      const largest = findings === Math.max(...plan.sizes);
      const measured = await runDistribution({
        findings,
        rate: 'off',
        rerun: largest,
        naive: plan.naiveSizes.includes(findings),
      });
      runs.push(measured.run);
      rerun = measured.rerun ?? rerun;
    }
    if (rerun) partial.rerun = { ...rerun, paged_reads: pagedReads(rerun) };
  }
  if (plan.scenarios.includes('rate-limited')) {
    for (const findings of plan.sizes) {
      const measured = await runDistribution({
        findings,
        rate: 'realistic',
        naive: plan.rateLimitedNaiveSizes.includes(findings),
      });
      runs.push(measured.run);
    }
    // the largest size again with Arx's governor pinned to the emulators' limits, for comparison (full run only)
    if (plan.mode === 'full') {
      const matched = await runDistribution({
        findings: Math.max(...plan.sizes),
        rate: 'realistic',
        governor: 'matched',
      });
      runs.push(matched.run);
    }
  }
  if (plan.scenarios.includes('ingest')) {
    const [embedded, postgres] = await runIngest(plan.ingestFindings);
    partial.ingest = embedded;
    if (postgres) partial.postgres = { ...partial.postgres, ingest: postgres };
  }
  if (plan.scenarios.includes('gate')) {
    const [embedded, postgres] = await runGate({ calls: plan.gateCalls, appends: plan.auditAppends });
    if (embedded && !('skipped' in embedded)) {
      partial.gate = { ...embedded.gate, store: embedded.store };
      partial.audit = { ...embedded.audit, store: embedded.store };
    }
    if (postgres) partial.postgres = { ...partial.postgres, gate: postgres };
  }
  partial.load_end = describeMachine().load;
  partial.duration_s = secondsSince(started);
  note(`bench done in ${partial.duration_s} s`);
  return { ...partial, targets: checkTargets(partial) };
}

/** Paged reads per source in the re-run: the read operations that page through findings (not tokens). */
function pagedReads(rerun: Rerun): Record<string, number> {
  const PAGED = { wiz: /^(issuesV2|vulnerabilityFindings|configurationFindings)/, qualys: /detection/ };
  const reads: Record<string, number> = {};
  for (const [tool, pattern] of Object.entries(PAGED)) {
    const ops = rerun.reads_by_operation[tool] ?? {};
    const count = Object.entries(ops)
      .filter(([operation]) => pattern.test(operation))
      .reduce((sum, [, n]) => sum + n, 0);
    if (count > 0 || tool in rerun.calls_by_tool) reads[tool] = count;
  }
  return reads;
}

async function main(): Promise<void> {
  let plan: ReturnType<typeof readPlan>;
  try {
    plan = readPlan(process.argv.slice(2).filter((arg) => arg !== '--'));
  } catch (err) {
    process.stderr.write(`✖ ${err instanceof Error ? err.message : String(err)}\n\n${USAGE}\n`);
    process.exitCode = 2;
    return;
  }
  if (plan === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (plan.from) {
    const text = readFileSync(plan.from, 'utf8');
    // tolerate npm's "> arx@0.1.0 bench" banner when the file was captured without `npm run -s`
    const saved = JSON.parse(text.slice(text.indexOf('{'))) as BenchResult;
    process.stdout.write(`${renderTables({ ...saved, targets: checkTargets(saved) })}\n`);
    return;
  }
  const result = await runBench(plan);
  process.stdout.write(plan.json ? `${JSON.stringify(result, null, 2)}\n` : `\n${renderTables(result)}\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    const usage = err instanceof UsageError;
    process.stderr.write(`✖ ${err instanceof Error ? (usage ? err.message : err.stack) : String(err)}\n`);
    process.exitCode = usage ? 2 : 1;
  });
}
