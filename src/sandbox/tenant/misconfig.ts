import { AWS_CHECKS, type AwsCheckRow } from '../data/aws-checks.js';
import { AZURE_CONTROLS, GCP_CONTROLS } from '../data/cloud-controls.js';
import { pick, rngAt } from '../kit/random.js';
import { ENTITY_TYPES, REGIONS, THREAT_RULES, TOXIC_CONTROLS, WORKLOAD_NAMES } from './catalog.js';
import type { CloudAccount, CloudProvider } from './types.js';

export type Severity = 'CRITICAL' | 'HIGH' | 'MEDIUM' | 'LOW' | 'INFORMATIONAL';
export type IssueType = 'CLOUD_CONFIGURATION' | 'TOXIC_COMBINATION' | 'THREAT_DETECTION';

const RULES_BY_PROVIDER: Record<CloudProvider, readonly AwsCheckRow[]> = {
  AWS: AWS_CHECKS,
  Azure: AZURE_CONTROLS,
  GCP: GCP_CONTROLS,
};

/** The rule a misconfiguration issue comes from, in Wiz's three `sourceRule` shapes. */
export type SourceRule =
  | { kind: 'CloudConfigurationRule'; id: string; name: string; serviceType: string; resourceType: string }
  | { kind: 'Control'; id: string; name: string; checkId: string; resourceType: string }
  | { kind: 'CloudEventRule'; id: string; name: string; sourceType: string };

/** The cheap facts of misconfiguration `m`: what filters and ordering need, without building strings. */
export interface MisconfigCore {
  index: number;
  account: CloudAccount;
  type: IssueType;
  severity: Severity;
  rule: SourceRule;
  /** Random in [0,1) for the createdAt jitter. */
  jitter: number;
  /** Random stream for the remaining details (resource name, region). */
  random: () => number;
}

/** Roughly 1 in 30 issues is a threat detection and 1 in 20 a toxic combination; the rest are config. */
const THREAT_SHARE = 0.03;
const TOXIC_SHARE = 0.05;

export function misconfigCore(seed: number, accounts: readonly CloudAccount[], index: number): MisconfigCore {
  const random = rngAt(seed, 'misconfig', index);
  const account = pick(random, accounts);
  const check = pick(random, RULES_BY_PROVIDER[account.provider]);
  const roll = random();
  const jitter = random();
  const [checkId, severity, resourceType, service, title] = check;
  if (roll < THREAT_SHARE) {
    const rule = pick(random, THREAT_RULES);
    return {
      index,
      account,
      jitter,
      random,
      type: 'THREAT_DETECTION',
      severity: rule.severity,
      rule: { kind: 'CloudEventRule', id: rule.id, name: rule.name, sourceType: rule.sourceType },
    };
  }
  if (roll < THREAT_SHARE + TOXIC_SHARE) {
    const control = pick(random, TOXIC_CONTROLS);
    return {
      index,
      account,
      jitter,
      random,
      type: 'TOXIC_COMBINATION',
      severity: control.severity,
      rule: { kind: 'Control', id: control.id, name: control.name, checkId, resourceType },
    };
  }
  return {
    index,
    account,
    jitter,
    random,
    type: 'CLOUD_CONFIGURATION',
    severity: severity.toUpperCase() as Severity,
    rule: { kind: 'CloudConfigurationRule', id: checkId, name: title, serviceType: service, resourceType },
  };
}

export interface CloudResource {
  id: string;
  name: string;
  /** Wiz entity type (`BUCKET`) and the provider's native type (`s3#Bucket`). */
  type: string;
  nativeType: string;
  providerId: string;
  region: string;
  cloudProviderURL: string;
}

export function resourceFor(core: MisconfigCore, resourceId: string): CloudResource {
  const { account, random } = core;
  const resourceType =
    core.rule.kind === 'CloudEventRule' ? vmTypeFor(account.provider) : core.rule.resourceType;
  const [type, nativeType, stem] = ENTITY_TYPES[resourceType] ?? ['RESOURCE', resourceType, 'res'];
  const region = pick(random, REGIONS[account.provider]);
  const name = `${account.environment}-${pick(random, WORKLOAD_NAMES)}-${stem}-${core.index.toString(36)}`;
  const providerId = providerIdFor(account, nativeType, region, name);
  return {
    id: resourceId,
    name,
    type,
    nativeType,
    providerId,
    region,
    cloudProviderURL: consoleUrl(account, region, name),
  };
}

function vmTypeFor(provider: CloudProvider): string {
  return provider === 'AWS'
    ? 'AwsEc2Instance'
    : provider === 'Azure'
      ? 'Microsoft.Compute/virtualMachines'
      : 'compute.googleapis.com/Instance';
}

function providerIdFor(account: CloudAccount, nativeType: string, region: string, name: string): string {
  if (account.provider === 'AWS') {
    const [service, kind] = nativeType.split('#') as [string, string];
    if (service === 's3') return `arn:aws:s3:::${name}`;
    if (service === 'iam') return `arn:aws:iam::${account.externalId}:${kind.toLowerCase()}/${name}`;
    return `arn:aws:${service}:${region}:${account.externalId}:${kind.toLowerCase()}/${name}`;
  }
  if (account.provider === 'Azure') {
    return `/subscriptions/${account.externalId}/resourceGroups/rg-${account.name}/providers/${nativeType}/${name}`;
  }
  return `//${nativeType.split('#')[0]}.googleapis.com/projects/${account.externalId}/locations/${region}/${name}`;
}

function consoleUrl(account: CloudAccount, region: string, name: string): string {
  if (account.provider === 'AWS')
    return `https://${region}.console.aws.amazon.com/go/view?arn=${encodeURIComponent(name)}`;
  if (account.provider === 'Azure')
    return `https://portal.azure.com/#resource/subscriptions/${account.externalId}`;
  return `https://console.cloud.google.com/home/dashboard?project=${account.externalId}`;
}
