import { z } from 'zod';
import { isoTime } from '../normalise/context.js';
import {
  WIZ_CONFIG_RESULT,
  WIZ_ISSUE_STATUS,
  WIZ_SEVERITY,
  WIZ_VULNERABILITY_STATUS,
} from './normalise-maps.js';

/**
 * The Wiz record shapes the normalisers accept (api-contracts §1.2–1.4). Required fields are strict, so a
 * record without them is quarantined naming the field; optional fields of an unexpected type read as absent.
 */
// Optional fields degrade: a wrong type reads as absent.
const optStr = z.string().nullish().catch(undefined);
const optNum = z.number().nullish().catch(undefined);
const optBool = z.boolean().nullish().catch(undefined);
const anyValue = z.unknown().optional();
const upper = (values: readonly string[]) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? v.trim().toUpperCase() : v),
    z.enum(values as [string, ...string[]]),
  );
const timestamp = z.string().refine((v) => isoTime(v) !== undefined, 'not an ISO-8601 timestamp');

const project = z.object({
  id: optStr,
  name: optStr,
  riskProfile: z.object({ businessImpact: optStr }).nullish().catch(undefined),
});
export const projects = z.array(project).nullish().catch(undefined);

const entitySnapshot = z.object({
  id: optStr,
  type: z.string().min(1),
  nativeType: optStr,
  name: optStr,
  cloudPlatform: optStr,
  cloudProviderURL: optStr,
  providerId: optStr,
  externalId: optStr,
  region: optStr,
  subscriptionExternalId: optStr,
  subscriptionName: optStr,
  subscriptionTags: anyValue,
  tags: anyValue,
});

export const wizIssueSchema = z.object({
  id: z.string().min(1),
  sourceRule: z.object({
    __typename: optStr,
    id: z.string().min(1),
    name: optStr,
    controlDescription: optStr,
    cloudEventRuleDescription: optStr,
    cloudConfigurationRuleDescription: optStr,
    resolutionRecommendation: optStr,
    remediationInstructions: optStr,
  }),
  type: optStr,
  createdAt: timestamp,
  updatedAt: optStr,
  status: upper(Object.keys(WIZ_ISSUE_STATUS)),
  severity: upper(Object.keys(WIZ_SEVERITY)),
  projects,
  entitySnapshot,
  serviceTickets: z.array(anyValue).nullish().catch(undefined),
});

const vulnerableAsset = z.object({
  id: optStr,
  type: z.string().min(1),
  name: optStr,
  region: optStr,
  providerUniqueId: optStr,
  cloudPlatform: optStr,
  subscriptionExternalId: optStr,
  subscriptionName: optStr,
  tags: anyValue,
  hasLimitedInternetExposure: optBool,
  hasWideInternetExposure: optBool,
  ipAddresses: z.array(z.string()).nullish().catch(undefined),
  operatingSystem: optStr,
});

export const wizVulnerabilitySchema = z.object({
  id: z.string().min(1),
  name: z
    .string()
    .regex(/^CVE-\d{4}-\d{4,}$/i, 'not a CVE id (the finding model keys vulnerabilities by CVE)'),
  portalUrl: optStr,
  CVEDescription: optStr,
  description: optStr,
  CVSSSeverity: optStr,
  vendorSeverity: optStr,
  score: optNum,
  status: upper(Object.keys(WIZ_VULNERABILITY_STATUS)),
  firstDetectedAt: timestamp,
  lastDetectedAt: optStr,
  resolvedAt: optStr,
  remediation: optStr,
  detailedName: optStr,
  version: optStr,
  fixedVersion: optStr,
  epssProbability: optNum,
  epssPercentile: optNum,
  projects,
  vulnerableAsset,
});

export const wizConfigurationFindingSchema = z.object({
  id: z.string().min(1),
  firstSeenAt: timestamp,
  analyzedAt: optStr,
  severity: upper(Object.keys(WIZ_SEVERITY)),
  result: upper(Object.keys(WIZ_CONFIG_RESULT)),
  remediation: optStr,
  resource: z.object({
    id: z.string().min(1),
    providerId: optStr,
    name: optStr,
    type: z.string().min(1),
    region: optStr,
    tags: anyValue,
    subscription: z
      .object({ id: optStr, name: optStr, externalId: optStr, cloudProvider: optStr })
      .nullish()
      .catch(undefined),
    projects,
  }),
  rule: z.object({
    id: z.string().min(1),
    graphId: optStr,
    name: optStr,
    description: optStr,
    remediationInstructions: optStr,
  }),
});

export type Projects = z.infer<typeof projects>;
