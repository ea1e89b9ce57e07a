import { cveRow, packageFor, severityFromCvss } from '../tenant/hosts.js';
import { resourceFor } from '../tenant/misconfig.js';
import type { DemoTenant } from '../tenant/tenant.js';
import type { IssueFacts, VulnFacts } from './nodes.js';
import type { PageSource } from './paging.js';

/** Filters as the GraphQL layer hands them over (already validated against the schema). */
interface DateFilter {
  after?: string | null;
  before?: string | null;
}
export interface IssueFilters {
  id?: string | null;
  status?: string[] | null;
  severity?: string[] | null;
  createdAt?: DateFilter | null;
  statusChangedAt?: DateFilter | null;
  type?: string[] | null;
  relatedEntity?: { id?: string | null; type?: string[] | null } | null;
  project?: string[] | null;
}
export interface VulnerabilityFilters {
  status?: string[] | null;
  severity?: string[] | null;
  firstSeenAt?: DateFilter | null;
  resolvedAt?: DateFilter | null;
  projectIdV2?: { equals?: string[] | null } | null;
  hasFix?: boolean | null;
  hasExploit?: boolean | null;
  vulnerabilityExternalId?: string | null;
  assetId?: string | null;
}
export interface ConfigurationFilters {
  result?: string[] | null;
  severity?: string[] | null;
  firstSeenAt?: DateFilter | null;
  rule?: { id?: string[] | null } | null;
}

export const SEVERITY_RANK: Record<string, number> = {
  CRITICAL: 0,
  HIGH: 1,
  MEDIUM: 2,
  LOW: 3,
  INFORMATIONAL: 4,
};
const RANKS = 5;

function inRange(value: number | null, filter: DateFilter | null | undefined): boolean {
  if (!filter) return true;
  if (value === null) return false;
  if (filter.after && !(value > Date.parse(filter.after))) return false;
  if (filter.before && !(value < Date.parse(filter.before))) return false;
  return true;
}

const oneOf = (values: string[] | null | undefined, value: string) => !values || values.includes(value);

export function issueSource(tenant: DemoTenant, filters: IssueFilters = {}): PageSource<IssueFacts> {
  const only = filters.id ? tenant.indexOf('issue', filters.id) : undefined;
  return {
    count: filters.id && only === undefined ? 0 : tenant.count('issue'),
    ranks: RANKS,
    rank: (facts) => SEVERITY_RANK[facts.core.severity]!,
    match(index) {
      if (only !== undefined && index !== only) return undefined;
      const core = tenant.issueCore(index);
      if (!oneOf(filters.severity, core.severity) || !oneOf(filters.type, core.type)) return undefined;
      if (filters.project && !filters.project.includes(core.account.projectId)) return undefined;
      const created = tenant.createdAt('issue', index, core.jitter);
      if (!inRange(created, filters.createdAt)) return undefined;
      const lifecycle = tenant.issueLifecycle(index, core);
      if (!oneOf(filters.status, lifecycle.status)) return undefined;
      if (!inRange(lifecycle.statusChangedAt, filters.statusChangedAt)) return undefined;
      if (filters.relatedEntity) {
        const resource = resourceFor(core, tenant.id('resource', index));
        if (filters.relatedEntity.id && filters.relatedEntity.id !== resource.id) return undefined;
        if (!oneOf(filters.relatedEntity.type, resource.type)) return undefined;
      }
      return { index, core, created, lifecycle };
    },
  };
}

export function vulnerabilitySource(
  tenant: DemoTenant,
  filters: VulnerabilityFilters = {},
): PageSource<VulnFacts> {
  const projects = filters.projectIdV2?.equals;
  return {
    count: tenant.count('vuln'),
    ranks: RANKS,
    rank: (facts) => SEVERITY_RANK[severityFromCvss(cveRow(facts.cveIndex)[1])]!,
    match(index) {
      // Every CVE in the tenant is in KEV, so every finding has a known exploit.
      if (filters.hasExploit === false) return undefined;
      const host = tenant.host(tenant.hostOfVuln(index));
      if (projects && !projects.includes(host.account.projectId)) return undefined;
      if (filters.assetId && filters.assetId !== tenant.id('host', host.index)) return undefined;
      const cveIndex = tenant.cveOfVuln(index, host);
      const row = cveRow(cveIndex);
      if (filters.vulnerabilityExternalId && filters.vulnerabilityExternalId !== row[0]) return undefined;
      if (!oneOf(filters.severity, severityFromCvss(row[1]))) return undefined;
      if (
        typeof filters.hasFix === 'boolean' &&
        (packageFor(tenant.seed, index, row).fixedVersion !== null) !== filters.hasFix
      ) {
        return undefined;
      }
      const created = tenant.createdAt('vuln', index, tenant.vulnJitter(index));
      if (!inRange(created, filters.firstSeenAt)) return undefined;
      const lifecycle = tenant.vulnLifecycle(index);
      const status = lifecycle.status === 'RESOLVED' ? 'RESOLVED' : 'OPEN';
      if (!oneOf(filters.status, status) || !inRange(lifecycle.resolvedAt, filters.resolvedAt))
        return undefined;
      return { index, host, cveIndex, created, lifecycle };
    },
  };
}

/** Configuration findings are the rule results behind CLOUD_CONFIGURATION issues: FAIL while open. */
export function configurationSource(
  tenant: DemoTenant,
  filters: ConfigurationFilters = {},
): PageSource<IssueFacts> {
  return {
    count: tenant.count('issue'),
    ranks: RANKS,
    rank: (facts) => SEVERITY_RANK[facts.core.severity]!,
    match(index) {
      const core = tenant.issueCore(index);
      if (core.rule.kind !== 'CloudConfigurationRule') return undefined;
      if (!oneOf(filters.severity, core.severity) || !oneOf(filters.rule?.id, core.rule.id)) return undefined;
      const created = tenant.createdAt('issue', index, core.jitter);
      if (!inRange(created, filters.firstSeenAt)) return undefined;
      const lifecycle = tenant.issueLifecycle(index, core);
      if (!oneOf(filters.result, lifecycle.status === 'RESOLVED' ? 'PASS' : 'FAIL')) return undefined;
      return { index, core, created, lifecycle };
    },
  };
}
