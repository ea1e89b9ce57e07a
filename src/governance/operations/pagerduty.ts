import { z } from 'zod';
import { defineOperations } from '../catalog.js';

// Seed declarations; the PagerDuty connector issue moves this file next to the connector.
export const pagerdutyOperations = defineOperations('pagerduty', [
  {
    name: 'incidents:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Open a PagerDuty incident (pages the on-call engineer)',
    params: z.looseObject({
      title: z.string().min(1),
      serviceId: z.string().min(1),
      urgency: z.enum(['high', 'low']).default('high'),
      incidentKey: z.string().min(1).max(255),
      details: z.string().optional(),
    }),
    idempotencyKey: (p) => `pagerduty:create:${p.incidentKey}`,
  },
  {
    name: 'incidents:resolve',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Resolve a PagerDuty incident',
    params: z.looseObject({ incidentId: z.string().min(1), resolution: z.string().optional() }),
    idempotencyKey: (p) => `pagerduty:resolve:${p.incidentId}`,
  },
  {
    name: 'incidents:list',
    verb: 'read',
    risk: 'LOW',
    description: 'List PagerDuty incidents',
    params: z.looseObject({
      statuses: z.array(z.enum(['triggered', 'acknowledged', 'resolved'])).optional(),
      incidentKey: z.string().optional(),
      limit: z.number().int().positive().optional(),
    }),
  },
  {
    name: 'events:send',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Send an Events API v2 event (trigger, acknowledge, resolve)',
    params: z.looseObject({
      action: z.enum(['trigger', 'acknowledge', 'resolve']),
      dedupKey: z.string().min(1).max(255),
      summary: z.string().max(1024).optional(),
      source: z.string().optional(),
      severity: z.enum(['critical', 'error', 'warning', 'info']).optional(),
      customDetails: z.record(z.string(), z.unknown()).optional(),
    }),
    idempotencyKey: (p) => `pagerduty:event:${p.action}:${p.dedupKey}`,
  },
]);
