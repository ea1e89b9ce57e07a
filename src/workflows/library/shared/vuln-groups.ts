import type { Clock } from '../../../core/clock.js';
import { dedupeKeys } from '../../../core/finding/fingerprint.js';
import type { Finding, Priority, Resource } from '../../../core/finding/model.js';
import { type PriorityInput, scorePriority } from '../../../core/finding/priority.js';
import { maxSeverity } from './scope.js';

/**
 * Cross-scanner deduplication of vulnerabilities. Wiz (cloud inventory) and Qualys (network scanner) key
 * the same CVE on the same host differently (Qualys rarely knows the cloud account), so their finding keys
 * differ; their dedupe keys (`dedupeKeys`: one per host facet, IP, host name, instance id) intersect. Two
 * findings are the same asset's CVE when their keys intersect and their accounts do not disagree (two VPCs
 * may reuse a private address). Groups are found with union-find, so A~B and B~C make one group.
 */

/** Findings of one CVE on one asset, whichever scanners saw it. */
export function groupSameAsset(findings: readonly Finding[]): Finding[][] {
  const parent = findings.map((_, i) => i);
  const root = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]!]!;
      i = parent[i]!;
    }
    return i;
  };
  const owner = new Map<string, number>();
  findings.forEach((finding, i) => {
    for (const key of keysOf(finding)) {
      const j = owner.get(key);
      if (j === undefined) owner.set(key, i);
      else if (accountsAgree(findings[j]!, finding)) parent[root(i)] = root(j);
    }
  });
  const groups = new Map<number, Finding[]>();
  findings.forEach((finding, i) => {
    const r = root(i);
    groups.set(r, [...(groups.get(r) ?? []), finding]);
  });
  return [...groups.values()];
}

function keysOf(finding: Finding): string[] {
  const cve = finding.vulnerability?.cve_uid;
  if (!cve) return [`fk:${finding.finding_key}`];
  try {
    return dedupeKeys({ resource: finding.resource, cve });
  } catch {
    return [`fk:${finding.finding_key}`]; // an unusable identity merges with nothing
  }
}

function accountsAgree(a: Finding, b: Finding): boolean {
  const x = a.resource.account_uid;
  const y = b.resource.account_uid;
  return !x || !y || x === y;
}

/** The finding whose key names the group: Wiz's (it knows the cloud account), else the smallest key. */
export function primaryOf(group: readonly Finding[]): Finding {
  const sorted = [...group].sort((a, b) => a.finding_key.localeCompare(b.finding_key));
  return sorted.find((f) => f.sources.some((s) => s.vendor === 'wiz')) ?? sorted[0]!;
}

/** Vulnerabilities by CVE, in CVE order. */
export function byCve(findings: readonly Finding[]): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const finding of findings) {
    const cve = finding.vulnerability?.cve_uid;
    if (!cve) continue;
    out.set(cve, [...(out.get(cve) ?? []), finding]);
  }
  return new Map([...out.entries()].sort(([a], [b]) => a.localeCompare(b)));
}

/**
 * One priority for a group, from the strongest evidence any scanner gave: highest severity, CVSS and
 * EPSS, KEV if any source (or the intel snapshot) lists it, the most exposed and most critical asset facts.
 * @example const priority = unifiedPriority(group, ctx.clock);
 */
export function unifiedPriority(group: readonly Finding[], clock: Pick<Clock, 'now'>): Priority {
  const vulns = group.flatMap((f) => (f.vulnerability ? [f.vulnerability] : []));
  const first = vulns[0];
  const max = (values: Array<number | undefined>) => {
    const present = values.filter((v): v is number => v !== undefined);
    return present.length ? Math.max(...present) : undefined;
  };
  const resources = group.map((f) => f.resource);
  const input: PriorityInput = {
    severity: maxSeverity(group.map((f) => f.severity)),
    resource: {
      environment: resources.find((r) => r.environment)?.environment,
      internet_exposed: resources.some((r) => r.internet_exposed === true)
        ? true
        : resources.some((r) => r.internet_exposed === false)
          ? false
          : undefined,
      criticality: max(resources.map((r) => r.criticality)) as Resource['criticality'],
      tags: Object.assign({}, ...resources.map((r) => r.tags)),
    },
    vulnerability: first
      ? {
          cve_uid: first.cve_uid,
          cvss_score: max(vulns.map((v) => v.cvss_score)),
          epss_score: max(vulns.map((v) => v.epss_score)),
          epss_percentile: max(vulns.map((v) => v.epss_percentile)),
          kev: vulns.find((v) => v.kev)?.kev,
        }
      : undefined,
  };
  return scorePriority(input, undefined, clock);
}
