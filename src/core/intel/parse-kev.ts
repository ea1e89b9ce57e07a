import { z } from 'zod';
import { parseCsv } from './csv.js';
import { FeedIssues, parseFeedJson } from './issues.js';
import type { KevFacts } from './types.js';

/**
 * The CISA Known Exploited Vulnerabilities catalog, from its JSON feed or its CSV export (same field names).
 * Field names and rules follow CISA's published schema (known_exploited_vulnerabilities_schema.json).
 */

export interface KevEntry extends KevFacts {
  cve: string;
}

export interface KevCatalog {
  /** `2025.08.25`; the CSV export carries none. */
  catalog_version: string | null;
  date_released: string | null;
  /** The newest `dateAdded`, which tells how current a CSV export is. */
  newest_date_added: string | null;
  entries: KevEntry[];
}

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

const kevVulnerabilitySchema = z.object({
  cveID: z.string().trim().regex(CVE_ID, 'expected a CVE id like CVE-2021-44228'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: z.string().trim().regex(ISO_DATE, 'expected a date YYYY-MM-DD'),
  dueDate: z.string().trim().regex(ISO_DATE, 'expected a date YYYY-MM-DD'),
  /** 'Known' or 'Unknown' per the schema; anything but 'Known' means no confirmed ransomware use. */
  knownRansomwareCampaignUse: z.string().optional(),
});

const kevCatalogSchema = z.object({
  catalogVersion: z.string().min(1, 'the catalog version is empty'),
  dateReleased: z.string().min(1),
  count: z.number().int().nonnegative(),
  vulnerabilities: z.array(z.unknown()),
});

const CSV_COLUMNS = [
  'cveID',
  'vendorProject',
  'product',
  'vulnerabilityName',
  'dateAdded',
  'dueDate',
] as const;
const CSV_OPTIONAL = ['knownRansomwareCampaignUse'] as const;

function toEntry(v: z.infer<typeof kevVulnerabilitySchema>): KevEntry {
  return {
    cve: v.cveID,
    date_added: v.dateAdded,
    due_date: v.dueDate,
    known_ransomware_use: v.knownRansomwareCampaignUse?.trim().toLowerCase() === 'known',
    vendor: v.vendorProject,
    product: v.product,
    name: v.vulnerabilityName,
  };
}

function finish(
  entries: KevEntry[],
  meta: Pick<KevCatalog, 'catalog_version' | 'date_released'>,
): KevCatalog {
  const newest = entries.reduce<string | null>(
    (max, e) => (max === null || e.date_added > max ? e.date_added : max),
    null,
  );
  return { ...meta, newest_date_added: newest, entries };
}

function checkDuplicates(
  entries: KevEntry[],
  issues: FeedIssues,
  where: (index: number) => { path: string; line?: number },
) {
  const seen = new Set<string>();
  entries.forEach((entry, index) => {
    if (seen.has(entry.cve)) issues.add({ ...where(index), message: `${entry.cve} is listed twice` });
    seen.add(entry.cve);
  });
}

export function parseKevJson(text: string, source: string): KevCatalog {
  const { body, issues } = parseFeedJson(text, source, kevCatalogSchema);
  const { catalogVersion, dateReleased, count, vulnerabilities } = body;
  const entries: KevEntry[] = [];
  const positions: number[] = [];
  vulnerabilities.forEach((item, index) => {
    const parsed = kevVulnerabilitySchema.safeParse(item);
    if (parsed.success) {
      entries.push(toEntry(parsed.data));
      positions.push(index);
    } else issues.addZod(parsed.error, { prefix: `vulnerabilities[${index}]` });
  });
  // a count that disagrees with the list is a truncated or edited download
  if (count !== vulnerabilities.length) {
    issues.add({
      path: 'count',
      message: `says ${count} but the file lists ${vulnerabilities.length} vulnerabilities`,
    });
  }
  checkDuplicates(entries, issues, (index) => ({ path: `vulnerabilities[${positions[index]}].cveID` }));
  issues.throwIfAny();
  return finish(entries, { catalog_version: catalogVersion, date_released: dateReleased });
}

export function parseKevCsv(text: string, source: string): KevCatalog {
  const { records } = parseCsv(text);
  const [header, ...rows] = records;
  const issues = new FeedIssues(source);
  const columns = header?.fields.map((f) => f.trim()) ?? [];
  const missing = CSV_COLUMNS.filter((c) => !columns.includes(c));
  if (missing.length > 0) {
    issues.add({
      path: '(header)',
      line: header?.line ?? 1,
      message: `missing column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}`,
      allowed: [...CSV_COLUMNS, ...CSV_OPTIONAL].join(', '),
    });
    issues.throwIfAny();
  }
  const at = Object.fromEntries([...CSV_COLUMNS, ...CSV_OPTIONAL].map((c) => [c, columns.indexOf(c)]));
  const entries: KevEntry[] = [];
  const lines: number[] = [];
  for (const row of rows) {
    const record = Object.fromEntries(
      Object.entries(at)
        .filter(([, index]) => index >= 0)
        .map(([name, index]) => [name, row.fields[index!]]),
    );
    const parsed = kevVulnerabilitySchema.safeParse(record);
    if (parsed.success) {
      entries.push(toEntry(parsed.data));
      lines.push(row.line);
    } else issues.addZod(parsed.error, { line: row.line });
  }
  checkDuplicates(entries, issues, (index) => ({ path: 'cveID', line: lines[index]! }));
  issues.throwIfAny();
  return finish(entries, { catalog_version: null, date_released: null });
}

/** JSON feed or CSV export, told apart by the first character. */
export function parseKev(text: string, source: string): KevCatalog {
  return text.trimStart().startsWith('{') ? parseKevJson(text, source) : parseKevCsv(text, source);
}
