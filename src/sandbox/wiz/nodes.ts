import { cveRow, type Host, packageFor, severityFromCvss } from '../tenant/hosts.js';
import type { Lifecycle } from '../tenant/lifecycle.js';
import { type MisconfigCore, resourceFor } from '../tenant/misconfig.js';
import type { DemoTenant, IssueNote } from '../tenant/tenant.js';
import type { CloudAccount, WizProject } from '../tenant/types.js';

/** Builds the GraphQL objects Wiz returns, from the tenant's computed facts. Times become ISO strings. */

const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export interface IssueFacts {
  index: number;
  core: MisconfigCore;
  created: number;
  lifecycle: Lifecycle;
}

export function projectNode(project: WizProject | undefined) {
  if (!project) return [];
  return [
    {
      id: project.id,
      name: project.name,
      slug: project.slug,
      businessUnit: project.businessUnit,
      riskProfile: { businessImpact: project.businessImpact },
    },
  ];
}

function subscriptionOf(account: CloudAccount) {
  return {
    subscriptionExternalId: account.externalId,
    subscriptionName: account.name,
    subscriptionTags: account.tags,
  };
}

function sourceRuleNode(core: MisconfigCore) {
  const rule = core.rule;
  if (rule.kind === 'Control') {
    return {
      __typename: 'Control',
      id: rule.id,
      name: rule.name,
      description: `${rule.name}: found by combining ${rule.checkId} with exposure and identity context.`,
      resolutionRecommendation: `Fix ${rule.checkId} on the resource first; it breaks the combination.`,
    };
  }
  if (rule.kind === 'CloudEventRule') {
    return {
      __typename: 'CloudEventRule',
      id: rule.id,
      name: rule.name,
      description: `${rule.name} (detected from ${rule.sourceType} events).`,
      sourceType: rule.sourceType,
      type: 'DETECTION',
    };
  }
  return cloudConfigurationRuleNode(rule.id, rule.name, rule.serviceType);
}

export function cloudConfigurationRuleNode(id: string, name: string, serviceType: string) {
  return {
    __typename: 'CloudConfigurationRule',
    id,
    graphId: id,
    name,
    description: `Checks that: ${name}.`,
    remediationInstructions: `Change the ${serviceType} resource configuration so that: ${name}.`,
    serviceType,
  };
}

function noteNode(note: IssueNote) {
  return {
    id: note.id,
    createdAt: iso(note.createdAt),
    updatedAt: iso(note.updatedAt),
    text: note.text,
    user: note.author.serviceAccount
      ? null
      : { id: note.author.email, name: note.author.name, email: note.author.email },
    serviceAccount: note.author.serviceAccount
      ? { id: `sa-${note.author.name}`, name: note.author.name }
      : null,
  };
}

export function issueNode(tenant: DemoTenant, facts: IssueFacts) {
  const { index, core, created, lifecycle } = facts;
  const resource = resourceFor(core, tenant.id('resource', index));
  const ticket = tenant.ticketKey(index);
  const ticketNotes: IssueNote[] = ticket
    ? [
        {
          id: tenant.id('note', 10_000_000 + index),
          createdAt: created + 3_600_000,
          updatedAt: created + 3_600_000,
          text: `Jira ${ticket} created`,
          author: { name: 'jira-integration', email: null, serviceAccount: true },
        },
      ]
    : [];
  const changed = tenant.lastChangeAt(index);
  return {
    id: tenant.id('issue', index),
    sourceRule: sourceRuleNode(core),
    type: core.type,
    createdAt: iso(created),
    updatedAt: iso(Math.max(lifecycle.statusChangedAt, changed ?? 0)),
    statusChangedAt: iso(lifecycle.statusChangedAt),
    dueAt: iso(tenant.dueAt(index, created)),
    resolvedAt: iso(lifecycle.resolvedAt),
    status: lifecycle.status,
    severity: core.severity,
    resolutionReason: lifecycle.resolutionReason,
    projects: projectNode(tenant.project(core.account.projectId)),
    entitySnapshot: {
      id: resource.id,
      type: resource.type,
      nativeType: resource.nativeType,
      name: resource.name,
      status: 'Active',
      cloudPlatform: core.account.provider,
      cloudProviderURL: resource.cloudProviderURL,
      providerId: resource.providerId,
      region: resource.region,
      resourceGroupExternalId: core.account.provider === 'Azure' ? `rg-${core.account.name}` : null,
      ...subscriptionOf(core.account),
      tags: { owner: core.account.team, env: core.account.environment },
      externalId: resource.providerId,
    },
    serviceTickets: ticket
      ? [{ externalId: ticket, name: ticket, url: `${tenant.jiraBaseUrl}/browse/${ticket}` }]
      : [],
    notes: [...ticketNotes, ...tenant.notes(index)].map(noteNode),
  };
}

export interface VulnFacts {
  index: number;
  host: Host;
  cveIndex: number;
  created: number;
  lifecycle: Lifecycle;
}

export function vulnerabilityNode(tenant: DemoTenant, facts: VulnFacts) {
  const { index, host, cveIndex, created, lifecycle } = facts;
  const row = cveRow(cveIndex);
  const [cve, cvss, epss, percentile, vendor, product, name] = row;
  const pkg = packageFor(tenant.seed, index, row);
  const id = tenant.id('vuln', index);
  const severity = severityFromCvss(cvss);
  return {
    id,
    portalUrl: `https://app.wiz.io/explorer/vulnerability-findings#~(entity~'${id})`,
    name: cve,
    CVEDescription: `${name} in ${vendor} ${product}.`,
    CVSSSeverity: severity,
    score: cvss,
    exploitabilityScore: null,
    impactScore: null,
    hasExploit: true,
    hasCisaKevExploit: true,
    status: lifecycle.status === 'RESOLVED' ? 'RESOLVED' : 'OPEN',
    vendorSeverity: severity,
    firstDetectedAt: iso(created),
    lastDetectedAt: iso(lifecycle.lastSeenAt),
    resolvedAt: iso(lifecycle.resolvedAt),
    description: `${vendor} ${product} ${pkg.version} is affected by ${cve}.`,
    remediation: pkg.fixedVersion
      ? `Update ${pkg.name} to ${pkg.fixedVersion} or later.`
      : 'No fix is available yet.',
    detailedName: pkg.name,
    version: pkg.version,
    fixedVersion: pkg.fixedVersion,
    detectionMethod: 'PACKAGE',
    link: `https://nvd.nist.gov/vuln/detail/${cve}`,
    locationPath: host.os === 'windows' ? `C:\\Program Files\\${product}` : `/usr/lib/${pkg.name}`,
    resolutionReason: lifecycle.status === 'RESOLVED' ? 'ISSUE_FIXED' : null,
    epssSeverity: epss >= 0.5 ? 'HIGH' : epss >= 0.1 ? 'MEDIUM' : 'LOW',
    epssPercentile: percentile * 100,
    epssProbability: epss,
    projects: projectNode(tenant.project(host.account.projectId)),
    vulnerableAsset: {
      __typename: 'VulnerableAssetVirtualMachine',
      id: tenant.id('host', host.index),
      type: 'VIRTUAL_MACHINE',
      name: host.name,
      region: host.region,
      providerUniqueId: host.providerId,
      cloudProviderURL: null,
      cloudPlatform: host.account.provider,
      status: 'Active',
      subscriptionName: host.account.name,
      subscriptionExternalId: host.account.externalId,
      subscriptionId: host.account.externalId,
      tags: { team: host.account.team, env: host.account.environment },
      hasLimitedInternetExposure: host.index % 5 === 1,
      hasWideInternetExposure: host.index % 7 === 0,
      operatingSystem: host.os === 'windows' ? 'Windows' : 'Linux',
      ipAddresses: [host.ip],
      hostname: host.hostname,
    },
  };
}

export function configurationFindingNode(tenant: DemoTenant, facts: IssueFacts) {
  const { index, core, created, lifecycle } = facts;
  const resource = resourceFor(core, tenant.id('resource', index));
  const rule = core.rule.kind === 'CloudConfigurationRule' ? core.rule : undefined;
  return {
    id: tenant.id('configFinding', index),
    firstSeenAt: iso(created),
    analyzedAt: iso(lifecycle.lastSeenAt),
    severity: core.severity,
    result: lifecycle.status === 'RESOLVED' ? 'PASS' : 'FAIL',
    status: lifecycle.status,
    remediation: rule ? `Change the ${rule.serviceType} configuration so that: ${rule.name}.` : null,
    resource: {
      id: resource.id,
      name: resource.name,
      type: resource.type,
      nativeType: resource.nativeType,
      region: resource.region,
      providerId: resource.providerId,
      subscription: {
        id: core.account.externalId,
        name: core.account.name,
        externalId: core.account.externalId,
        cloudProvider: core.account.provider,
      },
      projects: projectNode(tenant.project(core.account.projectId)),
    },
    rule: rule ? cloudConfigurationRuleNode(rule.id, rule.name, rule.serviceType) : null,
  };
}
