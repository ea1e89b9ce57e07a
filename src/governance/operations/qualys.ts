import { z } from 'zod';
import { defineOperations } from '../catalog.js';

// Seed declarations; the Qualys connector issue moves this file next to the connector.
export const qualysOperations = defineOperations('qualys', [
  {
    name: 'vulnerabilities:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Read host vulnerability detections (VMDR Host List Detection)',
    params: z.looseObject({
      severities: z.array(z.number().int().min(1).max(5)).optional(),
      since: z.string().optional(),
      limit: z.number().int().positive().optional(),
    }),
  },
  {
    name: 'knowledgebase:read',
    verb: 'read',
    risk: 'LOW',
    description: 'Read QID details from the Qualys KnowledgeBase',
    params: z.looseObject({ qids: z.array(z.number().int().positive()).min(1) }),
  },
]);
