import { sizeLabel } from '../lib/progress.js';
import type { GateFigures } from '../scenarios/gate.js';
import type { IngestFigures } from '../scenarios/ingest.js';
import type { BenchResult } from './result.js';

/** The figures for people: one small table per scenario, then the targets with their gaps. */
export function renderTables(result: BenchResult): string {
  const out: string[] = [];
  const { machine } = result;
  out.push(
    `Arx bench (${result.mode}), ${result.date}`,
    `${machine.cpus} × ${machine.cpu_model}, ${machine.memory_gb} GB, Node ${machine.node}, load ${machine.load.join(' ')} at start${result.load_end ? `, ${result.load_end.join(' ')} at end` : ''}`,
    '',
  );
  const plain = result.runs.filter((run) => run.scenario === 'distribution');
  if (plain.length > 0) {
    out.push('API calls: wiz-finding-distribution (emulator counts), rate limits off');
    const rows = plain.flatMap((run) =>
      (['wiz', 'jira', 'slack'] as const).map((tool, i) => [
        i === 0 ? sizeLabel(run.findings) : '',
        tool,
        String(run.calls[tool]),
        String(run.lower_bound[tool]),
        `${run.ratio[tool]}×`,
        `${run.naive[tool]}${run.naive.computed ? '*' : ''}`,
        i === 0 ? `${run.wall_s}` : '',
        i === 0 ? `${run.naive.wall_s ?? '-'}` : '',
      ]),
    );
    out.push(table(['findings', 'tool', 'arx', 'bound', 'arx/bound', 'naive', 'arx s', 'naive s'], rows));
    if (plain.some((run) => run.naive.computed)) out.push('* naive calls computed from the tenant, not run');
    out.push('');
  }
  const limited = result.runs.filter((run) => run.scenario === 'distribution-rate-limited');
  if (limited.length > 0) {
    out.push('Wall time with every emulator at its realistic rate limit');
    const rows = limited.map((run) => [
      sizeLabel(run.findings) + (run.governor === 'matched' ? ' (matched)' : ''),
      String(run.wall_s),
      `${run.bound_s} (${run.bound_tool})`,
      run.bound_s > 0 ? `${(run.wall_s / run.bound_s).toFixed(2)}×` : '-',
      Object.entries(run.rate_limited)
        .map(([tool, n]) => `${tool} ${n}`)
        .join(', ') || '0',
      `${run.calls.wiz}/${run.calls.jira}/${run.calls.slack}`,
      run.naive.wall_s !== undefined ? String(run.naive.wall_s) : '-',
      `${run.naive.bound_s}${run.naive.computed ? ' (computed)' : ''}`,
    ]);
    out.push(
      table(
        ['findings', 'arx s', 'bound s', 'arx/bound', '429s', 'calls w/j/s', 'naive s', 'naive bound s'],
        rows,
      ),
      '',
    );
  }
  const ingests = [result.ingest, result.postgres?.ingest].filter((x): x is IngestFigures => !!x);
  if (ingests.length > 0) {
    out.push('Ingest + normalise + dedupe + prioritise + audit (Wiz issues and vulnerabilities)');
    out.push(
      table(
        ['store', 'findings', 's', 'findings/s', 'Arx-side/s', 'peak RSS MB', 'RSS before MB'],
        ingests.map((figures) =>
          'skipped' in figures
            ? [figures.store, 'skipped', '', '', '', '', '']
            : [
                figures.store,
                figures.findings.toLocaleString('en'),
                String(figures.seconds),
                figures.findings_per_s.toLocaleString('en'),
                figures.arx_findings_per_s.toLocaleString('en'),
                String(figures.peak_rss_mb),
                String(figures.baseline_rss_mb),
              ],
        ),
      ),
      ...skipNotes(ingests),
      '',
    );
  }
  const gates = [
    result.gate && result.audit
      ? { store: result.gate.store, gate: result.gate, audit: result.audit }
      : undefined,
    result.postgres?.gate,
  ].filter((x): x is GateFigures => !!x);
  if (gates.length > 0) {
    const toolMs = gates.map((g) => ('skipped' in g ? undefined : g.gate.tool_ms)).find(Boolean) ?? 10;
    out.push(
      `Gate overhead: what the gate adds to an allowed read whose tool answers in ${toolMs} ms (call − tool time);`,
      'floor: a read with a no-op handler; write: an allowed write with a no-op handler (all p50 / p99 µs).',
      'Audit appends/s with 32 appenders waiting at once (group commit), and one after another.',
    );
    out.push(
      table(
        ['store', 'overhead p50', 'p99', 'floor p50', 'p99', 'write p50', 'p99', 'appends/s', 'one by one/s'],
        gates.map((figures) =>
          'skipped' in figures
            ? [figures.store, 'skipped', '', '', '', '', '', '', '']
            : [
                figures.store,
                String(figures.gate.p50_us),
                String(figures.gate.p99_us),
                String(figures.gate.floor.p50_us),
                String(figures.gate.floor.p99_us),
                String(figures.gate.write.p50_us),
                String(figures.gate.write.p99_us),
                figures.audit.appends_per_s.toLocaleString('en'),
                figures.audit.sequential_per_s.toLocaleString('en'),
              ],
        ),
      ),
      ...skipNotes(gates),
      '',
    );
  }
  if (result.rerun) {
    const byTool = Object.entries(result.rerun.calls_by_tool)
      .map(([tool, n]) => `${tool} ${n}`)
      .join(', ');
    out.push(
      `Re-run with no change (${sizeLabel(result.rerun.findings)}): ${result.rerun.calls} calls (${byTool || 'none'}), ${result.rerun.writes} writes, ${result.rerun.wall_s} s`,
      '',
    );
  }
  if (result.targets.length > 0) {
    out.push('Targets');
    out.push(
      table(
        ['target', 'goal', 'measured', 'met', 'gap'],
        result.targets.map((t) => [t.target, t.goal, t.measured, t.met ? 'yes' : 'no', `${t.gap}×`]),
      ),
    );
  }
  return out.join('\n');
}

function skipNotes(figures: ReadonlyArray<{ store: string } | { store: string; skipped: string }>): string[] {
  return figures.flatMap((f) => ('skipped' in f ? [`${f.store} skipped: ${f.skipped}`] : []));
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) =>
        i === 0 || Number.isNaN(Number(cell.replace(/[,×]/g, '')))
          ? cell.padEnd(widths[i]!)
          : cell.padStart(widths[i]!),
      )
      .join('  ')
      .trimEnd();
  return [line(header), line(header.map((_, i) => '-'.repeat(widths[i]!))), ...rows.map(line)].join('\n');
}
