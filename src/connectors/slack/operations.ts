import { z } from 'zod';
import { hashOf } from '../../core/canonical.js';
import { defineOperations } from '../../governance/catalog.js';

/**
 * Slack operations as catalog entries. A post's idempotency key says what the message is about and where
 * (`slack:post:<digest-key>:<channel>`), so a resumed run never posts the same digest twice; an edit's key
 * includes what it writes, so a later edit of the same message with new content is a new effect.
 */
const channelSchema = z.string().min(1).max(80).describe('channel id (C0123ABC456) or name (#sec-alerts)');
const tsSchema = z.string().regex(/^\d+\.\d+$/, 'a Slack message timestamp such as 1717312999.000300');
/** Slack refuses more than 50 blocks and text over 40,000 characters (api-contracts §3.2). */
const blocksSchema = z.array(z.looseObject({ type: z.string().min(1) })).max(50);
const textSchema = z.string().min(1).max(40_000);

export const chatWriteParams = z.strictObject({
  channel: channelSchema,
  /** The notification text; with blocks, what clients without Block Kit show. */
  text: textSchema,
  blocks: blocksSchema.optional(),
  threadTs: tsSchema.optional(),
  replyBroadcast: z.boolean().optional(),
  unfurlLinks: z.boolean().optional(),
  /** What the message is about (e.g. `digest:platform:2026-03-02`); makes the post exactly-once. */
  dedupeKey: z.string().min(1).max(200).optional(),
});
export type ChatWriteParams = z.infer<typeof chatWriteParams>;

export const chatUpdateParams = z.strictObject({
  channel: channelSchema,
  ts: tsSchema,
  text: textSchema,
  blocks: blocksSchema.optional(),
});
export type ChatUpdateParams = z.infer<typeof chatUpdateParams>;

export const historyParams = z.strictObject({
  channel: channelSchema,
  /** Only messages after this ts (exclusive). */
  oldest: tsSchema.optional(),
  latest: tsSchema.optional(),
  limit: z.number().int().min(1).max(200).optional(),
  /** The `next` of the previous page. */
  after: z.string().min(1).optional(),
  /** Include message metadata (how Arx finds its own posts). */
  includeMetadata: z.boolean().optional(),
});
export type HistoryParams = z.infer<typeof historyParams>;

export const slackOperations = defineOperations('slack', [
  {
    name: 'chat:write',
    verb: 'write',
    risk: 'LOW',
    description: 'Post a message to a Slack channel (informational)',
    params: chatWriteParams,
    idempotencyKey: (p) => (p.dedupeKey ? `slack:post:${p.dedupeKey}:${p.channel}` : undefined),
  },
  {
    name: 'chat:update',
    verb: 'write',
    risk: 'LOW',
    description: 'Edit a message Arx posted earlier, in place',
    params: chatUpdateParams,
    idempotencyKey: (p) =>
      `slack:update:${p.channel}:${p.ts}:${hashOf({ text: p.text, blocks: p.blocks }).slice(0, 16)}`,
  },
  {
    name: 'conversations:history',
    verb: 'read',
    risk: 'LOW',
    description: 'Read recent messages of a Slack channel (one page per call)',
    params: historyParams,
  },
]);
