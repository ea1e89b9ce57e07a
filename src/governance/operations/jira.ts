import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { defineOperations } from '../catalog.js';

// Seed declarations; the Jira connector issue moves this file next to the connector and tightens the schemas.
const issueKey = z.string().regex(/^[A-Z][A-Z0-9_]*-\d+$/, 'a Jira issue key such as SEC-412');

export const jiraOperations = defineOperations('jira', [
  {
    name: 'issues:create',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Create a Jira issue (enters a team backlog)',
    params: z.looseObject({
      project: z.string().min(1),
      summary: z.string().min(1).max(255),
      issueType: z.string().default('Bug'),
      description: z.string().optional(),
      priority: z.enum(['Highest', 'High', 'Medium', 'Low', 'Lowest']).optional(),
      labels: z.array(z.string().regex(/^\S+$/, 'labels cannot contain spaces')).optional(),
      assignee: z.string().optional(),
      findingKey: z.string().optional(),
    }),
    idempotencyKey: (p) => (p.findingKey ? `jira:create:${p.findingKey}` : undefined),
  },
  {
    name: 'issues:search',
    verb: 'read',
    risk: 'LOW',
    description: 'Search Jira issues with bounded JQL',
    params: z.looseObject({
      jql: z.string().min(1),
      fields: z.array(z.string()).optional(),
      limit: z.number().int().positive().optional(),
    }),
  },
  {
    name: 'issues:update',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Update fields of a Jira issue',
    params: z.looseObject({ key: issueKey, fields: z.record(z.string(), z.unknown()) }),
    idempotencyKey: (p) => `jira:update:${p.key}:${hashOf(p.fields).slice(0, 16)}`,
  },
  {
    name: 'issues:transition',
    verb: 'write',
    risk: 'MEDIUM',
    description: 'Move a Jira issue through its workflow (e.g. to Done)',
    params: z.looseObject({ key: issueKey, transition: z.string().min(1), comment: z.string().optional() }),
    idempotencyKey: (p) => `jira:transition:${p.key}:${p.transition}`,
  },
  {
    name: 'issues:comment',
    verb: 'write',
    risk: 'LOW',
    description: 'Add a comment to a Jira issue',
    params: z.looseObject({ key: issueKey, body: z.string().min(1) }),
    idempotencyKey: (p) => `jira:comment:${p.key}:${hashOf(p.body).slice(0, 16)}`,
  },
]);
