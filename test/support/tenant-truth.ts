import { cveRow, severityFromCvss } from '../../src/sandbox/tenant/hosts.js';
import type { DemoTenant } from '../../src/sandbox/tenant/tenant.js';

/**
 * What the demo tenant holds right now, read from the tenant itself (the emulators' source of truth), so
 * the workflow tests state their expectations without going through any Arx code.
 */
export interface TenantIssue {
  index: number;
  id: string;
  severity: string;
  type: string;
  status: string;
  team: string;
  account: string;
  /** The Jira key a human filed before Arx arrived (Wiz `serviceTickets`). */
  preTicket: string | undefined;
}

export function tenantIssues(tenant: DemoTenant): TenantIssue[] {
  const issues: TenantIssue[] = [];
  for (let index = 0; index < tenant.count('issue'); index++) {
    const core = tenant.issueCore(index);
    issues.push({
      index,
      id: tenant.id('issue', index),
      severity: core.severity,
      type: core.type,
      status: tenant.issueLifecycle(index, core).status,
      team: core.account.team,
      account: core.account.externalId,
      preTicket: tenant.ticketKey(index),
    });
  }
  return issues;
}

export const isOpenStatus = (status: string) => status === 'OPEN' || status === 'IN_PROGRESS';

export interface TenantVuln {
  index: number;
  cve: string;
  severity: string;
  host: number;
  team: string;
  open: boolean;
  qualys: boolean;
}

export function tenantVulns(tenant: DemoTenant): TenantVuln[] {
  const vulns: TenantVuln[] = [];
  for (let index = 0; index < tenant.count('vuln'); index++) {
    const host = tenant.host(tenant.hostOfVuln(index));
    const row = cveRow(tenant.cveOfVuln(index, host));
    vulns.push({
      index,
      cve: row[0],
      severity: severityFromCvss(row[1]),
      host: host.index,
      team: host.account.team,
      open: tenant.vulnLifecycle(index).status !== 'RESOLVED',
      qualys: host.qualys !== undefined,
    });
  }
  return vulns;
}

/** Counts of each value. */
export function tally(values: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Values that appear more than once. */
export function duplicates(values: readonly string[]): string[] {
  return [...tally(values).entries()].filter(([, n]) => n > 1).map(([value]) => value);
}
