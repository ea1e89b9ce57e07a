import { CVES, type CveRow } from '../data/cves.js';
import { intBetween, pick, rngAt } from '../kit/random.js';
import { OS_NAMES, REGIONS, WORKLOAD_NAMES } from './catalog.js';
import type { Severity } from './misconfig.js';
import type { CloudAccount } from './types.js';

export type HostOs = 'linux' | 'windows';

/** A VM that carries vulnerabilities; Qualys scans two hosts in three with its agent. */
export interface Host {
  index: number;
  account: CloudAccount;
  os: HostOs;
  osName: string;
  name: string;
  /** DNS name both scanners report: the join key with the IP for cross-scanner dedup. */
  hostname: string;
  ip: string;
  region: string;
  providerId: string;
  /** Qualys host id and asset id, when Qualys scans this host. */
  qualys: { hostId: number; assetId: number } | undefined;
  /** Where this host's CVE list starts in the OS's CVE list. */
  cveOffset: number;
}

/** Average vulnerabilities per host: sets the host count from the number of vulnerability findings. */
export const VULNS_PER_HOST = 6;
export const QUALYS_HOST_ID_BASE = 1_000_001;
const QUALYS_ASSET_ID_BASE = 5_000_001;

export const CVES_BY_OS: Record<HostOs, readonly number[]> = {
  linux: CVES.flatMap((row, i) => (row[9] === 'linux' ? [i] : [])),
  windows: CVES.flatMap((row, i) => (row[9] === 'windows' ? [i] : [])),
};

export function hostCount(baseVulns: number): number {
  return Math.max(3, Math.ceil(baseVulns / VULNS_PER_HOST));
}

export function isQualysHost(index: number): boolean {
  return index % 3 !== 2;
}

export function hostAt(seed: number, accounts: readonly CloudAccount[], index: number): Host {
  const random = rngAt(seed, 'host', index);
  const account = pick(random, accounts);
  const os: HostOs = random() < 0.75 ? 'linux' : 'windows';
  const osName = pick(random, OS_NAMES[os]);
  const region = pick(random, REGIONS[account.provider]);
  const name = `${pick(random, WORKLOAD_NAMES)}-${index}`;
  const hostname = `${name}.${account.name}.internal`;
  const ip = `10.${Math.floor(index / 62_500) % 250}.${Math.floor(index / 250) % 250}.${(index % 250) + 4}`;
  const instance = `i-0${Math.floor(random() * 2 ** 52)
    .toString(16)
    .padStart(16, '0')}`;
  const providerId =
    account.provider === 'AWS'
      ? `arn:aws:ec2:${region}:${account.externalId}:instance/${instance}`
      : account.provider === 'Azure'
        ? `/subscriptions/${account.externalId}/resourceGroups/rg-${account.name}/providers/Microsoft.Compute/virtualMachines/${name}`
        : `//compute.googleapis.com/projects/${account.externalId}/zones/${region}-a/instances/${name}`;
  return {
    index,
    account,
    os,
    osName,
    name,
    hostname,
    ip,
    region,
    providerId,
    qualys: isQualysHost(index)
      ? { hostId: QUALYS_HOST_ID_BASE + index, assetId: QUALYS_ASSET_ID_BASE + index }
      : undefined,
    cveOffset: intBetween(random, 0, 10_000),
  };
}

/** The CVE of vulnerability `v`: hosts get distinct CVEs from their OS's list, in a host-specific order. */
export function cveIndexFor(host: Host, hosts: number, vulnIndex: number): number {
  const list = CVES_BY_OS[host.os];
  const nth = Math.floor(vulnIndex / hosts);
  return list[(host.cveOffset + nth) % list.length]!;
}

export function cveRow(index: number): CveRow {
  return CVES[index]!;
}

/** Qualys QIDs: one per CVE, in the ranges Qualys uses for Linux distributions and Windows. */
export function qidForCve(cveIndex: number): number {
  return (CVES[cveIndex]![9] === 'windows' ? 91_000 : 370_000) + cveIndex;
}

export function cveIndexForQid(qid: number): number | undefined {
  const index = qid >= 370_000 ? qid - 370_000 : qid - 91_000;
  const row = CVES[index];
  return row && qidForCve(index) === qid ? index : undefined;
}

export function severityFromCvss(score: number): Severity {
  return score >= 9 ? 'CRITICAL' : score >= 7 ? 'HIGH' : score >= 4 ? 'MEDIUM' : 'LOW';
}

/** A package-level detail for the finding (versions are made up; the CVE facts are real). */
export function packageFor(
  seed: number,
  vulnIndex: number,
  row: CveRow,
): {
  name: string;
  version: string;
  fixedVersion: string | null;
} {
  const random = rngAt(seed, 'package', vulnIndex);
  const major = intBetween(random, 1, 9);
  const minor = intBetween(random, 0, 20);
  const patch = intBetween(random, 0, 30);
  const name = row[5]
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return {
    name,
    version: `${major}.${minor}.${patch}`,
    fixedVersion: random() < 0.9 ? `${major}.${minor}.${patch + 1 + intBetween(random, 0, 3)}` : null,
  };
}
