import type {
  Finding,
  FindingClass,
  FindingSource,
  FindingStatus,
  Severity,
} from '../../../core/finding/model.js';
import { SEVERITIES } from '../../../core/finding/model.js';
import { fromEnv, z } from '../../sdk/index.js';

/**
 * What a workflow is responsible for: finding classes, severities and the sources it reads. A workflow
 * files, closes and reopens tickets only for findings in its own scope, so two workflows (or one workflow
 * with a narrower severity filter than last week) never close each other's tickets.
 */

/** Severity words as the workflow READMEs and Wiz spell them. */
export const SEVERITY_WORDS = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'] as const;
export type SeverityWord = (typeof SEVERITY_WORDS)[number];

const WORD_TO_SEVERITY: Record<SeverityWord, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFORMATIONAL: 'informational',
};

/** Qualys rates detections 1–5; 5 and 4 are its urgent and critical levels. */
const QUALYS_LEVEL: Record<Severity, number> = { critical: 5, high: 4, medium: 3, low: 2, informational: 1 };

/**
 * A `severities` option: Wiz words, upper or lower case, from arx.yaml or `variable` (`CRITICAL,HIGH`).
 * @example severities: severityOption('SEVERITIES', ['CRITICAL', 'HIGH'])
 */
export function severityOption(variable: string, defaults: readonly SeverityWord[]) {
  return fromEnv(
    variable,
    z
      .array(
        z.preprocess((v) => (typeof v === 'string' ? v.trim().toUpperCase() : v), z.enum(SEVERITY_WORDS)),
      )
      .min(1)
      .default([...defaults]),
  );
}

export interface Scope {
  classes: readonly FindingClass[];
  severities: readonly Severity[];
  /** Which source records count (vendor, product): a finding needs one of them among its sources. */
  source: (source: FindingSource) => boolean;
}

/** Sources by vendor and, optionally, product (`Wiz Cloud Configuration`). */
export function fromSources(...wanted: Array<{ vendor: string; products?: readonly string[] }>) {
  return (source: FindingSource) =>
    wanted.some(
      (w) => w.vendor === source.vendor && (!w.products || w.products.includes(source.product ?? '')),
    );
}

export function severitiesOf(words: readonly SeverityWord[]): Severity[] {
  return [...new Set(words.map((word) => WORD_TO_SEVERITY[word]))].sort(bySeverity);
}

/**
 * Every in-scope finding in the store, most severe first.
 * @example for (const finding of await findingsInScope(ctx, scope)) { ... }
 */
export async function findingsInScope(
  ctx: {
    findings: {
      all(query: {
        severity: Severity[];
        class: FindingClass[];
        order: 'severity';
        limit: number;
      }): AsyncIterable<Finding>;
    };
  },
  scope: Scope,
): Promise<Finding[]> {
  const found: Finding[] = [];
  const query = {
    severity: [...scope.severities],
    class: [...scope.classes],
    order: 'severity' as const,
    // the store's largest page: a run loads every in-scope finding (30k at 100k), in as few queries as it can
    limit: 1000,
  };
  for await (const finding of ctx.findings.all(query)) if (inScope(finding, scope)) found.push(finding);
  return found;
}

/** Wiz words for the read filter, most severe first. */
export function wizSeverities(severities: readonly Severity[]): SeverityWord[] {
  return [...severities].sort(bySeverity).map((s) => s.toUpperCase() as SeverityWord);
}

export function qualysLevels(severities: readonly Severity[]): number[] {
  return [...new Set(severities.map((s) => QUALYS_LEVEL[s]))].sort((a, b) => b - a);
}

/**
 * The Qualys read filter for a workflow's severities. `Fixed` is asked for explicitly: Qualys leaves fixed
 * detections out by default, and a ticket can only be closed when its fix is seen.
 */
export function qualysFilters(severities: readonly Severity[]) {
  return { severities: qualysLevels(severities), status: ['New', 'Active', 'Re-Opened', 'Fixed'] };
}

/** Most severe first. */
export function bySeverity(a: Severity, b: Severity): number {
  return SEVERITIES[b] - SEVERITIES[a];
}

export function maxSeverity(severities: readonly Severity[]): Severity {
  return [...severities].sort(bySeverity)[0] ?? 'informational';
}

export function inScope(finding: Finding, scope: Scope): boolean {
  return (
    scope.classes.includes(finding.class) &&
    scope.severities.includes(finding.severity) &&
    finding.sources.some(scope.source)
  );
}

const OPEN_STATUSES: ReadonlySet<FindingStatus> = new Set(['new', 'in_progress']);

/** Open at its source: new or being worked on. Suppressed (rejected, ignored) is neither open nor fixed. */
export function isOpen(finding: Pick<Finding, 'status'>): boolean {
  return OPEN_STATUSES.has(finding.status);
}

export function isResolved(finding: Pick<Finding, 'status'>): boolean {
  return finding.status === 'resolved';
}
