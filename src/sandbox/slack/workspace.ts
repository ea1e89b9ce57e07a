import type { Clock } from '../../core/clock.js';

/** One emulated Slack workspace: the bot, its channels and every message posted, in memory. */

export interface ChannelSpec {
  /** Without the `#`: `sec-alerts`. */
  name: string;
  isPrivate?: boolean;
  /** Whether the bot has joined; a private channel it has not joined is invisible to it. */
  isMember?: boolean;
  isArchived?: boolean;
}

export interface Channel {
  id: string;
  name: string;
  isPrivate: boolean;
  isMember: boolean;
  isArchived: boolean;
  created: number;
  /** Oldest first. */
  messages: SlackMessage[];
}

export interface SlackMessage {
  type: 'message';
  subtype?: 'bot_message';
  text: string;
  user: string;
  bot_id: string;
  app_id: string;
  team: string;
  ts: string;
  thread_ts?: string;
  reply_count?: number;
  latest_reply?: string;
  blocks?: unknown[];
  attachments?: unknown[];
  edited?: { user: string; ts: string };
  /** Message metadata (`event_type`, `event_payload`); history shows it only with `include_all_metadata`. */
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** Replies live with their parent; `reply_broadcast` ones also show in the channel. */
  broadcast?: boolean;
}

export interface Bot {
  teamId: string;
  teamName: string;
  teamDomain: string;
  userId: string;
  userName: string;
  botId: string;
  appId: string;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';

export class SlackWorkspace {
  readonly bot: Bot;
  readonly channels: Channel[] = [];
  private lastTs = 0;

  constructor(
    private readonly clock: Clock,
    private readonly random: () => number,
    channels: ChannelSpec[],
  ) {
    this.bot = {
      teamId: this.id('T'),
      teamName: 'Arx Sandbox',
      teamDomain: 'arx-sandbox',
      userId: this.id('U'),
      userName: 'arx',
      botId: this.id('B'),
      appId: this.id('A'),
    };
    for (const spec of channels) this.addChannel(spec);
  }

  addChannel(spec: ChannelSpec): Channel {
    const name = spec.name.replace(/^#/, '');
    const existing = this.channels.find((c) => c.name === name);
    if (existing) return existing;
    const channel: Channel = {
      id: this.id('C'),
      name,
      isPrivate: spec.isPrivate ?? false,
      isMember: spec.isMember ?? true,
      isArchived: spec.isArchived ?? false,
      created: Math.floor(this.clock.now().getTime() / 1000),
      messages: [],
    };
    this.channels.push(channel);
    return channel;
  }

  /** By id, or by name (`#sec-alerts` or `sec-alerts`) where the method accepts names; hidden channels are not found. */
  find(ref: unknown, acceptNames: boolean): Channel | undefined {
    if (typeof ref !== 'string' || ref === '') return undefined;
    const channel =
      this.channels.find((c) => c.id === ref) ??
      (acceptNames ? this.channels.find((c) => c.name === ref.replace(/^#/, '')) : undefined);
    return channel && (!channel.isPrivate || channel.isMember) ? channel : undefined;
  }

  /** Slack timestamps: seconds with a six-digit suffix, unique and increasing within the workspace. */
  nextTs(): string {
    const micros = Math.max(this.clock.now().getTime() * 1000, this.lastTs + 100);
    this.lastTs = micros;
    return `${Math.floor(micros / 1_000_000)}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  post(
    channel: Channel,
    content: Pick<SlackMessage, 'text' | 'blocks' | 'attachments' | 'metadata'>,
    thread?: string,
    broadcast = false,
  ): SlackMessage {
    const message: SlackMessage = {
      type: 'message',
      subtype: 'bot_message',
      text: content.text,
      user: this.bot.userId,
      bot_id: this.bot.botId,
      app_id: this.bot.appId,
      team: this.bot.teamId,
      ts: this.nextTs(),
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(content.metadata ? { metadata: content.metadata } : {}),
    };
    const parent = thread ? channel.messages.find((m) => m.ts === thread) : undefined;
    if (parent) {
      message.thread_ts = parent.ts;
      parent.thread_ts = parent.ts;
      parent.reply_count = (parent.reply_count ?? 0) + 1;
      parent.latest_reply = message.ts;
      if (broadcast) message.broadcast = true;
    }
    channel.messages.push(message);
    return message;
  }

  /** What `conversations.history` shows: top-level messages and broadcast replies, newest first. */
  history(channel: Channel): SlackMessage[] {
    return channel.messages.filter((m) => !m.thread_ts || m.thread_ts === m.ts || m.broadcast).reverse();
  }

  /** A thread: its parent, then replies oldest first. */
  replies(channel: Channel, ts: string): SlackMessage[] {
    const parent = channel.messages.find((m) => m.ts === ts);
    if (!parent) return [];
    return [parent, ...channel.messages.filter((m) => m.thread_ts === ts && m.ts !== ts)];
  }

  private id(prefix: string): string {
    return prefix + Array.from({ length: 10 }, () => ID_ALPHABET[Math.floor(this.random() * 36)]).join('');
  }
}
