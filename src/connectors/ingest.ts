import type { Clock } from '../core/clock.js';
import type { IntelLookup } from '../core/intel/types.js';
import type { Gate, GateContext } from '../governance/gate.js';
import type { Db } from '../store/repo-support.js';
import { WatermarksRepo } from '../store/watermarks-repo.js';
import { INGEST_PLANS, type IngestPass, type IngestPlan, type IngestSource } from './ingest-plans.js';
import type { AccountMap } from './normalise/context.js';
import type { NormaliseResult } from './normalise/result.js';
import { persistResults } from './persist-findings.js';
import { readAhead } from './read-ahead.js';
import { type ReadPage, readPages } from './read-pages.js';

/**
 * Findings ingestion for the workflows: pages read through the gate (one audited call each, lazily),
 * normalised, enriched with KEV/EPSS, scored, and upserted (each source record kept as an alias of its
 * finding). Malformed records are quarantined with their reason, never dropped.
 *
 * Incremental reads start from a stored watermark. Because a tool's page order need not follow the
 * watermark field (Wiz orders by severity), the watermark only moves when a pass has finished; after each
 * persisted page a checkpoint (`<scope>:progress`) records the cursor, so an interrupted pass resumes there
 * rather than from the start.
 *
 * Page N+1 is read and normalised while page N is upserted (one page ahead, see readAhead); the checkpoint
 * and the watermark still move only after a page is persisted, so a crash costs at most a re-read of the
 * pages after the last checkpoint (merges, never duplicates).
 */
export type { IngestSource } from './ingest-plans.js';

export interface IngestOptions {
  gate: Pick<Gate, 'execute'>;
  context: GateContext;
  store: { db: Db; clock: Clock };
  source: IngestSource;
  /** Wiz only: which kinds to read (default: issues, vulnerabilities, configuration). */
  kinds?: readonly string[];
  /** Filters for the read operation (`severities`, `status`, ...), as its params name them. */
  filters?: Record<string, unknown>;
  /** Read from the stored watermark and move it afterwards (default true). */
  incremental?: boolean;
  /**
   * Keeps this reader's watermarks apart (`<scope>@<tag>`): two readers with different filters (a workflow
   * reading CRITICAL/HIGH, another MEDIUM too) must not move each other's "since" past what they never read.
   */
  watermarkTag?: string;
  intel?: IntelLookup;
  accounts?: AccountMap;
  /** Records (Wiz) or hosts (Qualys) per page; default: the connector's. */
  pageSize?: number;
  runId?: string;
  /** Called after each persisted page. */
  onPage?: (progress: IngestProgress) => void;
}

export interface IngestSummary {
  /** Raw records read (Wiz nodes, Qualys detections). */
  read: number;
  /** New findings. */
  imported: number;
  /** Records that became one more alias of a finding already stored. */
  merged: number;
  quarantined: number;
  pages: number;
}

export interface IngestProgress extends IngestSummary {
  scope: string;
}

/**
 * Watermarks are set this far before the read started: the tool's clock may run ahead of ours, and a record
 * may be indexed a little after its timestamp. Re-reading a few minutes costs merges, never duplicates.
 */
export const WATERMARK_OVERLAP_MS = 5 * 60_000;

interface Checkpoint {
  since?: string | undefined;
  until: string;
  after: string;
}

/**
 * @example
 * const summary = await ingestFindings({ gate, context: { principal }, store, source: 'wiz', intel: intel.lookup });
 */
export async function ingestFindings(options: IngestOptions): Promise<IngestSummary> {
  const plan = INGEST_PLANS[options.source];
  const summary: IngestSummary = { read: 0, imported: 0, merged: 0, quarantined: 0, pages: 0 };
  const marks = new WatermarksRepo(options.store.db, options.store.clock);
  const normalise = plan.normaliser(options);
  const firstReadFrom = new Date(options.store.clock.now().getTime() - WATERMARK_OVERLAP_MS).toISOString();
  for (const planned of plan.passes(options)) {
    const pass = options.watermarkTag
      ? { ...planned, scope: `${planned.scope}@${options.watermarkTag}` }
      : planned;
    const progress = await readCheckpoint(marks, options.source, pass.scope);
    const incremental = options.incremental !== false;
    const since = progress?.since ?? (incremental ? await marks.get(options.source, pass.scope) : undefined);
    if (pass.onlyIncremental && since === undefined) {
      // the first full read (the other passes) covers it; from here on it reads what changes after that read
      if (incremental) await marks.set(options.source, firstReadFrom, pass.scope);
      continue;
    }
    const until =
      progress?.until ?? new Date(options.store.clock.now().getTime() - WATERMARK_OVERLAP_MS).toISOString();
    const params = { ...pass.params, ...(since ? { [pass.sinceParam]: since } : {}) };

    const pages = resumablePages(options, pass, params, progress?.after);
    for await (const page of readAhead(normalisedPages(pages, pass, plan, normalise))) {
      const counts = await persistResults(options, page.results);
      summary.imported += counts.imported;
      summary.merged += counts.merged;
      summary.quarantined += counts.quarantined;
      summary.read += page.read;
      summary.pages += 1;
      if (page.next) {
        await marks.set(
          options.source,
          JSON.stringify({ since, until, after: page.next } satisfies Checkpoint),
          progressScope(pass.scope),
        );
      }
      options.onPage?.({ ...summary, scope: pass.scope });
    }
    if (incremental) await marks.set(options.source, until, pass.scope);
    await marks.reset(options.source, progressScope(pass.scope));
  }
  return summary;
}

interface NormalisedPage {
  results: NormaliseResult[];
  /** Raw records the page held. */
  read: number;
  next: string | undefined;
}

/** Each page normalised as soon as it is read; the raw page is not kept past its normalising. */
async function* normalisedPages(
  pages: AsyncIterable<ReadPage>,
  pass: IngestPass,
  plan: IngestPlan,
  normalise: ReturnType<IngestPlan['normaliser']>,
): AsyncGenerator<NormalisedPage> {
  for await (const page of pages) {
    yield { results: await normalise(page.items, pass), read: plan.count(page.items), next: page.next };
  }
}

/** Pages of one pass; a checkpoint cursor the tool no longer accepts restarts the pass from its start. */
async function* resumablePages(
  options: IngestOptions,
  pass: IngestPass,
  params: Record<string, unknown>,
  startAfter: string | undefined,
): AsyncGenerator<ReadPage> {
  const read = (from: string | undefined) =>
    readPages({
      gate: options.gate,
      context: options.context,
      operation: pass.operation,
      params,
      cursorParam: pass.cursorParam,
      startAfter: from,
    });
  if (startAfter === undefined) {
    yield* read(undefined);
    return;
  }
  const resumed = read(startAfter);
  let first: IteratorResult<ReadPage>;
  try {
    first = await resumed.next();
  } catch (err) {
    if ((err as { code?: string })?.code !== 'invalid_request') throw err;
    yield* read(undefined);
    return;
  }
  if (first.done) return;
  yield first.value;
  yield* resumed;
}

const progressScope = (scope: string) => `${scope}:progress`;

async function readCheckpoint(
  marks: WatermarksRepo,
  source: string,
  scope: string,
): Promise<Checkpoint | undefined> {
  const text = await marks.get(source, progressScope(scope));
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<Checkpoint>;
    return typeof value.after === 'string' && typeof value.until === 'string'
      ? { since: value.since, until: value.until, after: value.after }
      : undefined;
  } catch {
    return undefined; // an unreadable checkpoint only costs a re-read from the watermark
  }
}
