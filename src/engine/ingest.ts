import type { IngestSummary } from '../connectors/ingest.js';
import type { Clock } from '../core/clock.js';
import type { IntelLookup } from '../core/intel/types.js';
import type { Gate, GateResult } from '../governance/gate.js';
import type { Db } from '../store/repo-support.js';
import type { IngestRequest, RunInfo, WorkflowContext } from '../workflows/sdk/context.js';
import type { ProgressTracker } from './progress.js';
import type { RunOps } from './run-ops.js';
import type { RunState } from './run-state.js';

/**
 * `ctx.ingest`: a source read into the findings store through this run's gate binding. Every page is a
 * `ctx.op` read (audited under the run, a denial counted like any other), normalised, enriched with KEV/EPSS,
 * scored and upserted by the connectors' `ingestFindings`. Watermarks are kept per workflow, so workflows
 * that read with different filters never move each other's "since". A dry run reads everything from the
 * start and moves no watermark, so it never hides findings from the next real run.
 */
export interface IngestParts {
  ops: RunOps;
  store: { db: Db; clock: Clock };
  run: RunInfo;
  state: RunState;
  progress: ProgressTracker;
  /** KEV/EPSS by CVE; default: the intel snapshot shipped with Arx. */
  intel?: (() => Promise<IntelLookup | undefined>) | undefined;
}

export function createIngest(parts: IngestParts): WorkflowContext['ingest'] {
  let intel: Promise<IntelLookup | undefined> | undefined;
  const lookup = () => {
    intel ??= (parts.intel ?? shippedIntel)().catch(() => undefined);
    return intel;
  };
  // ingestFindings asks a gate for each page; this one is the run's own binding (audit, denials, dry run)
  const gate: Pick<Gate, 'execute'> = {
    execute: async <R>(_context: unknown, operationId: string, params: unknown) =>
      ({
        status: 'done',
        result: await parts.ops.op<R>(operationId, params as Record<string, unknown>),
        auditSeq: 0,
      }) as GateResult<R>,
  };
  return async (source: IngestRequest['source'], request: Omit<IngestRequest, 'source'> = {}) => {
    parts.ops.checkActive();
    const { ingestFindings } = await import('../connectors/ingest.js');
    let pages = 0;
    const summary: IngestSummary = await ingestFindings({
      gate,
      context: { principal: { kind: 'workflow', id: parts.run.workflow }, runId: parts.run.id },
      store: parts.store,
      source,
      runId: parts.run.id,
      watermarkTag: parts.run.workflow,
      incremental: !parts.run.dryRun && request.incremental !== false,
      intel: await lookup(),
      ...(request.kinds ? { kinds: request.kinds } : {}),
      ...(request.filters ? { filters: request.filters } : {}),
      ...(request.accounts ? { accounts: request.accounts } : {}),
      ...(request.pageSize ? { pageSize: request.pageSize } : {}),
      onPage: (progress) => {
        parts.ops.checkActive();
        const read = progress.read - pages;
        pages = progress.read;
        parts.state.add('findingsRead', read);
        parts.progress.tick(read);
      },
    });
    return summary;
  };
}

async function shippedIntel(): Promise<IntelLookup> {
  const { loadIntel } = await import('../core/intel/load.js');
  return (await loadIntel()).lookup;
}
