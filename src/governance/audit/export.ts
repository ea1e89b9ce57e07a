import { isDuration, parseDuration } from '../../config/duration.js';
import { UsageError } from '../../core/errors.js';
import type { AuditEntry } from '../../store/audit-repo.js';

/**
 * Audit exports for auditors and SIEMs: JSON Lines (one entry per line, exactly as stored and hashed, so a
 * copy can be re-verified) or CSV (payload as a JSON column) for spreadsheets.
 */
export const EXPORT_FORMATS = ['jsonl', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const CSV_COLUMNS = [
  'seq',
  'at',
  'kind',
  'actor',
  'action',
  'verdict',
  'risk',
  'run_id',
  'payload',
  'prev_hash',
  'hash',
] as const;

export function jsonlLine(entry: AuditEntry): string {
  return JSON.stringify(entry);
}

export function csvHeader(): string {
  return CSV_COLUMNS.join(',');
}

export function csvLine(entry: AuditEntry): string {
  return CSV_COLUMNS.map((column) => {
    const value = entry[column];
    if (value === null || value === undefined) return '';
    if (typeof value === 'number') return String(value);
    return csvCell(typeof value === 'string' ? value : JSON.stringify(value));
  }).join(',');
}

/**
 * Quotes a cell when needed, and defuses text a spreadsheet would run as a formula (`=`, `+`, `-`, `@`
 * first) by prefixing a single quote: actors and payloads can carry text from outside.
 */
function csvCell(text: string): string {
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/**
 * `--since 30d` (a duration back from now) or `--since 2026-03-01` / an ISO timestamp.
 * @example parseSince('7d', now) // seven days before now
 */
export function parseSince(text: string, now: Date): Date {
  if (isDuration(text)) return new Date(now.getTime() - parseDuration(text));
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) {
    throw new UsageError(`--since: "${text}" is neither a duration nor a date`, {
      hint: 'use a duration such as 24h, 7d, 30d, or a date such as 2026-03-01 or 2026-03-01T12:00:00Z',
    });
  }
  return at;
}
