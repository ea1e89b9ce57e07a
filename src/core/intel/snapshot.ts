import { z } from 'zod';
import type { EpssFeed } from './parse-epss.js';
import type { KevCatalog } from './parse-kev.js';

/**
 * The intel snapshot file: KEV, EPSS and CVSS as compact row tables (a row is an array, the columns are
 * named once), each with where it came from. Rows are sorted by CVE so refreshes diff cleanly.
 */
export const SNAPSHOT_FORMAT = 'arx-intel/1';

export const KEV_COLUMNS = [
  'cve',
  'date_added',
  'due_date',
  'known_ransomware_use',
  'vendor',
  'product',
  'name',
] as const;
export const EPSS_COLUMNS = ['cve', 'score', 'percentile'] as const;
export const CVSS_COLUMNS = ['cve', 'score'] as const;

const cve = z.string().regex(/^CVE-\d{4}-\d{4,}$/);
const kevRow = z.tuple([
  cve,
  z.string(),
  z.string().nullable(),
  z.boolean(),
  z.string(),
  z.string(),
  z.string(),
]);
const epssRow = z.tuple([cve, z.number().min(0).max(1), z.number().min(0).max(1)]);
const cvssRow = z.tuple([cve, z.number().min(0).max(10)]);

export const snapshotSchema = z.object({
  format: z.literal(SNAPSHOT_FORMAT),
  generated_at: z.string(),
  kev: z.object({
    source: z.string(),
    catalog_version: z.string().nullable(),
    date_released: z.string().nullable(),
    newest_date_added: z.string().nullable(),
    count: z.number().int(),
    columns: z.array(z.string()),
    rows: z.array(kevRow),
  }),
  epss: z.object({
    source: z.string(),
    model_version: z.string().nullable(),
    score_date: z.string().nullable(),
    count: z.number().int(),
    columns: z.array(z.string()),
    rows: z.array(epssRow),
  }),
  cvss: z.object({
    source: z.string(),
    count: z.number().int(),
    columns: z.array(z.string()),
    rows: z.array(cvssRow),
  }),
});
export type IntelSnapshot = z.infer<typeof snapshotSchema>;
export type KevRow = z.infer<typeof kevRow>;

const byCve = <T extends readonly [string, ...unknown[]]>(a: T, b: T) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

function kevSection(catalog: KevCatalog, source: string): IntelSnapshot['kev'] {
  const rows: KevRow[] = catalog.entries
    .map(
      (e): KevRow => [
        e.cve,
        e.date_added,
        e.due_date ?? null,
        e.known_ransomware_use,
        e.vendor ?? '',
        e.product ?? '',
        e.name ?? '',
      ],
    )
    .sort(byCve);
  return {
    source,
    catalog_version: catalog.catalog_version,
    date_released: catalog.date_released,
    newest_date_added: catalog.newest_date_added,
    count: rows.length,
    columns: [...KEV_COLUMNS],
    rows,
  };
}

function epssSection(feed: EpssFeed, source: string): IntelSnapshot['epss'] {
  const rows = feed.entries.map((e): [string, number, number] => [e.cve, e.score, e.percentile]).sort(byCve);
  return {
    source,
    model_version: feed.model_version,
    score_date: feed.score_date,
    count: rows.length,
    columns: [...EPSS_COLUMNS],
    rows,
  };
}

function cvssSection(feed: EpssFeed, source: string): IntelSnapshot['cvss'] {
  const rows = feed.entries
    .filter((e) => e.cvss !== undefined)
    .map((e): [string, number] => [e.cve, e.cvss!])
    .sort(byCve);
  return { source, count: rows.length, columns: [...CVSS_COLUMNS], rows };
}

const EMPTY_CVSS: IntelSnapshot['cvss'] = { source: 'none', count: 0, columns: [...CVSS_COLUMNS], rows: [] };

export interface SnapshotInputs {
  previous?: IntelSnapshot;
  kev?: { catalog: KevCatalog; source: string };
  epss?: { feed: EpssFeed; source: string };
  generatedAt: Date;
}

/**
 * A new snapshot from fresh feeds, keeping the previous snapshot's parts that were not refreshed (updating
 * only KEV keeps yesterday's EPSS). CVSS comes with an EPSS feed that carries it, else is kept.
 */
export function buildSnapshot(inputs: SnapshotInputs): IntelSnapshot {
  const { previous, kev, epss } = inputs;
  if (!kev && !previous)
    throw new Error('buildSnapshot: a KEV catalog is needed when there is no previous snapshot');
  if (!epss && !previous)
    throw new Error('buildSnapshot: an EPSS feed is needed when there is no previous snapshot');
  return {
    format: SNAPSHOT_FORMAT,
    generated_at: inputs.generatedAt.toISOString(),
    kev: kev ? kevSection(kev.catalog, kev.source) : previous!.kev,
    epss: epss ? epssSection(epss.feed, epss.source) : previous!.epss,
    cvss: epss?.feed.has_cvss ? cvssSection(epss.feed, epss.source) : (previous?.cvss ?? EMPTY_CVSS),
  };
}

export interface SnapshotDiff {
  kev: { before: number; after: number; added: string[]; removed: string[]; catalog_version: string | null };
  epss: { before: number; after: number; score_date: string | null; model_version: string | null };
  cvss: { before: number; after: number };
}

export function diffSnapshots(before: IntelSnapshot | undefined, after: IntelSnapshot): SnapshotDiff {
  const was = new Set(before?.kev.rows.map((r) => r[0]) ?? []);
  const now = new Set(after.kev.rows.map((r) => r[0]));
  return {
    kev: {
      before: before?.kev.count ?? 0,
      after: after.kev.count,
      added: [...now].filter((c) => !was.has(c)).sort(),
      removed: [...was].filter((c) => !now.has(c)).sort(),
      catalog_version: after.kev.catalog_version,
    },
    epss: {
      before: before?.epss.count ?? 0,
      after: after.epss.count,
      score_date: after.epss.score_date,
      model_version: after.epss.model_version,
    },
    cvss: { before: before?.cvss.count ?? 0, after: after.cvss.count },
  };
}

/**
 * Pretty JSON with one row per line: readable, and a refresh shows up in `git diff` as the CVEs that changed.
 */
export function serializeSnapshot(snapshot: IntelSnapshot): string {
  const section = (value: { rows: readonly unknown[] }) => {
    const head = JSON.stringify({ ...value, rows: '\u0000' }, null, 2).replace(/\n/g, '\n  ');
    const rows = value.rows.map((row) => `      ${JSON.stringify(row)}`).join(',\n');
    return head.replace('"\\u0000"', value.rows.length ? `[\n${rows}\n    ]` : '[]');
  };
  return [
    '{',
    `  "format": ${JSON.stringify(snapshot.format)},`,
    `  "generated_at": ${JSON.stringify(snapshot.generated_at)},`,
    `  "kev": ${section(snapshot.kev)},`,
    `  "epss": ${section(snapshot.epss)},`,
    `  "cvss": ${section(snapshot.cvss)}`,
    '}',
    '',
  ].join('\n');
}
