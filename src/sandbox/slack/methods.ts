import { checkBlocks } from './blocks.js';
import type { Channel, SlackMessage, SlackWorkspace } from './workspace.js';

/**
 * Slack Web API methods the emulator answers, one handler per method. Each returns the JSON body; failures
 * are `{ok: false, error}` with HTTP 200, exactly as Slack answers them.
 */

export type Args = Record<string, unknown>;
export type SlackBody = { ok: boolean; [key: string]: unknown };
export type MethodHandler = (args: Args, ws: SlackWorkspace) => SlackBody;

/** Slack truncates nothing: longer text is refused with `msg_too_long`. */
const MAX_TEXT = 40_000;
const MAX_ATTACHMENTS = 100;
const HISTORY_DEFAULT_LIMIT = 100;
const HISTORY_MAX_LIMIT = 999;
const LIST_MAX_LIMIT = 1000;

const fail = (error: string, extra: Record<string, unknown> = {}): SlackBody => ({
  ok: false,
  error,
  ...extra,
});

/** Form-encoded calls send arrays as JSON strings; JSON calls send them as arrays. */
function jsonArg(value: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof value !== 'string') return { ok: true, value };
  try {
    return { ok: true, value: JSON.parse(value) };
  } catch {
    return { ok: false };
  }
}

const truthy = (value: unknown) => value === true || value === 'true' || value === '1' || value === 1;

/** The message as the API shows it (internal bookkeeping removed; metadata only when asked for). */
export function messageJson(message: SlackMessage, withMetadata = false): Record<string, unknown> {
  const { broadcast: _internal, metadata, ...shown } = message;
  return withMetadata && metadata ? { ...shown, metadata } : shown;
}

/** `metadata`: `{event_type, event_payload}` as an object (JSON calls) or a JSON string (form calls). */
function readMetadata(value: unknown): { metadata?: SlackMessage['metadata'] } | SlackBody {
  if (value === undefined || value === '') return {};
  const parsed = jsonArg(value);
  if (!parsed.ok || typeof parsed.value !== 'object' || parsed.value === null)
    return fail('invalid_metadata_format');
  const { event_type, event_payload } = parsed.value as Record<string, unknown>;
  if (typeof event_type !== 'string' || !/^[a-zA-Z0-9_]+$/.test(event_type))
    return fail('invalid_metadata_schema');
  if (typeof event_payload !== 'object' || event_payload === null || Array.isArray(event_payload)) {
    return fail('invalid_metadata_schema');
  }
  return { metadata: { event_type, event_payload: event_payload as Record<string, unknown> } };
}

/** Reads text / blocks / attachments for post and update, with Slack's error for each problem. */
function readContent(args: Args): { text: string; blocks?: unknown[]; attachments?: unknown[] } | SlackBody {
  const blocks = args.blocks === undefined ? undefined : jsonArg(args.blocks);
  if (blocks && (!blocks.ok || !Array.isArray(blocks.value))) return fail('invalid_blocks_format');
  const attachments = args.attachments === undefined ? undefined : jsonArg(args.attachments);
  if (attachments && (!attachments.ok || !Array.isArray(attachments.value)))
    return fail('invalid_attachments');
  const text = typeof args.text === 'string' ? args.text : '';
  const blockList = blocks?.value as unknown[] | undefined;
  const attachmentList = attachments?.value as unknown[] | undefined;
  if (!text && !blockList?.length && !attachmentList?.length) return fail('no_text');
  if (text.length > MAX_TEXT) return fail('msg_too_long');
  if (attachmentList && attachmentList.length > MAX_ATTACHMENTS) return fail('too_many_attachments');
  if (blockList) {
    const messages = checkBlocks(blockList);
    if (messages.length > 0) return fail('invalid_blocks', { response_metadata: { messages } });
  }
  return {
    text,
    ...(blockList?.length ? { blocks: blockList } : {}),
    ...(attachmentList?.length ? { attachments: attachmentList } : {}),
  };
}

function channelJson(channel: Channel) {
  return {
    id: channel.id,
    name: channel.name,
    is_channel: !channel.isPrivate,
    is_group: channel.isPrivate,
    is_im: false,
    is_private: channel.isPrivate,
    is_archived: channel.isArchived,
    is_general: channel.name === 'general',
    is_member: channel.isMember,
    created: channel.created,
    name_normalized: channel.name,
  };
}

const cursor = {
  encode: (kind: string, value: string) => Buffer.from(`${kind}:${value}`).toString('base64'),
  decode(kind: string, raw: unknown): string | undefined | null {
    if (raw === undefined || raw === '') return undefined;
    const text = Buffer.from(String(raw), 'base64').toString('utf8');
    return text.startsWith(`${kind}:`) ? text.slice(kind.length + 1) : null;
  },
};

function limitArg(value: unknown, fallback: number, max: number): number {
  const n = Number(value ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
}

export const METHODS: Record<string, MethodHandler> = {
  'auth.test': (_args, ws) => ({
    ok: true,
    url: `https://${ws.bot.teamDomain}.slack.com/`,
    team: ws.bot.teamName,
    user: ws.bot.userName,
    team_id: ws.bot.teamId,
    user_id: ws.bot.userId,
    bot_id: ws.bot.botId,
    is_enterprise_install: false,
  }),

  'chat.postMessage'(args, ws) {
    const channel = ws.find(args.channel, true);
    if (!channel) return fail('channel_not_found');
    if (channel.isArchived) return fail('is_archived');
    const content = readContent(args);
    if ('ok' in content) return content;
    const metadata = readMetadata(args.metadata);
    if ('ok' in metadata) return metadata;
    const thread = typeof args.thread_ts === 'string' && args.thread_ts ? args.thread_ts : undefined;
    const message = ws.post(channel, { ...content, ...metadata }, thread, truthy(args.reply_broadcast));
    return { ok: true, channel: channel.id, ts: message.ts, message: messageJson(message) };
  },

  'chat.update'(args, ws) {
    const channel = ws.find(args.channel, false);
    if (!channel) return fail('channel_not_found');
    const message = channel.messages.find((m) => m.ts === args.ts);
    if (!message) return fail('message_not_found');
    if (message.bot_id !== ws.bot.botId) return fail('cant_update_message');
    const content = readContent(args);
    if ('ok' in content) return content;
    message.text = content.text;
    if (content.blocks) message.blocks = content.blocks;
    else if (args.blocks !== undefined) delete message.blocks;
    if (content.attachments) message.attachments = content.attachments;
    message.edited = { user: ws.bot.userId, ts: ws.nextTs() };
    const shown = messageJson(message);
    return { ok: true, channel: channel.id, ts: message.ts, text: message.text, message: shown };
  },

  'chat.getPermalink'(args, ws) {
    const channel = ws.find(args.channel, false);
    if (!channel) return fail('channel_not_found');
    const message = channel.messages.find((m) => m.ts === args.message_ts);
    if (!message) return fail('message_not_found');
    const permalink = `https://${ws.bot.teamDomain}.slack.com/archives/${channel.id}/p${message.ts.replace('.', '')}`;
    return { ok: true, channel: channel.id, permalink };
  },

  'conversations.history'(args, ws) {
    const channel = ws.find(args.channel, false);
    if (!channel) return fail('channel_not_found');
    const before = cursor.decode('next_ts', args.cursor);
    if (before === null) return fail('invalid_cursor');
    const inclusive = truthy(args.inclusive);
    const oldest = args.oldest === undefined ? undefined : Number(args.oldest);
    const latest = args.latest === undefined ? undefined : Number(args.latest);
    const all = ws.history(channel).filter((m) => {
      const ts = Number(m.ts);
      if (before !== undefined && ts >= Number(before)) return false;
      if (oldest !== undefined && (inclusive ? ts < oldest : ts <= oldest)) return false;
      if (latest !== undefined && (inclusive ? ts > latest : ts >= latest)) return false;
      return true;
    });
    const limit = limitArg(args.limit, HISTORY_DEFAULT_LIMIT, HISTORY_MAX_LIMIT);
    const page = all.slice(0, limit);
    const hasMore = all.length > limit;
    return {
      ok: true,
      messages: page.map((m) => messageJson(m, truthy(args.include_all_metadata))),
      has_more: hasMore,
      pin_count: 0,
      response_metadata: { next_cursor: hasMore ? cursor.encode('next_ts', page[page.length - 1]!.ts) : '' },
    };
  },

  'conversations.replies'(args, ws) {
    const channel = ws.find(args.channel, false);
    if (!channel) return fail('channel_not_found');
    const thread = ws.replies(channel, String(args.ts ?? ''));
    if (thread.length === 0) return fail('thread_not_found');
    return {
      ok: true,
      messages: thread.map((m) => messageJson(m, truthy(args.include_all_metadata))),
      has_more: false,
      response_metadata: { next_cursor: '' },
    };
  },

  'conversations.list'(args, ws) {
    const types = String(args.types ?? 'public_channel').split(',');
    const after = cursor.decode('channel', args.cursor);
    if (after === null) return fail('invalid_cursor');
    const visible = ws.channels.filter(
      (c) =>
        (c.isPrivate ? types.includes('private_channel') && c.isMember : types.includes('public_channel')) &&
        !(truthy(args.exclude_archived) && c.isArchived),
    );
    const start = after === undefined ? 0 : visible.findIndex((c) => c.id === after) + 1;
    const limit = limitArg(args.limit, 100, LIST_MAX_LIMIT);
    const page = visible.slice(start, start + limit);
    const more = start + limit < visible.length;
    return {
      ok: true,
      channels: page.map(channelJson),
      response_metadata: { next_cursor: more ? cursor.encode('channel', page[page.length - 1]!.id) : '' },
    };
  },

  'conversations.info'(args, ws) {
    const channel = ws.find(args.channel, false);
    return channel ? { ok: true, channel: channelJson(channel) } : fail('channel_not_found');
  },
};
