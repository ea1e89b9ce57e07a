import {
  type ChatPostMessageArguments,
  type ChatUpdateArguments,
  type FetchFunction,
  LogLevel,
  type Logger as SlackLogger,
  WebClient,
} from '@slack/web-api';
import type { Logger } from '../../log/logger.js';
import { type HttpClient, RETRY_NONE } from '../http/index.js';
import { type ConnectorRuntime, toolHttpClient } from '../kit/runtime.js';
import type { SlackCredentials } from './credentials.js';
import { slackError } from './errors.js';

/**
 * The only HTTP code for Slack: the official `@slack/web-api` WebClient for Slack's method semantics (form
 * encoding, `ok:false` platform errors, scopes from `X-OAuth-Scopes`), with its transport replaced by the
 * seam. The WebClient's own retries and rate-limit queue are off; the seam's governor (per-channel bucket
 * for `chat.postMessage`), breaker, timeouts, retries and call counters see every call, and the seam's
 * errors come back through `slackError` unchanged. `chat.postMessage` is sent without retries: Slack has
 * no idempotency key, so a post is retried only after reconciling (kit/write-once.ts).
 */

/** Methods that create something: a lost answer must be reconciled, never simply sent again. */
const NOT_IDEMPOTENT = new Set(['chat.postMessage']);

export interface SlackMessage {
  ts: string;
  text?: string;
  thread_ts?: string;
  bot_id?: string;
  metadata?: { event_type?: string; event_payload?: Record<string, unknown> };
  [key: string]: unknown;
}

export interface MessagesPage {
  messages: SlackMessage[];
  nextCursor?: string;
}

export interface AuthInfo {
  team?: string;
  teamId?: string;
  user?: string;
  userId?: string;
  botId?: string;
  /** From `X-OAuth-Scopes`, when Slack sends it. */
  scopes?: string[];
}

/** Slack channel ids: C (public), G (private, legacy), D (direct message). */
const CHANNEL_ID = /^[CGD][A-Z0-9]{8,}$/;

export class SlackClient {
  private readonly web: WebClient;
  private readonly names = new Map<string, string>();

  constructor(http: HttpClient, credentials: SlackCredentials, log: Logger) {
    this.web = new WebClient(credentials.botToken, {
      slackApiUrl: `${credentials.apiUrl.replace(/\/+$/, '')}/`,
      fetch: seamFetch(http),
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      allowAbsoluteUrls: false,
      logger: quietLogger(log),
    });
  }

  private async call<T>(method: string, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (err) {
      throw slackError(err, method);
    }
  }

  async authTest(): Promise<AuthInfo> {
    const res = await this.call('auth.test', () => this.web.auth.test());
    return {
      team: res.team,
      teamId: res.team_id,
      user: res.user,
      userId: res.user_id,
      botId: res.bot_id,
      ...(res.response_metadata?.scopes ? { scopes: res.response_metadata.scopes } : {}),
    };
  }

  async postMessage(args: ChatPostMessageArguments): Promise<{ channel: string; ts: string }> {
    const res = await this.call('chat.postMessage', () => this.web.chat.postMessage(args));
    return { channel: String(res.channel), ts: String(res.ts) };
  }

  async update(args: ChatUpdateArguments): Promise<{ channel: string; ts: string }> {
    const res = await this.call('chat.update', () => this.web.chat.update(args));
    return { channel: String(res.channel), ts: String(res.ts) };
  }

  /** One page of a channel's history, newest first. */
  async history(args: {
    channel: string;
    oldest?: string;
    latest?: string;
    inclusive?: boolean;
    limit?: number;
    cursor?: string;
    includeMetadata?: boolean;
  }): Promise<MessagesPage> {
    const channel = await this.channelId(args.channel);
    const res = await this.call('conversations.history', () =>
      this.web.conversations.history({
        channel,
        ...(args.oldest ? { oldest: args.oldest } : {}),
        ...(args.latest ? { latest: args.latest } : {}),
        ...(args.inclusive ? { inclusive: true } : {}),
        limit: args.limit ?? 100,
        ...(args.cursor ? { cursor: args.cursor } : {}),
        ...(args.includeMetadata ? { include_all_metadata: true } : {}),
      }),
    );
    return page(res.messages, res.response_metadata?.next_cursor);
  }

  /** A thread: its parent, then the replies. */
  async replies(args: {
    channel: string;
    ts: string;
    includeMetadata?: boolean;
    cursor?: string;
  }): Promise<MessagesPage> {
    const channel = await this.channelId(args.channel);
    const res = await this.call('conversations.replies', () =>
      this.web.conversations.replies({
        channel,
        ts: args.ts,
        limit: 200,
        ...(args.cursor ? { cursor: args.cursor } : {}),
        ...(args.includeMetadata ? { include_all_metadata: true } : {}),
      }),
    );
    return page(res.messages, res.response_metadata?.next_cursor);
  }

  /**
   * A channel id for an id or a name (`#sec-alerts`): posting accepts names, reading history does not.
   * Names are resolved through `conversations.list` once per client.
   */
  async channelId(ref: string): Promise<string> {
    if (CHANNEL_ID.test(ref)) return ref;
    const name = ref.replace(/^#/, '');
    const known = this.names.get(name);
    if (known) return known;
    let cursor: string | undefined;
    do {
      const res = await this.call('conversations.list', () =>
        this.web.conversations.list({
          types: 'public_channel,private_channel',
          exclude_archived: true,
          limit: 200,
          ...(cursor ? { cursor } : {}),
        }),
      );
      for (const channel of res.channels ?? []) {
        if (channel.name && channel.id) this.names.set(channel.name, channel.id);
      }
      cursor = res.response_metadata?.next_cursor || undefined;
    } while (cursor && !this.names.has(name));
    const id = this.names.get(name);
    if (!id)
      throw slackError(
        { code: 'slack_webapi_platform_error', data: { ok: false, error: 'channel_not_found' } },
        'conversations.list',
      );
    return id;
  }
}

function page(messages: unknown, cursor: string | undefined): MessagesPage {
  return {
    messages: (Array.isArray(messages) ? messages : []) as SlackMessage[],
    ...(cursor ? { nextCursor: cursor } : {}),
  };
}

/**
 * The WebClient's `fetch`, routed through the seam: bucket and counters named by Slack method, the
 * per-channel bucket keyed by the channel of a post, no retries for posts. The seam parses the JSON (a
 * broken body is its `malformed_response`); the WebClient gets it back as a plain 200 response.
 */
export function seamFetch(http: HttpClient): FetchFunction {
  return async (url, init) => {
    const target = new URL(String(url));
    const method = target.pathname.split('/').pop() ?? 'unknown';
    const body = typeof init?.body === 'string' ? init.body : undefined;
    const channel = method === 'chat.postMessage' && body ? channelOf(body, init?.headers) : undefined;
    const res = await http.request<unknown>({
      method: 'POST',
      path: target.href,
      headers: init?.headers ?? {},
      ...(body !== undefined ? { body } : {}),
      endpoint: method,
      ...(channel ? { rateKey: channel.replace(/^#/, '') } : {}),
      ...(NOT_IDEMPOTENT.has(method) ? { retry: RETRY_NONE } : {}),
    });
    const headers = new Headers({ 'content-type': 'application/json' });
    const scopes = res.headers.get('x-oauth-scopes');
    if (scopes !== null) headers.set('x-oauth-scopes', scopes);
    return new Response(JSON.stringify(res.body), { status: 200, headers });
  };
}

function channelOf(body: string, headers: Record<string, string> | undefined): string | undefined {
  const type =
    Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === 'content-type')?.[1] ?? '';
  if (type.includes('json')) {
    try {
      const channel = (JSON.parse(body) as { channel?: unknown }).channel;
      return typeof channel === 'string' ? channel : undefined;
    } catch {
      return undefined;
    }
  }
  return new URLSearchParams(body).get('channel') ?? undefined;
}

/** The WebClient's chatter goes to our logger at debug; its errors are ours to report, not its to print. */
function quietLogger(log: Logger): SlackLogger {
  let level = LogLevel.DEBUG;
  return {
    debug: (...msg: unknown[]) => log.debug({ slack: msg.join(' ') }),
    info: (...msg: unknown[]) => log.debug({ slack: msg.join(' ') }),
    warn: (...msg: unknown[]) => log.debug({ slack: msg.join(' ') }),
    error: (...msg: unknown[]) => log.debug({ slack: msg.join(' ') }),
    setLevel: (next: LogLevel) => {
      level = next;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

export function createSlackHttp(runtime: ConnectorRuntime, credentials: SlackCredentials): HttpClient {
  return toolHttpClient(runtime, {
    tool: 'slack',
    baseUrl: credentials.apiUrl,
    auth: (headers) => headers.set('authorization', `Bearer ${credentials.botToken}`),
  });
}

export function createSlackClient(runtime: ConnectorRuntime, credentials: SlackCredentials): SlackClient {
  return new SlackClient(createSlackHttp(runtime, credentials), credentials, runtime.log);
}
