import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { ErrorCode, WebClient } from '@slack/web-api';
import { mulberry32 } from '../kit/random.js';
import { type RunningEmulator, startEmulator } from '../kit/server.js';
import type { FaultSpec } from '../kit/types.js';
import { createSlackEmulator, SLACK_SANDBOX_TOKEN, type SlackEmulatorOptions } from './index.js';

/** Contract tests: the Slack emulator over real HTTP, driven with the official @slack/web-api client. */

const running: RunningEmulator[] = [];
after(async () => {
  for (const emulator of running) await emulator.close();
});

async function slack(options: SlackEmulatorOptions = {}, faults: FaultSpec = {}) {
  const emulator = await startEmulator(createSlackEmulator({ random: mulberry32(3) }, options), { faults });
  running.push(emulator);
  const client = (token = SLACK_SANDBOX_TOKEN, extra: Record<string, unknown> = {}) =>
    new WebClient(token, { slackApiUrl: `${emulator.url}/api/`, retryConfig: { retries: 0 }, ...extra });
  return { emulator, web: client(), client };
}

/** The `data` of a platform error (`ok:false`), or a failure if the call succeeded. */
async function slackError(
  call: Promise<unknown>,
): Promise<{ error: string; response_metadata?: { messages?: string[] } }> {
  try {
    await call;
  } catch (err) {
    const e = err as { code?: string; data?: { error: string } };
    assert.equal(e.code, ErrorCode.PlatformError, String(err));
    return e.data as { error: string };
  }
  assert.fail('expected an ok:false answer');
}

const section = (text: string) => ({ type: 'section', text: { type: 'mrkdwn', text } });

describe('Slack emulator: auth', () => {
  it('answers auth.test for the bot token and not_authed / invalid_auth otherwise, with HTTP 200', async () => {
    const { web, client, emulator } = await slack();
    const me = await web.auth.test();
    assert.equal(me.ok, true);
    assert.match(me.user_id ?? '', /^U[A-Z0-9]{10}$/);
    assert.match(me.bot_id ?? '', /^B/);
    assert.equal((await slackError(client('xoxb-wrong').auth.test())).error, 'invalid_auth');
    const bare = await fetch(`${emulator.url}/api/auth.test`, { method: 'POST' });
    assert.equal(bare.status, 200);
    assert.deepEqual(await bare.json(), { ok: false, error: 'not_authed' });
  });
});

describe('Slack emulator: chat.postMessage and chat.update', () => {
  it('posts by channel name or id, threads replies, and shows them in history and replies', async () => {
    const { web } = await slack();
    const posted = await web.chat.postMessage({
      channel: '#sec-alerts',
      text: 'CRITICAL bucket',
      blocks: [section('*CRITICAL*')],
    });
    assert.equal(posted.ok, true);
    assert.match(posted.channel ?? '', /^C/);
    assert.match(posted.ts ?? '', /^\d{10}\.\d{6}$/);
    assert.equal(posted.message?.bot_id, (await web.auth.test()).bot_id);
    const reply = await web.chat.postMessage({
      channel: posted.channel!,
      text: 'ticket SEC-1',
      thread_ts: posted.ts!,
    });
    assert.equal(reply.message?.thread_ts, posted.ts);

    const history = await web.conversations.history({ channel: posted.channel! });
    assert.deepEqual(
      history.messages?.map((m) => m.text),
      ['CRITICAL bucket'],
      'thread replies stay out of the channel history',
    );
    assert.equal(history.messages?.[0]?.reply_count, 1);
    const thread = await web.conversations.replies({ channel: posted.channel!, ts: posted.ts! });
    assert.deepEqual(
      thread.messages?.map((m) => m.text),
      ['CRITICAL bucket', 'ticket SEC-1'],
    );
  });

  it('updates its own message in place (same ts, edited)', async () => {
    const { web } = await slack();
    const posted = await web.chat.postMessage({ channel: 'sec-alerts', text: 'open' });
    const updated = await web.chat.update({ channel: posted.channel!, ts: posted.ts!, text: 'resolved' });
    assert.equal(updated.ts, posted.ts);
    const history = await web.conversations.history({ channel: posted.channel! });
    assert.equal(history.messages?.[0]?.text, 'resolved');
    assert.ok(history.messages?.[0]?.edited);
    const missing = await slackError(
      web.chat.update({ channel: posted.channel!, ts: '1.000001', text: 'x' }),
    );
    assert.equal(missing.error, 'message_not_found');
  });

  it('answers ok:false for unknown, hidden and archived channels, missing text and long text', async () => {
    const { web } = await slack();
    assert.equal(
      (await slackError(web.chat.postMessage({ channel: '#nope', text: 'x' }))).error,
      'channel_not_found',
    );
    assert.equal(
      (await slackError(web.chat.postMessage({ channel: 'hr-private', text: 'x' }))).error,
      'channel_not_found',
    );
    assert.equal(
      (await slackError(web.chat.postMessage({ channel: 'old-alerts', text: 'x' }))).error,
      'is_archived',
    );
    assert.equal((await slackError(web.chat.postMessage({ channel: 'general', text: '' }))).error, 'no_text');
    const long = 'x'.repeat(40_001);
    assert.equal(
      (await slackError(web.chat.postMessage({ channel: 'general', text: long }))).error,
      'msg_too_long',
    );
    const byName = await slackError(web.conversations.history({ channel: 'general' }));
    assert.equal(byName.error, 'channel_not_found', 'history takes channel ids only');
  });

  it('validates Block Kit and explains invalid_blocks with json-pointers', async () => {
    const { web } = await slack();
    const tooLong = await slackError(
      web.chat.postMessage({ channel: 'general', text: 'x', blocks: [section('y'.repeat(3001))] }),
    );
    assert.equal(tooLong.error, 'invalid_blocks');
    assert.deepEqual(tooLong.response_metadata?.messages, [
      '[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]',
    ]);
    const badType = await slackError(
      web.chat.postMessage({
        channel: 'general',
        text: 'x',
        blocks: [{ type: 'input' }, { type: 'divider' }] as never,
      }),
    );
    assert.match(
      badType.response_metadata?.messages?.[0] ?? '',
      /unsupported type: input \[json-pointer:\/blocks\/0\/type\]/,
    );
    const header = await slackError(
      web.chat.postMessage({
        channel: 'general',
        text: 'x',
        blocks: [{ type: 'header', text: { type: 'mrkdwn', text: '*bold*' } }] as never,
      }),
    );
    assert.match(header.response_metadata?.messages?.[0] ?? '', /must be one of \[plain_text\]/);
    const fine = await web.chat.postMessage({
      channel: 'general',
      text: 'fallback',
      blocks: [
        { type: 'header', text: { type: 'plain_text', text: 'Finding' } },
        { type: 'divider' },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'from Arx' }] },
        {
          type: 'actions',
          elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open' }, url: 'https://x' }],
        },
      ],
    });
    assert.equal(fine.ok, true);
  });

  it('accepts JSON bodies and warns about a missing charset', async () => {
    const { emulator, web } = await slack();
    const channel = (await web.conversations.list()).channels?.find((c) => c.name === 'general')?.id;
    const res = await fetch(`${emulator.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SLACK_SANDBOX_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ channel, text: 'json' }),
    });
    const body = (await res.json()) as { ok: boolean; warning?: string; channel: string };
    assert.equal(body.ok, true);
    assert.equal(body.warning, 'missing_charset');
    assert.equal(body.channel, channel);
  });

  it('keeps message metadata and shows it in history only with include_all_metadata', async () => {
    const { web } = await slack();
    const metadata = { event_type: 'arx_effect', event_payload: { key: 'slack:post:d1:#general' } };
    const posted = await web.chat.postMessage({ channel: '#general', text: 'digest', metadata });
    const channel = posted.channel as string;
    const withIt = await web.conversations.history({ channel, include_all_metadata: true });
    assert.deepEqual(withIt.messages?.[0]?.metadata, metadata);
    const without = await web.conversations.history({ channel });
    assert.equal(without.messages?.[0]?.metadata, undefined);
    const bad = await slackError(
      web.chat.postMessage({ channel, text: 'x', metadata: { event_type: 'has space', event_payload: {} } }),
    );
    assert.equal(bad.error, 'invalid_metadata_schema');
  });
});

describe('Slack emulator: inspection with cursors', () => {
  it('pages conversations.history newest first with next_cursor, empty on the last page', async () => {
    const { web } = await slack();
    const channel = (await web.chat.postMessage({ channel: 'sec-alerts', text: 'm0' })).channel!;
    for (let i = 1; i < 5; i++) await web.chat.postMessage({ channel, text: `m${i}` });
    const texts: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await web.conversations.history({ channel, limit: 2, ...(cursor ? { cursor } : {}) });
      pages++;
      texts.push(...(page.messages ?? []).map((m) => m.text ?? ''));
      cursor = page.response_metadata?.next_cursor || undefined;
      assert.equal(page.has_more, cursor !== undefined);
    } while (cursor);
    assert.equal(pages, 3);
    assert.deepEqual(texts, ['m4', 'm3', 'm2', 'm1', 'm0']);
  });

  it('lists channels the bot can see, with cursor pagination', async () => {
    const { web } = await slack();
    const names: string[] = [];
    for await (const page of web.paginate('conversations.list', {
      types: 'public_channel,private_channel',
      limit: 2,
    })) {
      names.push(
        ...((page as unknown as { channels?: Array<{ name: string }> }).channels ?? []).map((c) => c.name),
      );
    }
    assert.deepEqual(names, ['general', 'sec-alerts', 'security-incidents', 'old-alerts', 'secops-private']);
  });
});

describe('Slack emulator: rate limits', () => {
  it('limits chat.postMessage to about one message per second per channel with 429 and Retry-After', async () => {
    const { client, emulator } = await slack({}, { rateLimit: 'realistic' });
    const web = client(SLACK_SANDBOX_TOKEN, { rejectRateLimitedCalls: true });
    await web.chat.postMessage({ channel: 'sec-alerts', text: 'first' });
    await web.chat.postMessage({ channel: 'general', text: 'other channel, own budget' });
    await assert.rejects(
      web.chat.postMessage({ channel: 'sec-alerts', text: 'second' }),
      (err: Error & { code?: string; retryAfter?: number }) => {
        assert.equal(err.code, ErrorCode.RateLimitedError);
        assert.ok((err.retryAfter ?? 0) >= 1);
        return true;
      },
    );
    const raw = await fetch(`${emulator.url}/api/chat.postMessage`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${SLACK_SANDBOX_TOKEN}`,
        'content-type': 'application/json; charset=utf-8',
      },
      body: JSON.stringify({ channel: '#sec-alerts', text: 'by name, same channel' }),
    });
    assert.equal(raw.status, 429);
    assert.ok(Number(raw.headers.get('retry-after')) >= 1);
    assert.deepEqual(await raw.json(), { ok: false, error: 'ratelimited' });
    assert.equal(emulator.stats().requests['chat.postMessage']?.['429'], 2);
  });
});
