import type { Clock } from '../core/clock.js';
import { isPermissionDenied } from '../governance/errors.js';
import type { Logger } from '../log/logger.js';
import type { FindingsRepo } from '../store/findings-repo.js';
import type { SinkLink, SinkLinksRepo } from '../store/sink-links-repo.js';
import type { WatermarksRepo } from '../store/watermarks-repo.js';
import type {
  EachOptions,
  EachReport,
  EffectOptions,
  FindingQueries,
  RunInfo,
  SinkLinkInfo,
  SinkLinks,
  Watermarks,
  WorkflowContext,
} from '../workflows/sdk/context.js';
import type { EffectLedger } from './effect-ledger.js';
import { endsTheRun } from './errors.js';
import type { ProgressTracker } from './progress.js';
import type { RunOps } from './run-ops.js';
import type { RunState } from './run-state.js';
import type { DurableSteps } from './steps.js';

export interface ContextParts<O> {
  run: RunInfo;
  options: O;
  clock: Clock;
  log: Logger;
  ops: RunOps;
  ledger: EffectLedger;
  steps: DurableSteps;
  state: RunState;
  progress: ProgressTracker;
  findings: FindingsRepo;
  links: SinkLinksRepo;
  watermarks: WatermarksRepo;
  ingest: WorkflowContext<O>['ingest'];
}

/** Where a summary counter goes for an explicit effect, by how it ended. */
const COUNTED_OUTCOMES = new Set(['performed', 'reconciled', 'replayed', 'planned']);

/** The `ctx` a workflow's `run` receives, wired to one run's gate binding, ledger, steps and store. */
export function createWorkflowContext<O>(parts: ContextParts<O>): WorkflowContext<O> {
  const { ops, state, run } = parts;
  return {
    run,
    options: parts.options,
    clock: parts.clock,
    log: parts.log,
    op: (operationId, params, options) => ops.op(operationId, params, options),
    read: (operationId, params, options) => ops.read(operationId, params, options),
    effect: async <R>(key: string, fn: () => Promise<R>, options: EffectOptions<R> = {}) => {
      ops.checkActive();
      const { value, outcome } = await parts.ledger.run<R>({
        key,
        operation: options.operation ?? 'effect',
        perform: fn,
        reconcile: options.reconcile,
      });
      state.noteEffect(outcome);
      if (options.count && COUNTED_OUTCOMES.has(outcome)) state.add(options.count);
      return value;
    },
    step: (name, fn) => parts.steps.step(name, fn),
    each: (items, fn, options) => each(parts, items, fn, options),
    ingest: parts.ingest,
    findings: findingQueries(parts.findings),
    links: sinkLinks(parts.links, run.dryRun),
    watermarks: watermarks(parts.watermarks, run.dryRun),
    progress: parts.progress,
    summary: { add: (counter, count = 1) => state.add(counter, count), get: (counter) => state.get(counter) },
  };
}

async function each<T, O>(
  parts: ContextParts<O>,
  items: readonly T[],
  fn: (item: T, index: number) => Promise<unknown>,
  options: EachOptions<T> = {},
): Promise<EachReport> {
  const report: EachReport = { ok: 0, denied: 0, failed: 0, problems: [] };
  if (options.phase) parts.progress.phase(options.phase, items.length);
  for (const [index, item] of items.entries()) {
    parts.ops.checkActive();
    const name = options.id ? options.id(item) : String(index);
    try {
      await fn(item, index);
      report.ok += 1;
    } catch (err) {
      if (endsTheRun(err)) throw err;
      parts.ops.checkActive(); // an item that failed because the run is stopping does not count as failed
      const reason = err instanceof Error ? err.message : String(err);
      if (isPermissionDenied(err)) {
        // already counted as denied when the gate refused
        report.denied += 1;
        report.problems.push({ item: name, outcome: 'denied', reason });
      } else {
        parts.state.noteFailure({ item: name, reason });
        report.failed += 1;
        report.problems.push({ item: name, outcome: 'failed', reason });
        parts.log.warn({ item: name, err: reason }, 'item failed; continuing with the others');
      }
    }
    if (options.phase) parts.progress.tick();
  }
  return report;
}

function findingQueries(repo: FindingsRepo): FindingQueries {
  return {
    list: (query = {}) => repo.list(query),
    async *all(query = {}) {
      let after: string | undefined;
      do {
        const page = await repo.list({ limit: 500, ...query, ...(after ? { after } : {}) });
        yield* page.items;
        after = page.next;
      } while (after);
    },
    get: (findingKey) => repo.get(findingKey),
    count: (query = {}) => repo.count(query),
  };
}

function sinkLinks(repo: SinkLinksRepo, dryRun: boolean): SinkLinks {
  return {
    get: async (findingKey, sink) => info(await repo.get(findingKey, sink)),
    getMany: async (findingKeys, sink) => {
      const links = await repo.getMany(findingKeys, sink);
      return new Map([...links].map(([key, link]) => [key, info(link)!]));
    },
    forFinding: async (findingKey) => (await repo.forFinding(findingKey)).map((link) => info(link)!),
    byExternalId: async (sink, externalId) => info(await repo.byExternalId(sink, externalId)),
    link: async (input) => {
      if (!dryRun) await repo.link(input);
    },
    linkMany: async (inputs) => {
      if (!dryRun && inputs.length > 0) await repo.linkMany(inputs);
    },
    update: async (findingKey, sink, patch) => {
      if (!dryRun) await repo.update(findingKey, sink, patch);
    },
  };
}

function info(link: SinkLink | undefined): SinkLinkInfo | undefined {
  if (!link) return undefined;
  const { findingKey, sink, externalId, url, state, data } = link;
  return { findingKey, sink, externalId, url, state, data };
}

function watermarks(repo: WatermarksRepo, dryRun: boolean): Watermarks {
  return {
    get: (source, scope) => repo.get(source, scope),
    set: async (source, value, scope) => {
      if (!dryRun) await repo.set(source, value, scope);
    },
  };
}
