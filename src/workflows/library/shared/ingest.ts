import type { Finding, Severity } from '../../../core/finding/model.js';
import { fromEnv, type IngestRequest, type IngestResult, type WorkflowContext, z } from '../../sdk/index.js';
import {
  findingsInScope,
  fromSources,
  qualysFilters,
  type Scope,
  type SeverityWord,
  severitiesOf,
  wizSeverities,
} from './scope.js';

/**
 * Reading a source for a workflow: incremental (from the workflow's own watermark) with, when asked, a full
 * read once per interval. Wiz filters vulnerability findings by first-seen and resolved-at only, so one that
 * comes back after being fixed, keeping its first-seen time, is invisible to incremental reads: the periodic
 * full read is what sees it (and reopens its ticket).
 */
export interface ReadOptions extends Omit<IngestRequest, 'source' | 'incremental'> {
  /** Read everything when the last full read is older than this (ms); absent: always incremental. */
  fullReadEveryMs?: number;
  /** Progress phase shown while reading. */
  phase: string;
}

const FULL_READ_SCOPE = 'full-read';

/**
 * @example
 * await readSource(ctx, 'wiz', { phase: 'reading Wiz vulnerabilities', kinds: ['vulnerabilities'], fullReadEveryMs: DAY });
 */
export async function readSource(
  ctx: WorkflowContext<unknown>,
  source: IngestRequest['source'],
  options: ReadOptions,
): Promise<IngestResult> {
  const { fullReadEveryMs, phase, ...request } = options;
  ctx.progress.phase(phase);
  const scope = `${FULL_READ_SCOPE}@${ctx.run.workflow}:${request.kinds?.join('+') ?? 'all'}`;
  const now = ctx.clock.now();
  const last = fullReadEveryMs === undefined ? undefined : await ctx.watermarks.get(source, scope);
  // a first read has no watermark yet, so it is a full read anyway (and starts the incremental one)
  const full = last !== undefined && now.getTime() - Date.parse(last) >= fullReadEveryMs!;
  const result = await ctx.ingest(source, { ...request, ...(full ? { incremental: false } : {}) });
  if (fullReadEveryMs !== undefined && (full || last === undefined)) {
    await ctx.watermarks.set(source, now.toISOString(), scope);
  }
  return result;
}

export const HOUR_MS = 3_600_000;

/**
 * `full_read_every_hours`: how often a vulnerability workflow reads everything rather than what changed.
 * 0 reads everything on every run (exact, for small estates); a day keeps API calls near the lower bound.
 */
export function fullReadOption() {
  return fromEnv('FULL_READ_EVERY_HOURS', z.number().min(0).max(720).default(24));
}

/**
 * Critical/high vulnerabilities from Wiz and, when enabled, Qualys (fixed detections included, so tickets
 * can close), each with a periodic full read.
 * @example await readVulnerabilities(ctx, severities, { qualys: true, fullReadEveryHours: 24 });
 */
export async function readVulnerabilities(
  ctx: WorkflowContext<unknown>,
  severities: readonly Severity[],
  options: { qualys: boolean; fullReadEveryHours: number },
): Promise<void> {
  const fullReadEveryMs = options.fullReadEveryHours * HOUR_MS;
  await readSource(ctx, 'wiz', {
    phase: 'reading Wiz vulnerabilities',
    kinds: ['vulnerabilities'],
    filters: { severities: wizSeverities(severities) },
    fullReadEveryMs,
  });
  if (options.qualys) {
    await readSource(ctx, 'qualys', {
      phase: 'reading Qualys detections',
      filters: qualysFilters(severities),
      fullReadEveryMs,
    });
  }
}

/** The options of a vulnerability workflow that say what it reads. */
export interface VulnerabilityReadOptions {
  severities: readonly SeverityWord[];
  qualys_enabled: boolean;
  full_read_every_hours: number;
}

/**
 * A vulnerability workflow's input: reads Wiz (and Qualys when enabled) vulnerabilities of its severities,
 * then returns every vulnerability finding in its scope, most severe first.
 * @example const findings = await readVulnerabilitiesInScope(ctx, ctx.options);
 */
export async function readVulnerabilitiesInScope(
  ctx: WorkflowContext<unknown>,
  o: VulnerabilityReadOptions,
): Promise<Finding[]> {
  const severities = severitiesOf(o.severities);
  const vendors = [{ vendor: 'wiz' }, ...(o.qualys_enabled ? [{ vendor: 'qualys' }] : [])];
  const scope: Scope = { classes: ['vulnerability'], severities, source: fromSources(...vendors) };
  await readVulnerabilities(ctx, severities, {
    qualys: o.qualys_enabled,
    fullReadEveryHours: o.full_read_every_hours,
  });
  return findingsInScope(ctx, scope);
}
