import type { Clock } from '../clock.js';
import { UsageError } from '../errors.js';
import { currentSnapshot, refreshedSnapshotPath, writeSnapshotAtomically } from './load.js';
import { parseEpss } from './parse-epss.js';
import { parseKev } from './parse-kev.js';
import { readFeed } from './read-feed.js';
import { buildSnapshot, diffSnapshots, type SnapshotDiff } from './snapshot.js';

/** I/O: `arx intel update`: read the feeds, validate all of them, then replace the snapshot in one rename. */

export interface UpdateIntelOptions {
  home: string;
  /** File path or URL of the CISA KEV catalog (JSON or CSV). */
  kev?: string;
  /** File path or URL of a FIRST EPSS CSV (optionally gzipped) or EPSS API JSON. */
  epss?: string;
  clock: Clock;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export interface UpdateIntelResult {
  path: string;
  /** The snapshot the update started from. */
  previous: 'shipped' | 'refreshed' | 'memory';
  diff: SnapshotDiff;
  /** Things that look wrong but are not errors, e.g. a catalog far smaller than the one it replaces. */
  warnings: string[];
}

/** A feed that shrinks by more than half is more likely the wrong file (a sample, a filtered export) than news. */
const SHRINK_WARNING_RATIO = 0.5;

export async function updateIntel(options: UpdateIntelOptions): Promise<UpdateIntelResult> {
  if (!options.kev && !options.epss) {
    throw new UsageError('nothing to update: give --kev, --epss or both', {
      hint: 'e.g. arx intel update --kev known_exploited_vulnerabilities.json --epss epss_scores-current.csv.gz',
    });
  }
  const feedOptions = {
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  };
  // read and validate everything before touching the snapshot, so a bad feed changes nothing
  const kevFeed = options.kev ? await readFeed(options.kev, { flag: '--kev', ...feedOptions }) : undefined;
  const epssFeed = options.epss
    ? await readFeed(options.epss, { flag: '--epss', ...feedOptions })
    : undefined;
  const kev = kevFeed && { catalog: parseKev(kevFeed.text, kevFeed.source), source: kevFeed.source };
  const epss = epssFeed && { feed: parseEpss(epssFeed.text, epssFeed.source), source: epssFeed.source };

  const before = await currentSnapshot(options.home);
  const after = buildSnapshot({
    previous: before.snapshot,
    ...(kev ? { kev } : {}),
    ...(epss ? { epss } : {}),
    generatedAt: options.clock.now(),
  });
  const diff = diffSnapshots(before.snapshot, after);
  const warnings: string[] = [];
  if (kev && diff.kev.after < diff.kev.before * SHRINK_WARNING_RATIO) {
    warnings.push(
      `the KEV catalog shrank from ${diff.kev.before} to ${diff.kev.after} CVEs: is ${kev.source} the full catalog?`,
    );
  }
  if (epss && diff.epss.after < diff.epss.before * SHRINK_WARNING_RATIO) {
    warnings.push(
      `EPSS shrank from ${diff.epss.before} to ${diff.epss.after} CVEs: is ${epss.source} the full feed?`,
    );
  }
  const path = refreshedSnapshotPath(options.home);
  await writeSnapshotAtomically(path, after);
  return { path, previous: before.origin, diff, warnings };
}
