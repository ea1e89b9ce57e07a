import { z } from 'zod';
import { defineOperations } from '../catalog.js';

// Seed declarations; the Slack connector issue moves this file next to the connector.
export const slackOperations = defineOperations('slack', [
  {
    name: 'chat:write',
    verb: 'write',
    risk: 'LOW',
    description: 'Post a message to a Slack channel (informational)',
    params: z.looseObject({
      channel: z.string().min(1),
      text: z.string().min(1),
      blocks: z.array(z.unknown()).optional(),
      threadTs: z.string().optional(),
      /** What the message is about (e.g. a run id + summary); makes the post exactly-once. */
      dedupeKey: z.string().optional(),
    }),
    idempotencyKey: (p) => (p.dedupeKey ? `slack:post:${p.channel}:${p.dedupeKey}` : undefined),
  },
  {
    name: 'chat:update',
    verb: 'write',
    risk: 'LOW',
    description: 'Edit a message Arx posted earlier',
    params: z.looseObject({ channel: z.string().min(1), ts: z.string().min(1), text: z.string().min(1) }),
    idempotencyKey: (p) => `slack:update:${p.channel}:${p.ts}`,
  },
  {
    name: 'conversations:history',
    verb: 'read',
    risk: 'LOW',
    description: 'Read recent messages of a Slack channel',
    params: z.looseObject({
      channel: z.string().min(1),
      oldest: z.string().optional(),
      limit: z.number().int().positive().optional(),
    }),
  },
]);
