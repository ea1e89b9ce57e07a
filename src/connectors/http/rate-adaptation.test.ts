import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TestClock } from '../../core/clock.js';
import {
  adaptRate,
  CUT_FACTOR,
  FLOOR_FACTOR,
  GROWTH_PER_WINDOW,
  type RateOutcome,
  startAdaptiveRate,
} from './rate-adaptation.js';
import { createRateGovernor } from './rate-governor.js';
import { readRateSignal } from './rate-headers.js';
import { resolveRateLimit, VENDOR_RATE_LIMITS } from './rate-limits.js';

const WINDOW = 1000;
const at = (now: number, saturated = true) => ({ now, windowMs: WINDOW, saturated });

describe('adaptation rule (AIMD)', () => {
  test('successes at the governor’s pace add about half the seed per window, up to the ceiling', () => {
    const state = startAdaptiveRate(10, 50);
    for (let i = 0; i < 10; i++) adaptRate(state, 'success', at(i * 100));
    assert.ok(state.rate > 10 + 0.8 * 10 * GROWTH_PER_WINDOW, `grew to ${state.rate}`);
    assert.ok(state.rate <= 10 + 10 * GROWTH_PER_WINDOW, `not faster than additive (${state.rate})`);
    for (let i = 0; i < 10_000; i++) adaptRate(state, 'success', at(i));
    assert.equal(state.rate, 50);
  });

  test('a caller slower than the rate proves nothing: no growth', () => {
    const state = startAdaptiveRate(10, 50);
    for (let i = 0; i < 100; i++) adaptRate(state, 'success', at(i * 100, false));
    assert.equal(state.rate, 10);
  });

  test('a 429 cuts once per window: answers to calls already in flight do not cut again', () => {
    const state = startAdaptiveRate(10, 50);
    state.rate = 20;
    adaptRate(state, 'limited', at(5000));
    assert.equal(state.rate, 20 * CUT_FACTOR);
    adaptRate(state, 'limited', at(5000 + WINDOW - 1));
    assert.equal(state.rate, 20 * CUT_FACTOR, 'same overshoot');
    adaptRate(state, 'limited', at(5000 + WINDOW));
    assert.equal(state.rate, 20 * CUT_FACTOR * CUT_FACTOR, 'a later 429 cuts again');
  });

  test('a near-limit warning cuts like a 429 (without a pause); other answers change nothing', () => {
    const state = startAdaptiveRate(10, 50);
    state.rate = 24;
    adaptRate(state, 'near-limit', at(0));
    assert.equal(state.rate, 24 * CUT_FACTOR);
    for (const outcome of ['other', 'near-limit'] satisfies RateOutcome[]) adaptRate(state, outcome, at(10));
    assert.equal(state.rate, 24 * CUT_FACTOR, 'neither grows, and the warning is in the same window');
  });

  test('cuts stop at a quarter of the seed', () => {
    const state = startAdaptiveRate(10, 50);
    for (let w = 0; w < 20; w++) adaptRate(state, 'limited', at(w * WINDOW));
    assert.equal(state.rate, 10 * FLOOR_FACTOR);
  });
});

describe('adaptive governor (fake clock)', () => {
  const jira = { tool: 'jira', tenant: 'acme', endpoint: 'issue.create' };
  const ok = new Headers();

  /** One call drawn and answered at once, as a caller that is never slower than the governor. */
  async function call(
    governor: ReturnType<typeof createRateGovernor>,
    ref = jira,
    status = 200,
    headers = ok,
  ) {
    (await governor.acquire(ref))();
    governor.observe(ref, headers, status);
  }

  test('Jira: a saturated caller raises the rate and then is paced by it', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    for (let i = 0; i < 60; i++) await call(governor);
    const learned = governor.state(jira).rate;
    assert.ok(learned > 20, `learned ${learned}/s from the 10/s seed`);
    const start = clock.now().getTime();
    for (let i = 0; i < 20; i++) (await governor.acquire(jira))();
    const spent = clock.now().getTime() - start;
    assert.ok(spent < 20_000 / 10, `20 calls took ${spent} ms of fake time, less than at the 10/s seed`);
  });

  test('a 429 cuts the learned rate and honours Retry-After', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    for (let i = 0; i < 60; i++) await call(governor);
    const learned = governor.state(jira).rate;
    const pause = governor.observe(jira, new Headers({ 'retry-after': '1' }), 429);
    assert.equal(pause, 1000);
    assert.equal(governor.state(jira).rate, learned * CUT_FACTOR);
    assert.equal(governor.state(jira).pausedUntil, clock.now().getTime() + 1000);
  });

  test('X-RateLimit-NearLimit: true stops growth and cuts', async () => {
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    const near = new Headers({ 'X-RateLimit-NearLimit': 'true' });
    assert.equal(readRateSignal(near, 0).nearLimit, true);
    assert.equal(readRateSignal(new Headers({ 'x-ratelimit-nearlimit': 'false' }), 0).nearLimit, undefined);
    for (let i = 0; i < 30; i++) await call(governor, jira, 200, near);
    assert.ok(governor.state(jira).rate < 10, 'never above the seed while warned');
  });

  test('an arx.yaml rate pins it; other rate_limits keys leave it adaptive', async () => {
    const clock = new TestClock();
    const pinned = createRateGovernor({ clock, overrides: { jira: { requests_per_second: 10 } } });
    for (let i = 0; i < 60; i++) await call(pinned);
    pinned.observe(jira, new Headers({ 'retry-after': '1' }), 429);
    assert.equal(pinned.state(jira).rate, 10);
    assert.equal(resolveRateLimit('jira', 'x', { jira: { requests_per_minute: 600 } }).adaptive, undefined);
    assert.deepEqual(
      resolveRateLimit('jira', 'x', { jira: { max_retries: 2 } }).adaptive,
      VENDOR_RATE_LIMITS.jira?.default.adaptive,
    );
  });

  test('published limits (Slack, PagerDuty, Qualys) stay fixed; unpublished ones are marked', async () => {
    for (const tool of ['jira', 'wiz', 'servicenow']) assert.ok(resolveRateLimit(tool, 'x').adaptive, tool);
    const clock = new TestClock();
    const governor = createRateGovernor({ clock });
    const refs = [
      { tool: 'slack', tenant: 'ws', endpoint: 'chat.postMessage', key: 'C1' },
      { tool: 'pagerduty', tenant: 'pd', endpoint: 'events.enqueue' },
      { tool: 'qualys', tenant: 'sub', endpoint: 'detection.list' },
    ];
    for (const ref of refs) {
      const seeded = governor.state(ref).rate;
      assert.equal(resolveRateLimit(ref.tool, ref.endpoint).adaptive, undefined, ref.tool);
      for (let i = 0; i < 30; i++) await call(governor, ref);
      assert.equal(governor.state(ref).rate, seeded, ref.tool);
    }
  });
});
