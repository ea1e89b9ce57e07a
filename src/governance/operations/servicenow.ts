import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { defineOperations } from '../catalog.js';

// Seed declarations; the ServiceNow connector issue moves this file next to the connector.
export const servicenowOperations = defineOperations('servicenow', [
  {
    name: 'incidents:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Create a ServiceNow incident',
    params: z.looseObject({
      shortDescription: z.string().min(1),
      description: z.string().optional(),
      urgency: z.enum(['1', '2', '3']).optional(),
      impact: z.enum(['1', '2', '3']).optional(),
      assignmentGroup: z.string().optional(),
      correlationId: z.string().min(1),
    }),
    idempotencyKey: (p) => `servicenow:create:${p.correlationId}`,
  },
  {
    name: 'incidents:update',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Update a ServiceNow incident',
    params: z.looseObject({ sysId: z.string().min(1), fields: z.record(z.string(), z.unknown()) }),
    idempotencyKey: (p) => `servicenow:update:${p.sysId}:${hashOf(p.fields).slice(0, 16)}`,
  },
  {
    name: 'incidents:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Look up ServiceNow incidents (by correlation id or query)',
    params: z.looseObject({
      correlationId: z.string().optional(),
      query: z.string().optional(),
      limit: z.number().int().positive().optional(),
    }),
  },
]);
