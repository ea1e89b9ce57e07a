import { z } from 'zod';
import { defineOperations } from '../../governance/catalog.js';

/**
 * Qualys VMDR operations as catalog data (ids stable since the governance seed). Both are reads: one page
 * of host detections per call (following the WARNING/URL scheme), and a batch of KnowledgeBase QIDs.
 */
export const QUALYS_DETECTION_STATUSES = ['New', 'Active', 'Re-Opened', 'Fixed'] as const;

/** Hosts per page: Qualys' own default (api-contracts §5.2). */
export const QUALYS_DEFAULT_TRUNCATION = 1000;
/** QIDs per KnowledgeBase call: enough to cover a page's distinct QIDs in a call or two, short enough for a URL. */
export const QUALYS_KB_BATCH = 500;

const isoDateTime = z.iso.datetime({ offset: true });

export const vulnerabilitiesReadParams = z.looseObject({
  /** Detection severity levels 1–5. */
  severities: z.array(z.number().int().min(1).max(5)).min(1).optional(),
  status: z.array(z.enum(QUALYS_DETECTION_STATUSES)).min(1).optional(),
  /** Incremental: hosts whose VM data was processed after this (`vm_processed_after`). */
  since: isoDateTime.optional(),
  /** Hosts per page (`truncation_limit`). `limit` is accepted as an older name. */
  truncation: z.number().int().min(1).max(10_000).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  /** The `next` cursor of the previous page: the WARNING/URL Qualys returned. */
  next_url: z.string().min(1).optional(),
});
export type VulnerabilitiesReadParams = z.infer<typeof vulnerabilitiesReadParams>;

export const knowledgeBaseReadParams = z.looseObject({
  qids: z.array(z.number().int().positive()).min(1).max(QUALYS_KB_BATCH),
});
export type KnowledgeBaseReadParams = z.infer<typeof knowledgeBaseReadParams>;

export const qualysOperations = defineOperations('qualys', [
  {
    name: 'vulnerabilities:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Read one page of host vulnerability detections (VMDR Host List Detection)',
    params: vulnerabilitiesReadParams,
  },
  {
    name: 'knowledgebase:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Read QID details (title, CVEs, CVSS, solution) from the Qualys KnowledgeBase',
    params: knowledgeBaseReadParams,
  },
]);
