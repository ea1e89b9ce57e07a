import { compact } from '../../core/compact.js';
import { isArxError } from '../../core/errors.js';
import { findingKey } from '../../core/finding/fingerprint.js';
import type { FindingClass, FindingInput, FindingSource, Resource } from '../../core/finding/model.js';
import {
  type AccountFacts,
  enrichVulnerability,
  environmentOf,
  flattenTags,
  isoTime,
  type NormaliseContext,
  ownerOf,
} from '../normalise/context.js';
import { accept, type NormaliseResult, quarantine, quarantineFromZod } from '../normalise/result.js';
import {
  cloudProviderOf,
  resourceTypeOf,
  severityFromCvss,
  ticketSystemOf,
  WIZ_BUSINESS_IMPACT,
  WIZ_CONFIG_RESULT,
  WIZ_ISSUE_STATUS,
  WIZ_SEVERITY,
  WIZ_VULNERABILITY_STATUS,
} from './normalise-maps.js';
import {
  type Projects,
  wizConfigurationFindingSchema,
  wizIssueSchema,
  wizVulnerabilitySchema,
} from './normalise-schema.js';

/**
 * Wiz records → findings: `issuesV2` issues (control, cloud configuration, threat detection),
 * `vulnerabilityFindings` nodes and `configurationFindings` nodes, with the field shapes of api-contracts
 * §1.2–1.4. Required fields are checked (a record without them is quarantined, naming the field); optional
 * fields of an unexpected type are ignored rather than failing the record.
 */

export interface WizNormaliseContext extends NormaliseContext {
  /** Tenant portal, for issue links. */
  portalUrl?: string;
}

export const DEFAULT_WIZ_PORTAL = 'https://app.wiz.io';

function criticalityOf(list: Projects, account: AccountFacts | undefined): number | undefined {
  const fromProjects = (list ?? [])
    .map((p) => WIZ_BUSINESS_IMPACT[p.riskProfile?.businessImpact?.toUpperCase() ?? ''])
    .filter((n): n is number => n !== undefined);
  return fromProjects.length > 0 ? Math.max(...fromProjects) : account?.criticality;
}

interface ResourceParts {
  uid: string;
  wizType: string;
  platform?: string | null;
  name?: string | null;
  region?: string | null;
  account?: string | null;
  accountName?: string | null;
  tags: Record<string, string>;
  projects: Projects;
  internetExposed?: boolean;
  ip?: string;
}

function buildResource(parts: ResourceParts, ctx: NormaliseContext): Resource {
  const provider = cloudProviderOf(parts.platform ?? undefined);
  const account = parts.account ? ctx.accounts?.[parts.account] : undefined;
  return compact({
    uid: parts.uid,
    type: resourceTypeOf(parts.wizType, provider),
    name: parts.name ?? undefined,
    region: parts.region ?? undefined,
    cloud_provider: provider,
    account_uid: parts.account ?? undefined,
    account_name: parts.accountName ?? account?.name,
    tags: parts.tags,
    environment: environmentOf(parts.tags, account),
    owner: ownerOf(parts.tags, account),
    internet_exposed: parts.internetExposed,
    criticality: criticalityOf(parts.projects, account),
    ip: parts.ip,
  }) as Resource;
}

/** findingKey throws on an unusable subject; that is a property of the record, so it is quarantined. */
function keyed(build: () => FindingInput, raw: unknown, path: string): NormaliseResult {
  try {
    return accept(build(), raw);
  } catch (err) {
    if (isArxError(err) && err.code === 'finding_key_invalid') return quarantine(err.message, path, raw);
    throw err;
  }
}

function tickets(raw: unknown[] | null | undefined): FindingSource['tickets'] {
  const out: FindingSource['tickets'] = [];
  for (const item of raw ?? []) {
    if (!item || typeof item !== 'object') continue;
    const { externalId, name, url } = item as Record<string, unknown>;
    const key =
      typeof externalId === 'string' && externalId ? externalId : typeof name === 'string' ? name : '';
    if (!key) continue;
    const link = typeof url === 'string' && url ? url : undefined;
    out.push(compact({ system: ticketSystemOf(link), key, url: link }));
  }
  return out;
}

/**
 * Which Wiz feed an issue belongs to: a cloud-configuration issue is the same posture finding as the rule
 * result `configurationFindings` reports, so it carries that product name (workflows scope by it).
 */
function issueProduct(detection: boolean, ruleType: string | null | undefined): string {
  if (detection) return 'Wiz Threat Detection';
  return ruleType === 'CloudConfigurationRule' ? 'Wiz Cloud Configuration' : 'Wiz Issues';
}

/** A Wiz `issuesV2` node (§1.2). Threat-detection issues are Detection Findings, the rest Compliance. */
export function normaliseWizIssue(raw: unknown, ctx: WizNormaliseContext = {}): NormaliseResult {
  const parsed = wizIssueSchema.safeParse(raw);
  if (!parsed.success) return quarantineFromZod(parsed.error, raw);
  const issue = parsed.data;
  const snap = issue.entitySnapshot;
  const uid = snap.providerId || snap.externalId || snap.id;
  if (!uid) {
    return quarantine(
      'entitySnapshot has no providerId, externalId or id to identify the resource',
      'entitySnapshot.providerId',
      raw,
    );
  }
  const rule = issue.sourceRule;
  const detection = issue.type?.toUpperCase() === 'THREAT_DETECTION' || rule.__typename === 'CloudEventRule';
  const cls: FindingClass = detection ? 'detection' : 'compliance';
  const tags = { ...flattenTags(snap.subscriptionTags), ...flattenTags(snap.tags) };
  const resource = buildResource(
    {
      uid,
      wizType: snap.type,
      platform: snap.cloudPlatform,
      name: snap.name,
      region: snap.region,
      account: snap.subscriptionExternalId,
      accountName: snap.subscriptionName,
      tags,
      projects: issue.projects,
    },
    ctx,
  );
  const created = isoTime(issue.createdAt)!;
  const portal = (ctx.portalUrl ?? DEFAULT_WIZ_PORTAL).replace(/\/+$/, '');
  const desc =
    rule.controlDescription ?? rule.cloudEventRuleDescription ?? rule.cloudConfigurationRuleDescription;
  const fix = rule.resolutionRecommendation ?? rule.remediationInstructions;
  return keyed(
    () => ({
      finding_key: findingKey({ resource, rule: rule.id }),
      class: cls,
      title: rule.name || `Wiz ${issue.type ?? 'issue'} ${rule.id}`,
      desc: desc ?? undefined,
      severity: WIZ_SEVERITY[issue.severity]!,
      status: WIZ_ISSUE_STATUS[issue.status]!,
      resource,
      // The model has no detection object yet: the rule that fired is kept as the control, so the key can be
      // recomputed from the finding alone.
      compliance: { control: rule.id, control_name: rule.name ?? undefined },
      sources: [
        compact({
          vendor: 'wiz',
          product: issueProduct(detection, rule.__typename),
          uid: issue.id,
          url: `${portal}/issues#~(issue~'${issue.id})`,
          tickets: tickets(issue.serviceTickets),
          first_seen_time: created,
          last_seen_time: isoTime(issue.updatedAt) ?? created,
        }),
      ],
      first_seen_time: created,
      last_seen_time: isoTime(issue.updatedAt) ?? created,
      remediation: fix ? { desc: fix, references: [] } : undefined,
    }),
    raw,
    'sourceRule.id',
  );
}

/** A Wiz `vulnerabilityFindings` node (§1.3): one CVE on one asset. */
export function normaliseWizVulnerability(raw: unknown, ctx: WizNormaliseContext = {}): NormaliseResult {
  const parsed = wizVulnerabilitySchema.safeParse(raw);
  if (!parsed.success) return quarantineFromZod(parsed.error, raw);
  const node = parsed.data;
  const asset = node.vulnerableAsset;
  const uid = asset.providerUniqueId || asset.id;
  if (!uid) {
    return quarantine(
      'vulnerableAsset has no providerUniqueId or id to identify the asset',
      'vulnerableAsset.providerUniqueId',
      raw,
    );
  }
  const severityWord = (node.vendorSeverity ?? node.CVSSSeverity)?.toUpperCase();
  const severity =
    (severityWord ? WIZ_SEVERITY[severityWord] : undefined) ??
    (node.score !== undefined && node.score !== null ? severityFromCvss(node.score) : undefined);
  if (!severity) {
    const path = severityWord ? 'vendorSeverity' : 'CVSSSeverity';
    const why = severityWord
      ? `"${severityWord}" is not a Wiz severity`
      : 'no vendorSeverity, CVSSSeverity or score';
    return quarantine(`${path}: ${why}`, path, raw);
  }
  const exposure = [asset.hasWideInternetExposure, asset.hasLimitedInternetExposure];
  const cve = node.name.toUpperCase();
  const resource = buildResource(
    {
      uid,
      wizType: asset.type,
      platform: asset.cloudPlatform,
      name: asset.name,
      region: asset.region,
      account: asset.subscriptionExternalId,
      accountName: asset.subscriptionName,
      tags: flattenTags(asset.tags),
      projects: node.projects,
      internetExposed: exposure.some((e) => typeof e === 'boolean')
        ? exposure.some((e) => e === true)
        : undefined,
      ip: asset.ipAddresses?.find((ip) => ip.trim() !== ''),
    },
    ctx,
  );
  const first = isoTime(node.firstDetectedAt)!;
  const last = isoTime(node.lastDetectedAt) ?? first;
  const pkg = node.detailedName ?? undefined;
  const vulnerability = enrichVulnerability(
    compact({
      cve_uid: cve,
      title: node.CVEDescription?.split('\n')[0]?.slice(0, 200) || undefined,
      cvss_score: node.score ?? undefined,
      epss_score: node.epssProbability ?? undefined,
      // Wiz may report the percentile as 0–100; the model wants 0–1
      epss_percentile:
        node.epssPercentile === null || node.epssPercentile === undefined
          ? undefined
          : node.epssPercentile > 1
            ? node.epssPercentile / 100
            : node.epssPercentile,
      is_fix_available: node.fixedVersion ? true : undefined,
      packages: pkg
        ? [
            compact({
              name: pkg,
              version: node.version ?? undefined,
              fixed_version: node.fixedVersion ?? undefined,
            }),
          ]
        : [],
      vendor_uid: node.id,
    }),
    ctx.lookup,
  );
  return keyed(
    () => ({
      finding_key: findingKey({ resource, cve }),
      class: 'vulnerability',
      title: pkg ? `${cve} in ${pkg}${node.version ? ` ${node.version}` : ''}` : cve,
      desc: node.CVEDescription ?? node.description ?? undefined,
      severity,
      status: WIZ_VULNERABILITY_STATUS[node.status]!,
      resource,
      vulnerability,
      sources: [
        compact({
          vendor: 'wiz',
          product: 'Wiz Vulnerability Findings',
          uid: node.id,
          url: node.portalUrl ?? undefined,
          tickets: [],
          first_seen_time: first,
          last_seen_time: last,
        }),
      ],
      first_seen_time: first,
      last_seen_time: last,
      remediation: node.remediation ? { desc: node.remediation, references: [] } : undefined,
    }),
    raw,
    'name',
  );
}

/** A Wiz `configurationFindings` node (§1.4): one cloud configuration rule on one resource. */
export function normaliseWizConfigurationFinding(
  raw: unknown,
  ctx: WizNormaliseContext = {},
): NormaliseResult {
  const parsed = wizConfigurationFindingSchema.safeParse(raw);
  if (!parsed.success) return quarantineFromZod(parsed.error, raw);
  const node = parsed.data;
  const sub = node.resource.subscription;
  const resource = buildResource(
    {
      uid: node.resource.providerId || node.resource.id,
      wizType: node.resource.type,
      platform: sub?.cloudProvider,
      name: node.resource.name,
      region: node.resource.region,
      account: sub?.externalId,
      accountName: sub?.name,
      tags: flattenTags(node.resource.tags),
      projects: node.resource.projects,
    },
    ctx,
  );
  const first = isoTime(node.firstSeenAt)!;
  const last = isoTime(node.analyzedAt) ?? first;
  const fix = node.remediation ?? node.rule.remediationInstructions;
  return keyed(
    () => ({
      finding_key: findingKey({ resource, rule: node.rule.id }),
      class: 'compliance',
      title: node.rule.name || `Wiz configuration rule ${node.rule.id}`,
      desc: node.rule.description ?? undefined,
      severity: WIZ_SEVERITY[node.severity]!,
      status: WIZ_CONFIG_RESULT[node.result]!,
      resource,
      compliance: { control: node.rule.id, control_name: node.rule.name ?? undefined },
      sources: [
        {
          vendor: 'wiz',
          product: 'Wiz Cloud Configuration',
          uid: node.id,
          tickets: [],
          first_seen_time: first,
          last_seen_time: last,
        },
      ],
      first_seen_time: first,
      last_seen_time: last,
      remediation: fix ? { desc: fix, references: [] } : undefined,
    }),
    raw,
    'rule.id',
  );
}

export type WizRecordKind = 'issue' | 'vulnerability' | 'configuration';

export const WIZ_NORMALISERS: Record<
  WizRecordKind,
  (raw: unknown, ctx?: WizNormaliseContext) => NormaliseResult
> = {
  issue: normaliseWizIssue,
  vulnerability: normaliseWizVulnerability,
  configuration: normaliseWizConfigurationFinding,
};

/** Which kind of Wiz record a bare node is, from the fields only that kind has. */
export function wizRecordKind(node: unknown): WizRecordKind | undefined {
  if (!node || typeof node !== 'object') return undefined;
  const has = (key: string) => key in node;
  if (has('sourceRule') || has('entitySnapshot')) return 'issue';
  if (has('vulnerableAsset') || has('CVSSSeverity') || has('vendorSeverity')) return 'vulnerability';
  if (has('rule') && has('result')) return 'configuration';
  return undefined;
}
