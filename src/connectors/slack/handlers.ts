import type { ChatPostMessageArguments } from '@slack/web-api';
import type { HandlerContext } from '../kit/handler.js';
import type { ConnectorRuntime } from '../kit/runtime.js';
import { writeOnce } from '../kit/write-once.js';
import type { SlackClient } from './client.js';
import type { ChatUpdateParams, ChatWriteParams, HistoryParams } from './operations.js';
import { findPost, postMetadata } from './reconcile.js';
import type { HistoryResult, PostResult } from './results.js';

/** One handler per Slack operation id; the gate validated the params and resolved the token. */
export function slackHandlers(runtime: ConnectorRuntime, session: (ctx: HandlerContext) => SlackClient) {
  return {
    /**
     * Posts with the call's idempotency key in the message metadata. A post whose answer was lost is
     * looked for in the channel before it is sent again, so a retry never posts twice.
     */
    async 'slack:chat:write'(params: ChatWriteParams, ctx: HandlerContext): Promise<PostResult> {
      const client = session(ctx);
      const { value } = await writeOnce({
        attempt: () =>
          client.postMessage({
            channel: params.channel,
            text: params.text,
            ...(params.blocks ? { blocks: params.blocks as never } : {}),
            ...(params.threadTs ? { thread_ts: params.threadTs } : {}),
            ...(params.replyBroadcast ? { reply_broadcast: true } : {}),
            ...(params.unfurlLinks !== undefined ? { unfurl_links: params.unfurlLinks } : {}),
            metadata: postMetadata(ctx.idempotencyKey),
          } as ChatPostMessageArguments),
        reconcile: () => findPost(client, params, ctx.idempotencyKey),
        what: 'slack:chat:write',
        clock: ctx.clock,
        log: ctx.log,
        profile: runtime.retry,
        random: runtime.random,
      });
      return value;
    },

    /** Editing a message to the same content twice leaves the same message: ordinary retries are safe. */
    async 'slack:chat:update'(params: ChatUpdateParams, ctx: HandlerContext): Promise<PostResult> {
      const client = session(ctx);
      return client.update({
        channel: await client.channelId(params.channel),
        ts: params.ts,
        text: params.text,
        ...(params.blocks ? { blocks: params.blocks as never } : {}),
      });
    },

    async 'slack:conversations:history'(params: HistoryParams, ctx: HandlerContext): Promise<HistoryResult> {
      const { after, ...rest } = params;
      const page = await session(ctx).history({ ...rest, ...(after ? { cursor: after } : {}) });
      return { items: page.messages, ...(page.nextCursor ? { next: page.nextCursor } : {}) };
    },
  };
}
