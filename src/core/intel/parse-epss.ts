import { z } from 'zod';
import { parseCsv } from './csv.js';
import { FeedIssues, parseFeedJson } from './issues.js';

/**
 * FIRST EPSS scores. Accepted shapes:
 * - FIRST's daily CSV (`epss_scores-YYYY-MM-DD.csv[.gz]`): a `#model_version:v2025.03.14,score_date:...`
 *   comment line, then `cve,epss,percentile`;
 * - CSVs that join EPSS with other data under other column names, e.g. `CVE,CVSS3,EPSS,EPSS Percentile,...`
 *   (the KEV+EPSS+NVD join the shipped snapshot is built from): a CVSS column is kept when present;
 * - the FIRST API's JSON (`{"data":[{"cve","epss","percentile","date"}]}`).
 */

export interface EpssEntry {
  cve: string;
  score: number;
  percentile: number;
  cvss?: number;
}

export interface EpssFeed {
  model_version: string | null;
  /** `YYYY-MM-DD` of the scores, from the comment line, the API's `date`, or the file name. */
  score_date: string | null;
  entries: EpssEntry[];
  /** The feed carried CVSS scores (then they replace the snapshot's). */
  has_cvss: boolean;
}

/** Header spellings seen in the wild, compared lower-case and trimmed. */
const COLUMN_ALIASES = {
  cve: ['cve', 'cve_id', 'cveid'],
  epss: ['epss', 'epss_score', 'epss score'],
  percentile: ['percentile', 'epss percentile', 'epss_percentile'],
  cvss: ['cvss3', 'cvss', 'cvss_score', 'cvss3 score', 'cvss_v3', 'cvssv3'],
} as const;
type Column = keyof typeof COLUMN_ALIASES;
const REQUIRED: Column[] = ['cve', 'epss', 'percentile'];

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;

/** A decimal in text (`0.00043`, `9.8`, `1e-05`) within bounds; JSON numbers pass too. */
const decimal = (max: number) =>
  z
    .union([
      z.number(),
      z
        .string()
        .trim()
        .regex(/^\d+(\.\d+)?([eE][-+]?\d+)?$/, 'expected a number'),
    ])
    .transform(Number)
    .pipe(z.number().min(0, 'must be at least 0').max(max, `must be at most ${max}`));

const rowSchema = z.object({
  cve: z.string().trim().toUpperCase().regex(CVE_ID, 'expected a CVE id like CVE-2021-44228'),
  epss: decimal(1),
  percentile: decimal(1),
  // empty CVSS cells are common (NVD has not scored the CVE yet)
  cvss: z.preprocess((v) => (v === '' || v === null ? undefined : v), decimal(10).optional()),
});

function dateIn(text: string | undefined): string | null {
  return /\d{4}-\d{2}-\d{2}/.exec(text ?? '')?.[0] ?? null;
}

/** `model_version:v2025.03.14,score_date:2025-08-26T12:55:00Z` → its parts. */
function parseModelComment(comments: string[]): Pick<EpssFeed, 'model_version' | 'score_date'> {
  const pairs = new Map<string, string>();
  for (const comment of comments) {
    for (const part of comment.split(',')) {
      const at = part.indexOf(':');
      if (at > 0) pairs.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
    }
  }
  return { model_version: pairs.get('model_version') ?? null, score_date: dateIn(pairs.get('score_date')) };
}

function collect(
  rows: Array<{ record: Record<string, unknown>; where: { line?: number; prefix?: string } }>,
  issues: FeedIssues,
): EpssEntry[] {
  const entries: EpssEntry[] = [];
  const seen = new Set<string>();
  for (const { record, where } of rows) {
    const parsed = rowSchema.safeParse(record);
    if (!parsed.success) {
      issues.addZod(parsed.error, where);
      continue;
    }
    const { cve, epss, percentile, cvss } = parsed.data;
    if (seen.has(cve)) {
      issues.add({
        path: where.prefix ?? 'cve',
        ...(where.line ? { line: where.line } : {}),
        message: `${cve} is listed twice`,
      });
    }
    seen.add(cve);
    entries.push({ cve, score: epss, percentile, ...(cvss === undefined ? {} : { cvss }) });
  }
  return entries;
}

export function parseEpssCsv(text: string, source: string): EpssFeed {
  const { comments, records } = parseCsv(text);
  const [header, ...rows] = records;
  const issues = new FeedIssues(source);
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const at = Object.fromEntries(
    (Object.keys(COLUMN_ALIASES) as Column[]).map((col) => [
      col,
      names.findIndex((n) => (COLUMN_ALIASES[col] as readonly string[]).includes(n)),
    ]),
  ) as Record<Column, number>;
  const missing = REQUIRED.filter((col) => at[col] < 0);
  if (missing.length > 0) {
    issues.add({
      path: '(header)',
      line: header?.line ?? 1,
      message: `no ${missing.join(', ')} column (header is "${header?.fields.join(',') ?? ''}")`,
      allowed: REQUIRED.map((col) => COLUMN_ALIASES[col].join(' | ')).join('; '),
    });
    issues.throwIfAny();
  }
  const entries = collect(
    rows.map((row) => ({
      record: Object.fromEntries(
        (Object.keys(at) as Column[])
          .filter((col) => at[col] >= 0)
          .map((col) => [col, row.fields[at[col]] ?? '']),
      ),
      where: { line: row.line },
    })),
    issues,
  );
  issues.throwIfAny();
  const model = parseModelComment(comments);
  return {
    model_version: model.model_version,
    score_date: model.score_date ?? dateIn(source.split('/').pop()),
    entries,
    has_cvss: at.cvss >= 0 && entries.some((e) => e.cvss !== undefined),
  };
}

const apiSchema = z.object({
  model_version: z.string().optional(),
  score_date: z.string().optional(),
  data: z.array(z.record(z.string(), z.unknown())),
});

export function parseEpssJson(text: string, source: string): EpssFeed {
  const { body, issues } = parseFeedJson(text, source, apiSchema);
  const { data, model_version, score_date } = body;
  const entries = collect(
    data.map((record, index) => ({ record, where: { prefix: `data[${index}]` } })),
    issues,
  );
  issues.throwIfAny();
  return {
    model_version: model_version ?? null,
    score_date: dateIn(score_date) ?? dateIn(String(data[0]?.date ?? '')),
    entries,
    has_cvss: false,
  };
}

export function parseEpss(text: string, source: string): EpssFeed {
  return text.trimStart().startsWith('{') ? parseEpssJson(text, source) : parseEpssCsv(text, source);
}
