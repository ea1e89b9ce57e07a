import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { defineOperations } from '../catalog.js';

// Seed declarations; the Wiz connector issue moves this file next to the connector and tightens the schemas.
const issueStatus = z.enum(['OPEN', 'IN_PROGRESS', 'RESOLVED', 'REJECTED']);

export const wizOperations = defineOperations('wiz', [
  {
    name: 'findings:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Query Wiz issues, vulnerability and configuration findings',
    params: z.looseObject({
      kind: z.enum(['issues', 'vulnerabilities', 'configuration']).default('issues'),
      severities: z.array(z.enum(['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL'])).optional(),
      status: z.array(issueStatus).optional(),
      since: z.string().optional(),
      limit: z.number().int().positive().optional(),
    }),
  },
  {
    name: 'issues:update',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Change a Wiz issue: status, resolution reason, due date, note',
    params: z.looseObject({
      issueId: z.string().min(1),
      patch: z.looseObject({
        status: issueStatus.optional(),
        resolutionReason: z.string().optional(),
        note: z.string().optional(),
        dueAt: z.string().optional(),
      }),
    }),
    idempotencyKey: (p) => `wiz:update:${p.issueId}:${hashOf(p.patch).slice(0, 16)}`,
  },
  {
    name: 'issues:comment',
    verb: 'write',
    risk: 'LOW',
    description: 'Add a note to a Wiz issue',
    params: z.looseObject({ issueId: z.string().min(1), text: z.string().min(1) }),
    idempotencyKey: (p) => `wiz:comment:${p.issueId}:${hashOf(p.text).slice(0, 16)}`,
  },
]);
