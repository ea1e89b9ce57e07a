import type { Finding, FindingClass, FindingStatus, Severity } from '../../../core/finding/model.js';
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
  /** Source vendors whose findings count (`wiz`, `qualys`); a finding needs one of them among its sources. */
  vendors: readonly string[];
}

export function severitiesOf(words: readonly SeverityWord[]): Severity[] {
  return [...new Set(words.map((word) => WORD_TO_SEVERITY[word]))].sort(bySeverity);
}

/** Wiz words for the read filter, most severe first. */
export function wizSeverities(severities: readonly Severity[]): SeverityWord[] {
  return [...severities].sort(bySeverity).map((s) => s.toUpperCase() as SeverityWord);
}

export function qualysLevels(severities: readonly Severity[]): number[] {
  return [...new Set(severities.map((s) => QUALYS_LEVEL[s]))].sort((a, b) => b - a);
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
    finding.sources.some((source) => scope.vendors.includes(source.vendor))
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
