import assert from 'node:assert/strict';
import { it } from 'node:test';
import { failure, type SinkTarget, sinkOpener } from '../../../test/support/sink-contract.js';
import { forEachStore } from '../../../test/support/stores.js';
import { createSlackEmulator } from '../../sandbox/slack/index.js';
import { readPages } from '../read-pages.js';
import { digestBlocks, digestText, type TeamDigest } from './blocks.js';
import type { SlackMessage } from './client.js';
import { slackConnector } from './index.js';
import type { HistoryResult, PostResult } from './results.js';

/** The Slack connector against the Slack emulator over real HTTP, every call through the gate. */

const open = sinkOpener(({ clock, random }) => createSlackEmulator({ random }, { clock }), slackConnector);

const digest: TeamDigest = {
  title: 'Cloud security digest',
  team: 'Platform',
  period: 'last 24 hours',
  counts: { critical: 2, high: 5, low: 1 },
  tickets: [
    {
      key: 'SEC-1',
      url: 'https://acme.atlassian.net/browse/SEC-1',
      title: 'Public bucket <prod>',
      severity: 'critical',
      change: 'created',
    },
    { key: 'SEC-2', url: 'https://acme.atlassian.net/browse/SEC-2', title: 'Open SSH', severity: 'high' },
  ],
  footer: 'Arx run r-1',
};

const post = (target: SinkTarget, extra: Record<string, unknown> = {}) =>
  target.call<PostResult>('slack:chat:write', {
    channel: '#sec-alerts',
    text: digestText(digest),
    blocks: digestBlocks(digest),
    dedupeKey: 'digest:platform:2026-03-02',
    ...extra,
  });

const history = async (target: SinkTarget, channel: string) =>
  (
    await target.call<HistoryResult>('slack:conversations:history', {
      channel,
      includeMetadata: true,
      limit: 200,
    })
  ).items;

forEachStore('slack connector contract', (openTestStore) => {
  it('posts a Block Kit digest with its idempotency key in the metadata, then edits it in place', async (t) => {
    const target = await open(t, openTestStore);
    const posted = await post(target);
    assert.match(posted.channel, /^C[A-Z0-9]+$/);
    assert.match(posted.ts, /^\d+\.\d{6}$/);
    const [message] = await history(target, '#sec-alerts');
    assert.equal(message?.ts, posted.ts);
    assert.deepEqual(message?.metadata, {
      event_type: 'arx_post',
      event_payload: { idempotency_key: 'slack:post:digest:platform:2026-03-02:#sec-alerts' },
    });
    assert.match(JSON.stringify(message?.blocks), /Public bucket &lt;prod&gt;/);

    const edited = await target.call<PostResult>('slack:chat:update', {
      channel: posted.channel,
      ts: posted.ts,
      text: 'Digest (updated)',
      blocks: digestBlocks({ ...digest, counts: { critical: 1 } }),
    });
    assert.deepEqual(edited, posted);
    const after = await history(target, posted.channel);
    assert.equal(after.length, 1, 'edited in place, not re-posted');
    assert.equal(after[0]?.text, 'Digest (updated)');
    await target.assertAudited('slack:chat:write', 1);
    await target.assertAudited('slack:chat:update', 1);
  });

  it('honours about one message per second per channel: 429 + Retry-After waited out, nothing posted twice', async (t) => {
    const target = await open(t, openTestStore, { faults: { rateLimit: 'realistic' } });
    const posts = [];
    for (const n of [1, 2, 3, 4])
      posts.push(await post(target, { text: `message ${n}`, blocks: undefined, dedupeKey: `m${n}` }));
    assert.ok(
      (target.answered('chat.postMessage')['429'] ?? 0) >= 1,
      'the emulator rate limited the channel',
    );
    const messages = await history(target, '#sec-alerts');
    assert.deepEqual(messages.map((m) => m.text).reverse(), [
      'message 1',
      'message 2',
      'message 3',
      'message 4',
    ]);
    assert.equal(new Set(posts.map((p) => p.ts)).size, 4);
    await target.assertAudited('slack:chat:write', 4);
  });

  it('a post whose answer is lost is found by its metadata and not posted again', async (t) => {
    const target = await open(t, openTestStore, {
      lose: ({ path, count }) => path === '/api/chat.postMessage' && count === 1,
    });
    const posted = await post(target);
    assert.deepEqual(target.lost(), ['POST /api/chat.postMessage']);
    const messages = await history(target, '#sec-alerts');
    assert.equal(messages.length, 1);
    assert.equal(messages[0]?.ts, posted.ts);
    assert.equal(target.answered('chat.postMessage')['200'], 1);
  });

  it('reconciles through the gate: a post and an edit are found when they happened', async (t) => {
    const target = await open(t, openTestStore);
    const params = { channel: '#sec-alerts', text: 'hello', dedupeKey: 'r1' };
    assert.equal((await target.reconcile('slack:chat:write', params)).found, false);
    const posted = await target.call<PostResult>('slack:chat:write', params);
    const found = await target.reconcile<PostResult>('slack:chat:write', params);
    assert.deepEqual([found.found, found.result], [true, posted]);
    assert.equal((await target.reconcile('slack:chat:write', { ...params, dedupeKey: 'r2' })).found, false);

    const update = { channel: posted.channel, ts: posted.ts, text: 'hello again' };
    assert.equal((await target.reconcile('slack:chat:update', update)).found, false);
    await target.call('slack:chat:update', update);
    assert.equal((await target.reconcile('slack:chat:update', update)).found, true);
    const intents = (await target.audited('slack:chat:write')).filter(
      (e) => e.kind === 'intent' && e.payload.reconcile,
    );
    assert.equal(intents.length, 3);
  });

  it('pages history lazily by cursor', async (t) => {
    const target = await open(t, openTestStore);
    for (const n of [1, 2, 3, 4, 5])
      await post(target, { channel: '#general', text: `m${n}`, blocks: undefined, dedupeKey: `p${n}` });
    const pages: string[][] = [];
    for await (const page of readPages<SlackMessage>({
      gate: target.gate,
      context: target.context,
      operation: 'slack:conversations:history',
      params: { channel: '#general', limit: 2 },
    })) {
      pages.push(page.items.map((m) => m.text ?? ''));
    }
    assert.deepEqual(pages, [['m5', 'm4'], ['m3', 'm2'], ['m1']]);
    await target.assertAudited('slack:conversations:history', 3);
  });

  it('explains Slack errors: unknown channel and invalid blocks are the caller’s, 5xx and broken bodies are retried', async (t) => {
    const target = await open(t, openTestStore);
    const missing = await failure(post(target, { channel: '#no-such-channel' }));
    assert.deepEqual([missing.code, missing.fault], ['channel_not_found', 'caller']);
    const blocks = await failure(
      post(target, { blocks: [{ type: 'header', text: { type: 'mrkdwn', text: 'x' } }] }),
    );
    assert.equal(blocks.code, 'invalid_request');
    assert.match(blocks.message, /invalid_blocks .*json-pointer:\/blocks\/0\/text\/type/);
    assert.equal(target.answered('chat.postMessage')['200'], 2, 'refusals are not retried');

    target.emulator.setFaults({ errorRate: 0.3, malformedRate: 0.3 });
    for (const n of [1, 2, 3, 4])
      await target.call('slack:conversations:history', { channel: '#general', limit: n });
    const answered = target.answered('conversations.history');
    assert.ok((answered['500'] ?? 0) + (answered['200'] ?? 0) > 4, 'failures were retried');
    await target.assertAudited('slack:conversations:history', 4);
  });

  it('a bad token fails at once and the credential check says which variable to fix', async (t) => {
    const target = await open(t, openTestStore, {
      env: (env) => ({ ...env, SLACK_BOT_TOKEN: 'xoxb-wrong' }),
    });
    const err = await failure(post(target));
    assert.deepEqual([err.code, err.fault], ['unauthorized', 'caller']);
    assert.ok(!err.message.includes('xoxb-wrong'));
    assert.deepEqual(target.answered('chat.postMessage'), { 200: 1 });

    const bad = await target.checkCredentials(target.env);
    assert.deepEqual([bad.ok, bad.problem], [false, 'bad_secret']);
    assert.match(bad.message, /SLACK_BOT_TOKEN/);
    const good = await target.checkCredentials({
      ...target.env,
      SLACK_BOT_TOKEN: 'xoxb-sandbox-slack-bot-token',
    });
    assert.deepEqual([good.ok, good.identity], [true, 'Arx Sandbox / arx']);
    const wrongUrl = await target.checkCredentials({
      ...target.env,
      SLACK_BOT_TOKEN: 'xoxb-sandbox-slack-bot-token',
      SLACK_API_URL: 'http://127.0.0.1:9/api/',
    });
    assert.equal(wrongUrl.problem, 'unreachable');
  });
});
