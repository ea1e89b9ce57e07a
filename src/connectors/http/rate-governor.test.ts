import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClock } from '../../core/clock.js';
import { createRateGovernor, MAX_PAUSE_MS } from './rate-governor.js';
import { parseReset, parseRetryAfter, pauseFromSignal, readRateSignal } from './rate-headers.js';
import { resolveRateLimit, VENDOR_RATE_LIMITS } from './rate-limits.js';

const NOW = Date.parse('2026-01-01T00:00:00Z');
const headers = (h: Record<string, string>) => new Headers(h);

describe('rate headers', () => {
  test('Retry-After in seconds and as an HTTP date', () => {
    assert.equal(parseRetryAfter('2', NOW), 2000);
    assert.equal(parseRetryAfter('0.5', NOW), 500);
    assert.equal(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', NOW), 30_000);
    assert.equal(parseRetryAfter('Wed, 31 Dec 2025 23:00:00 GMT', NOW), 0, 'a date in the past means now');
    assert.equal(parseRetryAfter('soon', NOW), undefined);
    assert.equal(parseRetryAfter(null, NOW), undefined);
  });

  test('reset as ISO (Jira), epoch seconds (ServiceNow) and seconds from now (PagerDuty)', () => {
    assert.equal(parseReset('2026-01-01T00:01Z', NOW), NOW + 60_000);
    assert.equal(parseReset(String(NOW / 1000 + 90), NOW), NOW + 90_000);
    assert.equal(parseReset('45', NOW), NOW + 45_000);
  });

  test('pause: explicit waits win; remaining 0 waits for the reset; otherwise none', () => {
    const pause = (h: Record<string, string>) => pauseFromSignal(readRateSignal(headers(h), NOW), NOW);
    assert.equal(pause({ 'retry-after': '3' }), 3000);
    assert.equal(pause({ 'x-ratelimit-towait-sec': '120', 'x-ratelimit-remaining': '0' }), 120_000);
    assert.equal(pause({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2026-01-01T00:02Z' }), 120_000);
    assert.equal(pause({ 'ratelimit-remaining': '0', 'ratelimit-reset': '10' }), 10_000);
    assert.equal(pause({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '2026-01-01T00:02Z' }), 0);
    assert.equal(pause({ 'x-ratelimit-towait-sec': '0' }), 0);
  });
});

describe('rate governor', () => {
  const ref = { tool: 'wiz', tenant: 't1', endpoint: 'graphql' };

  test('a full bucket lets a burst through, then spaces calls at the documented rate', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    const start = clock.now().getTime();
    for (let i = 0; i < 3; i++) (await governor.acquire(ref))();
    assert.equal(clock.now().getTime(), start, 'Wiz burst of 3 is immediate');
    (await governor.acquire(ref))();
    assert.ok(clock.now().getTime() - start >= 333, 'the 4th call waits for a token at 3/s');
  });

  test('buckets are separate per tenant, per endpoint and, for Slack messages, per channel', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    const slack = { tool: 'slack', tenant: 'ws', endpoint: 'chat.postMessage' };
    for (let i = 0; i < 3; i++) (await governor.acquire({ ...slack, key: 'C1' }))();
    const before = clock.now().getTime();
    (await governor.acquire({ ...slack, key: 'C2' }))();
    (await governor.acquire({ ...ref, tenant: 't2' }))();
    assert.equal(clock.now().getTime(), before, 'another channel and another tenant do not wait');
    (await governor.acquire({ ...slack, key: 'C1' }))();
    assert.ok(clock.now().getTime() - before >= 1000, 'the busy channel waits about one second');
  });

  test('Retry-After pauses the bucket; a bogus header is capped', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    assert.equal(governor.observe(ref, headers({ 'retry-after': '5' })), 5000);
    const start = clock.now().getTime();
    (await governor.acquire(ref))();
    assert.ok(clock.now().getTime() - start >= 5000);
    assert.equal(governor.observe(ref, headers({ 'retry-after': '99999999' })), MAX_PAUSE_MS);
  });

  test('X-RateLimit-Remaining lowers the tokens we believe we have', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    const jira = { tool: 'jira', tenant: 'acme', endpoint: 'issue.create' };
    (await governor.acquire(jira))();
    governor.observe(jira, headers({ 'x-ratelimit-remaining': '0' }));
    assert.ok(governor.state(jira).tokens < 1);
  });

  test('Qualys concurrency: a third call waits until one of two in flight finishes', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    const q = { tool: 'qualys', tenant: 'sub', endpoint: 'detection.list' };
    const first = await governor.acquire(q);
    await governor.acquire(q);
    let third = false;
    const pending = governor.acquire(q).then((release) => {
      third = true;
      return release;
    });
    await new Promise((r) => setImmediate(r));
    assert.equal(third, false);
    first();
    (await pending)();
    assert.equal(third, true);
  });

  test('an aborted wait rejects instead of hanging', async () => {
    const governor = createRateGovernor({ clock: new TestClock() });
    const q = { tool: 'qualys', tenant: 'sub', endpoint: 'kb.list' };
    await governor.acquire(q);
    await governor.acquire(q);
    const controller = new AbortController();
    const pending = governor.acquire(q, controller.signal);
    controller.abort(new Error('run cancelled'));
    await assert.rejects(pending, /run cancelled/);
  });

  test('arx.yaml rate_limits override the seeded limit on every endpoint of the tool', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock, overrides: { wiz: { requests_per_minute: 6, burst: 1 } } });
    const start = clock.now().getTime();
    (await governor.acquire(ref))();
    (await governor.acquire(ref))();
    assert.ok(clock.now().getTime() - start >= 10_000, '6/min = one call every 10 s');

    const slack = resolveRateLimit('slack', 'chat.postMessage', { slack: { requests_per_second: 0.5 } });
    assert.equal(slack.requests, 0.5);
    assert.equal(slack.scope, 'key', 'an override keeps the per-channel scope');
    assert.deepEqual(
      resolveRateLimit('pagerduty', 'events.enqueue'),
      VENDOR_RATE_LIMITS.pagerduty?.endpoints?.['events.enqueue'],
    );
  });

  test('override details: the stricter of two rates wins; concurrency and burst alone keep the rate', () => {
    const both = resolveRateLimit('jira', 'issue.create', {
      jira: { requests_per_second: 5, requests_per_minute: 60 },
    });
    assert.equal(both.requests / both.perSeconds, 1);
    const qualys = resolveRateLimit('qualys', 'detection.list', { qualys: { max_concurrency: 1 } });
    assert.equal(qualys.concurrency, 1);
    assert.equal(qualys.requests, 300);
    assert.equal(resolveRateLimit('qualys', 'x', { qualys: { burst: 2 } }).burst, 2);
    assert.equal(resolveRateLimit('qualys', 'x', { qualys: { requests_per_second: 1 } }).concurrency, 2);
  });

  test('every vendor the contract documents has a seeded limit', () => {
    for (const tool of ['wiz', 'jira', 'slack', 'pagerduty', 'qualys', 'servicenow']) {
      assert.ok(VENDOR_RATE_LIMITS[tool]?.default.requests, tool);
    }
    assert.equal(resolveRateLimit('slack', 'chat.postMessage').scope, 'key');
  });
});
