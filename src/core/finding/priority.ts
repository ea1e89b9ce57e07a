import type { Clock } from '../clock.js';
import type { IntelLookup } from '../intel/types.js';
import type { Priority, PriorityFactor, Resource, Severity, Vulnerability } from './model.js';
import {
  ENVIRONMENT_NAMES,
  type EnvironmentClass,
  PRIORITY_WEIGHTS,
  type PriorityWeights,
} from './priority-weights.js';

/**
 * An explainable priority: a 0–100 score that is the sum of named factors, each with the value it saw, the
 * points it added and why. Same inputs, same weights, same `now` → same result.
 */
export const PRIORITY_VERSION = 'arx-priority/1';

export interface PriorityInput {
  severity: Severity;
  resource: Partial<Pick<Resource, 'environment' | 'internet_exposed' | 'criticality' | 'tags'>>;
  vulnerability?:
    | (Pick<Vulnerability, 'cve_uid'> &
        Partial<Pick<Vulnerability, 'cvss_score' | 'epss_score' | 'epss_percentile' | 'kev'>>)
    | undefined;
}

const DAY_MS = 86_400_000;
const round2 = (n: number) => Math.round(n * 100) / 100;
const pct = (n: number) => `${round2(n * 100)}%`;

function factor(
  name: string,
  value: PriorityFactor['value'],
  points: number,
  reason: string,
): PriorityFactor {
  return { name, value, points: round2(points), reason };
}

const ENV_TAG_KEYS = ['environment', 'env', 'stage'];

function environmentOf(resource: PriorityInput['resource']): { raw: string | null; cls: EnvironmentClass } {
  const tagKey = Object.keys(resource.tags ?? {}).find((k) => ENV_TAG_KEYS.includes(k.toLowerCase()));
  const raw = resource.environment ?? (tagKey ? resource.tags![tagKey] : undefined);
  if (!raw) return { raw: null, cls: 'unknown' };
  const name = raw.trim().toLowerCase();
  const cls = (Object.keys(ENVIRONMENT_NAMES) as Array<keyof typeof ENVIRONMENT_NAMES>).find((c) =>
    ENVIRONMENT_NAMES[c].includes(name),
  );
  return { raw, cls: cls ?? 'unknown' };
}

/** Threat facts, each from the best source: snapshot EPSS and KEV (dated), scanner CVSS (may be vendor-specific). */
function threatFacts(
  vulnerability: NonNullable<PriorityInput['vulnerability']>,
  intel: IntelLookup | undefined,
) {
  const record = intel?.(vulnerability.cve_uid);
  const epssScore = record?.epss?.score ?? vulnerability.epss_score;
  const epssPercentile = record?.epss ? record.epss.percentile : vulnerability.epss_percentile;
  return {
    cvss: vulnerability.cvss_score ?? record?.cvss,
    cvssFrom: vulnerability.cvss_score !== undefined ? 'scanner' : 'NVD (intel snapshot)',
    epssScore,
    epssPercentile,
    epssFrom: record?.epss ? `EPSS ${record.epss.date ?? 'snapshot'}` : 'scanner',
    kev: record?.kev ?? vulnerability.kev,
  };
}

function exploitFactors(
  input: PriorityInput,
  intel: IntelLookup | undefined,
  now: Date,
  w: PriorityWeights,
): PriorityFactor[] {
  if (!input.vulnerability) {
    const na = 'no CVE: severity carries the exploit signal';
    return [
      factor('cvss', null, 0, na),
      factor('epss_score', null, 0, na),
      factor('epss_percentile', null, 0, na),
      factor('kev', null, 0, na),
      factor('kev_ransomware', null, 0, na),
      factor('kev_due_date', null, 0, na),
    ];
  }
  const t = threatFacts(input.vulnerability, intel);
  const out: PriorityFactor[] = [];
  out.push(
    t.cvss === undefined
      ? factor('cvss', null, 0, 'no CVSS score known')
      : factor(
          'cvss',
          t.cvss,
          (Math.min(Math.max(t.cvss, 0), 10) / 10) * w.cvssMax,
          `CVSS ${t.cvss} (${t.cvssFrom})`,
        ),
  );
  out.push(
    t.epssScore === undefined
      ? factor('epss_score', null, 0, 'no EPSS score known')
      : factor(
          'epss_score',
          t.epssScore,
          t.epssScore * w.epssScoreMax,
          `${pct(t.epssScore)} chance of exploitation in 30 days (${t.epssFrom})`,
        ),
  );
  out.push(
    t.epssPercentile === undefined
      ? factor('epss_percentile', null, 0, 'no EPSS percentile known')
      : factor(
          'epss_percentile',
          t.epssPercentile,
          t.epssPercentile * w.epssPercentileMax,
          `higher than ${pct(t.epssPercentile)} of scored CVEs`,
        ),
  );
  if (!t.kev) {
    const notKev = 'not in the CISA KEV catalog';
    out.push(
      factor('kev', false, 0, notKev),
      factor('kev_ransomware', false, 0, notKev),
      factor('kev_due_date', null, 0, notKev),
    );
    return out;
  }
  out.push(factor('kev', true, w.kev, `in CISA KEV since ${t.kev.date_added}: exploited in the wild`));
  out.push(
    t.kev.known_ransomware_use
      ? factor('kev_ransomware', true, w.kevRansomware, 'KEV: known use in ransomware campaigns')
      : factor('kev_ransomware', false, 0, 'KEV: no known ransomware use'),
  );
  out.push(dueDateFactor(t.kev.due_date, now, w));
  return out;
}

function dueDateFactor(due: string | undefined, now: Date, w: PriorityWeights): PriorityFactor {
  if (!due) return factor('kev_due_date', null, 0, 'KEV entry has no due date');
  // the due date is a whole day: it has passed once that day is over (UTC)
  const daysLeft = (Date.parse(`${due}T00:00:00Z`) + DAY_MS - now.getTime()) / DAY_MS;
  if (daysLeft <= 0)
    return factor('kev_due_date', due, w.kevDuePassed, `KEV remediation was due ${due}: overdue`);
  if (daysLeft <= w.kevDueNearDays) {
    return factor(
      'kev_due_date',
      due,
      w.kevDueNear,
      `KEV remediation due ${due}: ${Math.ceil(daysLeft)} days left`,
    );
  }
  return factor('kev_due_date', due, 0, `KEV remediation due ${due}`);
}

function contextFactors(input: PriorityInput, w: PriorityWeights): PriorityFactor[] {
  const exposed = input.resource.internet_exposed;
  const env = environmentOf(input.resource);
  const criticality = input.resource.criticality;
  return [
    exposed === undefined
      ? factor(
          'internet_exposure',
          null,
          w.internetExposure.unknown,
          'internet exposure unknown: counted as half',
        )
      : exposed
        ? factor('internet_exposure', true, w.internetExposure.exposed, 'reachable from the internet')
        : factor('internet_exposure', false, w.internetExposure.internal, 'not reachable from the internet'),
    factor(
      'environment',
      env.raw,
      w.environment[env.cls],
      env.cls === 'unknown'
        ? `environment ${env.raw ? `"${env.raw}" not recognised` : 'unknown'}: counted as middle`
        : `${env.cls} environment`,
    ),
    criticality === undefined
      ? factor(
          'business_criticality',
          null,
          w.criticalityUnknown,
          'business criticality unknown: counted as middle',
        )
      : factor(
          'business_criticality',
          criticality,
          ((Math.min(Math.max(criticality, 1), 5) - 1) / 4) * w.criticalityMax,
          `business criticality ${criticality} of 5`,
        ),
  ];
}

/**
 * Scores a finding. `intel` supplies KEV/EPSS/CVSS by CVE (see `loadIntel`); the clock decides whether a KEV
 * due date has passed.
 * @example scorePriority(finding, (await loadIntel({ home })).lookup, systemClock)
 */
export function scorePriority(
  finding: PriorityInput,
  intel: IntelLookup | undefined,
  clock: Pick<Clock, 'now'>,
  weights: PriorityWeights = PRIORITY_WEIGHTS,
): Priority {
  const severityTable = finding.vulnerability ? weights.severityWithCve : weights.severityWithoutCve;
  const factors = [
    factor('severity', finding.severity, severityTable[finding.severity], `${finding.severity} severity`),
    ...exploitFactors(finding, intel, clock.now(), weights),
    ...contextFactors(finding, weights),
  ];
  const raw = round2(factors.reduce((sum, f) => sum + f.points, 0));
  // with custom weights the sum can leave 0–100; a visible adjustment keeps "factors add up to the score" true
  if (raw > 100) factors.push(factor('cap', null, 100 - raw, 'capped at 100'));
  if (raw < 0) factors.push(factor('floor', null, -raw, 'raised to 0'));
  const score = Math.min(100, Math.max(0, raw));
  const label = weights.labels.find((l) => score >= l.min)?.label ?? 'P4';
  return { score, label, version: PRIORITY_VERSION, factors };
}
