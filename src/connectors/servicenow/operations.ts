import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { severitySchema } from '../../core/finding/model.js';
import { defineOperations } from '../../governance/catalog.js';

/**
 * ServiceNow operations as catalog entries. An incident carries the finding key as its `correlation_id`
 * (one active incident per finding); `occurrence` lets a finding that recurs after its incident was closed
 * open a new one.
 */
/** Encoded queries split on `^`; a correlation id without one can be looked up without escaping surprises. */
const correlationIdSchema = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^^]+$/, 'a correlation id without "^"');
const sysIdSchema = z.string().regex(/^[0-9a-f]{32}$/, 'a 32-character sys_id');
const level = z.enum(['1', '2', '3']);
/** Field values are strings on the wire (`"1"`, `"true"`); numbers and booleans are written as text. */
const fieldValue = z.union([z.string(), z.number(), z.boolean()]).transform(String);

export const createIncidentParams = z.strictObject({
  shortDescription: z.string().min(1).max(160),
  description: z.string().max(32_000).optional(),
  /** Sets impact and urgency (hence ITIL priority) when they are not given. */
  severity: severitySchema.optional(),
  urgency: level.optional(),
  impact: level.optional(),
  category: z.string().min(1).optional(),
  /** sys_id (or name, if the instance resolves display values) of the assignment group. */
  assignmentGroup: z.string().min(1).optional(),
  callerId: z.string().min(1).optional(),
  /** The finding key. */
  correlationId: correlationIdSchema,
  correlationDisplay: z.string().min(1).max(100).default('Arx'),
  occurrence: z.string().min(1).max(100).optional(),
});
export type CreateIncidentParams = z.infer<typeof createIncidentParams>;

export const readIncidentsParams = z.strictObject({
  correlationId: correlationIdSchema.optional(),
  number: z
    .string()
    .regex(/^[A-Z]+\d+$/, 'an incident number such as INC0010023')
    .optional(),
  active: z.boolean().optional(),
  /** Further conditions as an encoded query (ANDed): `state=6^ORDERBYDESCsys_updated_on`. */
  query: z.string().min(1).optional(),
  fields: z
    .array(z.string().regex(/^[a-z_][a-z0-9_.]*$/))
    .max(50)
    .optional(),
  limit: z.number().int().min(1).max(1000).optional(),
  /** The `next` of the previous page. */
  after: z.string().regex(/^\d+$/, 'the next of a previous page').optional(),
});
export type ReadIncidentsParams = z.infer<typeof readIncidentsParams>;

export const updateIncidentParams = z.strictObject({
  sysId: sysIdSchema,
  /** Table fields to set (`state`, `close_code`, `close_notes`, `work_notes`, ...). */
  fields: z
    .record(z.string().regex(/^[a-z_][a-z0-9_]*$/), fieldValue)
    .refine((f) => Object.keys(f).length > 0, 'give at least one field'),
});
export type UpdateIncidentParams = z.infer<typeof updateIncidentParams>;

export const servicenowOperations = defineOperations('servicenow', [
  {
    name: 'incidents:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Create a ServiceNow incident (one active incident per finding, by correlation_id)',
    params: createIncidentParams,
    idempotencyKey: (p) => `servicenow:create:${p.correlationId}${p.occurrence ? `:${p.occurrence}` : ''}`,
  },
  {
    name: 'incidents:update',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Update fields of a ServiceNow incident',
    params: updateIncidentParams,
    idempotencyKey: (p) => `servicenow:update:${p.sysId}:${hashOf(p.fields).slice(0, 16)}`,
  },
  {
    name: 'incidents:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Look up ServiceNow incidents by correlation id, number or query (one page per call)',
    params: readIncidentsParams,
  },
]);
