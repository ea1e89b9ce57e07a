import { canonicalJson } from '../../core/canonical.js';
import type { HandlerContext } from '../kit/handler.js';
import type { SlackClient, SlackMessage } from './client.js';
import type { ChatUpdateParams, ChatWriteParams } from './operations.js';
import type { PostResult } from './results.js';

/**
 * Has a Slack write already happened? Every post carries message metadata with its idempotency key, so a
 * pending post is found in the channel's recent history (or its thread); an edit is found by the message
 * already showing the new text.
 */
export const ARX_EVENT_TYPE = 'arx_post';

/** How far back a pending post is looked for: a crash is reconciled within minutes, not days. */
const MAX_PAGES = 5;
const PAGE_SIZE = 200;

export function postMetadata(idempotencyKey: string) {
  return { event_type: ARX_EVENT_TYPE, event_payload: { idempotency_key: idempotencyKey } };
}

function isOurs(message: SlackMessage, idempotencyKey: string): boolean {
  return (
    message.metadata?.event_type === ARX_EVENT_TYPE &&
    message.metadata.event_payload?.idempotency_key === idempotencyKey
  );
}

export async function findPost(
  client: SlackClient,
  params: Pick<ChatWriteParams, 'channel' | 'threadTs'>,
  idempotencyKey: string,
): Promise<PostResult | undefined> {
  const channel = await client.channelId(params.channel);
  let cursor: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const res = params.threadTs
      ? await client.replies({
          channel,
          ts: params.threadTs,
          includeMetadata: true,
          ...(cursor ? { cursor } : {}),
        })
      : await client.history({
          channel,
          limit: PAGE_SIZE,
          includeMetadata: true,
          ...(cursor ? { cursor } : {}),
        });
    const found = res.messages.find((m) => isOurs(m, idempotencyKey));
    if (found) return { channel, ts: found.ts };
    cursor = res.nextCursor;
    if (!cursor) return undefined;
  }
  return undefined;
}

/** The message at `ts` already shows this text (and these blocks). */
export async function findUpdate(
  client: SlackClient,
  params: ChatUpdateParams,
): Promise<PostResult | undefined> {
  const channel = await client.channelId(params.channel);
  const res = await client.history({
    channel,
    latest: params.ts,
    oldest: params.ts,
    inclusive: true,
    limit: 1,
  });
  const message = res.messages.find((m) => m.ts === params.ts);
  if (!message || message.text !== params.text) return undefined;
  if (params.blocks && canonicalJson(message.blocks) !== canonicalJson(params.blocks)) return undefined;
  return { channel, ts: params.ts };
}

export function slackReconcilers(session: (ctx: HandlerContext) => SlackClient) {
  return {
    'slack:chat:write': (params: ChatWriteParams, ctx: HandlerContext) =>
      findPost(session(ctx), params, ctx.idempotencyKey),
    'slack:chat:update': (params: ChatUpdateParams, ctx: HandlerContext) => findUpdate(session(ctx), params),
  };
}
