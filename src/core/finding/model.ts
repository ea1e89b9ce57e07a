import { z } from 'zod';

/**
 * The normalised finding. Field names follow OCSF 1.x finding classes (Vulnerability Finding 2002,
 * Compliance Finding 2003, Detection Finding 2004) in snake_case, flattened where OCSF nests for transport.
 */

export const FINDING_CLASSES = {
  vulnerability: { class_uid: 2002, class_name: 'Vulnerability Finding' },
  compliance: { class_uid: 2003, class_name: 'Compliance Finding' },
  detection: { class_uid: 2004, class_name: 'Detection Finding' },
} as const;
export type FindingClass = keyof typeof FINDING_CLASSES;

/** OCSF severity_id values. */
export const SEVERITIES = { informational: 1, low: 2, medium: 3, high: 4, critical: 5 } as const;
export type Severity = keyof typeof SEVERITIES;
export const severitySchema = z.enum(['informational', 'low', 'medium', 'high', 'critical']);

/** OCSF status_id values for findings. */
export const STATUSES = { new: 1, in_progress: 2, suppressed: 3, resolved: 4 } as const;
export type FindingStatus = keyof typeof STATUSES;
export const statusSchema = z.enum(['new', 'in_progress', 'suppressed', 'resolved']);

export const cloudProviderSchema = z.enum([
  'aws',
  'azure',
  'gcp',
  'oci',
  'alibaba',
  'kubernetes',
  'on_prem',
  'other',
]);
export type CloudProvider = z.infer<typeof cloudProviderSchema>;

export const resourceSchema = z.object({
  /** Provider id of the resource (ARN, Azure resource id, GCP full name, hostname or IP for hosts). */
  uid: z.string().min(1),
  /** Resource type, e.g. `AwsS3Bucket`, `AwsEc2Instance`, `Host`. */
  type: z.string().min(1),
  name: z.string().optional(),
  region: z.string().optional(),
  cloud_provider: cloudProviderSchema.optional(),
  account_uid: z.string().optional(),
  account_name: z.string().optional(),
  tags: z.record(z.string(), z.string()).default({}),
  /** prod, staging, dev, ... from tags or the account map. */
  environment: z.string().optional(),
  owner: z.string().optional(),
  internet_exposed: z.boolean().optional(),
  /** Business criticality of the asset, when known (1 low … 5 crown jewel). */
  criticality: z.number().int().min(1).max(5).optional(),
  ip: z.string().optional(),
  hostname: z.string().optional(),
});
export type Resource = z.infer<typeof resourceSchema>;

export const kevSchema = z.object({
  date_added: z.string(),
  due_date: z.string().optional(),
  known_ransomware_use: z.boolean(),
});

export const vulnerabilitySchema = z.object({
  cve_uid: z.string().regex(/^CVE-\d{4}-\d{4,}$/),
  title: z.string().optional(),
  cvss_score: z.number().min(0).max(10).optional(),
  cvss_vector: z.string().optional(),
  cvss_version: z.string().optional(),
  epss_score: z.number().min(0).max(1).optional(),
  epss_percentile: z.number().min(0).max(1).optional(),
  kev: kevSchema.optional(),
  is_fix_available: z.boolean().optional(),
  packages: z
    .array(
      z.object({ name: z.string(), version: z.string().optional(), fixed_version: z.string().optional() }),
    )
    .default([]),
  /** Scanner-specific id of the detection (Qualys QID, Wiz vulnerability id). */
  vendor_uid: z.string().optional(),
});
export type Vulnerability = z.infer<typeof vulnerabilitySchema>;

export const complianceSchema = z.object({
  /** The rule or control that failed: a check id (`s3_bucket_public_access`) or a vendor control id. */
  control: z.string().min(1),
  control_name: z.string().optional(),
  standards: z.array(z.string()).default([]),
  requirements: z.array(z.string()).default([]),
});
export type Compliance = z.infer<typeof complianceSchema>;

export const sourceSchema = z.object({
  vendor: z.string().min(1),
  /** The id the source gives this record (Wiz issue id, Qualys host+QID, ...). */
  uid: z.string().min(1),
  url: z.string().optional(),
  product: z.string().optional(),
  /** Tickets the source already knows about (Wiz serviceTickets). */
  tickets: z.array(z.object({ system: z.string(), key: z.string(), url: z.string().optional() })).default([]),
  first_seen_time: z.string().optional(),
  last_seen_time: z.string().optional(),
});
export type FindingSource = z.infer<typeof sourceSchema>;

export const priorityFactorSchema = z.object({
  name: z.string(),
  /** The input value as seen (e.g. 0.94 for EPSS, true for KEV). */
  value: z.union([z.string(), z.number(), z.boolean(), z.null()]),
  /** Points this factor added to the score. */
  points: z.number(),
  reason: z.string(),
});
export type PriorityFactor = z.infer<typeof priorityFactorSchema>;

export const prioritySchema = z.object({
  score: z.number().min(0).max(100),
  /** P1 … P4 bucket derived from the score. */
  label: z.enum(['P1', 'P2', 'P3', 'P4']),
  version: z.string(),
  factors: z.array(priorityFactorSchema),
});
export type Priority = z.infer<typeof prioritySchema>;

export const findingSchema = z.object({
  finding_key: z.string().min(1),
  class: z.enum(['vulnerability', 'compliance', 'detection']),
  title: z.string().min(1),
  desc: z.string().optional(),
  severity: severitySchema,
  status: statusSchema,
  resource: resourceSchema,
  vulnerability: vulnerabilitySchema.optional(),
  compliance: complianceSchema.optional(),
  sources: z.array(sourceSchema).min(1),
  first_seen_time: z.string(),
  last_seen_time: z.string(),
  remediation: z.object({ desc: z.string(), references: z.array(z.string()).default([]) }).optional(),
  priority: prioritySchema.optional(),
});
export type Finding = z.infer<typeof findingSchema>;
export type FindingInput = z.input<typeof findingSchema>;

/** OCSF class_uid / severity_id / status_id for export. */
export function ocsfIds(finding: Pick<Finding, 'class' | 'severity' | 'status'>) {
  return {
    ...FINDING_CLASSES[finding.class],
    severity_id: SEVERITIES[finding.severity],
    status_id: STATUSES[finding.status],
  };
}
