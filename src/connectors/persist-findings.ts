import type { Clock } from '../core/clock.js';
import { scorePriority } from '../core/finding/priority.js';
import type { IntelLookup } from '../core/intel/types.js';
import { FindingsRepo } from '../store/findings-repo.js';
import { QuarantineRepo } from '../store/quarantine-repo.js';
import type { Db } from '../store/repo-support.js';
import type { NormaliseResult } from './normalise/result.js';

/**
 * Where normalised records go, for connector reads and file imports alike: findings are scored (KEV/EPSS
 * from intel, the explainable priority) and upserted, each source record kept as an alias of its finding;
 * records that could not be normalised are quarantined whole, with their reason.
 */
export interface PersistOptions {
  store: { db: Db; clock: Clock };
  /** `wiz`, `qualys`: the vendor a quarantined record is filed under. */
  source: string;
  intel?: IntelLookup | undefined;
  runId?: string | undefined;
}

export interface PersistCounts {
  /** New findings. */
  imported: number;
  /** Records merged into a finding already stored (or earlier in the same batch). */
  merged: number;
  quarantined: number;
}

export async function persistResults(
  options: PersistOptions,
  results: readonly NormaliseResult[],
): Promise<PersistCounts> {
  const { db, clock } = options.store;
  const counts: PersistCounts = { imported: 0, merged: 0, quarantined: 0 };
  const findings = results.flatMap((r) => (r.ok ? [r.finding] : []));
  const quarantined = results.flatMap((r) => (r.ok ? [] : [r]));
  if (findings.length > 0) {
    const scored = findings.map((finding) => ({
      ...finding,
      priority: scorePriority(finding, options.intel, clock),
    }));
    for (const outcome of await new FindingsRepo(db, clock).upsertMany(scored)) {
      counts[outcome.outcome === 'inserted' ? 'imported' : 'merged'] += 1;
    }
  }
  if (quarantined.length > 0) {
    await new QuarantineRepo(db, clock).addMany(
      quarantined.map((q) => ({
        vendor: options.source,
        reason: q.reason,
        fieldPath: q.path,
        raw: q.raw,
        ...(options.runId ? { runId: options.runId } : {}),
      })),
    );
    counts.quarantined = quarantined.length;
  }
  return counts;
}
