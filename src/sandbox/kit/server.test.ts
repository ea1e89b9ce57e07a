import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { type Context, Hono } from 'hono';
import { type RunningEmulator, startEmulator } from './server.js';
import type { EmulatorControl, EmulatorDefinition } from './types.js';

/** A minimal emulator: one JSON route and one XML route, with per-channel rate keys like Slack. */
function echoEmulator(): EmulatorDefinition & EmulatorControl {
  const app = new Hono();
  app.post('/post', async (c) => {
    c.set('operation', 'post');
    const body = (await c.req.json()) as { channel: string };
    return c.json({ ok: true, channel: body.channel, padding: 'x'.repeat(40) });
  });
  app.get('/xml', (c) => {
    c.set('operation', 'xml');
    return c.body('<ROOT><ITEM>one</ITEM><ITEM>two</ITEM></ROOT>', 200, {
      'content-type': 'application/xml',
    });
  });
  return {
    name: 'echo',
    app,
    operationOf: (c: Context) => c.get('operation') ?? `${c.req.method} ${c.req.path}`,
    realisticRateLimit: { requests: 1, windowMs: 60_000, scope: 'key' },
    rateKey: (_c, body) => (body as { channel?: string } | undefined)?.channel,
    rateLimitedResponse: (c, retryAfter) =>
      c.json({ ok: false, error: 'ratelimited' }, 429, { 'Retry-After': String(retryAfter) }),
    serverErrorResponse: (c) => c.json({ ok: false, error: 'internal_error' }, 503),
    env: (url) => ({ ECHO_URL: url }),
    switches: { legacyMode: 'answers the old way' },
  };
}

const running: RunningEmulator[] = [];
after(async () => {
  for (const emulator of running) await emulator.close();
});

async function start(options: Parameters<typeof startEmulator>[1] = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator(echoEmulator(), options);
  running.push(emulator);
  return emulator;
}

const post = (url: string, channel = 'C1', signal?: AbortSignal) =>
  fetch(`${url}/post`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ channel }),
    ...(signal ? { signal } : {}),
  });

describe('startEmulator', () => {
  it('serves the emulator on an ephemeral loopback port and counts requests by operation and status', async () => {
    const emu = await start();
    assert.match(emu.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal((await post(emu.url)).status, 200);
    assert.equal((await fetch(`${emu.url}/xml`)).status, 200);
    assert.equal((await fetch(`${emu.url}/nowhere`)).status, 404);
    const stats = (await (await fetch(`${emu.url}/_sandbox/stats`)).json()) as ReturnType<typeof emu.stats>;
    assert.deepEqual(stats.requests.post, { '200': 1 });
    assert.deepEqual(stats.requests.xml, { '200': 1 });
    assert.deepEqual(stats.requests['GET /nowhere'], { '404': 1 });
    assert.equal(stats.total, 3, 'the /_sandbox routes are not counted');
  });

  it('answers 5xx in the service shape at errorRate 1 and never at 0', async () => {
    const emu = await start({ faults: { errorRate: 1 } });
    const res = await post(emu.url);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { ok: false, error: 'internal_error' });
    emu.setFaults({ errorRate: 0 });
    assert.equal((await post(emu.url)).status, 200);
    assert.deepEqual(
      emu.stats().requests['POST /post'],
      { '503': 1 },
      'faulted requests never reach the handler',
    );
  });

  it('injects the same faults for the same seed', async () => {
    const pattern = async (seed: number) => {
      const emu = await start({ seed, faults: { errorRate: 0.5 } });
      const statuses: number[] = [];
      for (let i = 0; i < 12; i++) statuses.push((await fetch(`${emu.url}/xml`)).status);
      return statuses;
    };
    const first = await pattern(7);
    assert.deepEqual(await pattern(7), first);
    assert.ok(first.includes(200) && first.includes(503), `a 0.5 rate mixes outcomes: ${first}`);
  });

  it('cuts JSON and XML bodies short when malformed, keeping the status', async () => {
    const emu = await start({ faults: { malformedRate: 1 } });
    const json = await post(emu.url);
    assert.equal(json.status, 200);
    const text = await json.text();
    assert.throws(() => JSON.parse(text));
    assert.ok(text.startsWith('{"ok":true'));
    const xml = await (await fetch(`${emu.url}/xml`)).text();
    assert.ok(xml.startsWith('<ROOT>') && !xml.includes('</ROOT>'));
  });

  it('never answers a timed-out request; the client gives up and stats record it', async () => {
    const emu = await start({ faults: { timeoutRate: 1 } });
    await assert.rejects(post(emu.url, 'C1', AbortSignal.timeout(150)), /abort|timeout/i);
    emu.setFaults({});
    assert.equal((await post(emu.url)).status, 200, 'the emulator still serves once the fault is removed');
    await waitFor(() => emu.stats().requests['POST /post']?.timeout === 1);
  });

  it('releases held requests on close', async () => {
    const emu = await startEmulator(echoEmulator(), { faults: { timeoutRate: 1 } });
    const pending = post(emu.url).then(
      () => 'answered',
      () => 'connection closed',
    );
    await waitFor(() => true);
    await emu.close();
    assert.ok(['answered', 'connection closed'].includes(await pending));
  });

  it('adds latency and still answers', async () => {
    const emu = await start({ faults: { latencyMs: 20 } });
    assert.equal((await post(emu.url)).status, 200);
    assert.equal(emu.faults().latencyMs, 20);
  });

  it('rate-limits with the service response and Retry-After, and refills over time', async () => {
    let now = 1_000_000;
    const emu = await start({ faults: { rateLimit: { requests: 2, windowMs: 10_000 } }, now: () => now });
    assert.equal((await post(emu.url)).status, 200);
    assert.equal((await post(emu.url, 'C2')).status, 200);
    const limited = await post(emu.url, 'C3');
    assert.equal(limited.status, 429);
    assert.equal(limited.headers.get('retry-after'), '5');
    assert.deepEqual(await limited.json(), { ok: false, error: 'ratelimited' });
    now += 5_000;
    assert.equal((await post(emu.url)).status, 200, 'one token is back after window/requests');
  });

  it('uses the realistic per-key limit: one channel limited, another not', async () => {
    const emu = await start({ faults: { rateLimit: 'realistic' }, now: () => 0 });
    assert.equal((await post(emu.url, 'C1')).status, 200);
    assert.equal((await post(emu.url, 'C1')).status, 429);
    assert.equal((await post(emu.url, 'C2')).status, 200);
    assert.equal((await post(emu.url, 'C2')).status, 429);
  });

  it('changes faults at run time through /_sandbox/faults and rejects unknown keys', async () => {
    const emu = await start();
    const put = (body: unknown) =>
      fetch(`${emu.url}/_sandbox/faults`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    assert.equal((await put({ errorRate: 1, switches: { legacyMode: true } })).status, 200);
    assert.deepEqual(await (await fetch(`${emu.url}/_sandbox/faults`)).json(), {
      errorRate: 1,
      switches: { legacyMode: true },
    });
    assert.equal((await post(emu.url)).status, 503);
    assert.equal((await put({ errorRatio: 1 })).status, 400);
    assert.equal((await put({ switches: { nope: 1 } })).status, 400);
    assert.equal((await put({})).status, 200);
    assert.equal((await post(emu.url)).status, 200);
  });

  it('refuses a switch the emulator does not declare', async () => {
    await assert.rejects(startEmulator(echoEmulator(), { faults: { switches: { bogus: true } } }), /bogus/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.fail('condition never became true');
}
