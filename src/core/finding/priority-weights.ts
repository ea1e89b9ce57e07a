import type { Severity } from './model.js';

/**
 * The weights of `arx-priority/1`, as data. Points are additive and every factor's share is visible in the
 * result. For a vulnerability the maxima add up to exactly 100, so a score reads as "share of the worst case".
 * Changing a number here changes scores: bump PRIORITY_VERSION with it.
 */
export interface PriorityWeights {
  /** Severity points when the finding has a CVE: the exploit factors below carry the rest of the signal. */
  severityWithCve: Record<Severity, number>;
  /**
   * Severity points for findings without a CVE (misconfigurations, detections). No CVSS, EPSS or KEV apply,
   * so severity stands in for them; otherwise a critical public bucket could never outrank a medium CVE.
   */
  severityWithoutCve: Record<Severity, number>;
  /** Points at CVSS 10, linear: CVSS measures impact if exploited, not likelihood, so it weighs less than EPSS+KEV. */
  cvssMax: number;
  /** Points at EPSS 1.0, linear: the probability of exploitation in the next 30 days. */
  epssScoreMax: number;
  /** Points at the 100th EPSS percentile: separates the long tail of tiny scores that the raw score flattens. */
  epssPercentileMax: number;
  /** In CISA KEV: exploitation is observed, not predicted; the strongest single signal. */
  kev: number;
  /** KEV says ransomware campaigns use it: the costliest kind of exploitation. */
  kevRansomware: number;
  /** KEV remediation due date has passed (BOD 22-01 deadline missed: an audit finding in itself). */
  kevDuePassed: number;
  /** KEV due date within `kevDueNearDays`. */
  kevDueNear: number;
  kevDueNearDays: number;
  /** Reachable from the internet. Unknown gets half: missing context should neither bury nor inflate. */
  internetExposure: { exposed: number; unknown: number; internal: number };
  /** Production outranks staging outranks development; unknown gets the middle. */
  environment: Record<EnvironmentClass, number>;
  /** Points at business criticality 5 (crown jewel); criticality 1 earns 0, linear in between. */
  criticalityMax: number;
  criticalityUnknown: number;
  /** Label thresholds, highest first: a score at or above `min` gets the label. */
  labels: ReadonlyArray<{ label: 'P1' | 'P2' | 'P3' | 'P4'; min: number }>;
}

export type EnvironmentClass = 'production' | 'staging' | 'development' | 'unknown';

/** How teams spell their environments (tags, account maps), compared lower-case. */
export const ENVIRONMENT_NAMES: Record<Exclude<EnvironmentClass, 'unknown'>, readonly string[]> = {
  production: ['production', 'prod', 'prd', 'live', 'prod-eu', 'prod-us'],
  staging: ['staging', 'stage', 'stg', 'uat', 'preprod', 'pre-prod', 'preproduction'],
  development: [
    'development',
    'dev',
    'test',
    'testing',
    'qa',
    'sandbox',
    'sbx',
    'lab',
    'demo',
    'nonprod',
    'non-prod',
  ],
};

export const PRIORITY_WEIGHTS: PriorityWeights = {
  severityWithCve: { critical: 15, high: 11, medium: 6, low: 2, informational: 0 },
  severityWithoutCve: { critical: 55, high: 40, medium: 22, low: 8, informational: 0 },
  cvssMax: 10,
  epssScoreMax: 15,
  epssPercentileMax: 5,
  kev: 15,
  kevRansomware: 5,
  kevDuePassed: 5,
  kevDueNear: 3,
  // CISA gives most new KEV entries three weeks; two weeks left is when a ticket must already be moving
  kevDueNearDays: 14,
  internetExposure: { exposed: 10, unknown: 5, internal: 0 },
  environment: { production: 10, staging: 5, development: 1, unknown: 5 },
  criticalityMax: 10,
  criticalityUnknown: 5,
  // P1 needs most of the worst case: e.g. a KEV with high EPSS on an exposed production asset;
  // the same CVE on an internal dev box lands in P2
  labels: [
    { label: 'P1', min: 75 },
    { label: 'P2', min: 55 },
    { label: 'P3', min: 35 },
    { label: 'P4', min: 0 },
  ],
};
