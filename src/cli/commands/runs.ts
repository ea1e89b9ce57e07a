import type { Command } from 'commander';
import { action } from '../action.js';
import { EXIT, type ExitCode } from '../exit-codes.js';
import { out } from '../output.js';
import { CONFIG_OPTION, withStore } from './governance-session.js';

/** `arx runs list|show`: what ran, how it ended, and its summary, from the store. */
interface ListFlags {
  config?: string;
  workflow?: string;
  status?: string;
  limit?: string;
}

export function register(program: Command): void {
  const runs = program.command('runs').description('workflow runs recorded in the store');
  runs
    .command('list')
    .description('recent runs, newest first')
    .option(...CONFIG_OPTION)
    .option('-w, --workflow <name>', 'only runs of this workflow')
    .option(
      '-s, --status <status>',
      'only runs in this status (queued, running, waiting, succeeded, failed, cancelled)',
    )
    .option('-n, --limit <n>', 'how many (default 20, at most 1000)', '20')
    .action(
      action(async (flags: ListFlags, command: Command) =>
        list(flags, Boolean(command.optsWithGlobals().json)),
      ),
    );
  runs
    .command('show')
    .description('one run: how it ended, its summary and its steps')
    .argument('<id>', 'run id (from arx runs list or the end of arx run)')
    .option(...CONFIG_OPTION)
    .action(
      action(async (id: string, flags: { config?: string }, command: Command) =>
        show(id, flags, Boolean(command.optsWithGlobals().json)),
      ),
    );
}

async function list(flags: ListFlags, json: boolean): Promise<ExitCode> {
  const [{ RunsRepo }, { RUN_STATUSES }, { UsageError }] = await Promise.all([
    import('../../store/runs-repo.js'),
    import('../../store/statuses.js'),
    import('../../core/errors.js'),
  ]);
  const statuses = Object.values(RUN_STATUSES) as string[];
  if (flags.status && !statuses.includes(flags.status)) {
    throw new UsageError(`--status "${flags.status}" is not a run status`, {
      hint: `statuses: ${statuses.join(', ')}`,
    });
  }
  const limit = Number(flags.limit ?? 20);
  if (!Number.isInteger(limit) || limit < 1)
    throw new UsageError('--limit must be a whole number of at least 1');
  return withStore({ config: flags.config, owner: 'arx runs list' }, async ({ store }) => {
    const page = await new RunsRepo(store.db, store.clock).list({
      limit,
      ...(flags.workflow ? { workflow: flags.workflow } : {}),
      ...(flags.status ? { status: flags.status as (typeof RUN_STATUSES)[keyof typeof RUN_STATUSES] } : {}),
    });
    if (json) {
      out.json(page.items.map(runJson));
      return EXIT.ok;
    }
    if (page.items.length === 0) {
      out.line('No runs yet. Start one with: arx run <workflow>');
      return EXIT.ok;
    }
    out.line(columns(['STARTED', 'STATUS', 'WORKFLOW', 'TIME', 'CREATED', 'DENIED', 'ID']));
    for (const run of page.items) {
      const summary = (run.summary ?? {}) as {
        durationMs?: number;
        counts?: Record<string, number>;
        dryRun?: boolean;
      };
      out.line(
        columns([
          run.startedAt.toISOString().slice(0, 16).replace('T', ' '),
          `${run.status}${summary.dryRun ? ' (dry)' : ''}`,
          run.workflow,
          summary.durationMs !== undefined ? `${(summary.durationMs / 1000).toFixed(1)}s` : '-',
          String(summary.counts?.ticketsCreated ?? '-'),
          String(summary.counts?.denied ?? '-'),
          run.id,
        ]),
      );
    }
    if (page.next) out.line(`(more: --limit ${Math.min(limit * 2, 1000)})`);
    return EXIT.ok;
  });
}

async function show(id: string, flags: { config?: string }, json: boolean): Promise<ExitCode> {
  const [{ RunsRepo }, { ArxError }, { summaryLines }] = await Promise.all([
    import('../../store/runs-repo.js'),
    import('../../core/errors.js'),
    import('../../engine/report/summary-text.js'),
  ]);
  return withStore({ config: flags.config, owner: 'arx runs show' }, async ({ store }) => {
    const repo = new RunsRepo(store.db, store.clock);
    const run = await repo.get(id);
    if (!run) {
      throw new ArxError('run_not_found', `no run with id ${id}`, {
        fault: 'caller',
        hint: 'list runs with: arx runs list',
      });
    }
    const steps = await repo.steps(id);
    if (json) {
      out.json({
        ...runJson(run),
        steps: steps.map((s) => ({ name: s.key, status: s.status, attempts: s.attempts, error: s.error })),
      });
      return EXIT.ok;
    }
    out.line(`run ${run.id}: ${run.workflow}, ${run.status}`);
    out.line(`  started  ${run.startedAt.toISOString()}`);
    if (run.finishedAt) out.line(`  finished ${run.finishedAt.toISOString()}`);
    if (run.error) out.line(`  error    ${run.error}`);
    if (run.summary && 'counts' in run.summary) {
      out.line();
      // biome-ignore lint/suspicious/noExplicitAny: a summary stored by this engine
      for (const line of summaryLines(run.summary as any)) out.line(line);
    }
    if (steps.length > 0) {
      out.line('');
      out.line(`Steps (${steps.length}):`);
      for (const step of steps) {
        out.line(
          `  ${step.key.padEnd(30)} ${step.status}${step.attempts > 1 ? ` (${step.attempts} attempts)` : ''}${step.error ? `: ${step.error}` : ''}`,
        );
      }
    }
    return EXIT.ok;
  });
}

function runJson(run: {
  id: string;
  workflow: string;
  status: string;
  params: Record<string, unknown>;
  summary: Record<string, unknown> | null;
  error: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}) {
  return {
    id: run.id,
    workflow: run.workflow,
    status: run.status,
    dryRun: Boolean(run.params.dryRun),
    startedAt: run.startedAt.toISOString(),
    finishedAt: run.finishedAt?.toISOString() ?? null,
    error: run.error || null,
    summary: run.summary,
  };
}

const WIDTHS = [17, 20, 28, 8, 8, 7];
function columns(cells: string[]): string {
  return cells.map((cell, i) => (WIDTHS[i] ? cell.padEnd(WIDTHS[i]) : cell)).join(' ');
}
