import { z } from 'zod';
import { defineOperations } from '../../governance/catalog.js';

/**
 * PagerDuty operations as catalog entries. Pages are deduplicated by meaning at PagerDuty itself: the
 * event `dedup_key` and the incident `incident_key` are the finding (or CVE) key. `occurrence` lets the same
 * finding page again after its incident was resolved (a recurrence is a new effect, a retry is not).
 */
const keySchema = z.string().min(1).max(255);
const occurrence = z.string().min(1).max(100).optional();

export const eventParams = z
  .strictObject({
    action: z.enum(['trigger', 'acknowledge', 'resolve']),
    /** The finding key (or CVE key): repeated triggers fold into one open alert. */
    dedupKey: keySchema,
    summary: z.string().min(1).max(1024).optional(),
    /** Hostname, FQDN or ARN of what is affected. */
    source: z.string().min(1).max(255).optional(),
    severity: z.enum(['critical', 'error', 'warning', 'info']).optional(),
    component: z.string().max(255).optional(),
    group: z.string().max(255).optional(),
    class: z.string().max(255).optional(),
    customDetails: z.record(z.string(), z.unknown()).optional(),
    links: z
      .array(z.strictObject({ href: z.url(), text: z.string().optional() }))
      .max(10)
      .optional(),
    clientUrl: z.url().optional(),
    occurrence,
  })
  .superRefine((p, ctx) => {
    if (p.action !== 'trigger') return;
    for (const field of ['summary', 'source', 'severity'] as const) {
      if (p[field] === undefined)
        ctx.addIssue({ code: 'custom', path: [field], message: `a trigger needs ${field}` });
    }
  });
export type EventParams = z.infer<typeof eventParams>;

export const createIncidentParams = z.strictObject({
  title: z.string().min(1).max(1024),
  /** Defaults to PAGERDUTY_SERVICE_ID. */
  serviceId: z.string().min(1).optional(),
  /** Explicit urgency; otherwise high for a P1 finding (or none given), low for P2–P4. */
  urgency: z.enum(['high', 'low']).optional(),
  findingPriority: z.enum(['P1', 'P2', 'P3', 'P4']).optional(),
  /** The finding (or CVE) key: PagerDuty refuses a second open incident with the same key. */
  incidentKey: keySchema,
  details: z.string().max(10_000).optional(),
  escalationPolicyId: z.string().min(1).optional(),
  /** A PagerDuty priority object id (account-specific, e.g. P53ZZH5). */
  priorityId: z.string().min(1).optional(),
  occurrence,
});
export type CreateIncidentParams = z.infer<typeof createIncidentParams>;

export const resolveIncidentParams = z
  .strictObject({
    incidentId: z.string().min(1).optional(),
    /** Resolves the open incidents with this key instead of one by id. */
    incidentKey: keySchema.optional(),
    resolution: z.string().max(1000).optional(),
  })
  .refine((p) => (p.incidentId === undefined) !== (p.incidentKey === undefined), {
    message: 'give exactly one of incidentId or incidentKey',
  });
export type ResolveIncidentParams = z.infer<typeof resolveIncidentParams>;

export const listIncidentsParams = z.strictObject({
  statuses: z.array(z.enum(['triggered', 'acknowledged', 'resolved'])).optional(),
  incidentKey: keySchema.optional(),
  serviceIds: z.array(z.string().min(1)).optional(),
  since: z.iso.datetime({ offset: true }).optional(),
  until: z.iso.datetime({ offset: true }).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  /** The `next` of the previous page. */
  after: z.string().regex(/^\d+$/, 'the next of a previous page').optional(),
});
export type ListIncidentsParams = z.infer<typeof listIncidentsParams>;

const again = (p: { occurrence?: string | undefined }) => (p.occurrence ? `:${p.occurrence}` : '');

export const pagerdutyOperations = defineOperations('pagerduty', [
  {
    name: 'incidents:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Open a PagerDuty incident (pages the on-call engineer)',
    params: createIncidentParams,
    idempotencyKey: (p) => `pagerduty:create:${p.incidentKey}${again(p)}`,
  },
  {
    name: 'incidents:resolve',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Resolve a PagerDuty incident (by id, or the open ones with a key)',
    params: resolveIncidentParams,
    idempotencyKey: (p) =>
      p.incidentId ? `pagerduty:resolve:${p.incidentId}` : `pagerduty:resolve:key:${p.incidentKey}`,
  },
  {
    name: 'incidents:list',
    verb: 'read',
    risk: 'LOW',
    description: 'List PagerDuty incidents (one page per call)',
    params: listIncidentsParams,
  },
  {
    name: 'events:send',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Send an Events API v2 event (trigger, acknowledge, resolve) keyed by dedup_key',
    params: eventParams,
    idempotencyKey: (p) => `pagerduty:event:${p.action}:${p.dedupKey}${again(p)}`,
  },
]);
