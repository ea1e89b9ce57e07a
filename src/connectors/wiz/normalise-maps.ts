import type { CloudProvider, FindingStatus, Severity } from '../../core/finding/model.js';

/**
 * Wiz vocabularies mapped onto the finding model, as data. Enum values are those of api-contracts §1.2–1.4
 * (issue status and severity filters, vulnerability status, configuration `result`).
 */

export const WIZ_SEVERITY: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MEDIUM: 'medium',
  LOW: 'low',
  INFORMATIONAL: 'informational',
  INFO: 'informational',
  NONE: 'informational',
};

export const WIZ_ISSUE_STATUS: Record<string, FindingStatus> = {
  OPEN: 'new',
  IN_PROGRESS: 'in_progress',
  RESOLVED: 'resolved',
  // a rejected issue is a decision not to fix (false positive, exception, won't fix): suppressed, not fixed
  REJECTED: 'suppressed',
};

export const WIZ_VULNERABILITY_STATUS: Record<string, FindingStatus> = {
  OPEN: 'new',
  IN_PROGRESS: 'in_progress',
  RESOLVED: 'resolved',
  REJECTED: 'suppressed',
  IGNORED: 'suppressed',
};

/** Configuration rule results that are findings. ERROR / NOT_ASSESSED say nothing about the resource. */
export const WIZ_CONFIG_RESULT: Record<string, FindingStatus> = {
  FAIL: 'new',
  PASS: 'resolved',
};

/** Wiz `cloudPlatform` (compared lower-case); managed Kubernetes flavours are Kubernetes resources. */
export const WIZ_CLOUD_PLATFORM: Record<string, CloudProvider> = {
  aws: 'aws',
  azure: 'azure',
  gcp: 'gcp',
  oci: 'oci',
  alibaba: 'alibaba',
  kubernetes: 'kubernetes',
  eks: 'kubernetes',
  aks: 'kubernetes',
  gke: 'kubernetes',
  openshift: 'kubernetes',
  oke: 'kubernetes',
};

export function cloudProviderOf(platform: string | undefined): CloudProvider | undefined {
  if (!platform) return undefined;
  return WIZ_CLOUD_PLATFORM[platform.trim().toLowerCase()] ?? 'other';
}

/**
 * Wiz graph entity types → resource types the finding key understands (ASFF names for AWS, so an ARN and a
 * bare name of the same bucket agree). Types not listed become `<Provider><PascalCaseType>`.
 */
export const WIZ_RESOURCE_TYPES: Record<string, Partial<Record<CloudProvider, string>>> = {
  BUCKET: { aws: 'AwsS3Bucket', azure: 'AzureStorageContainer', gcp: 'GcpStorageBucket' },
  VIRTUAL_MACHINE: { aws: 'AwsEc2Instance', azure: 'AzureVirtualMachine', gcp: 'GcpComputeInstance' },
  SECURITY_GROUP: { aws: 'AwsEc2SecurityGroup', azure: 'AzureNetworkSecurityGroup', gcp: 'GcpFirewall' },
  FIREWALL: { aws: 'AwsEc2SecurityGroup', azure: 'AzureNetworkSecurityGroup', gcp: 'GcpFirewall' },
  ACCESS_ROLE: { aws: 'AwsIamRole' },
  SERVICE_ACCOUNT: { aws: 'AwsIamRole', gcp: 'GcpServiceAccount' },
  USER_ACCOUNT: { aws: 'AwsIamUser' },
  ACCESS_KEY: { aws: 'AwsIamAccessKey' },
  SERVERLESS: { aws: 'AwsLambdaFunction', azure: 'AzureFunctionApp', gcp: 'GcpCloudFunction' },
  DATABASE: { aws: 'AwsRdsDbInstance', azure: 'AzureSqlDatabase', gcp: 'GcpCloudSqlInstance' },
  DB_SERVER: { aws: 'AwsRdsDbInstance', azure: 'AzureSqlServer', gcp: 'GcpCloudSqlInstance' },
  ENCRYPTION_KEY: { aws: 'AwsKmsKey', azure: 'AzureKeyVaultKey', gcp: 'GcpKmsKey' },
  KUBERNETES_CLUSTER: { aws: 'AwsEksCluster', azure: 'AzureAksCluster', gcp: 'GcpGkeCluster' },
  CONTAINER_IMAGE: { aws: 'AwsEcrContainerImage' },
  SECRET: { aws: 'AwsSecretsManagerSecret' },
  VOLUME: { aws: 'AwsEc2Volume' },
  VPC: { aws: 'AwsEc2Vpc' },
  SUBNET: { aws: 'AwsEc2Subnet' },
  NETWORK_INTERFACE: { aws: 'AwsEc2NetworkInterface' },
};

export function resourceTypeOf(wizType: string, provider: CloudProvider | undefined): string {
  const mapped = provider ? WIZ_RESOURCE_TYPES[wizType.toUpperCase()]?.[provider] : undefined;
  if (mapped) return mapped;
  const pascal = wizType
    .toLowerCase()
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');
  const prefix = provider && provider !== 'other' ? provider[0]!.toUpperCase() + provider.slice(1) : '';
  return `${prefix}${pascal}` || 'Resource';
}

/** Wiz project `riskProfile.businessImpact` → resource criticality (1 low … 5 crown jewel). */
export const WIZ_BUSINESS_IMPACT: Record<string, number> = { HBI: 5, MBI: 3, LBI: 1 };

/** Which system a Wiz service ticket lives in, from its URL. */
const TICKET_SYSTEMS: Array<[RegExp, string]> = [
  [/atlassian\.net|\/browse\/[A-Z][A-Z0-9]+-\d+/i, 'jira'],
  [/service-now\.com|servicenow/i, 'servicenow'],
  [/pagerduty\.com/i, 'pagerduty'],
  [/slack\.com/i, 'slack'],
];

export function ticketSystemOf(url: string | undefined): string {
  if (!url) return 'external';
  return TICKET_SYSTEMS.find(([pattern]) => pattern.test(url))?.[1] ?? 'external';
}

/** CVSS v3 qualitative bands, for a vulnerability whose record carries a score but no severity word. */
export function severityFromCvss(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'informational';
}
